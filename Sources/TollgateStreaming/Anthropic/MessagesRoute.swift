/// Sends Anthropic Messages bodies to their own upstream and everything else to the main one:
/// `--anthropic-upstream` beside a relay WebSocket (or another OpenAI-compatible) upstream.
public struct MessagesRoute: ChatStreamingClient {
    /// The upstream of every request that is not an Anthropic Messages body.
    public let main: any ChatStreamingClient
    /// The Messages upstream.
    public let messages: ChatCompletionsClient

    /// Creates a route.
    public init(main: any ChatStreamingClient, messages: ChatCompletionsClient) {
        self.main = main
        self.messages = messages
    }

    /// The request's stream from the upstream for its API.
    public func stream(_ request: ChatRequest) -> ChatEventStream {
        request.body?.api == .anthropicMessages ? messages.stream(request) : main.stream(request)
    }

    /// Whether the upstream for the request's API can carry it.
    public func refusal(for request: ChatRequest) -> StreamingError? {
        request.body?.api == .anthropicMessages ? messages.refusal(for: request) : main.refusal(for: request)
    }

    /// The Messages upstream's `count_tokens`.
    public func countTokens(body: [UInt8], forwarded: [String: String]) async -> UpstreamReply? {
        await messages.countTokens(body: body, forwarded: forwarded)
    }
}
