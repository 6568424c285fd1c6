/// How much of a request's output a team's admission holds up front.
public enum HoldPolicy: String, Sendable, Hashable, CaseIterable, Codable {
    /// Prompt + `max_tokens` (or the model's maximum when none is sent): an admitted stream is never
    /// cut for money; extensions only absorb tokenizer drift.
    case worstCase = "worst-case"
    /// Prompt + the team's recent p95 output for the model (`ExpectedOutput`), extended as the stream
    /// grows: many more streams fit a budget at once, but one that outgrows its hold is cut if the
    /// team can no longer cover the next step.
    case expected

    /// Parses a policy name, with an error listing the valid ones.
    public init(name: String) throws(BudgetError) {
        guard let policy = HoldPolicy(rawValue: name.lowercased()) else {
            throw BudgetError(
                .invalidInput,
                "unknown hold policy '\(name)': use one of \(HoldPolicy.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        self = policy
    }
}
