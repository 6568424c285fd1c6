import Foundation
import TollgateCore

/// Where budget alerts are configured and queued for delivery: each team's thresholds, and an
/// outbox that claims an alert once per (team, budget period, threshold) before it is sent.
///
/// Kept apart from `LedgerStore` so another store (PostgreSQL) adds alerts without touching the
/// ledger protocol. A claim is durable before any webhook is called, so a crash after the claim
/// still delivers after a restart, and the unique key means no restart claims an alert twice.
public protocol AlertOutbox: Sendable {
    /// The team's own thresholds, or `nil` when it uses the defaults.
    func alertThresholds(teamID: Int64) async throws -> [AlertThreshold]?
    /// Sets the team's thresholds (`[]` turns its alerts off); `nil` returns it to the defaults.
    func setAlertThresholds(teamID: Int64, _ thresholds: [AlertThreshold]?, at instant: Date) async throws

    /// Claims each alert whose (team, period start, threshold) was never claimed, with a pending
    /// delivery to every webhook, in one transaction; returns only the newly claimed ones.
    func claimAlerts(_ alerts: [BudgetAlert], webhooks: [String], at instant: Date) async throws -> [BudgetAlert]
    /// Pending deliveries whose next attempt is due at `instant`, oldest first, at most `limit`.
    func dueAlertDeliveries(at instant: Date, limit: Int) async throws -> [AlertDelivery]
    /// Records a successful delivery.
    func recordAlertDelivered(_ deliveryID: Int64, attempts: Int, at instant: Date) async throws
    /// Records a failed attempt: retried at `retryAt`, or given up when it is `nil`.
    func recordAlertAttemptFailed(_ deliveryID: Int64, attempts: Int, error: String, retryAt: Date?, at instant: Date) async throws
    /// Claimed alerts, newest first, of one team or all, at most `limit`.
    func budgetAlerts(teamID: Int64?, limit: Int) async throws -> [BudgetAlert]
    /// Deletes, with their delivery rows, the claimed alerts that occurred before `cutoff`, whose
    /// budget period ended by `now`, and whose every delivery was delivered (or that had no
    /// webhook); returns how many alerts went. An alert with a pending or abandoned delivery stays,
    /// and so does every alert of a period still running or of a budget that never resets: its row
    /// is what keeps that threshold from being claimed twice in the period.
    func pruneDeliveredAlerts(occurredBefore cutoff: Date, periodEndedBy now: Date) async throws -> Int
}
