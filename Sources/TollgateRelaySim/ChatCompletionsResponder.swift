#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HTTPTypes
import Hummingbird
import NIOCore
import TollgateStreaming

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
        let scenario = SimulatedScenario(configuration: configuration, headers: request.headers)
        let bytes = try await request.body.collect(upTo: 4 << 20)
        let body: ChatCompletionsRequestBody
        do {
            body = try JSONDecoder().decode(ChatCompletionsRequestBody.self, from: Data(buffer: bytes))
        } catch {
            return Self.error(SimulatedRejection(status: 400, code: "invalid_request", type: "invalid_request_error",
                                                 message: "The body is not a valid chat completion request: \(error)"))
        }
        let key = request.headers[.authorization].flatMap(WebSocketRelaySession.bearerToken)
        if let rejection = SimulatedRejection.check(apiKey: key, model: body.model, scenario: scenario, configuration: configuration) {
            return Self.error(rejection)
        }
        let response = SimulatedResponse(
            model: body.model, messages: body.messages, maxTokens: body.maxTokens,
            seed: SimulatedResponse.seed(extras: body.extras, scenario: scenario), scenario: scenario, tokenCounter: tokenCounter
        )
        let reported = scenario.reportedUsage(input: response.inputTokens, output: response.outputTokens)
        let usage = ChatCompletionsUsage(promptTokens: reported.input, completionTokens: reported.output, cachedTokens: scenario.cachedTokens)
        let id = "chatcmpl-sim-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let created = Int(Date().timeIntervalSince1970)
        guard body.stream == true else {
            let pacing = SimulatedPacing(scenario: scenario)
            try await pacing.waitForFirstToken()
            let json = ChatCompletionsResponseBody(
                id: id, created: created, model: body.model,
                choices: [.init(message: .assistant(response.text), finishReason: response.finishReason)],
                usage: scenario.reportUsage ? usage : nil
            )
            metrics.update { $0.completedResponses += 1 }
            return Self.json(status: .ok, try JSONEncoder().encode(json))
        }
        let stream = SimulatedEventStream(
            id: id, created: created, model: body.model, response: response,
            usage: scenario.reportUsage && body.streamOptions?.includeUsage == true ? usage : nil,
            scenario: scenario, channel: context.channel, metrics: metrics
        )
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            try await stream.write(to: &writer)
        })
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
