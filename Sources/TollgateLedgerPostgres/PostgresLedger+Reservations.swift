import Foundation
import PostgresNIO
import TollgateCore
import TollgateStorage

extension PostgresLedger {
    /// Admission across replicas: the transaction first locks the team row with
    /// `SELECT ... FOR NO KEY UPDATE`, then reads spend and open holds in one statement, lets
    /// `decide` judge, and inserts the hold before committing. Any other admission for the team, on
    /// any replica, blocks on that row lock until this one commits, and then reads (READ COMMITTED:
    /// a fresh snapshot per statement) the hold this one wrote. So every decision sees every earlier
    /// hold and settlement of its team, and the sum of holds plus spend can't pass the budget however
    /// many replicas admit at once. Settlements never raise spend above what their hold reserved,
    /// and they take `FOR SHARE` on the same row before touching the counter (see `insert`).
    public func reserve(
        _ draft: ReservationDraft,
        decide: @escaping @Sendable (Team, BudgetStatus) throws -> AdmissionDecision
    ) async throws -> ReservationGrant {
        try await admit(.init(draft: draft, decide: decide))
    }

    /// An extension is decided like an admission — in the same batches, under the same team row
    /// lock, on spend and holds read in one statement — and adds to the open hold instead of
    /// inserting one, so spend + holds stays within the budget across replicas.
    public func extendHold(
        _ draft: ReservationDraft,
        decide: @escaping @Sendable (Team, BudgetStatus) throws -> AdmissionDecision
    ) async throws -> ReservationGrant {
        try await admit(.init(draft: draft, extendsHold: true, decide: decide))
    }

    private func admit(_ request: AdmissionQueue.Request) async throws -> ReservationGrant {
        try await admissions.reserve(request) { batch in
            try await self.transaction("admitting a request") { [logger = self.logger] connection in
                try await Self.admit(batch, on: connection, logger: logger)
            }
        }
    }

    private struct WindowKey: Hashable {
        let team: Int64, start: Int64, end: Int64
    }

