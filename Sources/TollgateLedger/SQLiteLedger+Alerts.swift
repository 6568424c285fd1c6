import Foundation
import GRDB
import TollgateCore
import TollgateStorage

extension SQLiteLedger: AlertOutbox {
    public func alertThresholds(teamID: Int64) async throws -> [AlertThreshold]? {
        let text = try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT thresholds FROM alert_thresholds WHERE team_id = ?", arguments: [teamID])
        }
        return try text.map { try AlertThreshold.list(parsing: $0) }
    }

    public func setAlertThresholds(teamID: Int64, _ thresholds: [AlertThreshold]?, at instant: Date) async throws {
        try await pool.write { db in
            if let thresholds {
                try db.execute(
                    sql: """
                        INSERT INTO alert_thresholds (team_id, thresholds, updated_at) VALUES (?, ?, ?)
                        ON CONFLICT (team_id) DO UPDATE SET thresholds = excluded.thresholds, updated_at = excluded.updated_at
                        """,
                    arguments: [teamID, thresholds.map(\.name).joined(separator: ","), Timestamp.millis(instant)]
                )
            } else {
                try db.execute(sql: "DELETE FROM alert_thresholds WHERE team_id = ?", arguments: [teamID])
            }
        }
    }

    public func claimAlerts(_ alerts: [BudgetAlert], webhooks: [String], at instant: Date) async throws -> [BudgetAlert] {
        guard !alerts.isEmpty else { return [] }
        let now = Timestamp.millis(instant)
        return try await pool.write { db in
            var claimed: [BudgetAlert] = []
            for alert in alerts {
                try db.execute(
                    sql: """
                        INSERT INTO budget_alerts (team_id, team_name, period_start, period_end, threshold, limit_nanos, spent_nanos,
                                                   currency, occurred_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (team_id, period_start, threshold) DO NOTHING
                        """,
                    arguments: [
                        alert.teamID, alert.teamName, Self.periodStart(alert.window), alert.window.end.map(Timestamp.millis),
                        alert.threshold.name, alert.limit.nanos, alert.spent.nanos, alert.limit.currency.rawValue,
                        Timestamp.millis(alert.occurredAt),
                    ]
                )
                guard db.changesCount == 1 else { continue }
                let alertID = db.lastInsertedRowID
                for webhook in webhooks {
                    try db.execute(
                        sql: "INSERT INTO budget_alert_deliveries (alert_id, webhook, next_attempt_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                        arguments: [alertID, webhook, now]
                    )
                }
                claimed.append(alert)
            }
            return claimed
        }
    }

    public func dueAlertDeliveries(at instant: Date, limit: Int) async throws -> [AlertDelivery] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT d.id AS delivery_id, d.webhook, d.attempts, a.* FROM budget_alert_deliveries d
                    JOIN budget_alerts a ON a.id = d.alert_id
                    WHERE d.delivered_at IS NULL AND d.abandoned_at IS NULL AND d.next_attempt_at <= ?
                    ORDER BY d.next_attempt_at, d.id LIMIT ?
                    """,
                arguments: [Timestamp.millis(instant), limit]
            ).map { row in
                AlertDelivery(id: row["delivery_id"], alert: try Self.alert(row), webhook: row["webhook"], attempts: row["attempts"])
            }
        }
    }

    public func recordAlertDelivered(_ deliveryID: Int64, attempts: Int, at instant: Date) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE budget_alert_deliveries SET delivered_at = ?, attempts = ?, last_error = NULL WHERE id = ?",
                arguments: [Timestamp.millis(instant), attempts, deliveryID]
            )
        }
    }

    public func recordAlertAttemptFailed(_ deliveryID: Int64, attempts: Int, error: String, retryAt: Date?, at instant: Date) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE budget_alert_deliveries SET attempts = ?, last_error = ?, next_attempt_at = COALESCE(?, next_attempt_at),
                                                       abandoned_at = CASE WHEN ? IS NULL THEN ? ELSE NULL END
                    WHERE id = ?
                    """,
                arguments: [attempts, error, retryAt.map(Timestamp.millis), retryAt.map(Timestamp.millis), Timestamp.millis(instant), deliveryID]
            )
        }
    }

    public func budgetAlerts(teamID: Int64?, limit: Int) async throws -> [BudgetAlert] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM budget_alerts WHERE ?1 IS NULL OR team_id = ?1 ORDER BY occurred_at DESC, id DESC LIMIT ?2",
                arguments: [teamID, limit]
            ).map(Self.alert)
        }
    }

    public func pruneDeliveredAlerts(occurredBefore cutoff: Date, periodEndedBy now: Date) async throws -> Int {
        try await pool.write { db in
            // Deleting the delivered rows first leaves the condition true for the alerts themselves.
            try db.execute(
                sql: "DELETE FROM budget_alert_deliveries WHERE alert_id IN (SELECT id FROM budget_alerts a WHERE \(Self.prunable))",
                arguments: [Timestamp.millis(cutoff), Timestamp.millis(now)]
            )
            try db.execute(
                sql: "DELETE FROM budget_alerts WHERE id IN (SELECT id FROM budget_alerts a WHERE \(Self.prunable))",
                arguments: [Timestamp.millis(cutoff), Timestamp.millis(now)]
            )
            return db.changesCount
        }
    }

    /// Alert `a` occurred before ?1, its period ended by ?2, and none of its deliveries is undelivered.
    static let prunable = """
        a.occurred_at < ?1 AND a.period_end IS NOT NULL AND a.period_end <= ?2
        AND NOT EXISTS (SELECT 1 FROM budget_alert_deliveries d WHERE d.alert_id = a.id AND d.delivered_at IS NULL)
        """

    static func periodStart(_ window: PeriodWindow) -> Int64 {
        window.start == .distantPast ? Int64.min : Timestamp.millis(window.start)
    }

    static func alert(_ row: Row) throws -> BudgetAlert {
        let currency = try Currency(code: row["currency"])
        let start: Int64 = row["period_start"]
        return BudgetAlert(
            teamID: row["team_id"],
            teamName: row["team_name"],
            window: PeriodWindow(
                start: start == Int64.min ? .distantPast : Timestamp.date(start),
                end: (row["period_end"] as Int64?).map(Timestamp.date)
            ),
            threshold: try AlertThreshold(parsing: row["threshold"]),
            limit: Money(nanos: row["limit_nanos"], currency),
            spent: Money(nanos: row["spent_nanos"], currency),
            occurredAt: Timestamp.date(row["occurred_at"])
        )
    }
}
