import TollgateCore

/// Where a key's own budget stands in its period, read inside an admission's transaction.
public struct KeyBudgetStatus: Hashable, Sendable {
    /// The key's prefix, to name it in a refusal.
    public let prefix: String
    /// The key's budget.
    public let budget: KeyBudget
    /// The key's settled spend and open holds against its limit.
    public let status: BudgetStatus

    /// Creates a key status.
    public init(prefix: String, budget: KeyBudget, status: BudgetStatus) {
        self.prefix = prefix
        self.budget = budget
        self.status = status
    }

    /// The status admission judges by: the key's when it has less room than the team's `status`
    /// (it then names the key as the scope), else the team's.
    public func binding(team status: BudgetStatus) -> (BudgetStatus, BudgetScope) {
        self.status.available < status.available ? (self.status, .key(prefix: prefix, budget: budget)) : (status, .team)
    }

    /// A key budget stored in another currency than its team's now has (the team's budget changed
    /// currency after the key's was set) can't be compared: the request is refused until it is set again.
    public static func currencyMismatch(prefix: String, key: Currency, team: Currency) -> BudgetError {
        BudgetError(
            .invalidInput,
            "key '\(prefix)' has a budget in \(key.rawValue) but its team now budgets in \(team.rawValue): an admin must set the key's budget again",
            problem: .keyBudgetCurrencyMismatch(prefix: prefix, key: key, team: team)
        )
    }
}
