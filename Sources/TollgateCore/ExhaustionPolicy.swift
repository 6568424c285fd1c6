/// What happens to a request whose worst case doesn't fit the budget left.
public enum ExhaustionPolicy: String, Sendable, Hashable, CaseIterable, Codable {
    /// Refuse it, saying which budget, how much is left and when it resets.
    case reject
    /// Lower `max_tokens` to what the budget affords; refuse if that is below the minimum.
    case clamp
    /// Allow it, record the overrun and raise an alert.
    case soft

    /// Parses a policy name, with an error listing the valid ones.
    public init(name: String) throws(BudgetError) {
        guard let policy = ExhaustionPolicy(rawValue: name.lowercased()) else {
            throw BudgetError(
                .invalidInput,
                "unknown policy '\(name)': use one of \(ExhaustionPolicy.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        self = policy
    }
}
