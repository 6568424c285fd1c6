-- Requests and tokens per minute from per-second counters (issue #21), instead of counting the last
-- minute's holds and entries on every admission, which grew with the requests in the minute (the
-- admission rate fell by 92 % with a per-minute limit set). One row per team or key and second of
-- the minute (slot = epoch second % 60), overwritten by the same second of the next minute, so a
-- team or key has at most 60 rows and admission sums at most 60. A hold carries estimated_tokens
-- (prompt + max_tokens) exactly when a per-minute limit applies to its team or key, and only those
-- holds are counted: admitting one adds a request and its estimate to its second; settling it
-- swaps the estimate for the real input + output (the entry's occurred_at is the admission's);
-- releasing it drops the estimate and keeps the request. Counting starts afresh at this migration.
CREATE TABLE rate_buckets (
    scope        TEXT    NOT NULL CHECK (scope IN ('team', 'key')),
    owner        INTEGER NOT NULL,
    slot         INTEGER NOT NULL CHECK (slot BETWEEN 0 AND 59),
    epoch_second INTEGER NOT NULL,
    requests     INTEGER NOT NULL,
    tokens       INTEGER NOT NULL,
    PRIMARY KEY (scope, owner, slot)
) WITHOUT ROWID;

-- A slot holding an older second starts over; one holding a newer second (a request dated more than
-- a minute before the latest) is left alone: that request is outside every window the slot serves.
CREATE TRIGGER rate_buckets_admit AFTER INSERT ON reservations WHEN NEW.estimated_tokens IS NOT NULL
BEGIN
    INSERT INTO rate_buckets (scope, owner, slot, epoch_second, requests, tokens)
    VALUES ('team', NEW.team_id, (NEW.occurred_at / 1000) % 60, NEW.occurred_at / 1000, 1, NEW.estimated_tokens)
    ON CONFLICT (scope, owner, slot) DO UPDATE SET
        requests = CASE WHEN epoch_second = excluded.epoch_second THEN requests + 1
                        WHEN epoch_second > excluded.epoch_second THEN requests ELSE 1 END,
        tokens = CASE WHEN epoch_second = excluded.epoch_second THEN tokens + excluded.tokens
                      WHEN epoch_second > excluded.epoch_second THEN tokens ELSE excluded.tokens END,
        epoch_second = MAX(epoch_second, excluded.epoch_second);
    INSERT INTO rate_buckets (scope, owner, slot, epoch_second, requests, tokens)
    SELECT 'key', NEW.key_id, (NEW.occurred_at / 1000) % 60, NEW.occurred_at / 1000, 1, NEW.estimated_tokens
    WHERE NEW.key_id IS NOT NULL
    ON CONFLICT (scope, owner, slot) DO UPDATE SET
        requests = CASE WHEN epoch_second = excluded.epoch_second THEN requests + 1
                        WHEN epoch_second > excluded.epoch_second THEN requests ELSE 1 END,
        tokens = CASE WHEN epoch_second = excluded.epoch_second THEN tokens + excluded.tokens
                      WHEN epoch_second > excluded.epoch_second THEN tokens ELSE excluded.tokens END,
        epoch_second = MAX(epoch_second, excluded.epoch_second);
END;

CREATE TRIGGER rate_buckets_unhold AFTER DELETE ON reservations WHEN OLD.estimated_tokens IS NOT NULL
BEGIN
    UPDATE rate_buckets SET tokens = tokens - OLD.estimated_tokens
    WHERE scope = 'team' AND owner = OLD.team_id AND slot = (OLD.occurred_at / 1000) % 60 AND epoch_second = OLD.occurred_at / 1000;
    UPDATE rate_buckets SET tokens = tokens - OLD.estimated_tokens
    WHERE scope = 'key' AND owner = OLD.key_id AND slot = (OLD.occurred_at / 1000) % 60 AND epoch_second = OLD.occurred_at / 1000;
END;

-- Only rows that exist change: a team or key without a per-minute limit has none, so its entries
-- cost one primary-key probe each. No WHEN EXISTS (rows of this team or key) gate: SQLite runs a
-- trigger's WHEN inside the trigger's program, so entering it (the per-entry cost) stays, and the
-- gate measured no cheaper (release ledger-append, 300,000 entries).
CREATE TRIGGER rate_buckets_settle AFTER INSERT ON ledger_entries WHEN NEW.kind = 'usage'
BEGIN
    UPDATE rate_buckets SET tokens = tokens + NEW.input_tokens + NEW.output_tokens
    WHERE scope = 'team' AND owner = NEW.team_id AND slot = (NEW.occurred_at / 1000) % 60 AND epoch_second = NEW.occurred_at / 1000;
    UPDATE rate_buckets SET tokens = tokens + NEW.input_tokens + NEW.output_tokens
    WHERE scope = 'key' AND owner = NEW.key_id AND slot = (NEW.occurred_at / 1000) % 60 AND epoch_second = NEW.occurred_at / 1000;
END;
