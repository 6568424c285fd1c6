import TollgateCore

/// Why a stream was cut: its output reached what its hold (or a soft budget's remainder) affords.
public struct BudgetCutoff: Sendable, Hashable {
    /// Output tokens delivered before the cut.
    public let deliveredOutputTokens: Int
    /// The most output tokens the budget afforded.
    public let allowedOutputTokens: Int
    /// The amount that was reached (the hold, or what a soft budget had left).
    public let cutoff: Money

    /// A sentence for the client.
    public var message: String {
        "budget exhausted: the stream was stopped after \(deliveredOutputTokens) output tokens, all that \(cutoff) affords"
    }
}
