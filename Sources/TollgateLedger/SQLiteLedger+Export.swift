import Foundation
import GRDB
import TollgateCore
import TollgateStorage

extension SQLiteLedger: LedgerExport {
    /// Entries with an id above `afterID`, by id, at most `limit`: how a copy pages through the ledger.
    public func entryPage(afterID: Int64, limit: Int) async throws -> [LedgerEntry] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM ledger_entries WHERE id > ? ORDER BY id LIMIT ?", arguments: [afterID, limit]).map(Self.entry)
        }
    }

    /// Row counts and per-team sums, to compare with a copy.
    public func ledgerTotals() async throws -> LedgerTotals {
        try await pool.read { db in
            var totals = LedgerTotals()
            totals.teams = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM teams") ?? 0
            totals.keys = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM api_keys") ?? 0
            totals.openReservations = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM reservations") ?? 0
            for row in try Row.fetchAll(db, sql: "SELECT currency, SUM(held_nanos) FROM reservations GROUP BY currency") {
                totals.heldNanos[row[0]] = row[1]
            }
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT team_id, COUNT(*), SUM(input_tokens), SUM(output_tokens), SUM(charge_usd_nanos), SUM(charge_cny_nanos),
                           SUM(official_usd_nanos), SUM(baseline_cny_nanos),
                           SUM(cached_input_tokens), SUM(cache_write_5m_tokens), SUM(cache_write_1h_tokens), SUM(reasoning_tokens)
                    FROM ledger_entries GROUP BY team_id
                    """
            ) {
                totals.byTeam[row[0]] = LedgerTotals.teamSums(
                    row[1],
                    row[2],
                    row[3],
                    row[4],
                    row[5],
                    row[6],
                    row[7],
                    parts: (row[8], row[9], row[10], row[11])
                )
            }
            return totals
        }
    }
}
