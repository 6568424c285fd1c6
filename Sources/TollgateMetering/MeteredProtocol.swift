import TollgateStreaming

/// The API a metered request came through: the `protocol` label of the admission, open-stream and
/// gateway-error metrics. Three values, whatever the traffic, so the label never grows.
public enum MeteredProtocol: String, Sendable, CaseIterable {
    /// OpenAI's `POST /v1/chat/completions`.
    case chatCompletions = "chat_completions"
    /// Anthropic's `POST /v1/messages`.
    case messages
    /// The relay WebSocket protocol (`/v1/ws/stream`).
    case relayWebSocket = "relay_ws"

    /// The API of `request`: its client body's, or the relay WebSocket protocol's for a request
    /// without one (only its text messages, which is what that protocol sends).
    public init(_ request: ChatRequest) {
        switch request.body?.api {
        case .chatCompletions?: self = .chatCompletions
        case .anthropicMessages?: self = .messages
        case nil: self = .relayWebSocket
        }
    }
}
