import Foundation
import GRDB
import TollgateCore
import TollgateStorage

/// Running spend per team and window (see `migrations/sqlite/0003_budget_counters.sql`).
///
/// Admission reads a counter instead of summing the period's entries; inserts keep every counter
/// whose window contains the entry up to date, in the inserting transaction.
enum BudgetCounters {
    /// Net spend of `teamID` in `window`, from its counter, creating the counter when `create` is
    /// set (only inside a write transaction); without a counter and `create`, a direct SUM.
    static func spentNanos(_ db: Database, teamID: Int64, currency: Currency, window: PeriodWindow, create: Bool) throws -> Int64 {
        let (start, end) = Timestamp.bounds(window.start, window.end)
        let column = currency == .usd ? "spent_usd_nanos" : "spent_cny_nanos"
        let counter = try db.cachedStatement(sql: "SELECT \(column) FROM budget_counters WHERE team_id = ? AND window_start = ? AND window_end = ?")
        if let counted = try Int64.fetchOne(counter, arguments: [teamID, start, end]) {
            return counted
        }
        let row = try Row.fetchOne(
            db,
            sql: """
                SELECT \(WideSum.sql("charge_usd_nanos")), \(WideSum.sql("charge_cny_nanos"))
                FROM ledger_entries WHERE team_id = ? AND occurred_at >= ? AND occurred_at < ?
                """,
            arguments: [teamID, start, end]
        )
        let wide = (
            usd: WideSum.total(high: row?[0] ?? 0, low: row?[1] ?? 0), cny: WideSum.total(high: row?[2] ?? 0, low: row?[3] ?? 0)
        )
        // A team whose entries overflow gets no counter (it would hold a wrong number): its
        // requests fail with this error until a correcting entry brings the sum back in range.
        let asked = currency == .usd ? wide.usd : wide.cny
        guard let nanos = Int64(exactly: asked) else {
            throw LedgerSumOverflow(teamID: teamID, currency: currency, exactNanos: asked)
        }
        if create, let usd = Int64(exactly: wide.usd), let cny = Int64(exactly: wide.cny) {
            try db.execute(
                sql: "INSERT INTO budget_counters (team_id, window_start, window_end, spent_usd_nanos, spent_cny_nanos) VALUES (?, ?, ?, ?, ?)",
                arguments: [teamID, start, end, usd, cny]
            )
        }
        return nanos
    }

    /// Adds freshly inserted entries to every counter whose window contains them.
    static func add(_ entries: [LedgerEntry], into db: Database) throws {
        let teams = Set(entries.map(\.teamID))
        guard !teams.isEmpty else { return }
        var counters: [Int64: [(start: Int64, end: Int64)]] = [:]
        let placeholders = Array(repeating: "?", count: teams.count).joined(separator: ",")
        for row in try Row.fetchAll(
            db,
            sql: "SELECT team_id, window_start, window_end FROM budget_counters WHERE team_id IN (\(placeholders))",
            arguments: StatementArguments(Array(teams))
        ) {
            counters[row["team_id"], default: []].append((row["window_start"], row["window_end"]))
        }
        guard !counters.isEmpty else { return }
        let update = try db.cachedStatement(
            sql: """
                UPDATE budget_counters SET spent_usd_nanos = spent_usd_nanos + ?, spent_cny_nanos = spent_cny_nanos + ?
                WHERE team_id = ? AND window_start = ? AND window_end = ?
                """
        )
        for increment in CounterIncrement.of(entries, windows: counters) {
            try update.execute(arguments: [increment.usdNanos, increment.cnyNanos, increment.teamID, increment.windowStart, increment.windowEnd])
        }
    }
}
