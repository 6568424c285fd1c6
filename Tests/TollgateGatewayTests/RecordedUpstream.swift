import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// An OpenAI-compatible upstream on 127.0.0.1 (ephemeral port) that answers with exact,
/// recorded-looking payloads and keeps every request body it received, byte for byte.
final class RecordedUpstream: Sendable {
    /// What the upstream answers one request with.
    enum Answer: Sendable {
        /// SSE: each payload as `data: <payload>\n\n`, then `data: [DONE]`.
        case stream([String])
        /// One JSON body.
        case body(String)
        /// SSE payloads, then the connection closes without a finish or `[DONE]` (a dropped stream).
        case dropped([String])
    }

    private let received = Mutex<[Data]>([])
    let port: Int

    private init(port: Int) { self.port = port }

    var url: String { "http://127.0.0.1:\(port)/v1/chat/completions" }
    /// Every request body, in arrival order.
    var requests: [Data] { received.withLock { $0 } }

    /// Runs the upstream for `body`; `answer` is called with each request's parsed JSON.
    static func run<T: Sendable>(
        _ answer: @escaping @Sendable ([String: Any]) -> Answer,
        _ body: @Sendable (RecordedUpstream) async throws -> T
    ) async throws -> T {
        let box = Mutex<RecordedUpstream?>(nil)
        let router = Router()
        router.post("/v1/chat/completions") { request, _ -> Response in
            let bytes = Data(buffer: try await request.body.collect(upTo: 8 << 20))
            box.withLock { $0 }?.received.withLock { $0.append(bytes) }
            let json = (try? JSONSerialization.jsonObject(with: bytes) as? [String: Any]) ?? [:]
            switch answer(json) {
            case .body(let text):
                return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
            case .stream(let payloads), .dropped(let payloads):
                let done: Bool = if case .stream = answer(json) { true } else { false }
                return Response(
                    status: .ok,
                    headers: [.contentType: "text/event-stream"],
                    body: ResponseBody { writer in
                        for payload in payloads { try await writer.write(ByteBuffer(string: "data: \(payload)\n\n")) }
                        if done { try await writer.write(ByteBuffer(string: "data: [DONE]\n\n")) }
                        try await writer.finish(nil)
                    }
                )
            }
        }
        return try await LoopbackServer.run(router, label: "tests.recorded-upstream") { port in
            let upstream = RecordedUpstream(port: port)
            box.withLock { $0 = upstream }
            return try await body(upstream)
        }
    }
}
