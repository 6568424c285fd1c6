-- Per-key budgets, PostgreSQL dialect of migrations/sqlite/0009_key_budgets.sql: a key may carry its
-- own limit and period under its team's budget, in the team's currency; NULL: no budget of its own.
ALTER TABLE api_keys ADD COLUMN budget_nanos BIGINT CHECK (budget_nanos IS NULL OR budget_nanos > 0);
ALTER TABLE api_keys ADD COLUMN budget_currency TEXT CHECK (budget_currency IS NULL OR budget_currency IN ('USD', 'CNY'));
ALTER TABLE api_keys ADD COLUMN budget_period TEXT CHECK (budget_period IS NULL OR budget_period IN ('monthly', 'weekly', 'daily', 'total'));
CREATE INDEX ledger_entries_key_occurred ON ledger_entries (key_id, occurred_at) WHERE key_id IS NOT NULL;
CREATE INDEX reservations_key ON reservations (key_id) WHERE key_id IS NOT NULL;
-- Rate limits per team and per key (NULL: none): requests and tokens per minute, concurrent streams.
-- A hold's token estimate (prompt + max_tokens) is kept only when a token limit applies to it.
ALTER TABLE teams ADD COLUMN rpm_limit BIGINT CHECK (rpm_limit IS NULL OR rpm_limit > 0);
ALTER TABLE teams ADD COLUMN tpm_limit BIGINT CHECK (tpm_limit IS NULL OR tpm_limit > 0);
ALTER TABLE teams ADD COLUMN stream_limit BIGINT CHECK (stream_limit IS NULL OR stream_limit > 0);
ALTER TABLE api_keys ADD COLUMN rpm_limit BIGINT CHECK (rpm_limit IS NULL OR rpm_limit > 0);
ALTER TABLE api_keys ADD COLUMN tpm_limit BIGINT CHECK (tpm_limit IS NULL OR tpm_limit > 0);
ALTER TABLE api_keys ADD COLUMN stream_limit BIGINT CHECK (stream_limit IS NULL OR stream_limit > 0);
ALTER TABLE reservations ADD COLUMN estimated_tokens BIGINT;
