import Foundation
import PostgresNIO
import TollgateCore
import TollgateStorage

/// Keeps `usage_rollups` in step with `ledger_entries` inside the inserting transaction, as
/// `UsageRollup` does for SQLite: one upsert statement for a batch's distinct keys, in key order so
/// two replicas upserting the same keys lock them in the same order.
enum PostgresRollup {
    static let columns = """
        bucket_start, team_id, model, kind, price_version, fx_version, entries, input_tokens, cached_input_tokens,
        output_tokens, reconciled_entries, local_input_tokens, local_output_tokens, upstream_input_tokens,
        upstream_output_tokens, charge_usd_nanos, charge_cny_nanos, official_usd_nanos, baseline_cny_nanos,
        cache_write_5m_tokens, cache_write_1h_tokens, reasoning_tokens
        """
    static let summed = [
        "entries", "input_tokens", "cached_input_tokens", "output_tokens", "reconciled_entries", "local_input_tokens",
        "local_output_tokens", "upstream_input_tokens", "upstream_output_tokens", "charge_usd_nanos", "charge_cny_nanos",
        "official_usd_nanos", "baseline_cny_nanos", "cache_write_5m_tokens", "cache_write_1h_tokens", "reasoning_tokens",
    ]

    static func add(_ entries: [LedgerEntry], on connection: PostgresConnection, logger: Logger) async throws {
        let sums = UsageRollup.sums(entries).sorted { lhs, rhs in
            (lhs.key.bucket, lhs.key.teamID, lhs.key.model, lhs.key.kind, lhs.key.priceVersion, lhs.key.fxVersion)
                < (rhs.key.bucket, rhs.key.teamID, rhs.key.model, rhs.key.kind, rhs.key.priceVersion, rhs.key.fxVersion)
        }
        let update = summed.map { "\($0) = usage_rollups.\($0) + excluded.\($0)" }.joined(separator: ", ")
        for start in stride(from: 0, to: sums.count, by: 1000) {
            let chunk = sums[start..<min(start + 1000, sums.count)]
            var values: [String] = []
            var binds = PostgresBindings(capacity: chunk.count * 22)
            for (row, (key, totals)) in chunk.enumerated() {
                values.append("(" + (1...22).map { "$\(row * 22 + $0)" }.joined(separator: ", ") + ")")
                binds.append(key.bucket)
                binds.append(key.teamID)
                binds.append(key.model)
                binds.append(key.kind)
                binds.append(key.priceVersion)
                binds.append(key.fxVersion)
                for value in [
                    totals.entries, totals.inputTokens, totals.cachedInputTokens, totals.outputTokens, totals.reconciledEntries,
                    totals.localInputTokens, totals.localOutputTokens, totals.upstreamInputTokens, totals.upstreamOutputTokens,
                    totals.chargeUSD.nanos, totals.chargeCNY.nanos, totals.officialUSD.nanos, totals.baselineCNY.nanos,
                    totals.cacheWrite5mTokens, totals.cacheWrite1hTokens, totals.reasoningTokens,
                ] { binds.append(value) }
            }
            let sql = """
                INSERT INTO usage_rollups (\(columns)) VALUES \(values.joined(separator: ", "))
                ON CONFLICT (bucket_start, team_id, model, kind, price_version, fx_version) DO UPDATE SET \(update)
                """
            try await connection.run(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        }
    }

    /// The rollup's totals columns, summed, after six key columns (as `UsageRollup.totalsColumns`).
    static let totalsColumns = summed.map { "SUM(\($0))::BIGINT" }.joined(separator: ", ")

    /// The same computed from raw entries.
    static let rawTotalsColumns = """
        COUNT(*)::BIGINT, SUM(input_tokens)::BIGINT, SUM(cached_input_tokens)::BIGINT, SUM(output_tokens)::BIGINT,
        SUM(reconciled)::BIGINT, SUM(CASE WHEN reconciled = 1 THEN local_input_tokens ELSE 0 END)::BIGINT,
        SUM(CASE WHEN reconciled = 1 THEN local_output_tokens ELSE 0 END)::BIGINT,
        SUM(CASE WHEN reconciled = 1 THEN input_tokens ELSE 0 END)::BIGINT,
        SUM(CASE WHEN reconciled = 1 THEN output_tokens ELSE 0 END)::BIGINT,
        SUM(charge_usd_nanos)::BIGINT, SUM(charge_cny_nanos)::BIGINT, SUM(official_usd_nanos)::BIGINT, SUM(baseline_cny_nanos)::BIGINT,
        SUM(cache_write_5m_tokens)::BIGINT, SUM(cache_write_1h_tokens)::BIGINT, SUM(reasoning_tokens)::BIGINT
        """

    /// Raw entries with the rollup's key expressions and the reconciliation flag.
    static let rawEntries = """
        (SELECT occurred_at - ((occurred_at % 900000) + 900000) % 900000 AS bucket_start, occurred_at, team_id, key_id,
                COALESCE(model, '') AS model, kind, COALESCE(price_version, '') AS price_version,
                COALESCE(fx_version, '') AS fx_version, input_tokens, cached_input_tokens, output_tokens,
                local_input_tokens, local_output_tokens, charge_usd_nanos, charge_cny_nanos, official_usd_nanos,
                baseline_cny_nanos, cache_write_5m_tokens, cache_write_1h_tokens, reasoning_tokens,
                CASE WHEN token_source = 'upstream' AND local_input_tokens IS NOT NULL AND local_output_tokens IS NOT NULL
                     THEN 1 ELSE 0 END AS reconciled
         FROM ledger_entries)
        """

    /// Reads totals from `row` starting at column `offset`.
    static func totals(_ row: PostgresRandomAccessRow, from offset: Int) throws -> UsageTotals {
        func value(_ index: Int) throws -> Int64 { try row[offset + index].decode(Int64?.self) ?? 0 }
        var totals = UsageTotals()
        totals.entries = try value(0)
        totals.inputTokens = try value(1)
        totals.cachedInputTokens = try value(2)
        totals.outputTokens = try value(3)
        totals.reconciledEntries = try value(4)
        totals.localInputTokens = try value(5)
        totals.localOutputTokens = try value(6)
        totals.upstreamInputTokens = try value(7)
        totals.upstreamOutputTokens = try value(8)
        totals.chargeUSD = Money(nanos: try value(9), .usd)
        totals.chargeCNY = Money(nanos: try value(10), .cny)
        totals.officialUSD = Money(nanos: try value(11), .usd)
        totals.baselineCNY = Money(nanos: try value(12), .cny)
        totals.cacheWrite5mTokens = try value(13)
        totals.cacheWrite1hTokens = try value(14)
        totals.reasoningTokens = try value(15)
        return totals
    }
}
