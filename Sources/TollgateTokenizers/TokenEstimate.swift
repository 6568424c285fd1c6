/// A documented ratio that turns an exact count in one encoding into an estimate for a model whose
/// tokenizer is not public. Integer arithmetic, rounded up so budgets err towards over-counting.
public struct TokenEstimate: Sendable, Equatable {
    /// The encoding whose exact count is scaled.
    public let base: TokenEncoding
    /// Multiplier numerator.
    public let numerator: Int
    /// Multiplier denominator (> 0).
    public let denominator: Int

    /// Creates a ratio `numerator / denominator` over `base`.
    public init(base: TokenEncoding, numerator: Int, denominator: Int) {
        precondition(numerator > 0 && denominator > 0, "a token estimate ratio must be positive")
        self.base = base
        self.numerator = numerator
        self.denominator = denominator
    }

    /// `ceil(count × numerator / denominator)`.
    public func apply(to count: Int) -> Int {
        let (quotient, remainder) = (count * numerator).quotientAndRemainder(dividingBy: denominator)
        return remainder == 0 ? quotient : quotient + 1
    }
}
