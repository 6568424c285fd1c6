import Foundation
import TollgateCore
import TollgateStorage

extension QuotaAdmin {
    /// A team's net spend (charges minus credits) in its budget currency over `[from, to)`; without
    /// bounds, over its current budget period.
    public func spend(team name: String, from: Date? = nil, to: Date? = nil) async throws -> (team: Team, window: PeriodWindow, spent: Money) {
        let team = try await store.team(named: name)
        let current = team.budget.window(at: clock())
        let window = PeriodWindow(start: from ?? current.start, end: from == nil && to == nil ? current.end : to)
        if let end = window.end, end <= window.start {
            throw BudgetError(.invalidInput, "the period is empty: 'from' must be before 'to'")
        }
        return (team, window, try await store.spend(teamID: team.id, currency: team.budget.limit.currency, in: window))
    }
}
