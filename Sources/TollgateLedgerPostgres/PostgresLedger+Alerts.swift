import Foundation
import PostgresNIO
import TollgateCore
import TollgateStorage

/// Budget alerts on PostgreSQL: the same tables and semantics as `SQLiteLedger+Alerts`
/// (`migrations/postgres/0002_budget_alerts.sql`). The unique (team, period start, threshold) key
/// makes a claim once per period across every replica: two replicas claiming the same alert at once
/// both run `INSERT … ON CONFLICT DO NOTHING`, and only the one whose row went in gets it back.
extension PostgresLedger: AlertOutbox {
    public func alertThresholds(teamID: Int64) async throws -> [AlertThreshold]? {
        let text = try await read("reading alert thresholds") { [logger] connection in
            try await connection.rows(.sql("SELECT thresholds FROM alert_thresholds WHERE team_id = $1") { $0.append(teamID) }, logger: logger)
                .first?.text("thresholds")
        }
        return try text.map { try AlertThreshold.list(parsing: $0) }
    }

    public func setAlertThresholds(teamID: Int64, _ thresholds: [AlertThreshold]?, at instant: Date) async throws {
        let now = Timestamp.millis(instant)
        try await read("setting alert thresholds") { [logger] connection in
            if let thresholds {
                let text = thresholds.map(\.name).joined(separator: ",")
                try await connection.run(
                    .sql(
                        """
                        INSERT INTO alert_thresholds (team_id, thresholds, updated_at) VALUES ($1, $2, $3)
                        ON CONFLICT (team_id) DO UPDATE SET thresholds = excluded.thresholds, updated_at = excluded.updated_at
                        """
                    ) {
                        $0.append(teamID)
                        $0.append(text)
                        $0.append(now)
                    },
                    logger: logger
                )
            } else {
                try await connection.run(.sql("DELETE FROM alert_thresholds WHERE team_id = $1") { $0.append(teamID) }, logger: logger)
            }
        }
    }

    public func claimAlerts(_ alerts: [BudgetAlert], webhooks: [String], at instant: Date) async throws -> [BudgetAlert] {
        guard !alerts.isEmpty else { return [] }
        let now = Timestamp.millis(instant)
        return try await transaction("claiming budget alerts") { [logger] connection in
            var claimed: [BudgetAlert] = []
            for alert in alerts {
                let inserted = try await connection.rows(
                    .sql(
                        """
                        INSERT INTO budget_alerts (team_id, team_name, period_start, period_end, threshold, limit_nanos, spent_nanos,
                                                   currency, occurred_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (team_id, period_start, threshold) DO NOTHING
                        RETURNING id
                        """
                    ) {
                        $0.append(alert.teamID)
                        $0.append(alert.teamName)
                        $0.append(Self.periodStart(alert.window))
                        $0.append(alert.window.end.map(Timestamp.millis))
                        $0.append(alert.threshold.name)
                        $0.append(alert.limit.nanos)
                        $0.append(alert.spent.nanos)
                        $0.append(alert.limit.currency.rawValue)
                        $0.append(Timestamp.millis(alert.occurredAt))
                    },
                    logger: logger
                )
                guard let alertID = try inserted.first?.int64("id") else { continue }
                for webhook in webhooks {
                    try await connection.run(
                        .sql(
                            """
                            INSERT INTO budget_alert_deliveries (alert_id, webhook, next_attempt_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING
                            """
                        ) {
                            $0.append(alertID)
                            $0.append(webhook)
                            $0.append(now)
                        },
                        logger: logger
                    )
                }
                claimed.append(alert)
            }
            return claimed
        }
    }

    public func dueAlertDeliveries(at instant: Date, limit: Int) async throws -> [AlertDelivery] {
        try await read("reading due alert deliveries") { [logger] connection in
            try await connection.rows(
                .sql(
                    """
                    SELECT d.id AS delivery_id, d.webhook, d.attempts, a.* FROM budget_alert_deliveries d
                    JOIN budget_alerts a ON a.id = d.alert_id
                    WHERE d.delivered_at IS NULL AND d.abandoned_at IS NULL AND d.next_attempt_at <= $1
                    ORDER BY d.next_attempt_at, d.id LIMIT $2
                    """
                ) {
                    $0.append(Timestamp.millis(instant))
                    $0.append(Int64(limit))
                },
                logger: logger
            ).map { row in
                AlertDelivery(
                    id: try row.int64("delivery_id"),
                    alert: try Self.alert(row),
                    webhook: try row.text("webhook"),
                    attempts: try row.int("attempts")
                )
            }
        }
    }

