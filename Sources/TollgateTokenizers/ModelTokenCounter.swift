/// Counts tokens for one model: exactly with its published tokenizer, or as a documented estimate
/// when the provider publishes none.
public struct ModelTokenCounter: Sendable {
    /// Whether counts are what the provider bills, or an estimate.
    public enum Source: String, Sendable {
        /// Equal to the provider's tokenizer.
        case exact
        /// Derived from another encoding by ``TokenEstimate``.
        case estimate
    }

    /// The model name as requested.
    public let model: String
    /// The encoding counted with (for estimates, the base encoding).
    public let encoding: TokenEncoding
    /// The ratio applied for estimates; nil for exact counters.
    public let estimate: TokenEstimate?
    /// The loaded vocabulary.
    public let tokenizer: Tokenizer

    /// `.exact` or `.estimate`.
    public var source: Source { estimate == nil ? .exact : .estimate }

    init(model: String, tokenizer: Tokenizer, estimate: TokenEstimate?) {
        self.model = model
        self.encoding = tokenizer.encoding
        self.estimate = estimate
        self.tokenizer = tokenizer
    }

    /// Tokens in `text` for this model.
    public func count(_ text: String) -> Int {
        let exact = tokenizer.count(text)
        return estimate?.apply(to: exact) ?? exact
    }

    /// A streaming counter for this model (applying the estimate ratio to the running count).
    public func makeIncrementalCounter() -> IncrementalTokenCounter {
        IncrementalTokenCounter(tokenizer: tokenizer, scale: estimate)
    }
}
