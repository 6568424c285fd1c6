import Foundation
import TollgateCore
import TollgateMetering
import TollgateStorage

/// What the endpoints report as requests come and go: open streams, cutoffs and refusals for the
/// dashboard (`activity`), and teams whose spend changed or ran out for budget alerts (`alerts`).
public struct GatewayObservers: Sendable {
    /// Open streams and recent cutoffs and refusals.
    public let activity: GatewayActivity
    /// Teams to check for alert thresholds; drained by `BudgetAlertService`.
    public let alerts: BudgetAlertMonitor

    /// Creates observers (fresh, empty ones by default).
    public init(activity: GatewayActivity = GatewayActivity(), alerts: BudgetAlertMonitor = BudgetAlertMonitor()) {
        self.activity = activity
        self.alerts = alerts
    }

    /// A request was refused; a team budget refusal marks the team exhausted for alerts (a key's own
    /// budget running out is not its team's exhaustion).
    func refused(_ refusal: GatewayRefusal, team: Team?) {
        activity.refused(refusal, team: team?.name)
        if let team, refusal.code == RefusalCode.budgetExceeded.rawValue, refusal.details["scope"] != .text("key") {
            alerts.mark(teamID: team.id, exhausted: true)
        }
    }

    /// A stream was cut off because its budget ran out.
    func cutOff(_ cutoff: BudgetCutoff, team: Team) {
        let refusal = GatewayRefusal.cutOff(cutoff)
        activity.record(.init(kind: .cutoff, at: Date(), team: team.name, code: refusal.code, message: cutoff.message))
        alerts.mark(teamID: team.id, exhausted: true)
    }

    /// A stream of `team` ended (however): its settlement is committed, so its spend may have crossed a threshold.
    func settled(team: Team) {
        alerts.mark(teamID: team.id)
    }

    /// Runs `body` with the stream recorded as open.
    func tracking<T>(
        _ admission: MeteredAdmission,
        team: Team,
        model: String,
        _ streamProtocol: GatewayActivity.StreamProtocol,
        _ body: () async throws -> T
    ) async rethrows -> T {
        let stream = GatewayActivity.OpenStream(
            requestID: admission.requestID,
            team: team.name,
            model: model,
            streamProtocol: streamProtocol,
            openedAt: admission.admittedAt
        )
        defer { settled(team: team) }
        return try await activity.tracking(stream, body)
    }
}
