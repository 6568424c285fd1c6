import Foundation
import PostgresNIO
import TollgateCore
import TollgateStorage

extension PostgresLedger {
    public func addKey(teamID: Int64, prefix: String, hash: Data, label: String?, at instant: Date) async throws -> APIKeyRecord {
        let now = Timestamp.millis(instant)
        let id = try await read("adding a key") { [logger] connection in
            try await connection.rows(
                .sql("INSERT INTO api_keys (team_id, prefix, key_hash, label, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id") {
                    $0.append(teamID)
                    $0.append(prefix)
                    try $0.append(hash)
                    $0.append(label)
                    $0.append(now)
                },
                logger: logger
            )[0].int64("id")
        }
        return APIKeyRecord(id: id, teamID: teamID, prefix: prefix, hash: hash, label: label, createdAt: Timestamp.date(now), revokedAt: nil)
    }

    public func keys(teamID: Int64?) async throws -> [APIKeyRecord] {
        try await read("listing keys") { [logger] connection in
            try await connection.rows(
                .sql("SELECT * FROM api_keys WHERE $1::BIGINT IS NULL OR team_id = $1 ORDER BY created_at DESC, id DESC") {
                    $0.append(teamID)
                },
                logger: logger
            ).map(Self.key)
        }
    }

    public func key(prefix: String) async throws -> APIKeyRecord? {
        try await read("finding a key") { [logger] connection in
            try await connection.rows(.sql("SELECT * FROM api_keys WHERE prefix = $1") { $0.append(prefix) }, logger: logger).first.map(Self.key)
        }
    }

    public func keyWithTeam(prefix: String) async throws -> (key: APIKeyRecord, team: Team)? {
        // The team's columns under their own names, the key's under `key_*` (both tables have `id`
        // and `created_at`), so `team(_:)` reads the row as is.
        let query = """
            SELECT t.*, k.id AS key_id, k.team_id AS key_team_id, k.prefix AS key_prefix, k.key_hash AS key_hash,
                   k.label AS key_label, k.created_at AS key_created_at, k.revoked_at AS key_revoked_at,
                   k.budget_nanos AS key_budget_nanos, k.budget_currency AS key_budget_currency, k.budget_period AS key_budget_period,
                   k.rpm_limit AS key_rpm_limit, k.tpm_limit AS key_tpm_limit, k.stream_limit AS key_stream_limit
            FROM api_keys k JOIN teams t ON t.id = k.team_id WHERE k.prefix = $1
            """
        return try await read("finding a key and its team") { [logger] connection in
            try await connection.rows(.sql(query) { $0.append(prefix) }, logger: logger).first.map { row in
                (try Self.joinedKey(row), try Self.team(row))
            }
        }
    }

    public func setKeyBudget(prefix: String, budget: KeyBudget?, at instant: Date) async throws -> APIKeyRecord {
        try await transaction("setting a key's budget") { [logger] connection in
            // The team row is locked as admissions lock it, so the currency check and the write see the
            // budget that admissions judge against.
            let query = """
                SELECT k.*, t.currency AS team_currency FROM api_keys k JOIN teams t ON t.id = k.team_id
                WHERE k.prefix = $1 FOR NO KEY UPDATE OF t
                """
            guard let row = try await connection.rows(.sql(query) { $0.append(prefix) }, logger: logger).first else {
                throw BudgetError.unknownKey(prefix: prefix)
            }
            let key = try Self.key(row)
            let teamCurrency = try row.text("team_currency")
            if let budget, budget.limit.currency.rawValue != teamCurrency {
                throw BudgetError(
                    .invalidInput,
                    "a key budget must be in its team's currency (\(teamCurrency)), got \(budget.limit.currency.rawValue): give the amount in \(teamCurrency)"
                )
            }
            let update = "UPDATE api_keys SET budget_nanos = $1, budget_currency = $2, budget_period = $3 WHERE id = $4 RETURNING *"
            return try Self.key(
                try await connection.rows(
                    .sql(update) {
                        $0.append(budget?.limit.nanos)
                        $0.append(budget?.limit.currency.rawValue)
                        $0.append(budget?.period.rawValue)
                        $0.append(key.id)
                    },
                    logger: logger
                )[0]
            )
        }
    }

    public func revokeKey(prefix: String, at instant: Date) async throws -> APIKeyRecord {
        let changed = try await read("revoking a key") { [logger] connection in
            try await connection.rows(
                .sql("UPDATE api_keys SET revoked_at = $1 WHERE prefix = $2 AND revoked_at IS NULL RETURNING id") {
                    $0.append(Timestamp.millis(instant))
                    $0.append(prefix)
                },
                logger: logger
            ).count
        }
        guard let record = try await key(prefix: prefix) else {
            throw BudgetError.unknownKey(prefix: prefix)
        }
        guard changed == 1 else {
            throw BudgetError(.invalidKey, "key '\(prefix)' was already revoked: nothing changed")
        }
        return record
    }

    static func joinedKey(_ row: PostgresRandomAccessRow) throws -> APIKeyRecord {
        APIKeyRecord(
            id: try row.int64("key_id"),
            teamID: try row.int64("key_team_id"),
            prefix: try row.text("key_prefix"),
            hash: try row.data("key_hash"),
            label: try row.optionalText("key_label"),
            createdAt: Timestamp.date(try row.int64("key_created_at")),
            revokedAt: try row.optionalInt64("key_revoked_at").map(Timestamp.date),
            budget: try KeyBudget.stored(
                nanos: try row.optionalInt64("key_budget_nanos"),
                currency: try row.optionalText("key_budget_currency"),
                period: try row.optionalText("key_budget_period")
            ),
            limits: try Self.limits(row, prefix: "key_")
        )
    }

    static func key(_ row: PostgresRandomAccessRow) throws -> APIKeyRecord {
        APIKeyRecord(
            id: try row.int64("id"),
            teamID: try row.int64("team_id"),
            prefix: try row.text("prefix"),
            hash: try row.data("key_hash"),
            label: try row.optionalText("label"),
            createdAt: Timestamp.date(try row.int64("created_at")),
            revokedAt: try row.optionalInt64("revoked_at").map(Timestamp.date),
            budget: try KeyBudget.stored(
                nanos: try row.optionalInt64("budget_nanos"),
                currency: try row.optionalText("budget_currency"),
                period: try row.optionalText("budget_period")
            ),
            limits: try Self.limits(row, prefix: "")
        )
    }
}

extension PostgresLedger {
    /// The `rpm_limit`, `tpm_limit` and `stream_limit` columns of a team or key row (`prefix`
    /// `key_` in a joined row).
    static func limits(_ row: PostgresRandomAccessRow, prefix: String) throws -> RateLimits {
        RateLimits(
            requestsPerMinute: try row.optionalInt64(prefix + "rpm_limit").map { Int($0) },
            tokensPerMinute: try row.optionalInt64(prefix + "tpm_limit").map { Int($0) },
            concurrentStreams: try row.optionalInt64(prefix + "stream_limit").map { Int($0) }
        )
    }
}
