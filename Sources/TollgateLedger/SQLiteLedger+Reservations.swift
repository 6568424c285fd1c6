import Foundation
import GRDB
import TollgateCore
import TollgateStorage

extension SQLiteLedger {
    public func reserve(
        _ draft: ReservationDraft,
        decide: @escaping @Sendable (Team, BudgetStatus) throws -> AdmissionDecision
    ) async throws -> ReservationGrant {
        try await admit(.init(draft: draft, decide: decide))
    }

    public func extendHold(
        _ draft: ReservationDraft,
        decide: @escaping @Sendable (Team, BudgetStatus) throws -> AdmissionDecision
    ) async throws -> ReservationGrant {
        try await admit(.init(draft: draft, extendsHold: true, decide: decide))
    }

    private func admit(_ request: AdmissionQueue.Request) async throws -> ReservationGrant {
        try await admissions.reserve(request) { [pool] batch in
            try await pool.writeWithoutTransaction { db in try Self.admitInTransaction(db, batch) }
        }
    }

    /// Decides `requests` in order in one IMMEDIATE transaction, one result each: a request that
    /// fails (a reused id) fails alone, and the open-hold totals its neighbours changed are written
    /// before the transaction commits.
    static func admitInTransaction(_ db: Database, _ requests: [AdmissionQueue.Request]) throws -> [Result<ReservationGrant, any Error>] {
        var results: [Result<ReservationGrant, any Error>] = []
        try db.inTransaction(.immediate) {
            var batch = AdmissionBatch()
            results = requests.map { request in
                Result {
                    try Self.reserveInTransaction(
                        db,
                        draft: request.draft,
                        extendsHold: request.extendsHold,
                        batch: &batch,
                        decide: request.decide
                    )
                }
            }
            try batch.totals.write(into: db)
            return .commit
        }
        return results
    }

