-- How settlement judged the upstream's usage report, PostgreSQL dialect of
-- migrations/sqlite/0006_usage_checks.sql. NULL: billed as reported, or on Tollgate's count when
-- none came. 'invalid' and 'under_reported': billed on Tollgate's own count instead. 'overrun':
-- billed as reported, past the stream's hold by overrun_nanos (in the hold's currency).
ALTER TABLE ledger_entries ADD COLUMN usage_check TEXT CHECK (usage_check IN ('invalid', 'overrun', 'under_reported'));
ALTER TABLE ledger_entries ADD COLUMN overrun_nanos BIGINT;
