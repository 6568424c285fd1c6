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

-- The reservations table holds only open holds (a few thousand at most), so its two secondary
-- indexes cost more than they save: every hold insert and delete wrote both, and every progress
-- write and lease renewal moved its row in the lease index, while their readers are rare and scan
-- a small table (the reclaimer every 30 s, a team's open holds when a `budget_busy` refusal counts
-- them or an admin lists them, a recount of buckets when a team's limits change).
-- The index on key_id stays: admission sums a key's open holds with it.
DROP INDEX reservations_team;
DROP INDEX reservations_lease;