    /// Reads the team's budget and, if `decide` grants a hold, writes it — inside the caller's
    /// IMMEDIATE transaction, which took the write lock before reading, so no other process or
    /// connection can admit against the same numbers between the read and the insert. `batch`
    /// carries what earlier admissions of the same transaction read, so a team is read once per
    /// batch, and the open-hold totals they changed; the caller writes `batch.totals` before commit.
    static func reserveInTransaction(
        _ db: Database,
        draft: ReservationDraft,
        extendsHold: Bool = false,
        batch: inout AdmissionBatch,
        decide: (Team, BudgetStatus) throws -> AdmissionDecision
    ) throws -> ReservationGrant {
        let (team, teamStatus) =
            try batch.snapshot.status(teamID: draft.teamID, at: draft.occurredAt)
            ?? readStatus(db, draft: draft, into: &batch)
        // A key with a budget of its own: the tighter of the two decides. A key is read once per
        // batch (its row, and for a budget its spend and open holds, which summing per request
        // cost ~100 µs with 1,000 holds open); requests without a key (the benches) read nothing.
        var key: KeyLimits?
        var keyBudget: KeyBudgetStatus?
        if let keyID = draft.keyID {
            if let known = batch.snapshot.key(keyID, at: draft.occurredAt) {
                (key, keyBudget) = known
            } else if let read = try Self.keyLimits(db, keyID: keyID) {
                key = read
                keyBudget = try Self.keyStatus(db, key: read, team: team, at: draft.occurredAt)
                batch.snapshot.remember(key: read, budget: keyBudget)
            }
        }
        let (status, scope) = keyBudget?.binding(team: teamStatus) ?? (teamStatus, .team)
        let decision = try decide(team, status)
        // Rate limits: only for a new request the budget admits, and only when the team or key has any.
        var rate: RateLimitCheck?
        if !extendsHold, let tokens = decision.maxOutputTokens, !(team.limits.isEmpty && (key?.limits.isEmpty ?? true)) {
            let requestTokens = draft.prompt.inputTokens + tokens
            // Stream limits read the open-hold totals: the batch's earlier holds must be in them.
            try batch.totals.write(into: db)
            // A key's open holds are counted once per batch (1,000 open holds made it a scan of
            // 1,000 index entries per request), then kept with the batch's holds of that key.
            var keyStreams: Int?
            if let key, !key.limits.isEmpty {
                keyStreams = try batch.snapshot.streams(ofKey: key.id) ?? Self.openHolds(db, keyID: key.id)
                if let counted = keyStreams { batch.snapshot.remember(streams: counted, ofKey: key.id) }
            }
            rate = try Self.rateLimit(db, team: team, key: key, draft: draft, requestTokens: requestTokens, keyStreams: keyStreams)
            if rate?.allowed == false {
                return ReservationGrant(team: team, status: status, decision: decision, scope: scope, rateLimit: rate)
            }
        }
        if extendsHold, let hold = decision.hold {
            try Self.extendReservation(db, id: draft.id, by: hold, totals: &batch.totals)
            batch.snapshot.add(hold: hold, teamID: team.id, keyID: draft.keyID)
        } else if let hold = decision.hold {
            // A hold under a per-minute limit carries its token estimate, which the buckets count
            // (`RateBuckets`); any other hold writes none and costs them nothing.
            let estimate = decision.maxOutputTokens.flatMap { tokens in
                RateUsage.counts(team: team.limits, key: key?.limits) ? draft.prompt.inputTokens + tokens : nil
            }
            do {
                let insertion = try batch.holdInsertion(db)
                if let estimate {
                    // The hold and its buckets stand or fall together, as when a trigger counted them.
                    try db.inSavepoint {
                        try insertion.insert(draft, hold: hold, admission: decision.name, estimatedTokens: estimate)
                        try RateBuckets.admit(
                            db,
                            teamID: draft.teamID,
                            keyID: draft.keyID,
                            occurredAt: Timestamp.millis(draft.occurredAt),
                            estimatedTokens: estimate
                        )
                        return .commit
                    }
                } else {
                    try insertion.insert(draft, hold: hold, admission: decision.name, estimatedTokens: nil)
                }
            } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY {
                // Only this statement is undone; the batch's other admissions stand.
                throw LedgerError(
                    .rejected,
                    "a hold with reservation id '\(draft.id)' already exists: nothing was reserved for this request; use a new id"
                )
            }
            batch.totals.add(teamID: draft.teamID, currency: hold.currency.rawValue, nanos: hold.nanos, holds: 1)
            batch.snapshot.add(hold: hold, teamID: team.id, keyID: draft.keyID)
            batch.snapshot.opened(streamOfKey: draft.keyID)
        }
        return ReservationGrant(team: team, status: status, decision: decision, scope: scope, rateLimit: rate)
    }

    private static func readStatus(_ db: Database, draft: ReservationDraft, into batch: inout AdmissionBatch) throws -> (Team, BudgetStatus) {
        // Cached statements: admission runs once per request, and compiling SQL each time (with
        // GRDB's authorizer) was the largest CPU cost of a reservation.
        let teamQuery = try db.cachedStatement(sql: "SELECT * FROM teams WHERE id = ?")
        guard let team = try Self.firstRow(teamQuery, arguments: [draft.teamID], Self.team) else {
            throw BudgetError(.unknownTeam, "no team with id \(draft.teamID)")
        }
        let currency = team.budget.limit.currency
        let window = team.budget.window(at: draft.occurredAt)
        // The totals are read below: the batch's earlier holds (of other teams, or of this team
        // in another window) must be in them.
        try batch.totals.write(into: db)
        let status = BudgetStatus(
            limit: team.budget.limit,
            spent: Money(nanos: try BudgetCounters.spentNanos(db, teamID: team.id, currency: currency, window: window, create: true), currency),
            reserved: Money(nanos: try Self.reservedNanos(db, teamID: team.id, currency: currency), currency),
            window: window
        )
        batch.snapshot.remember(team, status)
        return (team, status)
    }

