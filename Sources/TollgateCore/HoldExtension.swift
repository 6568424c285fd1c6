/// How a stream's hold grows: in steps of `max(25 % of the output tokens first held, 64)` tokens,
/// asked for when the delivered output comes within 20 % of the first output hold of the tokens
/// held (at least one token).
///
/// Why these numbers: a step of a quarter of the first hold keeps a long answer to a handful of
/// extensions (each one admission-transaction), and the 64-token floor keeps a small `max_tokens`
/// (16) from asking once per few tokens when the local count drifts from the upstream's. Asking a
/// fifth of the hold early means a stream normally has its extension before it reaches the hold,
/// so it never waits; the lead is at most the step, so a granted step never asks again at once.
public struct HoldExtension: Hashable, Sendable {
    /// The smallest step, in output tokens.
    public static let minimumStepTokens = 64

    /// Output tokens added per extension.
    public let stepTokens: Int
    /// How many tokens before the held output an extension is asked for.
    public let leadTokens: Int

    /// The steps for a stream whose first hold covered `outputTokens` output tokens.
    public init(firstHeldOutputTokens outputTokens: Int) {
        let first = max(0, outputTokens)
        stepTokens = max(first / 4, Self.minimumStepTokens)
        leadTokens = min(max(first / 5, 1), stepTokens)
    }

    /// The decision for one extension of `amount` (held so far for `outputTokens`, growing to
    /// `targetOutputTokens`) given the team's budget: granted only if the team's available money —
    /// limit minus spend minus every open hold, this stream's included — covers the whole step, so
    /// spend + holds stays within the budget.
    public static func decide(amount: Money, targetOutputTokens: Int, status: BudgetStatus) -> AdmissionDecision {
        amount <= status.available
            ? .admitted(hold: amount, maxOutputTokens: targetOutputTokens)
            : .rejected(available: status.available, needed: amount)
    }
}
