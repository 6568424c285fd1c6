import Foundation
import PostgresNIO
import TollgateCore
import TollgateStorage

/// Rate-limit usage of one admission batch's teams and keys, read from the database under the team
/// row locks and kept up to date as the batch admits, so the limits hold for the sum of all
/// replicas exactly as the budget does: every hold and entry of a team or key is written under its
/// team's row lock (`FOR NO KEY UPDATE` here, `FOR SHARE` by settlements).
struct RateLedger {
    private var teams: [Int64: RateUsage] = [:]
    private var keys: [Int64: RateUsage] = [:]

    /// Reads the usage of the batch's teams and keys that have limits; nothing when none has.
    static func read(
        _ batch: [AdmissionQueue.Request],
        teams: [Int64: Team],
        keys: [Int64: KeyLimits],
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> RateLedger {
        var ledger = RateLedger()
        let limitedTeams = teams.values.filter { !$0.limits.isEmpty }.map(\.id).sorted()
        let limitedKeys = keys.values.filter { !$0.limits.isEmpty }.map(\.id).sorted()
        guard !limitedTeams.isEmpty || !limitedKeys.isEmpty, let earliest = batch.map(\.draft.occurredAt).min() else { return ledger }
        // The earliest admission's window: later ones in the batch may count a request just past
        // theirs, which only makes them more cautious.
        let since = RateUsage.windowStart(earliest)
        if !limitedTeams.isEmpty {
            ledger.teams = try await usage(column: "team_id", ids: limitedTeams, since: since, on: connection, logger: logger)
        }
        if !limitedKeys.isEmpty { ledger.keys = try await usage(column: "key_id", ids: limitedKeys, since: since, on: connection, logger: logger) }
        return ledger
    }

    /// The team's and key's checks for a request of `requestTokens` at `now`.
    func check(team: Team, key: KeyLimits?, requestTokens: Int, now: Date) -> RateLimitCheck? {
        let teamCheck =
            team.limits.isEmpty
            ? nil
            : RateLimitCheck.check(team.limits, usage: teams[team.id] ?? RateUsage(), requestTokens: requestTokens, now: now)
        var keyCheck: RateLimitCheck?
        if let key, !key.limits.isEmpty {
            keyCheck = RateLimitCheck.check(key.limits, usage: keys[key.id] ?? RateUsage(), requestTokens: requestTokens, now: now)
            keyCheck?.scope = "key"
            keyCheck?.key = key.prefix
        }
        return RateLimitCheck.merged(team: teamCheck, key: keyCheck)
    }

    /// Counts a request the batch just admitted.
    mutating func add(team: Team, key: KeyLimits?, tokens: Int, at instant: Date) {
        if !team.limits.isEmpty { teams[team.id, default: RateUsage()].add(tokens: tokens, at: instant) }
        if let key, !key.limits.isEmpty { keys[key.id, default: RateUsage()].add(tokens: tokens, at: instant) }
    }

    private static func usage(
        column: String,
        ids: [Int64],
        since: Int64,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> [Int64: RateUsage] {
        // Open streams counted from the holds; requests and tokens from the per-second buckets
        // (migration 0009): at most 60 rows per team or key however many requests the minute had.
        let scope = column == "team_id" ? "team" : "key"
        var usage: [Int64: RateUsage] = [:]
        for row in try await connection.rows(
            PostgresQuery(
                unsafeSQL: """
                    SELECT u.id,
                           (SELECT COUNT(*) FROM reservations r WHERE r.\(column) = u.id)::BIGINT AS streams,
                           COALESCE(SUM(b.requests), 0)::BIGINT AS requests, COALESCE(SUM(b.tokens), 0)::BIGINT AS tokens,
                           MIN(CASE WHEN b.requests > 0 THEN b.epoch_second END)::BIGINT AS oldest
                    FROM unnest($1::BIGINT[]) AS u(id)
                    LEFT JOIN rate_buckets b ON b.scope = '\(scope)' AND b.owner = u.id AND b.epoch_second > $2
                    GROUP BY u.id
                    """,
                binds: try bindings(ids, since)
            ),
            logger: logger
        ) {
            usage[try row.int64("id")] = RateUsage(
                requests: Int(try row.int64("requests")),
                tokens: Int(try row.int64("tokens")),
                streams: Int(try row.int64("streams")),
                oldest: try row.optionalInt64("oldest").map { Date(timeIntervalSince1970: TimeInterval($0)) }
            )
        }
        return usage
    }

    private static func bindings(_ ids: [Int64], _ since: Int64) throws -> PostgresBindings {
        var binds = PostgresBindings(capacity: 2)
        binds.append(ids)
        binds.append(since)
        return binds
    }
}