    public func commit(_ batch: LedgerCommit) async throws -> LedgerCommitResult {
        guard !batch.isEmpty else { return LedgerCommitResult() }
        return try await pool.writeWithoutTransaction { db in
            var result = LedgerCommitResult()
            try db.inTransaction(.immediate) {
                result = LedgerCommitResult()
                let lease = Timestamp.millis(batch.leaseExpiresAt)
                let progress = try db.cachedStatement(
                    sql: """
                        UPDATE reservations SET output_tokens = MAX(output_tokens, ?), progress_at = ?, state = 'streaming',
                                                lease_expires_at = ?
                        WHERE id = ?
                        """
                )
                for record in batch.progress {
                    try progress.execute(arguments: [record.outputTokens, Timestamp.millis(record.at), lease, record.reservationID])
                }
                let renew = try db.cachedStatement(sql: "UPDATE reservations SET lease_expires_at = MAX(lease_expires_at, ?) WHERE id = ?")
                for id in batch.renewals { try renew.execute(arguments: [lease, id]) }
                // Settlements first, then releases: a hold both settled and released is billed.
                var totals = HoldTotals()
                var buckets = RateBuckets.Changes()
                let removal = try HoldRemoval(database: db)
                var removed = try removal.remove(batch.settlements.map(\.reservationID), totals: &totals, buckets: &buckets)
                var entries: [LedgerEntry] = []
                entries.reserveCapacity(batch.settlements.count)
                for settlement in batch.settlements {
                    // A hold already gone was settled by a reclaim: writing the entry would bill twice.
                    // Removed from the set once billed, so a settlement queued twice is billed once.
                    if removed.remove(settlement.reservationID) != nil {
                        entries.append(settlement.entry)
                        result.settled.insert(settlement.reservationID)
                    } else {
                        result.alreadySettled.insert(settlement.reservationID)
                    }
                }
                if !batch.releases.isEmpty { _ = try removal.remove(batch.releases, totals: &totals, buckets: &buckets) }
                try totals.write(into: db)
                try buckets.write(into: db)
                try Self.insert(entries, into: db)
                return .commit
            }
            return result
        }
    }

