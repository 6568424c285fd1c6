import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import TollgateStreaming

#if canImport(Glibc)
import Glibc
#endif

/// An OpenAI-compatible upstream on 127.0.0.1 (ephemeral port) that answers each
/// `POST /v1/chat/completions` with the next of its scripted answers (the last one repeats):
/// exact statuses, headers and bodies, stalls, garbage and answers that stop half-way. Like OpenAI,
/// it answers an event stream when the request says `"stream": true` and one JSON body otherwise.
final class ScriptedUpstream: Sendable {
    /// One answer.
    enum Answer: Sendable {
        /// A non-2xx (or any) status with these headers and this body.
        case status(Int, headers: [(String, String)] = [], body: String)
        /// A 200 answer of `text`: an event stream split in words, `finish_reason: stop`, usage and
        /// `[DONE]`, or one `chat.completion` body with the same usage.
        case stream(String)
        /// A 200 answer of `text` whose connection closes half-way: an event stream without a finish
        /// reason or `[DONE]`, or a body cut in the middle of its JSON.
        case drop(String)
        /// Waits this long before answering at all.
        case stall(Duration)
        /// A 200 HTML page where an event stream belongs.
        case garbage
    }

    /// The key the gateway presents to this upstream; its refusals echo it.
    static let key = "sk-scripted-upstream-key-5d1e"

    private let script: [Answer]
    private let received = Mutex(0)
    let port: Int

    private init(port: Int, script: [Answer]) {
        self.port = port
        self.script = script
    }

    /// How many requests arrived.
    var requests: Int { received.withLock { $0 } }

    var url: String { "http://127.0.0.1:\(port)/v1/chat/completions" }

    /// A client for this upstream with short deadlines, routed for `model`.
    /// `firstByteTimeout` bounds the head of a non-streamed answer too, so one test covers both.
    func route(model: String = "gpt-4.1", firstByteTimeout: Duration = .seconds(10)) -> UpstreamRoute {
        UpstreamRoute(
            model: model,
            client: ChatCompletionsClient(
                url: url,
                apiKey: Self.key,
                configuration: .init(
                    connectTimeout: .seconds(2),
                    firstByteTimeout: firstByteTimeout,
                    idleTimeout: .seconds(5),
                    completionTimeout: firstByteTimeout
                )
            )
        )
    }

    /// A route to a port nothing listens on.
    static func unreachable(model: String = "gpt-4.1") throws -> UpstreamRoute {
        UpstreamRoute(
            model: model,
            client: ChatCompletionsClient(
                url: "http://127.0.0.1:\(try closedPort())/v1/chat/completions",
                apiKey: key,
                configuration: .init(connectTimeout: .milliseconds(800))
            )
        )
    }

    private func answer() -> Answer {
        let index = received.withLock { count in
            count += 1
            return count - 1
        }
        return script[min(index, script.count - 1)]
    }

    private func respond(_ answer: Answer, streaming: Bool) async -> Response {
        switch answer {
        case .status(let code, let headers, let body):
            var fields = HTTPFields()
            fields[.contentType] = "application/json"
            for (name, value) in headers { fields.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
            return Response(status: .init(code: code), headers: fields, body: .init(byteBuffer: ByteBuffer(string: body)))
        case .stream(let text):
            guard streaming else { return Self.json(Self.completion(text)) }
            return Self.events(Self.chunks(text) + [Self.finish, Self.usage, "[DONE]"])
        case .drop(let text):
            guard streaming else { return Self.cut(Self.completion(text)) }
            return Self.events(Self.chunks(text))
        case .stall(let duration):
            try? await Task.sleep(for: duration)
            guard streaming else { return Self.json(Self.completion("late")) }
            return Self.events(Self.chunks("late") + [Self.finish, "[DONE]"])
        case .garbage:
            return Response(
                status: .ok,
                headers: [.contentType: "text/html"],
                body: .init(byteBuffer: ByteBuffer(string: "<html><body><h1>502 Bad Gateway</h1> nginx</body></html>"))
            )
        }
    }

    private static func events(_ payloads: [String]) -> Response {
        let body = payloads.map { "data: \($0)\n\n" }.joined()
        return Response(status: .ok, headers: [.contentType: "text/event-stream"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    private static func json(_ body: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// The first half of `body`, then the connection closes: the body writer fails, so the server
    /// drops the connection instead of finishing the response.
    private static func cut(_ body: String) -> Response {
        let half = ByteBuffer(string: String(body.prefix(body.count / 2)))
        return Response(
            status: .ok,
            headers: [.contentType: "application/json"],
            body: .init { writer in
                try await writer.write(half)
                throw HarnessFailure(description: "the scripted upstream drops the connection half-way")
            }
        )
    }

    private static func completion(_ text: String) -> String {
        #"{"id":"chatcmpl-up","object":"chat.completion","created":1,"model":"gpt-4.1","choices":[{"index":0,"message":{"role":"assistant","content":"\#(text)"},"finish_reason":"stop"}],"usage":{"prompt_tokens":20,"completion_tokens":4,"total_tokens":24}}"#
    }

    private static func chunks(_ text: String) -> [String] {
        text.split(separator: " ").enumerated().map { index, word in
            let piece = (index == 0 ? "" : " ") + word
            return
                #"{"id":"chatcmpl-up","object":"chat.completion.chunk","created":1,"model":"gpt-4.1","choices":[{"index":0,"delta":{"content":"\#(piece)"},"finish_reason":null}]}"#
        }
    }

    private static let finish =
        #"{"id":"chatcmpl-up","object":"chat.completion.chunk","created":1,"model":"gpt-4.1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#
    private static let usage =
        #"{"id":"chatcmpl-up","object":"chat.completion.chunk","created":1,"model":"gpt-4.1","choices":[],"usage":{"prompt_tokens":20,"completion_tokens":4,"total_tokens":24}}"#

    static func run<T: Sendable>(_ script: [Answer], _ body: @Sendable (ScriptedUpstream) async throws -> T) async throws -> T {
        let box = Mutex<ScriptedUpstream?>(nil)
        let router = Router()
        router.post("/v1/chat/completions") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            guard let upstream = box.withLock({ $0 }) else { return Response(status: .serviceUnavailable) }
            let fields = try? JSONDecoder().decode([String: JSONValue].self, from: Data(body.readableBytesView))
            return await upstream.respond(upstream.answer(), streaming: fields?["stream"] == .bool(true))
        }
        return try await LoopbackServer.run(router, label: "tests.scripted-upstream") { port in
            let upstream = ScriptedUpstream(port: port, script: script)
            box.withLock { $0 = upstream }
            return try await body(upstream)
        }
    }

    /// A loopback port that was free a moment ago: bound, then closed.
    private static func closedPort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw HarnessFailure(description: "socket() failed") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard bound else { throw HarnessFailure(description: "could not bind a loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
