-- Requests and tokens per minute from per-second counters, PostgreSQL dialect of
-- migrations/sqlite/0012_rate_buckets.sql (the reasons and the rules are there). Every write to a
-- team's or key's buckets happens under its team row lock (admissions FOR NO KEY UPDATE, settlements
-- and reclaims FOR SHARE), so the sums admission reads hold for all replicas together.
CREATE TABLE rate_buckets (
    scope        TEXT   NOT NULL CHECK (scope IN ('team', 'key')),
    owner        BIGINT NOT NULL,
    slot         BIGINT NOT NULL CHECK (slot BETWEEN 0 AND 59),
    epoch_second BIGINT NOT NULL,
    requests     BIGINT NOT NULL,
    tokens       BIGINT NOT NULL,
    PRIMARY KEY (scope, owner, slot)
);
CREATE FUNCTION rate_buckets_add(bucket_scope TEXT, bucket_owner BIGINT, occurred BIGINT, added BIGINT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO rate_buckets AS b (scope, owner, slot, epoch_second, requests, tokens)
    VALUES (bucket_scope, bucket_owner, (occurred / 1000) % 60, occurred / 1000, 1, added)
    ON CONFLICT (scope, owner, slot) DO UPDATE SET
        requests = CASE WHEN b.epoch_second = excluded.epoch_second THEN b.requests + 1
                        WHEN b.epoch_second > excluded.epoch_second THEN b.requests ELSE 1 END,
        tokens = CASE WHEN b.epoch_second = excluded.epoch_second THEN b.tokens + excluded.tokens
                      WHEN b.epoch_second > excluded.epoch_second THEN b.tokens ELSE excluded.tokens END,
        epoch_second = GREATEST(b.epoch_second, excluded.epoch_second)
$$;
CREATE FUNCTION rate_buckets_correct(bucket_owner_team BIGINT, bucket_owner_key BIGINT, occurred BIGINT, delta BIGINT) RETURNS void LANGUAGE sql AS $$
    UPDATE rate_buckets SET tokens = tokens + delta
    WHERE ((scope = 'team' AND owner = bucket_owner_team) OR (scope = 'key' AND owner = bucket_owner_key))
      AND slot = (occurred / 1000) % 60 AND epoch_second = occurred / 1000
$$;
CREATE FUNCTION rate_buckets_admit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM rate_buckets_add('team', NEW.team_id, NEW.occurred_at, NEW.estimated_tokens);
    IF NEW.key_id IS NOT NULL THEN
        PERFORM rate_buckets_add('key', NEW.key_id, NEW.occurred_at, NEW.estimated_tokens);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER rate_buckets_admit AFTER INSERT ON reservations
    FOR EACH ROW WHEN (NEW.estimated_tokens IS NOT NULL) EXECUTE FUNCTION rate_buckets_admit();
CREATE FUNCTION rate_buckets_unhold() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM rate_buckets_correct(OLD.team_id, OLD.key_id, OLD.occurred_at, -OLD.estimated_tokens);
    RETURN NULL;
END
$$;
CREATE TRIGGER rate_buckets_unhold AFTER DELETE ON reservations
    FOR EACH ROW WHEN (OLD.estimated_tokens IS NOT NULL) EXECUTE FUNCTION rate_buckets_unhold();
CREATE FUNCTION rate_buckets_settle() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM rate_buckets_correct(NEW.team_id, NEW.key_id, NEW.occurred_at, NEW.input_tokens + NEW.output_tokens);
    RETURN NULL;
END
$$;
CREATE TRIGGER rate_buckets_settle AFTER INSERT ON ledger_entries
    FOR EACH ROW WHEN (NEW.kind = 'usage') EXECUTE FUNCTION rate_buckets_settle();
