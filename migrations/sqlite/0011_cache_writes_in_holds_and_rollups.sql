-- The cache-write part of a hold's prompt (Anthropic's cache_creation, priced per lifetime), so a
-- hold reclaimed after its process died is settled at the price its admission held it at, not at
-- the plain input price. Parts of input_tokens, like cached_input_tokens. Holds written before
-- this migration were taken without cache-write prices, so 0 is their true value.
ALTER TABLE reservations ADD COLUMN cache_write_5m_tokens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reservations ADD COLUMN cache_write_1h_tokens INTEGER NOT NULL DEFAULT 0;
