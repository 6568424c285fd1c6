import TollgateRelaySim
import TollgateStreaming

/// What a stream produced before it ended.
struct CollectedStream {
    var events: [ChatEvent] = []
    var error: (any Error)?

    var text: String {
        events.compactMap { if case .textDelta(let text) = $0 { text } else { nil } }.joined()
    }
    var usage: UpstreamUsage? {
        events.compactMap { if case .usage(let usage) = $0 { usage } else { nil } }.first
    }
    var completion: StreamCompletion? {
        events.compactMap { if case .done(let completion) = $0 { completion } else { nil } }.first
    }
    var streamingError: StreamingError? { error as? StreamingError }
}

func collect(_ stream: ChatEventStream) async -> CollectedStream {
    var collected = CollectedStream()
    do {
        for try await event in stream { collected.events.append(event) }
    } catch {
        collected.error = error
    }
    return collected
}

let testMessages: [ChatMessage] = [.system("You are terse."), .user("Explain WebSocket streaming in two sentences.")]

/// The exact text the simulator streams for `messages` with the default scenario.
func expectedText(model: String = "gpt-4.1", messages: [ChatMessage] = testMessages, seed: Int64 = 0, pieces: Int = 32) -> String {
    SimulatedText.generate(model: model, prompt: SimulatedText.promptText(messages), seed: seed, pieceCount: pieces).joined()
}

func fastRetry(_ attempts: Int = 3) -> RelayWebSocketClient.RetryPolicy {
    .init(maxAttempts: attempts, initialBackoff: .milliseconds(20))
}

func wsClient(
    port: Int,
    shape: RelayWebSocketClient.RequestShape = .chatCompletion,
    key: String = "sk-test",
    headers: [(name: String, value: String)] = [],
    heartbeat: RelayWebSocketClient.Heartbeat? = nil,
    retry: RelayWebSocketClient.RetryPolicy = fastRetry()
) -> RelayWebSocketClient {
    RelayWebSocketClient(
        url: "ws://127.0.0.1:\(port)/v1/ws/stream",
        apiKey: key,
        configuration: .init(
            requestShape: shape,
            handshakeTimeout: .seconds(5),
            heartbeat: heartbeat,
            retry: retry,
            additionalHeaders: headers
        )
    )
}

func sseClient(
    port: Int,
    key: String = "sk-test",
    headers: [(name: String, value: String)] = [],
    configuration: ChatCompletionsClient.Configuration = .init()
) -> ChatCompletionsClient {
    var configuration = configuration
    configuration.additionalHeaders = headers
    return ChatCompletionsClient(url: "http://127.0.0.1:\(port)/v1/chat/completions", apiKey: key, configuration: configuration)
}

/// Polls `condition` until it holds or `timeout` passes; for server-side effects that land asynchronously.
func eventually(timeout: Duration = .seconds(5), _ condition: @Sendable () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return condition()
}
