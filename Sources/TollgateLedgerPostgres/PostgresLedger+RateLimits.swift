import Foundation
import PostgresNIO
import TollgateCore
import TollgateStorage

extension PostgresLedger {
    public func setRateLimits(teamID: Int64, _ limits: RateLimits, at instant: Date) async throws -> Team {
        let checked = try limits.validated()
        let rows = try await transaction("setting a team's rate limits") { [logger] connection in
            // The UPDATE takes the team row lock admissions take, so the recount sees a still minute.
            let rows = try await connection.rows(
                .sql(
                    """
                    UPDATE teams SET rpm_limit = $1, tpm_limit = $2, stream_limit = $3, updated_at = $4 WHERE id = $5 RETURNING *
                    """
                ) {
                    $0.append(checked.requestsPerMinute.map(Int64.init))
                    $0.append(checked.tokensPerMinute.map(Int64.init))
                    $0.append(checked.concurrentStreams.map(Int64.init))
                    $0.append(Timestamp.millis(instant))
                    $0.append(teamID)
                },
                logger: logger
            )
            if !rows.isEmpty {
                try await Self.recountBuckets(
                    column: "team_id",
                    owner: teamID,
                    windowed: checked.isWindowed,
                    at: instant,
                    on: connection,
                    logger: logger
                )
            }
            return rows
        }
        guard let row = rows.first else { throw BudgetError(.unknownTeam, "no team with id \(teamID)") }
        return try Self.team(row)
    }

    public func setRateLimits(keyPrefix prefix: String, _ limits: RateLimits, at instant: Date) async throws -> APIKeyRecord {
        let checked = try limits.validated()
        let rows = try await transaction("setting a key's rate limits") { [logger] connection in
            // The key's team row lock first, as admissions take it, so the recount sees a still minute.
            try await connection.run(
                .sql("SELECT t.id FROM teams t JOIN api_keys k ON k.team_id = t.id WHERE k.prefix = $1 FOR NO KEY UPDATE OF t") {
                    $0.append(prefix)
                },
                logger: logger
            )
            let rows = try await connection.rows(
                .sql("UPDATE api_keys SET rpm_limit = $1, tpm_limit = $2, stream_limit = $3 WHERE prefix = $4 RETURNING *") {
                    $0.append(checked.requestsPerMinute.map(Int64.init))
                    $0.append(checked.tokensPerMinute.map(Int64.init))
                    $0.append(checked.concurrentStreams.map(Int64.init))
                    $0.append(prefix)
                },
                logger: logger
            )
            if let row = rows.first {
                try await Self.recountBuckets(
                    column: "key_id",
                    owner: try row.int64("id"),
                    windowed: checked.isWindowed,
                    at: instant,
                    on: connection,
                    logger: logger
                )
            }
            return rows
        }
        guard let row = rows.first else { throw BudgetError.unknownKey(prefix: prefix) }
        return try Self.key(row)
    }

    /// Rebuilds a team's or key's per-second buckets from its holds and usage entries of the last
    /// minute, as SQLite's `recountBuckets` does (the reasons are there); under the team row lock.
    static func recountBuckets(
        column: String,
        owner: Int64,
        windowed: Bool,
        at instant: Date,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws {
        let scope = column == "team_id" ? "team" : "key"
        try await connection.run(
            .sql("DELETE FROM rate_buckets WHERE scope = $1 AND owner = $2") {
                $0.append(scope)
                $0.append(owner)
            },
            logger: logger
        )
        guard windowed else { return }
        let since = (RateUsage.windowStart(instant) + 1) * 1000
        try await connection.run(
            PostgresQuery(
                unsafeSQL: """
                    UPDATE reservations SET estimated_tokens = input_tokens WHERE \(column) = $1 AND estimated_tokens IS NULL AND occurred_at >= $2
                    """,
                binds: try Self.ownerBindings(owner, since)
            ),
            logger: logger
        )
        try await connection.run(
            PostgresQuery(
                unsafeSQL: """
                    INSERT INTO rate_buckets (scope, owner, slot, epoch_second, requests, tokens)
                    SELECT '\(scope)', $1, sec % 60, sec, COUNT(*), SUM(tokens) FROM (
                        SELECT occurred_at / 1000 AS sec, estimated_tokens AS tokens FROM reservations
                        WHERE \(column) = $1 AND occurred_at >= $2
                        UNION ALL
                        SELECT occurred_at / 1000, input_tokens + output_tokens FROM ledger_entries
                        WHERE \(column) = $1 AND kind = 'usage' AND occurred_at >= $2
                    ) AS counted GROUP BY sec
                    """,
                binds: try Self.ownerBindings(owner, since)
            ),
            logger: logger
        )
    }

    private static func ownerBindings(_ owner: Int64, _ since: Int64) throws -> PostgresBindings {
        var binds = PostgresBindings(capacity: 2)
        binds.append(owner)
        binds.append(since)
        return binds
    }
}
