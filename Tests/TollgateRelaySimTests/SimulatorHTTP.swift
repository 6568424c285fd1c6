import AsyncHTTPClient
import Foundation
import NIOCore

/// A plain HTTP client for the simulator's `/v1/chat/completions`: the raw bytes and headers as
/// they arrive, with nothing parsed in between.
enum SimulatorHTTP {
    struct Answer {
        let status: Int
        let headers: [(String, String)]
        let bytes: [UInt8]
        var text: String { String(decoding: bytes, as: UTF8.self) }
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
        /// The body as a JSON object.
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] ?? [:] }
    }

    static func post(_ port: Int, _ body: String, headers: [(String, String)] = [], path: String = "/v1/chat/completions") async throws -> Answer {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer sk-test")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(20))
        let buffer = try await response.body.collect(upTo: 8 << 20)
        return Answer(
            status: Int(response.status.code),
            headers: response.headers.map { ($0.name, $0.value) },
            bytes: Array(buffer.readableBytesView)
        )
    }

    /// A request body: `fields` is inserted as is after the model and messages.
    static func body(_ fields: String = "", stream: Bool = false, includeUsage: Bool = false) -> String {
        var parts = [#""model":"gpt-4.1""#, #""messages":[{"role":"user","content":"Weather in Paris?"}]"#]
        if stream { parts.append(#""stream":true"#) }
        if includeUsage { parts.append(#""stream_options":{"include_usage":true}"#) }
        if !fields.isEmpty { parts.append(fields) }
        return "{" + parts.joined(separator: ",") + "}"
    }
}
