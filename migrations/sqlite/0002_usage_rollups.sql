-- Usage rollups: ledger entries summed per 15-minute UTC bucket, so a monthly report reads a few
-- thousand rows instead of millions. Every real time zone's offset is a multiple of 15 minutes, so
-- a month or a day in any zone is a whole number of buckets. The ledger's append writes entries and
-- their rollup rows in one transaction; `tollgate report verify` recomputes this table from the
-- entries and compares. Text keys use '' for "none" (credits have no model or price version),
-- because NULL never equals NULL in a primary key.

CREATE TABLE usage_rollups (
    bucket_start           INTEGER NOT NULL,  -- milliseconds UTC, a multiple of 900000
    team_id                INTEGER NOT NULL REFERENCES teams (id),
    model                  TEXT    NOT NULL,
    kind                   TEXT    NOT NULL,
    price_version          TEXT    NOT NULL,
    fx_version             TEXT    NOT NULL,
    entries                INTEGER NOT NULL,
    input_tokens           INTEGER NOT NULL,
    cached_input_tokens    INTEGER NOT NULL,
    output_tokens          INTEGER NOT NULL,
    -- Reconciliation: entries whose tokens came from the upstream and that also carry local counts.
    reconciled_entries     INTEGER NOT NULL,
    local_input_tokens     INTEGER NOT NULL,
    local_output_tokens    INTEGER NOT NULL,
    upstream_input_tokens  INTEGER NOT NULL,
    upstream_output_tokens INTEGER NOT NULL,
    charge_usd_nanos       INTEGER NOT NULL,
    charge_cny_nanos       INTEGER NOT NULL,
    official_usd_nanos     INTEGER NOT NULL,
    baseline_cny_nanos     INTEGER NOT NULL,
    PRIMARY KEY (bucket_start, team_id, model, kind, price_version, fx_version)
) WITHOUT ROWID;

-- Ledgers created before this migration get their rollup from the entries they already hold.
INSERT INTO usage_rollups
SELECT occurred_at - ((occurred_at % 900000) + 900000) % 900000,
       team_id, COALESCE(model, ''), kind, COALESCE(price_version, ''), COALESCE(fx_version, ''),
       COUNT(*), SUM(input_tokens), SUM(cached_input_tokens), SUM(output_tokens),
       SUM(reconciled), SUM(IIF(reconciled, local_input_tokens, 0)), SUM(IIF(reconciled, local_output_tokens, 0)),
       SUM(IIF(reconciled, input_tokens, 0)), SUM(IIF(reconciled, output_tokens, 0)),
       SUM(charge_usd_nanos), SUM(charge_cny_nanos), SUM(official_usd_nanos), SUM(baseline_cny_nanos)
FROM (
    SELECT *, IIF(token_source = 'upstream' AND local_input_tokens IS NOT NULL AND local_output_tokens IS NOT NULL, 1, 0)
              AS reconciled
    FROM ledger_entries
)
GROUP BY 1, 2, 3, 4, 5, 6;
