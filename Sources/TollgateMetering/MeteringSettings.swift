/// Knobs of the metering layer; every one has a default.
public struct MeteringSettings: Sendable, Hashable {
    /// Policy `clamp` never lowers `max_tokens` below this; below it the request is refused.
    public var minimumClampTokens: Int
    /// Tokens a chat message costs beyond its content (OpenAI's documented chat format overhead).
    public var tokensPerMessage: Int
    /// Tokens that prime the assistant's reply.
    public var replyPrimingTokens: Int
    /// How long an admission waits for in-flight holds to settle when unspent money would cover the
    /// request but holds take it, before refusing with `budget_busy` (zero: refuse at once).
    public var admissionWait: Duration

    /// The default admission wait: long enough for short streams in flight to settle, short enough
    /// that a client's own timeout (the OpenAI SDK's is 600 s; its retry waits ~0.5–8 s) is never near.
    public static let defaultAdmissionWait = Duration.seconds(2)

    /// Creates settings.
    public init(minimumClampTokens: Int = 16, tokensPerMessage: Int = 3, replyPrimingTokens: Int = 3, admissionWait: Duration = defaultAdmissionWait)
    {
        self.minimumClampTokens = minimumClampTokens
        self.admissionWait = admissionWait
        self.tokensPerMessage = tokensPerMessage
        self.replyPrimingTokens = replyPrimingTokens
    }
}
