-- What each team holds in open reservations, kept by triggers so admission reads one row instead of
-- summing every open hold of the team (1,000 open streams made that the largest cost of admitting
-- the next one). Holds are only inserted and deleted, and their amount never changes; the UPDATE
-- trigger keeps the total right even if that ever stops being true.
CREATE TABLE reservation_totals (
    team_id    INTEGER NOT NULL REFERENCES teams (id),
    currency   TEXT    NOT NULL,
    held_nanos INTEGER NOT NULL,
    open_holds INTEGER NOT NULL,
    PRIMARY KEY (team_id, currency)
) WITHOUT ROWID;

INSERT INTO reservation_totals (team_id, currency, held_nanos, open_holds)
SELECT team_id, currency, SUM(held_nanos), COUNT(*) FROM reservations GROUP BY team_id, currency;

CREATE TRIGGER reservations_total_insert AFTER INSERT ON reservations
BEGIN
    INSERT INTO reservation_totals (team_id, currency, held_nanos, open_holds)
    VALUES (NEW.team_id, NEW.currency, NEW.held_nanos, 1)
    ON CONFLICT (team_id, currency) DO UPDATE SET
        held_nanos = held_nanos + excluded.held_nanos, open_holds = open_holds + 1;
END;

CREATE TRIGGER reservations_total_delete AFTER DELETE ON reservations
BEGIN
    UPDATE reservation_totals SET held_nanos = held_nanos - OLD.held_nanos, open_holds = open_holds - 1
    WHERE team_id = OLD.team_id AND currency = OLD.currency;
END;

CREATE TRIGGER reservations_total_update AFTER UPDATE OF held_nanos, team_id, currency ON reservations
BEGIN
    UPDATE reservation_totals SET held_nanos = held_nanos - OLD.held_nanos, open_holds = open_holds - 1
    WHERE team_id = OLD.team_id AND currency = OLD.currency;
    INSERT INTO reservation_totals (team_id, currency, held_nanos, open_holds)
    VALUES (NEW.team_id, NEW.currency, NEW.held_nanos, 1)
    ON CONFLICT (team_id, currency) DO UPDATE SET
        held_nanos = held_nanos + excluded.held_nanos, open_holds = open_holds + 1;
END;
