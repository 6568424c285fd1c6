/// What Tollgate knows about a model apart from its price.
public struct ModelInfo: Hashable, Sendable {
    /// The relay's identifier.
    public let id: ModelID
    /// Who publishes the model (`openai`, `anthropic`, `google`, `deepseek`).
    public let provider: String
    /// The largest output the model can produce: the worst case reserved when a request sets no
    /// `max_tokens`.
    public let maxOutputTokens: Int

    /// Creates a model description.
    public init(id: ModelID, provider: String, maxOutputTokens: Int) {
        self.id = id
        self.provider = provider
        self.maxOutputTokens = maxOutputTokens
    }
}