    public func pruneDeliveredAlerts(occurredBefore cutoff: Date, periodEndedBy now: Date) async throws -> Int {
        let (before, ended) = (Timestamp.millis(cutoff), Timestamp.millis(now))
        let prunable = """
            a.occurred_at < $1 AND a.period_end IS NOT NULL AND a.period_end <= $2
            AND NOT EXISTS (SELECT 1 FROM budget_alert_deliveries d WHERE d.alert_id = a.id AND d.delivered_at IS NULL)
            """
        var bounds = PostgresBindings(capacity: 2)
        bounds.append(before)
        bounds.append(ended)
        // One transaction: the delivered rows first, which leaves the condition true for their alerts.
        return try await transaction("pruning delivered budget alerts") { [logger, bounds] connection in
            try await connection.run(
                PostgresQuery(
                    unsafeSQL: "DELETE FROM budget_alert_deliveries WHERE alert_id IN (SELECT id FROM budget_alerts a WHERE \(prunable))",
                    binds: bounds
                ),
                logger: logger
            )
            return try await connection.rows(
                PostgresQuery(
                    unsafeSQL: "DELETE FROM budget_alerts WHERE id IN (SELECT id FROM budget_alerts a WHERE \(prunable)) RETURNING id",
                    binds: bounds
                ),
                logger: logger
            ).count
        }
    }

    public func recordAlertDelivered(_ deliveryID: Int64, attempts: Int, at instant: Date) async throws {
        try await read("recording an alert delivery") { [logger] connection in
            try await connection.run(
                .sql("UPDATE budget_alert_deliveries SET delivered_at = $1, attempts = $2, last_error = NULL WHERE id = $3") {
                    $0.append(Timestamp.millis(instant))
                    $0.append(Int64(attempts))
                    $0.append(deliveryID)
                },
                logger: logger
            )
        }
    }

    public func recordAlertAttemptFailed(_ deliveryID: Int64, attempts: Int, error: String, retryAt: Date?, at instant: Date) async throws {
        let retry = retryAt.map(Timestamp.millis)
        try await read("recording a failed alert delivery") { [logger] connection in
            try await connection.run(
                .sql(
                    """
                    UPDATE budget_alert_deliveries SET attempts = $1, last_error = $2, next_attempt_at = COALESCE($3, next_attempt_at),
                                                       abandoned_at = CASE WHEN $3::BIGINT IS NULL THEN $4 ELSE NULL END
                    WHERE id = $5
                    """
                ) {
                    $0.append(Int64(attempts))
                    $0.append(error)
                    $0.append(retry)
                    $0.append(Timestamp.millis(instant))
                    $0.append(deliveryID)
                },
                logger: logger
            )
        }
    }

    public func budgetAlerts(teamID: Int64?, limit: Int) async throws -> [BudgetAlert] {
        try await read("listing budget alerts") { [logger] connection in
            try await connection.rows(
                .sql(
                    """
                    SELECT * FROM budget_alerts WHERE $1::BIGINT IS NULL OR team_id = $1 ORDER BY occurred_at DESC, id DESC LIMIT $2
                    """
                ) {
                    $0.append(teamID)
                    $0.append(Int64(limit))
                },
                logger: logger
            ).map(Self.alert)
        }
    }

    /// The stored period start: the window's first millisecond, or the smallest BIGINT for a budget that never resets.
    static func periodStart(_ window: PeriodWindow) -> Int64 {
        window.start == .distantPast ? Int64.min : Timestamp.millis(window.start)
    }

    static func alert(_ row: PostgresRandomAccessRow) throws -> BudgetAlert {
        let currency = try Currency(code: try row.text("currency"))
        let start = try row.int64("period_start")
        return BudgetAlert(
            teamID: try row.int64("team_id"),
            teamName: try row.text("team_name"),
            window: PeriodWindow(
                start: start == Int64.min ? .distantPast : Timestamp.date(start),
                end: try row.optionalInt64("period_end").map(Timestamp.date)
            ),
            threshold: try AlertThreshold(parsing: try row.text("threshold")),
            limit: Money(nanos: try row.int64("limit_nanos"), currency),
            spent: Money(nanos: try row.int64("spent_nanos"), currency),
            occurredAt: Timestamp.date(try row.int64("occurred_at"))
        )
    }
}
