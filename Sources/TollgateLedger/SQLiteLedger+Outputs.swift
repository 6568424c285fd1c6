import Foundation
import GRDB
import TollgateCore
import TollgateStorage

extension SQLiteLedger {
    /// Walks the team's entries newest first on `ledger_entries_team_time` and filters the model and
    /// outcome: no index of its own, because every settlement would pay for it while this runs once
    /// per team and model every few minutes (`OutputHistory` caches it).
    public func recentOutputTokens(teamID: Int64, model: ModelID, since: Date, limit: Int) async throws -> [Int] {
        try await pool.read { db in
            try Int.fetchAll(
                db,
                sql: """
                    SELECT output_tokens FROM ledger_entries
                    WHERE team_id = ? AND occurred_at >= ? AND kind = 'usage' AND model = ? AND outcome = 'completed'
                    ORDER BY occurred_at DESC, id DESC LIMIT ?
                    """,
                arguments: [teamID, Timestamp.millis(since), model.rawValue, limit]
            )
        }
    }
}
