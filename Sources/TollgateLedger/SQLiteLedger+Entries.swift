import Foundation
import GRDB
import TollgateCore
import TollgateStorage

extension SQLiteLedger {
    public func append(_ entries: [LedgerEntry]) async throws {
        guard !entries.isEmpty else { return }
        do {
            try await pool.write { db in try Self.insert(entries, into: db) }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw LedgerError(.rejected, "the ledger refused the entries, nothing was written: \(error.message ?? "constraint failed")")
        }
    }

    /// Inserts within the caller's transaction through one cached prepared statement, and adds the
    /// entries to the usage rollup, the team and key budget counters and the rate buckets in the
    /// same transaction, so none can disagree with the entries. Every entry insert comes through
    /// here: since migration 0014 no trigger keeps the key counters and buckets.
    static func insert(_ entries: [LedgerEntry], into db: Database) throws {
        guard !entries.isEmpty else { return }
        try EntryInsertion(database: db).insert(entries)
        try UsageRollup.add(entries, into: db)
        try BudgetCounters.add(entries, into: db)
        try KeyBudgetCounters.add(entries, into: db)
        var buckets = RateBuckets.Changes()
        buckets.settle(entries)
        try buckets.write(into: db)
    }

    public func spend(teamID: Int64, currency: Currency, in window: PeriodWindow) async throws -> Money {
        Money(
            nanos: try await pool.read { db in
                try BudgetCounters.spentNanos(db, teamID: teamID, currency: currency, window: window, create: false)
            },
            currency
        )
    }

    public func reserved(teamID: Int64, currency: Currency) async throws -> Money {
        Money(nanos: try await pool.read { db in try Self.reservedNanos(db, teamID: teamID, currency: currency) }, currency)
    }

    public func entries(teamID: Int64?, from: Date?, to: Date?, limit: Int) async throws -> [LedgerEntry] {
        let (lower, upper) = Timestamp.bounds(from, to)
        return try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM ledger_entries
                    WHERE (?1 IS NULL OR team_id = ?1) AND occurred_at >= ?2 AND occurred_at < ?3
                    ORDER BY occurred_at, id LIMIT ?4
                    """,
                arguments: [teamID, lower, upper, limit]
            ).map(Self.entry)
        }
    }

    static func entry(_ row: Row) throws -> LedgerEntry {
        LedgerEntry.stored(
            id: row["id"],
            kind: LedgerEntry.Kind(rawValue: row["kind"]) ?? .correction,
            teamID: row["team_id"],
            keyID: row["key_id"],
            requestID: row["request_id"],
            model: (row["model"] as String?).map(ModelID.init(rawValue:)),
            usage: try TokenUsage(
                inputTokens: row["input_tokens"],
                cachedInputTokens: row["cached_input_tokens"],
                cacheWrite5mTokens: row["cache_write_5m_tokens"],
                cacheWrite1hTokens: row["cache_write_1h_tokens"],
                outputTokens: row["output_tokens"],
                reasoningTokens: row["reasoning_tokens"]
            ),
            localInputTokens: row["local_input_tokens"],
            localOutputTokens: row["local_output_tokens"],
            tokenSource: (row["token_source"] as String?).flatMap(TokenSource.init(rawValue:)),
            outcome: row["outcome"],
            admission: row["admission"],
            priceVersion: row["price_version"],
            fxVersion: row["fx_version"],
            chargeUSD: Money(nanos: row["charge_usd_nanos"], .usd),
            chargeCNY: Money(nanos: row["charge_cny_nanos"], .cny),
            officialUSD: Money(nanos: row["official_usd_nanos"], .usd),
            baselineCNY: Money(nanos: row["baseline_cny_nanos"], .cny),
            reason: row["reason"],
            occurredAt: Timestamp.date(row["occurred_at"]),
            recordedAt: Timestamp.date(row["recorded_at"]),
            usageCheck: (row["usage_check"] as String?).flatMap(UsageCheck.init(rawValue:)),
            overrunNanos: row["overrun_nanos"]
        )
    }
}
