-- Per-key budgets (issue #21): a key may carry its own limit and period under its team's budget, in
-- the team's currency. NULL columns: the key has no budget of its own (only the team's applies).
-- Admission sums the key's entries in its period and its open holds, so both get an index by key.
ALTER TABLE api_keys ADD COLUMN budget_nanos INTEGER CHECK (budget_nanos IS NULL OR budget_nanos > 0);
ALTER TABLE api_keys ADD COLUMN budget_currency TEXT CHECK (budget_currency IS NULL OR budget_currency IN ('USD', 'CNY'));
ALTER TABLE api_keys ADD COLUMN budget_period TEXT CHECK (budget_period IS NULL OR budget_period IN ('monthly', 'weekly', 'daily', 'total'));
CREATE INDEX ledger_entries_key_occurred ON ledger_entries (key_id, occurred_at) WHERE key_id IS NOT NULL;
CREATE INDEX reservations_key ON reservations (key_id) WHERE key_id IS NOT NULL;
-- Rate limits per team and per key (NULL: none): requests and tokens per minute, concurrent streams.
-- A hold's token estimate (prompt + max_tokens) is kept only when a token limit applies to it.
ALTER TABLE teams ADD COLUMN rpm_limit INTEGER CHECK (rpm_limit IS NULL OR rpm_limit > 0);
ALTER TABLE teams ADD COLUMN tpm_limit INTEGER CHECK (tpm_limit IS NULL OR tpm_limit > 0);
ALTER TABLE teams ADD COLUMN stream_limit INTEGER CHECK (stream_limit IS NULL OR stream_limit > 0);
ALTER TABLE api_keys ADD COLUMN rpm_limit INTEGER CHECK (rpm_limit IS NULL OR rpm_limit > 0);
ALTER TABLE api_keys ADD COLUMN tpm_limit INTEGER CHECK (tpm_limit IS NULL OR tpm_limit > 0);
ALTER TABLE api_keys ADD COLUMN stream_limit INTEGER CHECK (stream_limit IS NULL OR stream_limit > 0);
ALTER TABLE reservations ADD COLUMN estimated_tokens INTEGER;
-- A key's spend per budget window, as budget_counters does for teams: created by the first admission
-- of the window (from a SUM of the key's entries) and kept by this trigger on every later entry, so
-- admission reads one row however many entries the key has.
CREATE TABLE key_budget_counters (
    key_id          INTEGER NOT NULL,
    window_start    INTEGER NOT NULL,
    window_end      INTEGER NOT NULL,
    spent_usd_nanos INTEGER NOT NULL,
    spent_cny_nanos INTEGER NOT NULL,
    PRIMARY KEY (key_id, window_start, window_end)
);
CREATE TRIGGER key_budget_counters_follow AFTER INSERT ON ledger_entries WHEN NEW.key_id IS NOT NULL
BEGIN
    UPDATE key_budget_counters
    SET spent_usd_nanos = spent_usd_nanos + NEW.charge_usd_nanos, spent_cny_nanos = spent_cny_nanos + NEW.charge_cny_nanos
    WHERE key_id = NEW.key_id AND window_start <= NEW.occurred_at AND NEW.occurred_at < window_end;
END;
