/// Something that turns a ``ChatRequest`` into a stream of ``ChatEvent``s.
///
/// Both relay transports conform (``RelayWebSocketClient``, ``ChatCompletionsClient``), and the
/// metering layer depends only on this protocol.
public protocol ChatStreamingClient: Sendable {
    /// The response to `request` as events. No I/O happens until the stream is iterated.
    func stream(_ request: ChatRequest) -> ChatEventStream

    /// Why this transport cannot carry `request`; `nil` when it can.
    func refusal(for request: ChatRequest) -> StreamingError?

    /// The upstream's answer to an Anthropic `count_tokens` body, or nil when it has none.
    func countTokens(body: [UInt8], forwarded: [String: String]) async -> UpstreamReply?
}

extension ChatStreamingClient {
    /// Why this transport cannot carry `request`, before anything is reserved or sent; `nil` when
    /// it can. The OpenAI-compatible client carries every body.
    public func refusal(for request: ChatRequest) -> StreamingError? { nil }

    /// No `count_tokens` upstream: the gateway answers with its own estimate.
    public func countTokens(body: [UInt8], forwarded: [String: String]) async -> UpstreamReply? { nil }
}
