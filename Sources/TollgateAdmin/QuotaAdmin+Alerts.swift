import Foundation
import TollgateCore
import TollgateStorage

extension QuotaAdmin {
    /// A team's alert thresholds in force.
    public func alerts(_ name: String) async throws -> TeamAlerts {
        try await alerts(of: try await store.team(named: name))
    }

    /// Sets a team's alert thresholds (`[]` turns its alerts off); `nil` returns it to the defaults.
    public func setAlerts(_ name: String, thresholds: [AlertThreshold]?) async throws -> TeamAlerts {
        let team = try await store.team(named: name)
        try await store.setAlertThresholds(teamID: team.id, thresholds, at: clock())
        return try await alerts(of: team)
    }

    /// Finds which of the team's thresholds its current period has reached — the percent ones from
    /// committed spend, `exhausted` when the caller saw a budget refusal or cutoff, `overrun` when it
    /// saw a settlement billed past its hold — and claims the
    /// ones never claimed in this period, each with a pending delivery per webhook. Returns the newly claimed.
    public func claimReachedAlerts(teamID: Int64, exhausted: Bool, overrun: Bool = false, webhooks: [String]) async throws -> [BudgetAlert] {
        let team = try await store.team(id: teamID)
        let thresholds = try await alerts(of: team).thresholds
        guard !thresholds.isEmpty else { return [] }
        let now = clock()
        let status = try await status(of: team).budget
        let reached = thresholds.filter { threshold in
            switch threshold {
            case .exhausted: exhausted
            case .overrun: overrun
            case .percent: threshold.isReached(spent: status.spent, limit: status.limit)
            }
        }
        guard !reached.isEmpty else { return [] }
        let alerts = reached.map {
            BudgetAlert(
                teamID: team.id,
                teamName: team.name,
                window: status.window,
                threshold: $0,
                limit: status.limit,
                spent: status.spent,
                occurredAt: now
            )
        }
        return try await store.claimAlerts(alerts, webhooks: webhooks, at: now)
    }

    func alerts(of team: Team) async throws -> TeamAlerts {
        if let own = try await store.alertThresholds(teamID: team.id) {
            return TeamAlerts(team: team, thresholds: own, isDefault: false)
        }
        return TeamAlerts(team: team, thresholds: TeamAlerts.defaults(for: team), isDefault: true)
    }
}
