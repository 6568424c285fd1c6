import HTTPTypes
import Hummingbird
import NIOCore
import TollgateStreaming

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The OpenAI-compatible endpoints: `/v1/chat/completions` (SSE and JSON) and `/v1/models`.
struct ChatCompletionsResponder: Sendable {
    let configuration: RelaySimulatorConfiguration
    let tokenCounter: SimulatorTokenCounter
    let metrics: RelaySimulatorMetrics

    func register(on router: Router<SimulatorRequestContext>) {
        router.post("/v1/chat/completions") { request, context in
            try await complete(request, context: context)
        }
        router.get("/v1/models") { _, _ in
            let body = ModelList(data: configuration.models.map { .init(id: $0) })
            return Self.json(status: .ok, try JSONEncoder().encode(body))
        }
    }

    private func complete(_ request: Request, context: SimulatorRequestContext) async throws -> Response {
        metrics.update { $0.httpRequests += 1 }
        var scenario = SimulatedScenario(configuration: configuration, headers: request.headers)
        let bytes = try await request.body.collect(upTo: 4 << 20)
        let body: SimulatorRequest
        do {
            body = try SimulatorRequest(body: Data(buffer: bytes))
        } catch {
            return Self.error(
                SimulatedRejection(
                    status: 400,
                    code: "invalid_request",
                    type: "invalid_request_error",
                    message: "The body is not a valid chat completion request: \(error)"
                )
            )
        }
        let key = request.headers[.authorization].flatMap(WebSocketRelaySession.bearerToken)
        if let rejection = SimulatedRejection.check(apiKey: key, model: body.model, scenario: scenario, configuration: configuration) {
            return Self.error(rejection)
        }
        let surface: SimulatedSurface
        do {
            surface = try SimulatedSurface(request: body, headers: request.headers)
        } catch {
            return Self.error(SimulatedRejection(status: 400, code: "invalid_request", type: "invalid_request_error", message: "\(error)"))
        }
        if surface.usage == false { scenario.reportUsage = false }
        if let status = surface.errorStatus {
            return SimulatedUpstreamError(
                status: status,
                retryAfterSeconds: surface.retryAfterSeconds,
                model: body.model,
                keyEcho: scenario.keyEcho(key)
            ).response
        }
        if surface.garbageAfter != nil, !body.stream {
            try await SimulatedPacing(scenario: scenario).waitForFirstToken()
            var headers = HTTPFields()
            headers[.contentType] = "text/html"
            return Response(
                status: .ok,
                headers: headers,
                body: .init(
                    byteBuffer: ByteBuffer(
                        string: "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>\n"
                    )
                )
            )
        }
        if let name = surface.replay {
            return try await replay(name, request: body, garbageAfter: surface.garbageAfter, scenario: scenario, context: context)
        }
        let id = "chatcmpl-sim-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let created = Int(Date().timeIntervalSince1970)
        guard surface.isPlain else {
            return try await answer(body, surface: surface, id: id, created: created, scenario: scenario, context: context)
        }
        let response = SimulatedResponse(
            model: body.model,
            prompt: body.promptText,
            maxTokens: body.maxTokens,
            seed: body.seed ?? scenario.seed ?? 0,
            scenario: scenario,
            tokenCounter: tokenCounter
        )
        let reported = scenario.reportedUsage(input: response.inputTokens + body.definitionTokens(tokenCounter), output: response.outputTokens)
        let usage = ChatCompletionsUsage(promptTokens: reported.input, completionTokens: reported.output, cachedTokens: scenario.cachedTokens)
        guard body.stream else {
            let pacing = SimulatedPacing(scenario: scenario)
            try await pacing.waitForFirstToken()
            let json = ChatCompletionsResponseBody(
                id: id,
                created: created,
                model: body.model,
                choices: [.init(message: .assistant(response.text), finishReason: response.finishReason)],
                usage: scenario.reportUsage ? usage : nil
            )
            metrics.update { $0.completedResponses += 1 }
            return Self.json(status: .ok, try JSONEncoder().encode(json))
        }
        let stream = SimulatedEventStream(
            id: id,
            created: created,
            model: body.model,
            response: response,
            usage: scenario.reportUsage && body.includeUsage ? usage : nil,
            scenario: scenario,
            channel: context.channel,
            metrics: metrics
        )
        return Response(
            status: .ok,
            headers: Self.eventStreamHeaders,
            body: ResponseBody { writer in
                try await stream.write(to: &writer)
            }
        )
    }