    public func openReservations(teamID: Int64?) async throws -> [OpenReservation] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM reservations WHERE ?1 IS NULL OR team_id = ?1 ORDER BY created_at, id",
                arguments: [teamID]
            ).map(Self.reservation)
        }
    }

    public func reclaimExpired(at instant: Date, settle: @escaping @Sendable (OpenReservation) throws -> LedgerEntry) async throws -> [LedgerEntry] {
        try await pool.writeWithoutTransaction { db in
            var reclaimed: [LedgerEntry] = []
            try db.inTransaction(.immediate) {
                let expired = try Row.fetchAll(
                    db,
                    sql: "SELECT * FROM reservations WHERE lease_expires_at < ? ORDER BY lease_expires_at",
                    arguments: [Timestamp.millis(instant)]
                ).map(Self.reservation)
                reclaimed = try expired.map(settle)
                var totals = HoldTotals()
                var buckets = RateBuckets.Changes()
                _ = try HoldRemoval(database: db).remove(expired.map(\.draft.id), totals: &totals, buckets: &buckets)
                try totals.write(into: db)
                try buckets.write(into: db)
                try Self.insert(reclaimed, into: db)
                return .commit
            }
            return reclaimed
        }
    }

    /// The key's own budget status, or `nil` when it has none. Spend is summed from the key's
    /// entries in its period (indexed by key and time, migration 0009) and holds from its open
    /// reservations, both inside the admission's transaction, so holds this batch wrote count.
    static func keyStatus(_ db: Database, key: KeyLimits, team: Team, at instant: Date) throws -> KeyBudgetStatus? {
        guard let budget = key.budget else { return nil }
        let keyID = key.id
        let currency = team.budget.limit.currency
        guard budget.limit.currency == currency else {
            throw KeyBudgetStatus.currencyMismatch(prefix: key.prefix, key: budget.limit.currency, team: currency)
        }
        let window = budget.window(at: instant, timeZone: team.budget.timeZone)
        let (start, end) = Timestamp.bounds(window.start, window.end)
        let held = try db.cachedStatement(sql: "SELECT COALESCE(SUM(held_nanos), 0) FROM reservations WHERE key_id = ? AND currency = ?")
        let status = BudgetStatus(
            limit: budget.limit,
            spent: Money(nanos: try keySpentNanos(db, keyID: keyID, currency: currency, start: start, end: end), currency),
            reserved: Money(nanos: try Int64.fetchOne(held, arguments: [keyID, currency.rawValue]) ?? 0, currency),
            window: window
        )
        return KeyBudgetStatus(prefix: key.prefix, budget: budget, status: status)
    }

    /// The key's spend in a window from its counter (migration 0009), creating the counter from a
    /// SUM of the key's entries the first time; the trigger keeps it from then on.
    static func keySpentNanos(_ db: Database, keyID: Int64, currency: Currency, start: Int64, end: Int64) throws -> Int64 {
        let column = currency == .usd ? "spent_usd_nanos" : "spent_cny_nanos"
        let counter = try db.cachedStatement(
            sql: "SELECT \(column) FROM key_budget_counters WHERE key_id = ? AND window_start = ? AND window_end = ?"
        )
        if let counted = try Int64.fetchOne(counter, arguments: [keyID, start, end]) { return counted }
        try db.execute(
            sql: """
                INSERT INTO key_budget_counters (key_id, window_start, window_end, spent_usd_nanos, spent_cny_nanos)
                SELECT ?1, ?2, ?3, COALESCE(SUM(charge_usd_nanos), 0), COALESCE(SUM(charge_cny_nanos), 0)
                FROM ledger_entries WHERE key_id = ?1 AND occurred_at >= ?2 AND occurred_at < ?3
                """,
            arguments: [keyID, start, end]
        )
        return try Int64.fetchOne(counter, arguments: [keyID, start, end]) ?? 0
    }

    /// How many holds of the key are open (its index counts them).
    static func openHolds(_ db: Database, keyID: Int64) throws -> Int {
        try Int.fetchOne(try db.cachedStatement(sql: "SELECT COUNT(*) FROM reservations WHERE key_id = ?"), arguments: [keyID]) ?? 0
    }

    static func reservedNanos(_ db: Database, teamID: Int64, currency: Currency) throws -> Int64 {
        // Kept by triggers on `reservations` (migration 0004), so this reads one row however many
        // streams are open.
        let query = try db.cachedStatement(sql: "SELECT held_nanos FROM reservation_totals WHERE team_id = ? AND currency = ?")
        return try Int64.fetchOne(query, arguments: [teamID, currency.rawValue]) ?? 0
    }

    /// Adds `amount` to an open hold, and to its team's open-hold total in `totals`; a hold already
    /// settled or reclaimed is not recreated.
    static func extendReservation(_ db: Database, id: String, by amount: Money, totals: inout HoldTotals) throws {
        let update = try db.cachedStatement(
            sql: "UPDATE reservations SET held_nanos = held_nanos + ? WHERE id = ? AND currency = ? RETURNING team_id"
        )
        guard let teamID = try Int64.fetchOne(update, arguments: [amount.nanos, id, amount.currency.rawValue]) else {
            throw LedgerError(
                .rejected,
                "no open hold with reservation id '\(id)' in \(amount.currency.rawValue): it was settled or reclaimed, so it cannot be extended"
            )
        }
        totals.add(teamID: teamID, currency: amount.currency.rawValue, nanos: amount.nanos, holds: 0)
    }

    static func reservation(_ row: Row) throws -> OpenReservation {
        let draft = ReservationDraft(
            id: row["id"],
            teamID: row["team_id"],
            keyID: row["key_id"],
            model: ModelID(rawValue: row["model"]),
            priceVersion: row["price_version"],
            fxVersion: row["fx_version"],
            prompt: try TokenUsage(
                inputTokens: row["input_tokens"],
                cachedInputTokens: row["cached_input_tokens"],
                cacheWrite5mTokens: row["cache_write_5m_tokens"],
                cacheWrite1hTokens: row["cache_write_1h_tokens"],
                outputTokens: 0
            ),
            tokenSource: TokenSource(rawValue: row["token_source"]) ?? .tokenizer,
            occurredAt: Timestamp.date(row["occurred_at"]),
            leaseExpiresAt: Timestamp.date(row["lease_expires_at"])
        )
        return OpenReservation(
            draft: draft,
            held: Money(nanos: row["held_nanos"], try Currency(code: row["currency"])),
            state: Reservation.State(rawValue: row["state"]) ?? .reserved,
            admission: row["admission"],
            outputTokens: row["output_tokens"],
            progressAt: (row["progress_at"] as Int64?).map(Timestamp.date),
            leaseExpiresAt: Timestamp.date(row["lease_expires_at"])
        )
    }
}
