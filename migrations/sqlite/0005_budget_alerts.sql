-- Budget alerts: per-team thresholds, and an outbox of alerts claimed once per (team, budget
-- period, threshold) with one delivery row per webhook. A claim commits before anything is sent,
-- so a crash between claim and delivery still delivers after a restart (at least once; receivers
-- de-duplicate on the alert id), and the unique key means a restart never claims the same alert twice.

-- A team's own thresholds, as '50,80,100,exhausted' ('' = alerts off); no row = the defaults.
CREATE TABLE alert_thresholds (
    team_id    INTEGER PRIMARY KEY REFERENCES teams (id),
    thresholds TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
);

-- One row per announced threshold and budget period; the figures are those at the crossing.
-- period_start is the window start in ms (the smallest integer for a budget that never resets).
CREATE TABLE budget_alerts (
    id           INTEGER PRIMARY KEY,
    team_id      INTEGER NOT NULL REFERENCES teams (id),
    team_name    TEXT    NOT NULL,
    period_start INTEGER NOT NULL,
    period_end   INTEGER,
    threshold    TEXT    NOT NULL,
    limit_nanos  INTEGER NOT NULL,
    spent_nanos  INTEGER NOT NULL,
    currency     TEXT    NOT NULL CHECK (currency IN ('USD', 'CNY')),
    occurred_at  INTEGER NOT NULL,
    UNIQUE (team_id, period_start, threshold)
);

-- One row per alert and webhook: pending until delivered or given up after the last attempt.
CREATE TABLE budget_alert_deliveries (
    id              INTEGER PRIMARY KEY,
    alert_id        INTEGER NOT NULL REFERENCES budget_alerts (id),
    webhook         TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    delivered_at    INTEGER,
    abandoned_at    INTEGER,
    last_error      TEXT,
    UNIQUE (alert_id, webhook)
);
CREATE INDEX budget_alert_deliveries_pending ON budget_alert_deliveries (next_attempt_at)
    WHERE delivered_at IS NULL AND abandoned_at IS NULL;
