-- The cache-write part of a hold's prompt (Anthropic's cache_creation, priced per lifetime), so a
-- hold reclaimed after its process died is settled at the price its admission held it at, not at
-- the plain input price. Parts of input_tokens, like cached_input_tokens. Holds written before
-- this migration were taken without cache-write prices, so 0 is their true value.
ALTER TABLE reservations ADD COLUMN cache_write_5m_tokens BIGINT NOT NULL DEFAULT 0;
ALTER TABLE reservations ADD COLUMN cache_write_1h_tokens BIGINT NOT NULL DEFAULT 0;

-- Cache writes in the usage rollup, so `report usage` and the savings report show them (issue #19).
-- Entries written since 0005 may carry cache writes: their rollup rows get them from the entries.
ALTER TABLE usage_rollups ADD COLUMN cache_write_5m_tokens BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_rollups ADD COLUMN cache_write_1h_tokens BIGINT NOT NULL DEFAULT 0;
UPDATE usage_rollups
SET cache_write_5m_tokens = written.five_minutes, cache_write_1h_tokens = written.one_hour
FROM (
    SELECT occurred_at - ((occurred_at % 900000) + 900000) % 900000 AS bucket_start, team_id,
           COALESCE(model, '') AS model, kind, COALESCE(price_version, '') AS price_version,
           COALESCE(fx_version, '') AS fx_version,
           SUM(cache_write_5m_tokens) AS five_minutes, SUM(cache_write_1h_tokens) AS one_hour
    FROM ledger_entries
    WHERE cache_write_5m_tokens <> 0 OR cache_write_1h_tokens <> 0
    GROUP BY 1, 2, 3, 4, 5, 6
) AS written
WHERE usage_rollups.bucket_start = written.bucket_start AND usage_rollups.team_id = written.team_id
  AND usage_rollups.model = written.model AND usage_rollups.kind = written.kind
  AND usage_rollups.price_version = written.price_version AND usage_rollups.fx_version = written.fx_version;
