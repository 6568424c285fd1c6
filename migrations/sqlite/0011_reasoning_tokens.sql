-- The reasoning part of an entry's output tokens (OpenAI's completion_tokens_details.reasoning_tokens,
-- else Tollgate's count of DeepSeek's reasoning_content), kept apart so reports can show it. It is
-- part of output_tokens and priced as output: no charge moves. The rollup sums it for reports.
-- Entries written before this migration recorded no split, so 0 is what they carry (not a claim
-- that they had no reasoning); no backfill is possible.
ALTER TABLE ledger_entries ADD COLUMN reasoning_tokens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE usage_rollups ADD COLUMN reasoning_tokens INTEGER NOT NULL DEFAULT 0;
