-- Prompt tokens written to the provider's prompt cache, PostgreSQL dialect of
-- migrations/sqlite/0008_cache_writes.sql: split by cache lifetime (each has its own price), both
-- parts of input_tokens. Entries written before this migration carried none, so 0 is their value.
ALTER TABLE ledger_entries ADD COLUMN cache_write_5m_tokens BIGINT NOT NULL DEFAULT 0;
ALTER TABLE ledger_entries ADD COLUMN cache_write_1h_tokens BIGINT NOT NULL DEFAULT 0;
