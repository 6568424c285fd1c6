-- How settlement judged the upstream's usage report (see ARCHITECTURE.md, Metering: untrusted
-- upstream usage). NULL: billed as reported, or on Tollgate's count when none came. 'invalid' and
-- 'under_reported': billed on Tollgate's own count instead. 'overrun': billed as reported, past the
-- stream's hold by overrun_nanos (in the hold's currency). Existing entries keep NULL.
ALTER TABLE ledger_entries ADD COLUMN usage_check TEXT CHECK (usage_check IN ('invalid', 'overrun', 'under_reported'));
ALTER TABLE ledger_entries ADD COLUMN overrun_nanos INTEGER;
