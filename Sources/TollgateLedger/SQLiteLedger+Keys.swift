import Foundation
import GRDB
import TollgateCore

extension SQLiteLedger {
    public func addKey(teamID: Int64, prefix: String, hash: Data, label: String?, at instant: Date) async throws -> APIKeyRecord {
        let now = Timestamp.millis(instant)
        let id = try await pool.write { db -> Int64 in
            try db.execute(
                sql: "INSERT INTO api_keys (team_id, prefix, key_hash, label, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [teamID, prefix, hash, label, now]
            )
            return db.lastInsertedRowID
        }
        return APIKeyRecord(id: id, teamID: teamID, prefix: prefix, hash: hash, label: label, createdAt: Timestamp.date(now), revokedAt: nil)
    }

    public func keys(teamID: Int64?) async throws -> [APIKeyRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM api_keys WHERE ?1 IS NULL OR team_id = ?1 ORDER BY created_at DESC, id DESC",
                arguments: [teamID]
            ).map(Self.key)
        }
    }

    public func key(prefix: String) async throws -> APIKeyRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM api_keys WHERE prefix = ?", arguments: [prefix]).map(Self.key)
        }
    }

    public func revokeKey(prefix: String, at instant: Date) async throws -> APIKeyRecord {
        let changed = try await pool.write { db -> Int in
            try db.execute(
                sql: "UPDATE api_keys SET revoked_at = ? WHERE prefix = ? AND revoked_at IS NULL",
                arguments: [Timestamp.millis(instant), prefix]
            )
            return db.changesCount
        }
        guard let record = try await key(prefix: prefix) else {
            throw BudgetError(.invalidKey, "no key with prefix '\(prefix)': 'tollgate key list' shows the prefixes")
        }
        guard changed == 1 else {
            throw BudgetError(.invalidKey, "key '\(prefix)' was already revoked: nothing changed")
        }
        return record
    }

    static func key(_ row: Row) -> APIKeyRecord {
        APIKeyRecord(
            id: row["id"], teamID: row["team_id"], prefix: row["prefix"], hash: row["key_hash"], label: row["label"],
            createdAt: Timestamp.date(row["created_at"]), revokedAt: (row["revoked_at"] as Int64?).map(Timestamp.date)
        )
    }
}
