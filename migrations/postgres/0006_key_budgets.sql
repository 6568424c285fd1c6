-- Per-key budgets, PostgreSQL dialect of migrations/sqlite/0009_key_budgets.sql: a key may carry its
-- own limit and period under its team's budget, in the team's currency; NULL: no budget of its own.
ALTER TABLE api_keys ADD COLUMN budget_nanos BIGINT CHECK (budget_nanos IS NULL OR budget_nanos > 0);
ALTER TABLE api_keys ADD COLUMN budget_currency TEXT CHECK (budget_currency IS NULL OR budget_currency IN ('USD', 'CNY'));
ALTER TABLE api_keys ADD COLUMN budget_period TEXT CHECK (budget_period IS NULL OR budget_period IN ('monthly', 'weekly', 'daily', 'total'));
CREATE INDEX ledger_entries_key_occurred ON ledger_entries (key_id, occurred_at) WHERE key_id IS NOT NULL;
CREATE INDEX reservations_key ON reservations (key_id) WHERE key_id IS NOT NULL;
