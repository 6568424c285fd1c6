import Logging
import TollgateRelaySim
import TollgateStreaming

/// One model's traffic sent to a second, faulty relay simulator, so a test sees real upstream
/// failures for that model while every other model streams normally.
struct FlakyRelay: Sendable {
    var model = "gemini-2.5-flash"
    var configuration = RelaySimulatorConfiguration(outputTokens: 60, faults: .init(dropAfterChunks: 3))

    /// Runs `body` with the upstream: `main`, or `main` plus the flaky relay for its model.
    static func around<T: Sendable>(
        _ flaky: FlakyRelay?, main: RelayWebSocketClient, logger: Logger, _ body: @Sendable (any ChatStreamingClient) async throws -> T
    ) async throws -> T {
        guard let flaky else { return try await body(main) }
        return try await withRelaySimulator(configuration: flaky.configuration, tokenCounter: Vocabularies.simulatorCounter, logger: logger) { port in
            let faulty = RelayWebSocketClient(url: "ws://127.0.0.1:\(port)/v1/ws/stream", apiKey: GatewayHarness.upstreamKey)
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
}
