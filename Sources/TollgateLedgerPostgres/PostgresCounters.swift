import Foundation
import PostgresNIO
import TollgateCore
import TollgateStorage

/// Running spend per team and budget window in PostgreSQL (see `BudgetCounters` for SQLite).
enum PostgresCounters {
    /// Net spend (USD nanos, CNY nanos) of a team in `[start, end)`: its counter, or one SUM.
    ///
    /// `SUM(BIGINT)` is an exact NUMERIC; it is read as text and narrowed here, so a team whose
    /// entries overflow `BIGINT` is a `LedgerSumOverflow` for that team, not "bigint out of range".
    static func spent(teamID: Int64, start: Int64, end: Int64, on connection: PostgresConnection, logger: Logger) async throws -> [Int64] {
        let row = try await connection.rows(
            .sql(
                """
                SELECT COALESCE(c.spent_usd_nanos::NUMERIC, s.usd)::TEXT AS usd, COALESCE(c.spent_cny_nanos::NUMERIC, s.cny)::TEXT AS cny
                FROM (SELECT COALESCE(SUM(charge_usd_nanos), 0) AS usd, COALESCE(SUM(charge_cny_nanos), 0) AS cny
                      FROM ledger_entries WHERE team_id = $1 AND occurred_at >= $2 AND occurred_at < $3
                        AND NOT EXISTS (SELECT 1 FROM budget_counters WHERE team_id = $1 AND window_start = $2 AND window_end = $3)) s
                LEFT JOIN budget_counters c ON c.team_id = $1 AND c.window_start = $2 AND c.window_end = $3
                """
            ) {
                $0.append(teamID)
                $0.append(start)
                $0.append(end)
            },
            logger: logger
        )[0]
        return try [(Currency.usd, "usd"), (.cny, "cny")].map { currency, column in
            let text = try row.text(column)
            guard let nanos = Int64(text) else {
                throw LedgerSumOverflow(teamID: teamID, currency: currency, exactNanos: Int128(text))
            }
            return nanos
        }
    }

    /// Creates the counter of a team's window from one SUM if it doesn't exist yet (and the SUM
    /// fits `BIGINT`). The caller holds the team row `FOR NO KEY UPDATE`, so no insert for the team
    /// runs meanwhile.
    static func ensure(teamID: Int64, start: Int64, end: Int64, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.run(
            .sql(
                """
                INSERT INTO budget_counters (team_id, window_start, window_end, spent_usd_nanos, spent_cny_nanos)
                SELECT $1, $2, $3, s.usd::BIGINT, s.cny::BIGINT
                FROM (SELECT COALESCE(SUM(charge_usd_nanos), 0) AS usd, COALESCE(SUM(charge_cny_nanos), 0) AS cny
                      FROM ledger_entries WHERE team_id = $1 AND occurred_at >= $2 AND occurred_at < $3) s
                -- A team whose entries overflow BIGINT gets no counter; its admissions fail alone.
                WHERE s.usd BETWEEN -9223372036854775808 AND 9223372036854775807
                  AND s.cny BETWEEN -9223372036854775808 AND 9223372036854775807
                  AND NOT EXISTS (SELECT 1 FROM budget_counters WHERE team_id = $1 AND window_start = $2 AND window_end = $3)
                ON CONFLICT DO NOTHING
                """
            ) {
                $0.append(teamID)
                $0.append(start)
                $0.append(end)
            },
            logger: logger
        )
    }

    /// Adds freshly inserted entries to every counter whose window contains them, in key order.
    static func add(_ entries: [LedgerEntry], on connection: PostgresConnection, logger: Logger) async throws {
        let teams = Array(Set(entries.map(\.teamID))).sorted()
        var counters: [Int64: [(start: Int64, end: Int64)]] = [:]
        for row in try await connection.rows(
            .sql("SELECT team_id, window_start, window_end FROM budget_counters WHERE team_id = ANY($1)") {
                $0.append(teams)
            },
            logger: logger
        ) {
            counters[try row.int64("team_id"), default: []].append((try row.int64("window_start"), try row.int64("window_end")))
        }
        let increments = CounterIncrement.of(entries, windows: counters)
        guard !increments.isEmpty else { return }
        try await connection.run(
            .sql(
                """
                UPDATE budget_counters c SET spent_usd_nanos = c.spent_usd_nanos + u.usd, spent_cny_nanos = c.spent_cny_nanos + u.cny
                FROM unnest($1::BIGINT[], $2::BIGINT[], $3::BIGINT[], $4::BIGINT[], $5::BIGINT[]) AS u(team, s, e, usd, cny)
                WHERE c.team_id = u.team AND c.window_start = u.s AND c.window_end = u.e
                """
            ) {
                $0.append(increments.map(\.teamID))
                $0.append(increments.map(\.windowStart))
                $0.append(increments.map(\.windowEnd))
                $0.append(increments.map(\.usdNanos))
                $0.append(increments.map(\.cnyNanos))
            },
            logger: logger
        )
    }
}
