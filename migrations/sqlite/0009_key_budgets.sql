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
