import Foundation
import GRDB
import TollgateCore
import TollgateStorage

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
                db,
                sql: "SELECT * FROM api_keys WHERE ?1 IS NULL OR team_id = ?1 ORDER BY created_at DESC, id DESC",
                arguments: [teamID]
            ).map { try Self.key($0) }
        }
    }

    public func key(prefix: String) async throws -> APIKeyRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM api_keys WHERE prefix = ?", arguments: [prefix]).map { try Self.key($0) }
        }
    }

    public func keyWithTeam(prefix: String) async throws -> (key: APIKeyRecord, team: Team)? {
        try keyWithTeamOnThisThread(prefix: prefix)
    }

    /// Every authenticated request runs this: a cached statement skips compiling the SQL (and
    /// GRDB's authorizer) each time, and one SELECT is already atomic, so the read needs no
    /// BEGIN/COMMIT of its own. It runs on the caller's thread: a WAL reader never waits for the
    /// writer, and on its own read-only connection (`LazyConnection`) it never waits for the pool's
    /// readers either, while the async read's two hops (to a reader's queue and back) cost more than
    /// the ~20 µs SELECT. The row is decoded where the cursor stands (`firstRow`), not from
    /// `fetchOne`'s copy, which found each of ~25 columns by lowercasing every column name.
    private func keyWithTeamOnThisThread(prefix: String) throws -> (key: APIKeyRecord, team: Team)? {
        try keyLookup.database().inDatabase { db in
            let query = try db.cachedStatement(sql: Self.keyWithTeamQuery)
            return try Self.firstRow(query, arguments: [prefix]) { row in (try Self.joinedKey(row), try Self.team(row)) }
        }
    }

    public func setKeyBudget(prefix: String, budget: KeyBudget?, at instant: Date) async throws -> APIKeyRecord {
        try await pool.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM api_keys WHERE prefix = ?", arguments: [prefix]) else {
                throw BudgetError.unknownKey(prefix: prefix)
            }
            let key = try Self.key(row)
            if let budget {
                // Read in the same transaction as the write, so a team budget changed meanwhile can't slip past.
                guard let teamRow = try Row.fetchOne(db, sql: "SELECT * FROM teams WHERE id = ?", arguments: [key.teamID]) else {
                    throw BudgetError(.unknownTeam, "no team with id \(key.teamID)")
                }
                try budget.validate(under: try Self.team(teamRow).budget)
            }
            try db.execute(
                sql: "UPDATE api_keys SET budget_nanos = ?, budget_currency = ?, budget_period = ? WHERE id = ?",
                arguments: [budget?.limit.nanos, budget?.limit.currency.rawValue, budget?.period.rawValue, key.id]
            )
            return APIKeyRecord(
                id: key.id,
                teamID: key.teamID,
                prefix: key.prefix,
                hash: key.hash,
                label: key.label,
                createdAt: key.createdAt,
                revokedAt: key.revokedAt,
                budget: budget,
                limits: key.limits
            )
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
            throw BudgetError.unknownKey(prefix: prefix)
        }
        guard changed == 1 else {
            throw BudgetError(.invalidKey, "key '\(prefix)' was already revoked: nothing changed")
        }
        return record
    }

    /// The team's columns under their own names, the key's under `key_*` (both tables have `id` and
    /// `created_at`), so `team(_:)` reads the row as is.
    static let keyWithTeamQuery = """
        SELECT t.*, k.id AS key_id, k.team_id AS key_team_id, k.prefix AS key_prefix, k.key_hash AS key_hash,
               k.label AS key_label, k.created_at AS key_created_at, k.revoked_at AS key_revoked_at,
               k.budget_nanos AS key_budget_nanos, k.budget_currency AS key_budget_currency, k.budget_period AS key_budget_period,
               k.rpm_limit AS key_rpm_limit, k.tpm_limit AS key_tpm_limit, k.stream_limit AS key_stream_limit
        FROM api_keys k JOIN teams t ON t.id = k.team_id WHERE k.prefix = ?
        """

    static func joinedKey(_ row: Row) throws -> APIKeyRecord {
        APIKeyRecord(
            id: row["key_id"],
            teamID: row["key_team_id"],
            prefix: row["key_prefix"],
            hash: row["key_hash"],
            label: row["key_label"],
            createdAt: Timestamp.date(row["key_created_at"]),
            revokedAt: (row["key_revoked_at"] as Int64?).map(Timestamp.date),
            budget: try KeyBudget.stored(nanos: row["key_budget_nanos"], currency: row["key_budget_currency"], period: row["key_budget_period"]),
            limits: RateLimits(
                requestsPerMinute: row["key_rpm_limit"],
                tokensPerMinute: row["key_tpm_limit"],
                concurrentStreams: row["key_stream_limit"]
            )
        )
    }

    static func key(_ row: Row) throws -> APIKeyRecord {
        APIKeyRecord(
            id: row["id"],
            teamID: row["team_id"],
            prefix: row["prefix"],
            hash: row["key_hash"],
            label: row["label"],
            createdAt: Timestamp.date(row["created_at"]),
            revokedAt: (row["revoked_at"] as Int64?).map(Timestamp.date),
            budget: try KeyBudget.stored(nanos: row["budget_nanos"], currency: row["budget_currency"], period: row["budget_period"]),
            limits: RateLimits(requestsPerMinute: row["rpm_limit"], tokensPerMinute: row["tpm_limit"], concurrentStreams: row["stream_limit"])
        )
    }
}
