import GRDB
import TollgateStorage

/// Keeps the per-second request and token buckets of per-minute limits (`rate_buckets`, migration
/// 0012) as its triggers did until migration 0014: a hold carrying a token estimate adds a request
/// and the estimate to its second; removing it takes the estimate back; a usage entry adds its real
/// input + output to its second. Only buckets that exist change, so teams and keys without a
/// per-minute limit (which have none) cost one primary-key probe per second touched.
enum RateBuckets {
    /// Counts a hold admitted under a per-minute limit, for its team and key, at once: admissions
    /// later in the same batch read the buckets.
    ///
    /// A slot holding an older second starts over; one holding a newer second (a request dated more
    /// than a minute before the latest) is left alone: that request is outside every window it serves.
    static func admit(_ db: Database, teamID: Int64, keyID: Int64?, occurredAt: Int64, estimatedTokens: Int) throws {
        let upsert = try db.cachedStatement(
            sql: """
                INSERT INTO rate_buckets (scope, owner, slot, epoch_second, requests, tokens) VALUES (?1, ?2, ?3 % 60, ?3, 1, ?4)
                ON CONFLICT (scope, owner, slot) DO UPDATE SET
                    requests = CASE WHEN epoch_second = excluded.epoch_second THEN requests + 1
                                    WHEN epoch_second > excluded.epoch_second THEN requests ELSE 1 END,
                    tokens = CASE WHEN epoch_second = excluded.epoch_second THEN tokens + excluded.tokens
                                  WHEN epoch_second > excluded.epoch_second THEN tokens ELSE excluded.tokens END,
                    epoch_second = MAX(epoch_second, excluded.epoch_second)
                """
        )
        let second = occurredAt / 1000
        try upsert.execute(arguments: ["team", teamID, second, estimatedTokens])
        if let keyID { try upsert.execute(arguments: ["key", keyID, second, estimatedTokens]) }
    }

    /// Token changes to existing buckets, summed per team or key and second, written once each.
    struct Changes {
        private struct Key: Hashable {
            let scope: String
            let owner: Int64
            let second: Int64
        }

        private var tokens: [Key: Int64] = [:]

        /// A removed hold: its estimate leaves its second's buckets (holds without one count nothing).
        mutating func unhold(teamID: Int64, keyID: Int64?, occurredAt: Int64, estimatedTokens: Int64?) {
            guard let estimatedTokens else { return }
            add(-estimatedTokens, teamID: teamID, keyID: keyID, occurredAt: occurredAt)
        }

        /// New entries: each usage entry's input + output joins its second's buckets.
        mutating func settle(_ entries: [LedgerEntry]) {
            for entry in entries where entry.kind == .usage {
                let used = Int64(entry.usage.inputTokens) + Int64(entry.usage.outputTokens)
                add(used, teamID: entry.teamID, keyID: entry.keyID, occurredAt: Timestamp.millis(entry.occurredAt))
            }
        }

        private mutating func add(_ amount: Int64, teamID: Int64, keyID: Int64?, occurredAt: Int64) {
            // Integer division truncates toward zero here as in SQLite, so the seconds match 0012's.
            let second = occurredAt / 1000
            tokens[Key(scope: "team", owner: teamID, second: second), default: 0] += amount
            if let keyID { tokens[Key(scope: "key", owner: keyID, second: second), default: 0] += amount }
        }

        /// Applies the changes to the buckets that exist and starts over.
        mutating func write(into db: Database) throws {
            guard !tokens.isEmpty else { return }
            let update = try db.cachedStatement(
                sql: "UPDATE rate_buckets SET tokens = tokens + ?1 WHERE scope = ?2 AND owner = ?3 AND slot = ?4 % 60 AND epoch_second = ?4"
            )
            for (key, amount) in tokens.sorted(by: { ($0.key.scope, $0.key.owner, $0.key.second) < ($1.key.scope, $1.key.owner, $1.key.second) })
            where amount != 0 {
                try update.execute(arguments: [amount, key.scope, key.owner, key.second])
            }
            tokens.removeAll(keepingCapacity: true)
        }
    }
}
