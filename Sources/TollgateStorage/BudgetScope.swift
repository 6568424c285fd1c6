import TollgateCore

/// Which budget an admission was judged against: the team's, or the key's own when the key has a
/// budget with less room left than its team's (a request needs room in both, so the tighter one
/// decides, and a refusal names it).
public enum BudgetScope: Hashable, Sendable {
    /// The team's budget.
    case team
    /// The key's own budget; `prefix` names the key.
    case key(prefix: String, budget: KeyBudget)

    /// The key and its budget when the key's budget decided, else `nil`.
    public var key: (prefix: String, budget: KeyBudget)? {
        guard case .key(let prefix, let budget) = self else { return nil }
        return (prefix, budget)
    }

    /// `team` or `key`: the `scope` field of a refusal and a metric label.
    public var name: String {
        switch self {
        case .team: "team"
        case .key: "key"
        }
    }
}
