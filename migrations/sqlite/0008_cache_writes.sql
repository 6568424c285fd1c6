-- Prompt tokens written to the provider's prompt cache (Anthropic's cache_creation usage), split by
-- cache lifetime because each has its own price (ModelPrice cache_write_5m / cache_write_1h). Both
-- are parts of input_tokens, like cached_input_tokens. Entries written before this migration carried
-- none, so 0 is their true value, not a guess.
ALTER TABLE ledger_entries ADD COLUMN cache_write_5m_tokens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ledger_entries ADD COLUMN cache_write_1h_tokens INTEGER NOT NULL DEFAULT 0;
