-- Open-hold totals (0004), per-second rate buckets (0012) and key spend counters (0009) are kept by
-- the ledger's writers in the transaction that writes the holds and entries, summed per batch,
-- instead of by per-row triggers. Why: reserve+settle runs one hold insert, one hold delete and one
-- entry insert per request; their triggers were a quarter of its CPU (the trigger program runs even
-- when its WHEN is false), while a batch of holds and settlements shares a few teams and seconds.
-- Every write to reservations and ledger_entries goes through SQLiteLedger (holds: admission,
-- extension, group commit, reclaim; entries: its one insert path), which now does what the triggers
-- did; an older Tollgate refuses a ledger with this migration, so no writer without it remains.
-- The counters are unchanged: nothing to recompute. The append-only guards on ledger_entries stay.
DROP TRIGGER reservations_total_insert;
DROP TRIGGER reservations_total_delete;
DROP TRIGGER reservations_total_update;
DROP TRIGGER rate_buckets_admit;
DROP TRIGGER rate_buckets_unhold;
DROP TRIGGER rate_buckets_settle;
DROP TRIGGER key_budget_counters_follow;
