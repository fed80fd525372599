-- 003: the central-system contract 1.1, and receipt numbers that never repeat.
--
-- Why:
-- * `outbox.hold` marks a pending record the sync worker skips:
--   'held' (the central system refused it alone with 400, 422 or 413 while
--   taking other records: contract 1.1 says keep it, never reject it) or
--   'set_aside' (the kiosk cannot read or encode it: broken JSON, invalid
--   UTF-8 in a stored field). `hold_reason` says why for staff (the HTTP
--   code and the start of the answer, or what could not be read),
--   `hold_version` is the software version that decided it: a newer version
--   tries the record again by itself, staff can put it back at any time.
--   The state stays 'pending': the record has not reached the central
--   system, and every count of waiting records includes it.
-- * `number_floors` holds, per receipt prefix and year, the highest
--   sequence known to be on a visitor's slip already even if this database
--   does not hold it: the central system's `highest_numbers` (contract 1.1
--   updates), `kiosk init --next-number`, `kiosk db recover`. A new number
--   is always above the floor, above the counter and above every number
--   stored, so a database restored from an old copy, or one whose counter
--   row was damaged, never hands out a number twice.
-- * Staff can put a rejected record back in the queue; the rating tallies
--   of migration 002 then count it again (`rating_tally_requeued`).

ALTER TABLE outbox ADD COLUMN hold TEXT CHECK (hold IN ('held', 'set_aside'));
ALTER TABLE outbox ADD COLUMN hold_reason TEXT;
ALTER TABLE outbox ADD COLUMN hold_version TEXT;
ALTER TABLE outbox ADD COLUMN held_ms INTEGER;

CREATE TABLE number_floors (
    prefix      TEXT    NOT NULL,
    year        INTEGER NOT NULL,
    highest     INTEGER NOT NULL CHECK (highest >= 0),
    source      TEXT    NOT NULL,                   -- central, init, recover
    updated_ms  INTEGER NOT NULL,
    PRIMARY KEY (prefix, year)
) WITHOUT ROWID;

CREATE TRIGGER rating_tally_requeued AFTER UPDATE OF state ON outbox
WHEN OLD.state = 'rejected' AND NEW.state <> 'rejected'
BEGIN
    UPDATE rating_tally_service SET n = n - 1
    WHERE (local_date, demo, rejected, service, score) IN
          (SELECT local_date, demo, 1, coalesce(service, ''), score FROM records
           WHERE id = NEW.record_id AND kind = 'rating');
    INSERT INTO rating_tally_service (local_date, demo, rejected, service, score, n)
    SELECT local_date, demo, 0, coalesce(service, ''), score, 1 FROM records
    WHERE id = NEW.record_id AND kind = 'rating'
    ON CONFLICT DO UPDATE SET n = n + 1;

    UPDATE rating_tally_desk SET n = n - 1
    WHERE (local_date, demo, rejected, desk, score) IN
          (SELECT local_date, demo, 1, coalesce(desk, ''), score FROM records
           WHERE id = NEW.record_id AND kind = 'rating');
    INSERT INTO rating_tally_desk (local_date, demo, rejected, desk, score, n)
    SELECT local_date, demo, 0, coalesce(desk, ''), score, 1 FROM records
    WHERE id = NEW.record_id AND kind = 'rating'
    ON CONFLICT DO UPDATE SET n = n + 1;

    UPDATE rating_tally_reason SET n = n - 1
    WHERE (local_date, demo, rejected, reason, score) IN
          (SELECT r.local_date, r.demo, 1, x.reason, r.score
           FROM records r JOIN rating_reasons x ON x.record_id = r.id
           WHERE r.id = NEW.record_id AND r.kind = 'rating');
    INSERT INTO rating_tally_reason (local_date, demo, rejected, reason, score, n)
    SELECT r.local_date, r.demo, 0, x.reason, r.score, 1
    FROM records r JOIN rating_reasons x ON x.record_id = r.id
    WHERE r.id = NEW.record_id AND r.kind = 'rating'
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
