/// What Tollgate knows about a model apart from its price: one entry of `models.json`.
public struct ModelInfo: Hashable, Sendable {
    /// The canonical identifier: the one prices name and ledger entries record.
    public let id: ModelID
    /// Who publishes the model (`openai`, `anthropic`, `google`, `deepseek`).
    public let provider: String
    /// The largest output the model can produce: the worst case reserved when a request sets no
    /// `max_tokens`.
    public let maxOutputTokens: Int
    /// The most tokens (prompt and output) one request may hold, when the catalog states it.
    public let contextWindow: Int?
    /// Other names clients send for this model (dated snapshots such as `gpt-4.1-2025-04-14`).
    public let aliases: [ModelID]
    /// How its tokens are counted.
    public let counting: TokenCounting

    /// Creates a model description.
    public init(
        id: ModelID,
        provider: String,
        maxOutputTokens: Int,
        contextWindow: Int? = nil,
        aliases: [ModelID] = [],
        counting: TokenCounting = .unlisted
    ) {
        self.id = id
        self.provider = provider
        self.maxOutputTokens = maxOutputTokens
        self.contextWindow = contextWindow
        self.aliases = aliases
        self.counting = counting
    }
}
