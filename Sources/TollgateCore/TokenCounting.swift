/// How a model's tokens are counted, as the catalog (`models.json` `counting`) states it: with a
/// published encoding, or as an estimate scaled from one when the provider publishes none.
///
/// The core names encodings without knowing them; the metering layer maps a name to a loaded
/// vocabulary. ``encodings`` is the list it accepts, so a table is checked when it loads.
public enum TokenCounting: Hashable, Sendable, CustomStringConvertible {
    /// Exactly, with the named encoding (`o200k_base`).
    case exact(encoding: String)
    /// `ceil(count in base × numerator / denominator)`: a documented ratio for a model whose
    /// tokenizer is not public, rounded up so budgets err towards over-counting.
    case estimate(base: String, numerator: Int, denominator: Int)

    /// The encodings Tollgate carries (TollgateTokenizers' `TokenEncoding`; a test keeps the two equal).
    public static let encodings = ["o200k_base", "cl100k_base", "deepseek-v3"]

    /// How a model that is priced but has no catalog entry would be counted (`tollgate tokens count
    /// --model` of an unlisted name): o200k_base × 5/4, the largest ratio of the shipped estimates.
    public static let unlisted = TokenCounting.estimate(base: "o200k_base", numerator: 5, denominator: 4)

    /// `o200k_base`, or `estimate: o200k_base × 5/4`.
    public var description: String {
        switch self {
        case .exact(let encoding): encoding
        case .estimate(let base, let numerator, let denominator): "estimate: \(base) × \(numerator)/\(denominator)"
        }
    }
}
