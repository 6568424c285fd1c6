import HTTPTypes
import Hummingbird
import NIOCore
import TollgateStreaming

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The Anthropic Messages endpoints: `POST /v1/messages` (SSE and JSON) and
/// `POST /v1/messages/count_tokens`, so a gateway's `/v1/messages` works against the simulator.
///
/// Deterministic like the OpenAI side: the text is ``SimulatedText`` of the prompt, usage is counted
/// with the injected counter. What the answer holds follows the request and the `tollgate_sim`
/// object (``MessagesAnswer``): thinking when `thinking.type` is `enabled`, a `tool_use` block when
/// tools are given and the conversation does not end in a `tool_result`, the cache fields of usage
/// from `cache_read` / `cache_write_5m` / `cache_write_1h`, and `status` (+ `retry_after`) answers
/// that status with Anthropic's error body. `tollgate_sim.replay` (or `X-Sim-Replay`) answers a
/// streaming request with a recorded Messages stream instead (``RecordedReplay``, `NAME.sse`).
struct MessagesResponder: Sendable {
    let configuration: RelaySimulatorConfiguration
    let tokenCounter: SimulatorTokenCounter
    let metrics: RelaySimulatorMetrics

    func register(on router: Router<SimulatorRequestContext>) {
        router.post("/v1/messages") { request, context in
            try await create(request, context: context)
        }
        router.post("/v1/messages/count_tokens") { request, _ in
            try await countTokens(request)
        }
    }

    private func read(_ request: Request) async throws -> ReadBody {
        metrics.update { $0.httpRequests += 1 }
        let scenario = SimulatedScenario(configuration: configuration, headers: request.headers)
        let bytes = try await request.body.collect(upTo: 4 << 20)
        guard let body = try? JSONDecoder().decode([String: JSONValue].self, from: Data(buffer: bytes)) else {
            return .failure(Self.error(400, "invalid_request_error", "The body is not a JSON object."))
        }
        let key = request.headers[HTTPField.Name("x-api-key")!] ?? request.headers[.authorization].flatMap(WebSocketRelaySession.bearerToken)
        var model: String?
        if case .string(let name)? = body["model"] { model = name }
        if let rejection = SimulatedRejection.check(apiKey: key, model: model, scenario: scenario, configuration: configuration) {
            return .failure(Self.error(rejection.status, Self.type(for: rejection.status), rejection.message))
        }
        return .success(body, scenario)
    }

    /// A body read (with the scenario its headers set), or the answer refusing it.
    private enum ReadBody {
        case success([String: JSONValue], SimulatedScenario)
        case failure(Response)
    }

    private func create(_ request: Request, context: SimulatorRequestContext) async throws -> Response {
        let body: [String: JSONValue]
        let scenario: SimulatedScenario
        switch try await read(request) {
        case .success(let read, let readScenario): (body, scenario) = (read, readScenario)
        case .failure(let response): return response
        }
        if let name = Self.replayName(body, headers: request.headers) {
            return try await replay(name, streaming: body["stream"] == .bool(true), scenario: scenario, context: context)
        }
        let answer = MessagesAnswer(body: body, tokenCounter: tokenCounter)
        if let status = answer.errorStatus {
            var response = Self.error(status, Self.type(for: status), "Simulated upstream error \(status).")
            if status == 429 || status == 529 || status == 503 { response.headers[.retryAfter] = String(answer.retryAfter) }
            return response
        }
        guard answer.stream else {
            return Self.json(.ok, answer.message.serialized)
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        headers[HTTPField.Name("request-id")!] = answer.id
        // Paced (time to first token, tokens per second) and faulted like the OpenAI surface.
        let events = answer.events.map { name, data in
            PacedEventWriter.Event(bytes: ByteBuffer(string: "event: \(name)\ndata: \(data.serialized)\n\n"), isOutput: name == "content_block_delta")
        }
        let writer = PacedEventWriter(events: events, scenario: scenario, channel: context.channel, metrics: metrics, anthropic: true)
        return Response(
            status: .ok,
            headers: headers,
            body: ResponseBody { body in
                try await writer.write(to: &body)
            }
        )
    }

    private func countTokens(_ request: Request) async throws -> Response {
        switch try await read(request) {
        case .success(let body, _):
            let answer = MessagesAnswer(body: body, tokenCounter: tokenCounter)
            return Self.json(.ok, SimulatedJSON.object([("input_tokens", .integer(answer.inputTokens))]).serialized)
        case .failure(let response):
            return response
        }
    }

    /// The recorded fixture a request asks for: `X-Sim-Replay`, else `tollgate_sim.replay`.
    static func replayName(_ body: [String: JSONValue], headers: HTTPFields) -> String? {
        if let name = HTTPField.Name(SimulatorHeader.replay).flatMap({ headers[$0] }) { return name }
        guard case .object(let controls)? = body["tollgate_sim"], case .string(let name)? = controls[SimulatorControl.replay] else { return nil }
        return name
    }

    /// Answers with a recorded Messages stream, every byte as stored (``RecordedReplay/messagesEvents(of:)``),
    /// paced and faulted like the OpenAI replays (output events are the `content_block_delta`s).
    /// Anthropic always sends usage, so `usage: false` does not apply here.
    private func replay(_ name: String, streaming: Bool, scenario: SimulatedScenario, context: SimulatorRequestContext) async throws -> Response {
        let fixture: (url: URL, format: RecordedReplay.Format)
        do {
            fixture = try RecordedReplay.locate(name: name, directory: configuration.replayDirectory, streaming: streaming)
        } catch let failure as RecordedReplay.Failure {
            return Self.error(400, "invalid_request_error", failure.description)
        }
        let contents = Array(try Data(contentsOf: fixture.url))
        guard streaming else {
            try await SimulatedPacing(scenario: scenario).waitForFirstToken()
            metrics.update { $0.completedResponses += 1 }
            return Self.json(.ok, String(decoding: contents, as: UTF8.self))
        }
        guard fixture.format == .sse else {
            return Self.error(
                400,
                "invalid_request_error",
                "'\(name)' is stored as \(fixture.format.rawValue), which is an OpenAI chunk format; "
                    + "a Messages stream replays NAME.sse (Anthropic's `event:` + `data:` events)."
            )
        }
        let delta = Array("event: content_block_delta\n".utf8)
        let events = RecordedReplay.messagesEvents(of: contents)
            .map { PacedEventWriter.Event(bytes: ByteBuffer(bytes: $0), isOutput: $0.starts(with: delta)) }
        let writer = PacedEventWriter(events: events, scenario: scenario, channel: context.channel, metrics: metrics, anthropic: true)
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        return Response(
            status: .ok,
            headers: headers,
            body: ResponseBody { body in
                try await writer.write(to: &body)
            }
        )
    }

    /// Anthropic's error type for a status.
    static func type(for status: Int) -> String {
        switch status {
        case 400: "invalid_request_error"
        case 401: "authentication_error"
        case 402: "billing_error"
        case 403: "permission_error"
        case 404: "not_found_error"
        case 413: "request_too_large"
        case 429: "rate_limit_error"
        case 529: "overloaded_error"
        case 504: "timeout_error"
        default: "api_error"
        }
    }

    /// Anthropic's error body and `request-id`.
    static func error(_ status: Int, _ type: String, _ message: String) -> Response {
        let body = SimulatedJSON.object([("type", .string("error")), ("error", .object([("type", .string(type)), ("message", .string(message))]))])
        var response = json(.init(code: status), body.serialized)
        response.headers[HTTPField.Name("request-id")!] = "req_sim" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        return response
    }

    static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
