import Foundation
import PostgresNIO
import TollgateCore
import TollgateStorage

extension PostgresLedger {
    /// Bound parameters per entry: one per name in `entryColumns`.
    static let columnCount = 27
    static let entryColumns = """
        kind, team_id, key_id, request_id, model, input_tokens, cached_input_tokens, output_tokens, local_input_tokens,
        local_output_tokens, token_source, outcome, price_version, fx_version, charge_usd_nanos, charge_cny_nanos,
        official_usd_nanos, baseline_cny_nanos, reason, occurred_at, recorded_at, admission, usage_check, overrun_nanos,
        cache_write_5m_tokens, cache_write_1h_tokens, reasoning_tokens
        """

    public func append(_ entries: [LedgerEntry]) async throws {
        guard !entries.isEmpty else { return }
        try await transaction("appending entries") { [logger] connection in
            try await Self.insert(entries, on: connection, logger: logger)
        }
    }

    /// Inserts entries inside the caller's transaction, with their rollup rows and budget counters.
    ///
    /// First it takes a `FOR SHARE` lock on each entry's team row (in id order, so two writers never
    /// deadlock on them). Admission holds `FOR NO KEY UPDATE` on the same row while it creates a
    /// budget counter from one SUM and reads it; the two locks conflict, so an insert either commits
    /// before the SUM (and is in it) or adds to the counter the admission created — never neither.
    /// Inserts don't conflict with each other: `FOR SHARE` locks are shared.
    static func insert(_ entries: [LedgerEntry], on connection: PostgresConnection, logger: Logger) async throws {
        guard !entries.isEmpty else { return }
        let teams = Array(Set(entries.map(\.teamID))).sorted()
        try await connection.run(.sql("SELECT id FROM teams WHERE id = ANY($1) ORDER BY id FOR SHARE") { $0.append(teams) }, logger: logger)
        for chunk in stride(from: 0, to: entries.count, by: 1000).map({ entries[$0..<min($0 + 1000, entries.count)] }) {
            var values: [String] = []
            var binds = PostgresBindings(capacity: chunk.count * columnCount)
            for (row, entry) in chunk.enumerated() {
                values.append("(" + (1...columnCount).map { "$\(row * columnCount + $0)" }.joined(separator: ", ") + ")")
                bind(entry, into: &binds)
            }
            let sql = "INSERT INTO ledger_entries (\(entryColumns)) VALUES \(values.joined(separator: ", "))"
            try await connection.run(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        }
        try await PostgresRollup.add(entries, on: connection, logger: logger)
        try await PostgresCounters.add(entries, on: connection, logger: logger)
    }

    static func bind(_ entry: LedgerEntry, into binds: inout PostgresBindings) {
        binds.append(entry.kind.rawValue)
        binds.append(entry.teamID)
        binds.append(entry.keyID)
        binds.append(entry.requestID)
        binds.append(entry.model?.rawValue)
        binds.append(Int64(entry.usage.inputTokens))
        binds.append(Int64(entry.usage.cachedInputTokens))
        binds.append(Int64(entry.usage.outputTokens))
        binds.append(entry.localInputTokens.map(Int64.init))
        binds.append(entry.localOutputTokens.map(Int64.init))
        binds.append(entry.tokenSource?.rawValue)
        binds.append(entry.outcome)
        binds.append(entry.priceVersion)
        binds.append(entry.fxVersion)
        binds.append(entry.chargeUSD.nanos)
        binds.append(entry.chargeCNY.nanos)
        binds.append(entry.officialUSD.nanos)
        binds.append(entry.baselineCNY.nanos)
        binds.append(entry.reason)
        binds.append(Timestamp.millis(entry.occurredAt))
        binds.append(Timestamp.millis(entry.recordedAt))
        binds.append(entry.admission)
        binds.append(entry.usageCheck?.rawValue)
        binds.append(entry.overrunNanos)
        binds.append(Int64(entry.usage.cacheWrite5mTokens))
        binds.append(Int64(entry.usage.cacheWrite1hTokens))
        binds.append(Int64(entry.usage.reasoningTokens))
    }

    public func spend(teamID: Int64, currency: Currency, in window: PeriodWindow) async throws -> Money {
        let (start, end) = Timestamp.bounds(window.start, window.end)
        return Money(
            nanos: try await read("reading spend") { [logger] connection in
                try await PostgresCounters.spent(teamID: teamID, start: start, end: end, on: connection, logger: logger)[currency == .usd ? 0 : 1]
            },
            currency
        )
    }

    public func reserved(teamID: Int64, currency: Currency) async throws -> Money {
        Money(
            nanos: try await read("reading holds") { [logger] connection in
                try await connection.rows(
                    .sql("SELECT COALESCE(SUM(held_nanos), 0)::BIGINT AS held FROM reservations WHERE team_id = $1 AND currency = $2") {
                        $0.append(teamID)
                        $0.append(currency.rawValue)
                    },
                    logger: logger
                )[0].int64("held")
            },
            currency
        )
    }

    public func entries(teamID: Int64?, from: Date?, to: Date?, limit: Int) async throws -> [LedgerEntry] {
        let (lower, upper) = Timestamp.bounds(from, to)
        return try await read("reading entries") { [logger] connection in
            try await connection.rows(
                .sql(
                    """
                    SELECT * FROM ledger_entries
                    WHERE ($1::BIGINT IS NULL OR team_id = $1) AND occurred_at >= $2 AND occurred_at < $3
                    ORDER BY occurred_at, id LIMIT $4
                    """
                ) {
                    $0.append(teamID)
                    $0.append(lower)
                    $0.append(upper)
                    $0.append(Int64(limit))
                },
                logger: logger
            ).map(Self.entry)
        }
    }

    static func entry(_ row: PostgresRandomAccessRow) throws -> LedgerEntry {
        LedgerEntry.stored(
            id: try row.int64("id"),
            kind: LedgerEntry.Kind(rawValue: try row.text("kind")) ?? .correction,
            teamID: try row.int64("team_id"),
            keyID: try row.optionalInt64("key_id"),
            requestID: try row.optionalText("request_id"),
            model: try row.optionalText("model").map(ModelID.init(rawValue:)),
            usage: try TokenUsage(
                inputTokens: try row.int("input_tokens"),
                cachedInputTokens: try row.int("cached_input_tokens"),
                cacheWrite5mTokens: try row.int("cache_write_5m_tokens"),
                cacheWrite1hTokens: try row.int("cache_write_1h_tokens"),
                outputTokens: try row.int("output_tokens"),
                reasoningTokens: try row.int("reasoning_tokens")
            ),
            localInputTokens: try row.optionalInt("local_input_tokens"),
            localOutputTokens: try row.optionalInt("local_output_tokens"),
            tokenSource: try row.optionalText("token_source").flatMap(TokenSource.init(rawValue:)),
            outcome: try row.optionalText("outcome"),
            admission: try row.optionalText("admission"),
            priceVersion: try row.optionalText("price_version"),
            fxVersion: try row.optionalText("fx_version"),
            chargeUSD: Money(nanos: try row.int64("charge_usd_nanos"), .usd),
            chargeCNY: Money(nanos: try row.int64("charge_cny_nanos"), .cny),
            officialUSD: Money(nanos: try row.int64("official_usd_nanos"), .usd),
            baselineCNY: Money(nanos: try row.int64("baseline_cny_nanos"), .cny),
            reason: try row.optionalText("reason"),
            occurredAt: Timestamp.date(try row.int64("occurred_at")),
            recordedAt: Timestamp.date(try row.int64("recorded_at")),
            usageCheck: try row.optionalText("usage_check").flatMap(UsageCheck.init(rawValue:)),
            overrunNanos: try row.optionalInt64("overrun_nanos")
        )
    }
}
