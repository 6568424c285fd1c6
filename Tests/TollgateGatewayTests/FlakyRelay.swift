import Logging
import TollgateRelaySim
import TollgateStreaming

/// One model's traffic sent to a second, faulty relay simulator, so a test sees real upstream
/// failures for that model while every other model streams normally.
struct FlakyRelay: Sendable {
    var model = "gemini-2.5-flash"
    var configuration = RelaySimulatorConfiguration(outputTokens: 60, faults: .init(dropAfterChunks: 3))
    /// The key the gateway presents to this relay.
    var apiKey = GatewayHarness.upstreamKey
    /// Reach it over SSE (`/v1/chat/completions`) instead of the relay WebSocket.
    var sse = false

    /// Runs `body` with the upstream: `main`, or `main` plus the flaky relay for its model.
    static func around<T: Sendable>(
        _ flaky: FlakyRelay?,
        main: RelayWebSocketClient,
        logger: Logger,
        _ body: @Sendable (any ChatStreamingClient) async throws -> T
    ) async throws -> T {
        guard let flaky else { return try await body(main) }
        return try await withRelaySimulator(configuration: flaky.configuration, tokenCounter: Vocabularies.simulatorCounter, logger: logger) { port in
            let faulty: any ChatStreamingClient =
                flaky.sse
                ? ChatCompletionsClient(url: "http://127.0.0.1:\(port)/v1/chat/completions", apiKey: flaky.apiKey, logger: logger)
                : RelayWebSocketClient(url: "ws://127.0.0.1:\(port)/v1/ws/stream", apiKey: flaky.apiKey, logger: logger)
            return try await body(ModelRoute(model: flaky.model, routed: faulty, otherwise: main))
        }
    }
}

/// Sends one model's requests to `routed`, the rest to `otherwise`.
struct ModelRoute: ChatStreamingClient {
    let model: String
    let routed: any ChatStreamingClient
    let otherwise: any ChatStreamingClient

    func stream(_ request: ChatRequest) -> ChatEventStream {
        request.model == model ? routed.stream(request) : otherwise.stream(request)
    }

    /// Whether the route the request takes can carry it.
    func refusal(for request: ChatRequest) -> StreamingError? {
        request.model == model ? routed.refusal(for: request) : otherwise.refusal(for: request)
    }
}

/// One model's traffic sent to an upstream a test builds itself (exact statuses, headers, faults).
struct UpstreamRoute: Sendable {
    let model: String
    let client: any ChatStreamingClient
}
