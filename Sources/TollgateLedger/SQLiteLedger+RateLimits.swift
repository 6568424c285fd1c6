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
                throw BudgetError(.invalidKey, "no key with prefix '\(prefix)': 'tollgate key list' shows the prefixes")
            }
            return try Self.key(row)
        }
    }

    /// The key's own budget and limits (one primary-key read), or `nil` for an unknown id.
    static func keyLimits(_ db: Database, keyID: Int64) throws -> KeyLimits? {
        let read = try db.cachedStatement(sql: """
            SELECT prefix, budget_nanos, budget_currency, budget_period, rpm_limit, tpm_limit, stream_limit FROM api_keys WHERE id = ?
            """)
        guard let row = try Row.fetchOne(read, arguments: [keyID]) else { return nil }
        return KeyLimits(
            id: keyID, prefix: row["prefix"],
            budget: try KeyBudget.stored(nanos: row["budget_nanos"], currency: row["budget_currency"], period: row["budget_period"]),
            limits: RateLimits(requestsPerMinute: row["rpm_limit"], tokensPerMinute: row["tpm_limit"], concurrentStreams: row["stream_limit"])
        )
    }

    /// The team's and the key's rate-limit checks for a request of `requestTokens`, counted from the
    /// holds and entries inside the admission's write transaction (so a batch's earlier holds count).
    static func rateLimit(_ db: Database, team: Team, key: KeyLimits?, draft: ReservationDraft, requestTokens: Int) throws -> RateLimitCheck? {
        let teamCheck = team.limits.isEmpty ? nil : RateLimitCheck.check(
            team.limits, usage: try rateUsage(db, column: "team_id", id: team.id, now: draft.occurredAt, windowed: team.limits.isWindowed), requestTokens: requestTokens, now: draft.occurredAt
        )
        var keyCheck: RateLimitCheck?
        if let key, !key.limits.isEmpty {
            keyCheck = RateLimitCheck.check(
                key.limits, usage: try rateUsage(db, column: "key_id", id: key.id, now: draft.occurredAt, windowed: key.limits.isWindowed), requestTokens: requestTokens, now: draft.occurredAt
            )
            keyCheck?.scope = "key"
            keyCheck?.key = key.prefix
        }
        return RateLimitCheck.merged(team: teamCheck, key: keyCheck)
    }

    /// Open streams now, and requests and tokens admitted in the last minute: open holds count their
    /// estimate (`estimated_tokens`, else the prompt), settled entries their real tokens.
    static func rateUsage(_ db: Database, column: String, id: Int64, now: Date, windowed: Bool = true) throws -> RateUsage {
        guard windowed else {
            // Only a stream limit: the open holds alone, never the minute's entries.
            let streams = try db.cachedStatement(sql: "SELECT COUNT(*) FROM reservations WHERE \(column) = ?")
            return RateUsage(streams: try Int.fetchOne(streams, arguments: [id]) ?? 0)
        }
        let since = Timestamp.millis(now.addingTimeInterval(-RateUsage.window))
        let query = try db.cachedStatement(sql: """
            SELECT (SELECT COUNT(*) FROM reservations WHERE \(column) = ?1),
                   (SELECT COUNT(*) FROM reservations WHERE \(column) = ?1 AND occurred_at > ?2),
                   (SELECT COALESCE(SUM(COALESCE(estimated_tokens, input_tokens)), 0) FROM reservations WHERE \(column) = ?1 AND occurred_at > ?2),
                   (SELECT MIN(occurred_at) FROM reservations WHERE \(column) = ?1 AND occurred_at > ?2),
                   (SELECT COUNT(*) FROM ledger_entries WHERE \(column) = ?1 AND kind = 'usage' AND occurred_at > ?2),
                   (SELECT COALESCE(SUM(input_tokens + output_tokens), 0) FROM ledger_entries WHERE \(column) = ?1 AND kind = 'usage' AND occurred_at > ?2),
                   (SELECT MIN(occurred_at) FROM ledger_entries WHERE \(column) = ?1 AND kind = 'usage' AND occurred_at > ?2)
            """)
        guard let row = try Row.fetchOne(query, arguments: [id, since]) else { return RateUsage() }
        let oldest = [row[3] as Int64?, row[6] as Int64?].compactMap { $0 }.min().map(Timestamp.date)
        let requests: Int = row[1], settledRequests: Int = row[4], tokens: Int = row[2], settledTokens: Int = row[5]
        return RateUsage(requests: requests + settledRequests, tokens: tokens + settledTokens, streams: row[0], oldest: oldest)
    }

    /// Keeps a hold's token estimate, which open holds count toward tokens per minute until settled.
    static func estimateTokens(_ db: Database, id: String, tokens: Int) throws {
        try db.cachedStatement(sql: "UPDATE reservations SET estimated_tokens = ? WHERE id = ?").execute(arguments: [tokens, id])
    }
}