    /// Answers a request that asks for the OpenAI surface from the generator (``SurfaceResponse``).
    private func answer(
        _ body: SimulatorRequest,
        surface: SimulatedSurface,
        id: String,
        created: Int,
        scenario: SimulatedScenario,
        context: SimulatorRequestContext
    ) async throws -> Response {
        let response = SurfaceResponse(request: body, surface: surface, scenario: scenario, tokenCounter: tokenCounter)
        let envelope = SurfaceResponse.Envelope(id: id, created: created, model: body.model)
        let logprobs = surface.logprobs ? SimulatedLogprobs(top: surface.topLogprobs) : nil
        let usage = response.usage(
            reported: scenario.reportedUsage(input: response.inputTokens, output: response.outputTokens),
            cachedTokens: scenario.cachedTokens
        )
        guard body.stream else {
            try await SimulatedPacing(scenario: scenario).waitForFirstToken()
            metrics.update { $0.completedResponses += 1 }
            let json = response.body(envelope, logprobs: logprobs, usage: scenario.reportUsage ? usage : nil)
            return Self.json(status: .ok, Data(json.serialized.utf8))
        }
        var events = response.events(envelope, logprobs: logprobs, usage: scenario.reportUsage && body.includeUsage ? usage : nil)
            .map { PacedEventWriter.Event(bytes: ByteBuffer(string: "data: \($0.json.serialized)\n\n"), isOutput: $0.isOutput) }
        events.append(.init(bytes: ByteBuffer(string: "data: [DONE]\n\n"), isOutput: false))
        let writer = PacedEventWriter(
            events: events,
            scenario: scenario,
            channel: context.channel,
            metrics: metrics,
            garbageAfter: surface.garbageAfter
        )
        return Response(
            status: .ok,
            headers: Self.eventStreamHeaders,
            body: ResponseBody { body in
                try await writer.write(to: &body)
            }
        )
    }

    /// Answers with a recorded fixture, byte for byte (see ``RecordedReplay``).
    private func replay(
        _ name: String,
        request body: SimulatorRequest,
        garbageAfter: Int?,
        scenario: SimulatedScenario,
        context: SimulatorRequestContext
    ) async throws -> Response {
        let fixture: (url: URL, format: RecordedReplay.Format)
        let contents: [UInt8]
        do {
            fixture = try RecordedReplay.locate(name: name, directory: configuration.replayDirectory, streaming: body.stream)
            contents = Array(try Data(contentsOf: fixture.url))
        } catch let failure as RecordedReplay.Failure {
            return Self.error(SimulatedRejection(status: 400, code: failure.code, type: "invalid_request_error", message: failure.description))
        }
        guard body.stream else {
            try await SimulatedPacing(scenario: scenario).waitForFirstToken()
            metrics.update { $0.completedResponses += 1 }
            return Self.json(status: .ok, Data(RecordedReplay.body(of: contents, usage: scenario.reportUsage)))
        }
        let done = Array("data: [DONE]\n\n".utf8)
        let events = RecordedReplay.events(of: contents, format: fixture.format, usage: scenario.reportUsage && body.includeUsage)
            .map { PacedEventWriter.Event(bytes: ByteBuffer(bytes: $0), isOutput: $0 != done) }
        let writer = PacedEventWriter(
            events: events,
            scenario: scenario,
            channel: context.channel,
            metrics: metrics,
            garbageAfter: garbageAfter
        )
        return Response(
            status: .ok,
            headers: Self.eventStreamHeaders,
            body: ResponseBody { body in
                try await writer.write(to: &body)
            }
        )
    }

    private static var eventStreamHeaders: HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        return headers
    }

    static func error(_ rejection: SimulatedRejection) -> Response {
        let body = ChatCompletionsErrorBody(error: .init(message: rejection.message, type: rejection.type, code: rejection.code))
        let data = (try? JSONEncoder().encode(body)) ?? Data()
        return json(status: .init(code: rejection.status), data)
    }

    static func json(status: HTTPResponse.Status, _ data: Data) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// `GET /v1/models` body.
private struct ModelList: Encodable {
    struct Model: Encodable {
        let id: String
        var object = "model"
        var ownedBy = "tollgate-relay-sim"
        enum CodingKeys: String, CodingKey {
            case id, object
            case ownedBy = "owned_by"
        }
    }
    var object = "list"
    let data: [Model]
}
