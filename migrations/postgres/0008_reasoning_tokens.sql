-- The reasoning part of an entry's output tokens, PostgreSQL dialect of
-- migrations/sqlite/0011_reasoning_tokens.sql: part of output_tokens and priced as output (no charge
-- moves), kept apart so reports can show it; the rollup sums it. Older entries recorded no split: 0.
ALTER TABLE ledger_entries ADD COLUMN reasoning_tokens BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_rollups ADD COLUMN reasoning_tokens BIGINT NOT NULL DEFAULT 0;
