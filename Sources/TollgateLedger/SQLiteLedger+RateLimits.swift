import Foundation
import GRDB
import TollgateCore
import TollgateStorage

extension SQLiteLedger {
    public func setRateLimits(teamID: Int64, _ limits: RateLimits, at instant: Date) async throws -> Team {
        let checked = try limits.validated()
        return try await pool.write { db in
            try db.execute(
                sql: "UPDATE teams SET rpm_limit = ?, tpm_limit = ?, stream_limit = ?, updated_at = ? WHERE id = ?",
                arguments: [checked.requestsPerMinute, checked.tokensPerMinute, checked.concurrentStreams, Timestamp.millis(instant), teamID]
            )
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM teams WHERE id = ?", arguments: [teamID]) else {
                throw BudgetError(.unknownTeam, "no team with id \(teamID)")
            }
            try Self.recountBuckets(db, column: "team_id", owner: teamID, windowed: checked.isWindowed, at: instant)
            return try Self.team(row)
        }
    }

    public func setRateLimits(keyPrefix prefix: String, _ limits: RateLimits, at instant: Date) async throws -> APIKeyRecord {
        let checked = try limits.validated()
        return try await pool.write { db in
            try db.execute(
                sql: "UPDATE api_keys SET rpm_limit = ?, tpm_limit = ?, stream_limit = ? WHERE prefix = ?",
                arguments: [checked.requestsPerMinute, checked.tokensPerMinute, checked.concurrentStreams, prefix]
            )
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM api_keys WHERE prefix = ?", arguments: [prefix]) else {
                throw BudgetError.unknownKey(prefix: prefix)
            }
            let key = try Self.key(row)
            try Self.recountBuckets(db, column: "key_id", owner: key.id, windowed: checked.isWindowed, at: instant)
            return key
        }
    }

    /// Rebuilds a team's or key's per-second buckets (migration 0012) from its holds and usage
    /// entries of the last minute, so a per-minute limit set now counts the requests already made
    /// in it: buckets count only holds admitted under such a limit. A hold that had no estimate
    /// gets its prompt as one (what it counts until settled), so settling it corrects the bucket as
    /// for any other. Without a per-minute limit the buckets go.
    static func recountBuckets(_ db: Database, column: String, owner: Int64, windowed: Bool, at instant: Date) throws {
        let scope = column == "team_id" ? "team" : "key"
        try db.execute(sql: "DELETE FROM rate_buckets WHERE scope = ? AND owner = ?", arguments: [scope, owner])
        guard windowed else { return }
        // Millisecond bounds, so the (team or key, time) indexes serve both reads.
        let since = (RateUsage.windowStart(instant) + 1) * 1000
        try db.execute(
            sql: "UPDATE reservations SET estimated_tokens = input_tokens WHERE \(column) = ? AND estimated_tokens IS NULL AND occurred_at >= ?",
            arguments: [owner, since]
        )
        try db.execute(
            sql: """
                INSERT INTO rate_buckets (scope, owner, slot, epoch_second, requests, tokens)
                SELECT ?1, ?2, sec % 60, sec, COUNT(*), SUM(tokens) FROM (
                    SELECT occurred_at / 1000 AS sec, estimated_tokens AS tokens FROM reservations
                    WHERE \(column) = ?2 AND occurred_at >= ?3
                    UNION ALL
                    SELECT occurred_at / 1000, input_tokens + output_tokens FROM ledger_entries
                    WHERE \(column) = ?2 AND kind = 'usage' AND occurred_at >= ?3
                ) GROUP BY sec
                """,
            arguments: [scope, owner, since]
        )
    }

    /// The key's own budget and limits (one primary-key read), or `nil` for an unknown id.
    static func keyLimits(_ db: Database, keyID: Int64) throws -> KeyLimits? {
        let read = try db.cachedStatement(
            sql: """
                SELECT prefix, budget_nanos, budget_currency, budget_period, rpm_limit, tpm_limit, stream_limit FROM api_keys WHERE id = ?
                """
        )
        return try Self.firstRow(read, arguments: [keyID]) { row in
            KeyLimits(
                id: keyID,
                prefix: row["prefix"],
                budget: try KeyBudget.stored(nanos: row["budget_nanos"], currency: row["budget_currency"], period: row["budget_period"]),
                limits: RateLimits(requestsPerMinute: row["rpm_limit"], tokensPerMinute: row["tpm_limit"], concurrentStreams: row["stream_limit"])
            )
        }
    }

    /// The team's and the key's rate-limit checks for a request of `requestTokens`, counted from the
    /// holds and entries inside the admission's write transaction (so a batch's earlier holds count).
    /// `keyStreams`, when given, is the key's open holds as the admission batch keeps them.
    static func rateLimit(
        _ db: Database,
        team: Team,
        key: KeyLimits?,
        draft: ReservationDraft,
        requestTokens: Int,
        keyStreams: Int? = nil
    ) throws -> RateLimitCheck? {
        let teamCheck =
            team.limits.isEmpty
            ? nil
            : RateLimitCheck.check(
                team.limits,
                usage: try rateUsage(db, column: "team_id", id: team.id, now: draft.occurredAt, windowed: team.limits.isWindowed),
                requestTokens: requestTokens,
                now: draft.occurredAt
            )
        var keyCheck: RateLimitCheck?
        if let key, !key.limits.isEmpty {
            keyCheck = RateLimitCheck.check(
                key.limits,
                usage: try rateUsage(db, column: "key_id", id: key.id, now: draft.occurredAt, windowed: key.limits.isWindowed, streams: keyStreams),
                requestTokens: requestTokens,
                now: draft.occurredAt
            )
            keyCheck?.scope = "key"
            keyCheck?.key = key.prefix
        }
        return RateLimitCheck.merged(team: teamCheck, key: keyCheck)
    }

    /// Open streams now, and requests and tokens admitted in the last minute, from counters:
    /// streams from the open-hold totals (a team's per currency, migration 0004; a key's counted
    /// from its index), requests and tokens from the per-second buckets (migration 0012), at most
    /// 60 rows however many requests the minute had. The window is whole seconds: a request counts
    /// until the 60th second after the one it was admitted in.
    /// `streams`, when given, is the open-stream count already known (the admission batch keeps a
    /// key's), and is not read again.
    static func rateUsage(_ db: Database, column: String, id: Int64, now: Date, windowed: Bool = true, streams known: Int? = nil) throws -> RateUsage
    {
        let streams =
            known != nil
            ? "SELECT ?3"
            : column == "team_id"
                ? "SELECT COALESCE(SUM(open_holds), 0) FROM reservation_totals WHERE team_id = ?1"
                : "SELECT COUNT(*) FROM reservations WHERE key_id = ?1"
        guard windowed else {
            if let known { return RateUsage(streams: known) }
            return RateUsage(streams: try Int.fetchOne(try db.cachedStatement(sql: streams), arguments: [id]) ?? 0)
        }
        let scope = column == "team_id" ? "team" : "key"
        let query = try db.cachedStatement(
            sql: """
                SELECT (\(streams)), COALESCE(SUM(requests), 0), COALESCE(SUM(tokens), 0), MIN(CASE WHEN requests > 0 THEN epoch_second END)
                FROM rate_buckets WHERE scope = '\(scope)' AND owner = ?1 AND epoch_second > ?2
                """
        )
        let arguments: StatementArguments = known.map { [id, RateUsage.windowStart(now), $0] } ?? [id, RateUsage.windowStart(now)]
        guard let row = try Row.fetchOne(query, arguments: arguments) else { return RateUsage() }
        let oldest = (row[3] as Int64?).map { Date(timeIntervalSince1970: TimeInterval($0)) }
        return RateUsage(requests: row[1], tokens: row[2], streams: row[0], oldest: oldest)
    }
}
