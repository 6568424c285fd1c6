import Foundation
import TollgateAdmin
import TollgateCore
import TollgateReports
import TollgateStorage

/// Everything the dashboard shows, read at one moment: budgets from `QuotaAdmin` (the admin API's
/// numbers), the month's savings from `SavingsReport` (the finance report's numbers), and the
/// gateway's live activity.
struct DashboardSnapshot: Sendable {
    let now: Date
    let teams: [TeamStatus]
    /// Alert thresholds in force per team id.
    let thresholds: [Int64: TeamAlerts]
    /// Alerts claimed most recently, newest first.
    let alerts: [BudgetAlert]
    /// The current UTC month's savings report.
    let savings: SavingsReport
    /// The current UTC month's usage per team and key (from the raw entries), or the reason it
    /// could not be summed (e.g. a team's ledger overflows: the rest of the page still shows).
    let keyUsage: Result<UsageReport, any Error>
    let openStreams: [GatewayActivity.OpenStream]
    let openCounts: [GatewayActivity.StreamProtocol: Int]
    let events: [GatewayActivity.Event]

    static func read(admin: QuotaAdmin, activity: GatewayActivity, now: Date) async throws -> DashboardSnapshot {
        let teams = try await admin.teamStatuses()
        var thresholds: [Int64: TeamAlerts] = [:]
        for status in teams { thresholds[status.team.id] = try await admin.alerts(status.team.name) }
        let alerts = try await admin.store.budgetAlerts(teamID: nil, limit: 20)
        let period = try ReportPeriod.month(Self.monthText(now), timeZone: .gmt)
        let sums = try await admin.store.usageSums(across: period.boundaries, teamID: nil)
        let names = Dictionary(uniqueKeysWithValues: teams.map { ($0.team.id, $0.team.name) })
        let savings = SavingsReport(period: period, team: nil, grouping: .team, sums: sums, teams: names)
        // One range, not one per day: the table has no daily split, and the read is raw entries.
        let keyUsage: Result<UsageReport, any Error>
        do {
            let keySums = try await admin.store.keySums(across: [period.start, period.end], teamID: nil)
            let prefixes = Dictionary(try await admin.store.keys(teamID: nil).map { ($0.id, $0.prefix) }, uniquingKeysWith: { first, _ in first })
            keyUsage = .success(UsageReport(period: period, team: nil, grouping: .key, sums: keySums, teams: names, keys: prefixes))
        } catch {
            keyUsage = .failure(error)
        }
        return DashboardSnapshot(
            now: now,
            teams: teams,
            thresholds: thresholds,
            alerts: alerts,
            savings: savings,
            keyUsage: keyUsage,
            openStreams: activity.openStreams,
            openCounts: activity.openCounts,
            events: activity.recentEvents
        )
    }

    /// `YYYY-MM` of `instant` in UTC.
    static func monthText(_ instant: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let parts = calendar.dateComponents([.year, .month], from: instant)
        return String(format: "%04d-%02d", parts.year ?? 1970, parts.month ?? 1)
    }
}
