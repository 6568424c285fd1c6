-- Tollgate ledger schema, SQLite dialect. Append-only: a shipped migration is never edited.
-- Amounts are INTEGER nanos (10^-9 of a unit); instants are INTEGER milliseconds since 1970 UTC.

CREATE TABLE teams (
    id                 INTEGER PRIMARY KEY,
    name               TEXT    NOT NULL UNIQUE,
    budget_nanos       INTEGER NOT NULL CHECK (budget_nanos > 0),
    currency           TEXT    NOT NULL CHECK (currency IN ('USD', 'CNY')),
    period             TEXT    NOT NULL CHECK (period IN ('monthly', 'weekly', 'daily', 'total')),
    soft_limit_percent INTEGER CHECK (soft_limit_percent BETWEEN 1 AND 100),
    on_exhausted       TEXT    NOT NULL CHECK (on_exhausted IN ('reject', 'clamp', 'soft')),
    time_zone          TEXT    NOT NULL,
    disabled           INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);

CREATE TABLE api_keys (
    id         INTEGER PRIMARY KEY,
    team_id    INTEGER NOT NULL REFERENCES teams (id),
    prefix     TEXT    NOT NULL UNIQUE,
    key_hash   BLOB    NOT NULL,
    label      TEXT,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX api_keys_team ON api_keys (team_id);

-- Every charge and credit. Usage rows carry the versions that priced them and every valuation
-- finance needs, computed once at write time; credits and corrections carry signed charges.
CREATE TABLE ledger_entries (
    id                  INTEGER PRIMARY KEY,
    kind                TEXT    NOT NULL CHECK (kind IN ('usage', 'credit', 'correction')),
    team_id             INTEGER NOT NULL REFERENCES teams (id),
    key_id              INTEGER REFERENCES api_keys (id),
    request_id          TEXT,
    model               TEXT,
    input_tokens        INTEGER NOT NULL DEFAULT 0,
    cached_input_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens       INTEGER NOT NULL DEFAULT 0,
    local_input_tokens  INTEGER,
    local_output_tokens INTEGER,
    token_source        TEXT CHECK (token_source IN ('upstream', 'tokenizer', 'estimate', 'imported')),
    outcome             TEXT,
    admission           TEXT,
    price_version       TEXT,
    fx_version          TEXT,
    charge_usd_nanos    INTEGER NOT NULL,
    charge_cny_nanos    INTEGER NOT NULL,
    official_usd_nanos  INTEGER NOT NULL DEFAULT 0,
    baseline_cny_nanos  INTEGER NOT NULL DEFAULT 0,
    reason              TEXT,
    occurred_at         INTEGER NOT NULL,
    recorded_at         INTEGER NOT NULL,
    CHECK (kind = 'usage' OR reason IS NOT NULL),
    CHECK (kind <> 'usage' OR (model IS NOT NULL AND price_version IS NOT NULL AND fx_version IS NOT NULL))
);
-- Idempotency: one entry per request id. Partial, so entries without one cost no index write.
CREATE UNIQUE INDEX ledger_entries_request ON ledger_entries (request_id) WHERE request_id IS NOT NULL;
CREATE INDEX ledger_entries_team_time ON ledger_entries (team_id, occurred_at);
CREATE INDEX ledger_entries_time ON ledger_entries (occurred_at);

CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only: record a correction instead'); END;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only: record a correction instead'); END;

-- Money held for streams still open, in the team's budget currency. A row lives from admission to
-- settlement and carries everything needed to settle it if its gateway dies: the prompt counted at
-- admission, the last durable output count, the versions that price it. The lease lets any process
-- reclaim a dead gateway's holds; the row's id becomes the settlement entry's request_id.
CREATE TABLE reservations (
    id                  TEXT    PRIMARY KEY,
    team_id             INTEGER NOT NULL REFERENCES teams (id),
    key_id              INTEGER REFERENCES api_keys (id),
    model               TEXT    NOT NULL,
    held_nanos          INTEGER NOT NULL CHECK (held_nanos >= 0),
    currency            TEXT    NOT NULL CHECK (currency IN ('USD', 'CNY')),
    state               TEXT    NOT NULL CHECK (state IN ('reserved', 'streaming')),
    admission           TEXT    NOT NULL,
    price_version       TEXT    NOT NULL,
    fx_version          TEXT    NOT NULL,
    input_tokens        INTEGER NOT NULL,
    cached_input_tokens INTEGER NOT NULL,
    output_tokens       INTEGER NOT NULL DEFAULT 0,
    token_source        TEXT    NOT NULL,
    occurred_at         INTEGER NOT NULL,
    progress_at         INTEGER,
    lease_expires_at    INTEGER NOT NULL,
    created_at          INTEGER NOT NULL
);
CREATE INDEX reservations_team ON reservations (team_id);
CREATE INDEX reservations_lease ON reservations (lease_expires_at);
