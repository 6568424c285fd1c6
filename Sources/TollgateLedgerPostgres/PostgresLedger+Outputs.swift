import Foundation
import PostgresNIO
import TollgateCore
import TollgateStorage

extension PostgresLedger {
    /// The team's entries newest first on `ledger_entries_team_time`, filtered by model and outcome,
    /// as on SQLite (no index of its own: `OutputHistory` runs it once per team and model every few
    /// minutes, while an index would cost every settlement).
    public func recentOutputTokens(teamID: Int64, model: ModelID, since: Date, limit: Int) async throws -> [Int] {
        try await read("reading recent outputs") { [logger] connection in
            try await connection.rows(
                .sql(
                    """
                    SELECT output_tokens FROM ledger_entries
                    WHERE team_id = $1 AND occurred_at >= $2 AND kind = 'usage' AND model = $3 AND outcome = 'completed'
                    ORDER BY occurred_at DESC, id DESC LIMIT $4
                    """
                ) {
                    $0.append(teamID)
                    $0.append(Timestamp.millis(since))
                    $0.append(model.rawValue)
                    $0.append(Int64(limit))
                },
                logger: logger
            )
            .map { try $0.int("output_tokens") }
        }
    }
}
