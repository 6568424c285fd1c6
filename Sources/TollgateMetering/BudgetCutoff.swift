import TollgateCore
import TollgateStorage

/// Why a stream was cut: its output reached what its hold (or a soft budget's remainder) affords.
public struct BudgetCutoff: Sendable, Hashable {
    /// Output tokens delivered before the cut.
    public let deliveredOutputTokens: Int
    /// The most output tokens the budget afforded.
    public let allowedOutputTokens: Int
    /// The amount that was reached (the hold, or what a soft budget had left).
    public let cutoff: Money
    /// Whose budget could not cover the next step: the team's, or the key's own.
    public var scope: BudgetScope = .team

    /// A sentence for the client, naming the key when its own budget ran out.
    public var message: String {
        let whose = scope.key.map { "key '\($0.prefix)' budget exhausted" } ?? "budget exhausted"
        return "\(whose): the stream was stopped after \(deliveredOutputTokens) output tokens, all that \(cutoff) affords"
    }

    /// The ledger entry's `reason` for the cut: which budget stopped it.
    public var reason: String {
        scope.key.map { "cut off by key \($0.prefix)'s budget" } ?? "cut off by the team's budget"
    }
}
