import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// An Anthropic Messages upstream on 127.0.0.1 (ephemeral port): answers `POST /v1/messages` with
/// exact bytes (an event stream written as given, a body, or an error status) and keeps every
/// request's body and headers. `count_tokens` answers `countTokens` when given, else is not
/// served (404), as on relays without it.
final class AnthropicUpstream: Sendable {
    enum Answer: Sendable {
        /// 200 `text/event-stream` with exactly these bytes; the connection then ends.
        case events(String)
        /// 200 `text/event-stream`, one event every `interval` (a model generating).
        case paced([(String, String)], interval: Duration)
        /// 200 JSON body.
        case body(String)
        /// A status with headers and a body.
        case status(Int, headers: [(String, String)], body: String)
    }

    struct Received: Sendable {
        let body: Data
        let headers: [String: String]
    }

    private let received = Mutex<[Received]>([])
    let port: Int

    private init(port: Int) { self.port = port }

    /// The OpenAI-style URL the gateway is configured with; `/v1/messages` is derived from it.
    var url: String { "http://127.0.0.1:\(port)/v1/chat/completions" }
    var requests: [Received] { received.withLock { $0 } }

    static func run<T: Sendable>(
        _ answer: Answer,
        countTokens: Answer? = nil,
        _ body: @Sendable (AnthropicUpstream) async throws -> T
    ) async throws -> T {
        let box = Mutex<AnthropicUpstream?>(nil)
        let router = Router()
        if let countTokens {
            router.post("/v1/messages/count_tokens") { _, _ -> Response in Self.response(countTokens) }
        }
        router.post("/v1/messages") { request, _ -> Response in
            let bytes = Data(buffer: try await request.body.collect(upTo: 8 << 20))
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            box.withLock { $0 }?.received.withLock { $0.append(Received(body: bytes, headers: headers)) }
            return Self.response(answer)
        }
        return try await LoopbackServer.run(router, label: "tests.anthropic-upstream") { port in
            let upstream = AnthropicUpstream(port: port)
            box.withLock { $0 = upstream }
            return try await body(upstream)
        }
    }

    private static func response(_ answer: Answer) -> Response {
        switch answer {
        case .events(let text):
            return Response(status: .ok, headers: [.contentType: "text/event-stream"], body: .init(byteBuffer: ByteBuffer(string: text)))
        case .paced(let events, let interval):
            return Response(
                status: .ok,
                headers: [.contentType: "text/event-stream"],
                body: ResponseBody { writer in
                    for event in events {
                        try await writer.write(ByteBuffer(string: AnthropicStreams.text([event])))
                        try await Task.sleep(for: interval)
                    }
                    try await writer.finish(nil)
                }
            )
        case .body(let text):
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
        case .status(let status, let extra, let text):
            var fields = HTTPFields()
            fields[.contentType] = "application/json"
            for (name, value) in extra { fields[HTTPField.Name(name)!] = value }
            return Response(status: .init(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(string: text)))
        }
    }
}

/// A Messages stream in Anthropic's documented event order (docs.anthropic.com, "Streaming
/// Messages"), written for these tests (synthetic, not a recording): thinking with its signature,
/// text, a `ping`, an event type Tollgate has never heard of, a tool call's input in pieces, and
/// usage with cache reads and both cache writes.
enum AnthropicStreams {
    static let events: [(String, String)] = [
        (
            "message_start",
            #"{"type":"message_start","message":{"id":"msg_01Test","type":"message","role":"assistant","model":"claude-sonnet-4.5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,"cache_creation_input_tokens":30,"cache_read_input_tokens":100,"cache_creation":{"ephemeral_5m_input_tokens":10,"ephemeral_1h_input_tokens":20},"output_tokens":1}}}"#
        ),
        ("content_block_start", #"{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}"#),
        ("ping", #"{"type": "ping"}"#),
        ("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"The user wants a haiku."}}"#),
        (
            "content_block_delta",
            #"{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"}}"#
        ),
        ("content_block_stop", #"{"type":"content_block_stop","index":0}"#),
        ("content_block_start", #"{"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}"#),
        ("content_block_delta", #"{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Bytes flow through,"}}"#),
        ("future_event", #"{"type":"future_event","detail":"unknown to Tollgate"}"#),
        ("content_block_delta", #"{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":" counted on the side."}}"#),
        ("content_block_stop", #"{"type":"content_block_stop","index":1}"#),
        (
            "content_block_start",
            #"{"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_01","name":"get_weather","input":{}}}"#
        ),
        (
            "content_block_delta",
            #"{"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\"location\": \"San Fra"}}"#
        ),
        ("content_block_delta", #"{"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"ncisco\"}"}}"#),
        ("content_block_stop", #"{"type":"content_block_stop","index":2}"#),
        ("message_delta", #"{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":42}}"#),
        ("message_stop", #"{"type":"message_stop"}"#),
    ]

    static func text(_ events: some Sequence<(String, String)>) -> String {
        events.map { "event: \($0.0)\ndata: \($0.1)\n\n" }.joined()
    }
}
