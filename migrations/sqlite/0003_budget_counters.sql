-- Running spend per team and budget window, so admission reads one row instead of summing a
-- period's entries (which grows with the ledger). A counter is created from one SUM over the
-- entries the first time a reservation needs its window, and from then on every insert adds to it
-- in the same transaction; entries are never updated or deleted, so it can't drift. Keyed by the
-- window's bounds, not by period names, so a changed period or time zone simply uses new rows.
CREATE TABLE budget_counters (
    team_id      INTEGER NOT NULL REFERENCES teams (id),
    window_start INTEGER NOT NULL,
    window_end   INTEGER NOT NULL,
    spent_usd_nanos INTEGER NOT NULL,
    spent_cny_nanos INTEGER NOT NULL,
    PRIMARY KEY (team_id, window_start, window_end)
) WITHOUT ROWID;
