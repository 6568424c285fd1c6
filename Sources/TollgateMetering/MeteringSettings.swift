/// Knobs of the metering layer; every one has a default.
public struct MeteringSettings: Sendable, Hashable {
    /// Policy `clamp` never lowers `max_tokens` below this; below it the request is refused.
    public var minimumClampTokens: Int
    /// Tokens a chat message costs beyond its content (OpenAI's documented chat format overhead).
    public var tokensPerMessage: Int
    /// Tokens that prime the assistant's reply.
    public var replyPrimingTokens: Int

    /// Creates settings.
    public init(minimumClampTokens: Int = 16, tokensPerMessage: Int = 3, replyPrimingTokens: Int = 3) {
        self.minimumClampTokens = minimumClampTokens
        self.tokensPerMessage = tokensPerMessage
        self.replyPrimingTokens = replyPrimingTokens
    }
}
