import Foundation
import GRDB
import TollgateCore
import TollgateStorage

/// Keeps `usage_rollups` in step with `ledger_entries`: a batch is summed in memory per key and
/// written with one UPSERT per distinct key, inside the transaction that inserts the entries, so
/// the two tables commit or roll back together.
///
/// Why in Swift rather than a trigger: a per-row trigger doubles the writes of an append; a batch
/// of gateway settlements shares a handful of keys, so summing first costs a few upserts per batch.
extension UsageRollup {
    static let upsertSQL = """
        INSERT INTO usage_rollups (
            bucket_start, team_id, model, kind, price_version, fx_version, entries, input_tokens, cached_input_tokens,
            output_tokens, reconciled_entries, local_input_tokens, local_output_tokens, upstream_input_tokens,
            upstream_output_tokens, charge_usd_nanos, charge_cny_nanos, official_usd_nanos, baseline_cny_nanos,
            cache_write_5m_tokens, cache_write_1h_tokens, reasoning_tokens)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (bucket_start, team_id, model, kind, price_version, fx_version) DO UPDATE SET
            entries = entries + excluded.entries,
            input_tokens = input_tokens + excluded.input_tokens,
            cached_input_tokens = cached_input_tokens + excluded.cached_input_tokens,
            output_tokens = output_tokens + excluded.output_tokens,
            reconciled_entries = reconciled_entries + excluded.reconciled_entries,
            local_input_tokens = local_input_tokens + excluded.local_input_tokens,
            local_output_tokens = local_output_tokens + excluded.local_output_tokens,
            upstream_input_tokens = upstream_input_tokens + excluded.upstream_input_tokens,
            upstream_output_tokens = upstream_output_tokens + excluded.upstream_output_tokens,
            charge_usd_nanos = charge_usd_nanos + excluded.charge_usd_nanos,
            charge_cny_nanos = charge_cny_nanos + excluded.charge_cny_nanos,
            official_usd_nanos = official_usd_nanos + excluded.official_usd_nanos,
            baseline_cny_nanos = baseline_cny_nanos + excluded.baseline_cny_nanos,
            cache_write_5m_tokens = cache_write_5m_tokens + excluded.cache_write_5m_tokens,
            cache_write_1h_tokens = cache_write_1h_tokens + excluded.cache_write_1h_tokens,
            reasoning_tokens = reasoning_tokens + excluded.reasoning_tokens
        """

    /// Adds `entries` to the rollup within the caller's transaction.
    static func add(_ entries: [LedgerEntry], into db: Database) throws {
        let statement = try db.cachedStatement(sql: upsertSQL)
        for (key, totals) in sums(entries) {
            try statement.execute(arguments: [
                key.bucket, key.teamID, key.model, key.kind, key.priceVersion, key.fxVersion,
                totals.entries, totals.inputTokens, totals.cachedInputTokens, totals.outputTokens,
                totals.reconciledEntries, totals.localInputTokens, totals.localOutputTokens,
                totals.upstreamInputTokens, totals.upstreamOutputTokens,
                totals.chargeUSD.nanos, totals.chargeCNY.nanos, totals.officialUSD.nanos, totals.baselineCNY.nanos,
                totals.cacheWrite5mTokens, totals.cacheWrite1hTokens, totals.reasoningTokens,
            ])
        }
    }

    /// The columns every rollup query returns after its six key columns, in `totals(row:)` order.
    static let totalsColumns = """
        SUM(entries), SUM(input_tokens), SUM(cached_input_tokens), SUM(output_tokens), SUM(reconciled_entries),
        SUM(local_input_tokens), SUM(local_output_tokens), SUM(upstream_input_tokens), SUM(upstream_output_tokens),
        SUM(charge_usd_nanos), SUM(charge_cny_nanos), SUM(official_usd_nanos), SUM(baseline_cny_nanos),
        SUM(cache_write_5m_tokens), SUM(cache_write_1h_tokens), SUM(reasoning_tokens)
        """

    /// The same columns computed from raw `ledger_entries` (the migration's backfill says the same in SQL).
    static let rawTotalsColumns = """
        COUNT(*), SUM(input_tokens), SUM(cached_input_tokens), SUM(output_tokens), SUM(reconciled),
        SUM(IIF(reconciled, local_input_tokens, 0)), SUM(IIF(reconciled, local_output_tokens, 0)),
        SUM(IIF(reconciled, input_tokens, 0)), SUM(IIF(reconciled, output_tokens, 0)),
        SUM(charge_usd_nanos), SUM(charge_cny_nanos), SUM(official_usd_nanos), SUM(baseline_cny_nanos),
        SUM(cache_write_5m_tokens), SUM(cache_write_1h_tokens), SUM(reasoning_tokens)
        """

    /// Raw entries with the rollup's key expressions and the reconciliation flag, to select from.
    static let rawEntries = """
        (SELECT occurred_at - ((occurred_at % 900000) + 900000) % 900000 AS bucket_start, occurred_at, team_id, key_id,
                COALESCE(model, '') AS model, kind, COALESCE(price_version, '') AS price_version,
                COALESCE(fx_version, '') AS fx_version, input_tokens, cached_input_tokens, output_tokens,
                local_input_tokens, local_output_tokens, charge_usd_nanos, charge_cny_nanos, official_usd_nanos,
                baseline_cny_nanos, cache_write_5m_tokens, cache_write_1h_tokens, reasoning_tokens,
                IIF(token_source = 'upstream' AND local_input_tokens IS NOT NULL AND local_output_tokens IS NOT NULL, 1, 0)
                    AS reconciled
         FROM ledger_entries)
        """

    /// Reads totals from `row`, starting at column `offset`.
    static func totals(_ row: Row, from offset: Int) -> UsageTotals {
        var totals = UsageTotals()
        totals.entries = row[offset]
        totals.inputTokens = row[offset + 1]
        totals.cachedInputTokens = row[offset + 2]
        totals.outputTokens = row[offset + 3]
        totals.reconciledEntries = row[offset + 4]
        totals.localInputTokens = row[offset + 5]
        totals.localOutputTokens = row[offset + 6]
        totals.upstreamInputTokens = row[offset + 7]
        totals.upstreamOutputTokens = row[offset + 8]
        totals.chargeUSD = Money(nanos: row[offset + 9], .usd)
        totals.chargeCNY = Money(nanos: row[offset + 10], .cny)
        totals.officialUSD = Money(nanos: row[offset + 11], .usd)
        totals.baselineCNY = Money(nanos: row[offset + 12], .cny)
        totals.cacheWrite5mTokens = row[offset + 13] ?? 0
        totals.cacheWrite1hTokens = row[offset + 14] ?? 0
        totals.reasoningTokens = row[offset + 15] ?? 0
        return totals
    }
}

extension UsageRollup.Key {
    init(row: Row) {
        self.init(bucket: row[0], teamID: row[1], model: row[2], kind: row[3], priceVersion: row[4], fxVersion: row[5])
    }
}