    static func admit(
        _ batch: [AdmissionQueue.Request],
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> [Result<ReservationGrant, any Error>] {
        let teamIDs = Array(Set(batch.map(\.draft.teamID))).sorted()
        var teams: [Int64: Team] = [:]
        for row in try await connection.rows(
            .sql("SELECT * FROM teams WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE") { $0.append(teamIDs) },
            logger: logger
        ) {
            let team = try Self.team(row)
            teams[team.id] = team
        }
        var windows: [WindowKey: PeriodWindow] = [:]
        for request in batch {
            guard let team = teams[request.draft.teamID] else { continue }
            let window = team.budget.window(at: request.draft.occurredAt)
            let (start, end) = Timestamp.bounds(window.start, window.end)
            windows[WindowKey(team: team.id, start: start, end: end)] = window
        }
        for key in windows.keys {
            try await PostgresCounters.ensure(teamID: key.team, start: key.start, end: key.end, on: connection, logger: logger)
        }
        // Spend and holds in one statement, hence one snapshot.
        let keys = Array(windows.keys)
        var spent: [WindowKey: (usd: Int64, cny: Int64)] = [:]
        var held: [Int64: Int64] = [:]
        for row in try await connection.rows(
            .sql(
                """
                SELECT u.team, u.s, u.e, c.spent_usd_nanos, c.spent_cny_nanos,
                       (SELECT COALESCE(SUM(held_nanos), 0)::BIGINT FROM reservations r WHERE r.team_id = u.team AND r.currency = u.currency) AS held
                FROM unnest($1::BIGINT[], $2::BIGINT[], $3::BIGINT[], $4::TEXT[]) AS u(team, s, e, currency)
                JOIN budget_counters c ON c.team_id = u.team AND c.window_start = u.s AND c.window_end = u.e
                """
            ) {
                $0.append(keys.map(\.team))
                $0.append(keys.map(\.start))
                $0.append(keys.map(\.end))
                $0.append(keys.map { teams[$0.team]!.budget.limit.currency.rawValue })
            },
            logger: logger
        ) {
            let key = WindowKey(team: try row.int64("team"), start: try row.int64("s"), end: try row.int64("e"))
            spent[key] = (try row.int64("spent_usd_nanos"), try row.int64("spent_cny_nanos"))
            held[key.team] = try row.int64("held")
        }
        let (keyLimits, keySpent, keysHeld) = try await keyStatuses(batch, teams: teams, on: connection, logger: logger)
        let keyBudgets = keyLimits.compactMapValues { key in key.budget.map { (prefix: key.prefix, budget: $0) } }
        var keyHeld = keysHeld
        var rates = try await RateLedger.read(batch, teams: teams, keys: keyLimits, on: connection, logger: logger)
        var results: [Result<ReservationGrant, any Error>] = []
        var holds: [Hold] = []
        var extensions: [Hold] = []
        for request in batch {
            results.append(
                Result {
                    guard let team = teams[request.draft.teamID] else {
                        throw BudgetError(.unknownTeam, "no team with id \(request.draft.teamID)")
                    }
                    let currency = team.budget.limit.currency
                    let window = team.budget.window(at: request.draft.occurredAt)
                    let (start, end) = Timestamp.bounds(window.start, window.end)
                    // No counter: the team's entries overflow BIGINT (`PostgresCounters.ensure` made none).
                    guard let counted = spent[WindowKey(team: team.id, start: start, end: end)] else {
                        throw LedgerSumOverflow(teamID: team.id, currency: currency, exactNanos: nil)
                    }
                    let status = BudgetStatus(
                        limit: team.budget.limit,
                        spent: Money(nanos: currency == .usd ? counted.usd : counted.cny, currency),
                        reserved: Money(nanos: held[team.id] ?? 0, currency),
                        window: window
                    )
                    var binding = (status, BudgetScope.team)
                    if let keyID = request.draft.keyID, let key = keyBudgets[keyID] {
                        guard key.budget.limit.currency == currency else {
                            throw KeyBudgetStatus.currencyMismatch(prefix: key.prefix, key: key.budget.limit.currency, team: currency)
                        }
                        let keyWindow = key.budget.window(at: request.draft.occurredAt, timeZone: team.budget.timeZone)
                        let (keyStart, keyEnd) = Timestamp.bounds(keyWindow.start, keyWindow.end)
                        let keyStatus = BudgetStatus(
                            limit: key.budget.limit,
                            spent: Money(nanos: keySpent[KeyWindow(key: keyID, start: keyStart, end: keyEnd)] ?? 0, currency),
                            reserved: Money(nanos: keyHeld[keyID] ?? 0, currency),
                            window: keyWindow
                        )
                        binding = KeyBudgetStatus(prefix: key.prefix, budget: key.budget, status: keyStatus).binding(team: status)
                    }
                    let decision = try request.decide(team, binding.0)
                    let key = request.draft.keyID.flatMap { keyLimits[$0] }
                    var rate: RateLimitCheck?
                    var estimate: Int?
                    if !request.extendsHold, let tokens = decision.maxOutputTokens, !(team.limits.isEmpty && (key?.limits.isEmpty ?? true)) {
                        let requestTokens = request.draft.prompt.inputTokens + tokens
                        rate = rates.check(team: team, key: key, requestTokens: requestTokens, now: request.draft.occurredAt)
                        if rate?.allowed == false {
                            return ReservationGrant(team: team, status: binding.0, decision: decision, scope: binding.1, rateLimit: rate)
                        }
                        rates.add(team: team, key: key, tokens: requestTokens, at: request.draft.occurredAt)
                        // The bucket triggers count a hold with an estimate (migration 0009).
                        if RateUsage.counts(team: team.limits, key: key?.limits) { estimate = requestTokens }
                    }
                    if let hold = decision.hold {
                        let item = Hold(result: results.count, draft: request.draft, hold: hold, admission: decision.name, estimate: estimate)
                        if request.extendsHold { extensions.append(item) } else { holds.append(item) }
                        held[team.id, default: 0] += hold.nanos
                        if let keyID = request.draft.keyID, keyBudgets[keyID] != nil { keyHeld[keyID, default: 0] += hold.nanos }
                    }
                    return ReservationGrant(team: team, status: binding.0, decision: decision, scope: binding.1, rateLimit: rate)
                }
            )
        }
        // A hold whose id is already taken fails alone, as on SQLite, instead of failing the whole
        // batch with it. Its amount stays counted in `held` above, which only made the admissions
        // after it in this batch more cautious.
        var inserted = try await insertHolds(holds, on: connection, logger: logger)
        for hold in holds where inserted.remove(hold.draft.id) == nil {
            results[hold.result] = .failure(
                LedgerError(
                    .rejected,
                    "a hold with reservation id '\(hold.draft.id)' already exists: nothing was reserved for this request; use a new id"
                )
            )
        }
        var extended = try await extendHolds(extensions, on: connection, logger: logger)
        for item in extensions where extended.remove(item.draft.id) == nil {
            results[item.result] = .failure(
                LedgerError(
                    .rejected,
                    "no open hold with reservation id '\(item.draft.id)' in \(item.hold.currency.rawValue): it was settled or reclaimed, so it cannot be extended"
                )
            )
        }
        return results
    }

    private struct KeyWindow: Hashable {
        let key: Int64, start: Int64, end: Int64
    }

    /// Key budgets the batch's keys carry, and each one's spend in its window and open holds, read
    /// under the team row locks (every entry and hold of a key is its team's, and settlements take
    /// `FOR SHARE` on that row first), so they are as exact as the team's. Keys without a budget
    /// cost one indexed lookup per batch; a batch without keys (the benches) costs nothing.
    private static func keyStatuses(
        _ batch: [AdmissionQueue.Request],
        teams: [Int64: Team],
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> (keys: [Int64: KeyLimits], spent: [KeyWindow: Int64], held: [Int64: Int64]) {
        let keyIDs = Array(Set(batch.compactMap(\.draft.keyID))).sorted()
        guard !keyIDs.isEmpty else { return ([:], [:], [:]) }
        var keys: [Int64: KeyLimits] = [:]
        for row in try await connection.rows(
            .sql(
                """
                SELECT * FROM api_keys WHERE id = ANY($1)
                  AND (budget_nanos IS NOT NULL OR rpm_limit IS NOT NULL OR tpm_limit IS NOT NULL OR stream_limit IS NOT NULL)
                """
            ) { $0.append(keyIDs) },
            logger: logger
        ) {
            let record = try Self.key(row)
            keys[record.id] = KeyLimits(id: record.id, prefix: record.prefix, budget: record.budget, limits: record.limits)
        }
        let budgets = keys.compactMapValues { key in key.budget.map { (prefix: key.prefix, budget: $0) } }
        guard !budgets.isEmpty else { return (keys, [:], [:]) }
        var windows: [KeyWindow: String] = [:]
        for request in batch {
            guard let keyID = request.draft.keyID, let key = budgets[keyID], let team = teams[request.draft.teamID] else { continue }
            let window = key.budget.window(at: request.draft.occurredAt, timeZone: team.budget.timeZone)
            let (start, end) = Timestamp.bounds(window.start, window.end)
            windows[KeyWindow(key: keyID, start: start, end: end)] = team.budget.limit.currency.rawValue
        }
        let rows = Array(windows)
        // Counters first (under the team row locks, so no admission of the key races this), then
        // spend from them: one row per key however many entries it has.
        try await connection.run(
            .sql(
                """
                INSERT INTO key_budget_counters (key_id, window_start, window_end, spent_usd_nanos, spent_cny_nanos)
                SELECT u.key, u.s, u.e, COALESCE(SUM(e.charge_usd_nanos), 0)::BIGINT, COALESCE(SUM(e.charge_cny_nanos), 0)::BIGINT
                FROM unnest($1::BIGINT[], $2::BIGINT[], $3::BIGINT[]) AS u(key, s, e)
                LEFT JOIN ledger_entries e ON e.key_id = u.key AND e.occurred_at >= u.s AND e.occurred_at < u.e
                WHERE NOT EXISTS (SELECT 1 FROM key_budget_counters c WHERE c.key_id = u.key AND c.window_start = u.s AND c.window_end = u.e)
                GROUP BY u.key, u.s, u.e
                ON CONFLICT DO NOTHING
                """
            ) {
                $0.append(rows.map(\.key.key))
                $0.append(rows.map(\.key.start))
                $0.append(rows.map(\.key.end))
            },
            logger: logger
        )
        var spent: [KeyWindow: Int64] = [:]
        var held: [Int64: Int64] = [:]
        for row in try await connection.rows(
            .sql(
                """
                SELECT u.key, u.s, u.e,
                       (SELECT CASE WHEN u.currency = 'USD' THEN c.spent_usd_nanos ELSE c.spent_cny_nanos END
                        FROM key_budget_counters c WHERE c.key_id = u.key AND c.window_start = u.s AND c.window_end = u.e) AS spent,
                       (SELECT COALESCE(SUM(held_nanos), 0)::BIGINT FROM reservations r WHERE r.key_id = u.key AND r.currency = u.currency) AS held
                FROM unnest($1::BIGINT[], $2::BIGINT[], $3::BIGINT[], $4::TEXT[]) AS u(key, s, e, currency)
                """
            ) {
                $0.append(rows.map(\.key.key))
                $0.append(rows.map(\.key.start))
                $0.append(rows.map(\.key.end))
                $0.append(rows.map(\.value))
            },
            logger: logger
        ) {
            let key = KeyWindow(key: try row.int64("key"), start: try row.int64("s"), end: try row.int64("e"))
            spent[key] = try row.int64("spent")
            held[key.key] = try row.int64("held")
        }
        return (keys, spent, held)
    }

    /// Adds each extension to its open hold in one statement; returns the ids actually extended
    /// (a hold settled or reclaimed meanwhile is gone and is not recreated).
    private static func extendHolds(_ items: [Hold], on connection: PostgresConnection, logger: Logger) async throws -> Set<String> {
        guard !items.isEmpty else { return [] }
        var extended: Set<String> = []
        for row in try await connection.rows(
            .sql(
                """
                UPDATE reservations r SET held_nanos = r.held_nanos + u.amount
                FROM unnest($1::TEXT[], $2::BIGINT[], $3::TEXT[]) AS u(id, amount, currency)
                WHERE r.id = u.id AND r.currency = u.currency
                RETURNING r.id
                """
            ) {
                $0.append(items.map(\.draft.id))
                $0.append(items.map(\.hold.nanos))
                $0.append(items.map(\.hold.currency.rawValue))
            },
            logger: logger
        ) {
            extended.insert(try row["id"].decode(String.self))
        }
        return extended
    }

    /// A hold to write, and which request's result it belongs to.
    private struct Hold {
        let result: Int
        let draft: ReservationDraft
        let hold: Money
        let admission: String
        /// Prompt + `max_tokens` when a per-minute limit counts this hold, else `nil`.
        var estimate: Int?
    }

    /// Writes the holds in one statement; returns the ids actually written (a taken id is skipped).
    private static func insertHolds(_ holds: [Hold], on connection: PostgresConnection, logger: Logger) async throws -> Set<String> {
        guard !holds.isEmpty else { return [] }
        var values: [String] = []
        var binds = PostgresBindings(capacity: holds.count * 19)
        for (row, item) in holds.enumerated() {
            values.append("(" + (1...19).map { "$\(row * 19 + $0)" }.joined(separator: ", ") + ")")
            let draft = item.draft
            binds.append(draft.id)
            binds.append(draft.teamID)
            binds.append(draft.keyID)
            binds.append(draft.model.rawValue)
            binds.append(item.hold.nanos)
            binds.append(item.hold.currency.rawValue)
            binds.append(item.admission)
            binds.append(draft.priceVersion)
            binds.append(draft.fxVersion)
            binds.append(Int64(draft.prompt.inputTokens))
            binds.append(Int64(draft.prompt.cachedInputTokens))
            binds.append(Int64(draft.prompt.cacheWrite5mTokens))
            binds.append(Int64(draft.prompt.cacheWrite1hTokens))
            binds.append(draft.tokenSource.rawValue)
            binds.append(Timestamp.millis(draft.occurredAt))
            binds.append(Timestamp.millis(draft.leaseExpiresAt))
            binds.append(Timestamp.millis(draft.occurredAt))
            binds.append("reserved")
            binds.append(item.estimate.map(Int64.init))
        }
        var written: Set<String> = []
        for row in try await connection.rows(
            PostgresQuery(
                unsafeSQL: """
                    INSERT INTO reservations (id, team_id, key_id, model, held_nanos, currency, admission, price_version, fx_version,
                        input_tokens, cached_input_tokens, cache_write_5m_tokens, cache_write_1h_tokens, token_source, occurred_at, lease_expires_at,
                        created_at, state, estimated_tokens)
                    VALUES \(values.joined(separator: ", "))
                    ON CONFLICT (id) DO NOTHING
                    RETURNING id
                    """,
                binds: binds
            ),
            logger: logger
        ) {
            written.insert(try row["id"].decode(String.self))
        }
        return written
    }
}
