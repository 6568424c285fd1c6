import TollgateCore
import TollgateStorage

/// A team and where its budget stands in the current period.
public struct TeamStatus: Hashable, Sendable {
    /// The team.
    public let team: Team
    /// Limit, spent, reserved and the period window.
    public let budget: BudgetStatus

    /// Creates a status.
    public init(team: Team, budget: BudgetStatus) {
        self.team = team
        self.budget = budget
    }
}
