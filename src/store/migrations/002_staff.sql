-- 002: staff mode.
--
-- Why:
-- * `rating_tally_service`, `rating_tally_desk` and `rating_tally_reason`
--   keep running counts of ratings per Sofia day, demo flag, rejected flag,
--   service (or desk, or reason) and score. A year's summary then reads a
--   few thousand rows instead of every rating (the target is under 100 ms
--   with a million ratings a year). Triggers keep them exact: a new rating
--   adds one, a rating the central system rejects moves from rejected = 0
--   to rejected = 1. Records are never deleted, and erasing personal data
--   touches none of the counted columns, so nothing else changes them.
--   `''` stands for "not said" (a rating without service or desk).
-- * `staff_audit` is the trail of everything done in staff mode: logins,
--   failed PINs, summaries, exports, prints, answers marked. It holds no
--   PIN and no personal data, only what was done, to what and when.
-- * `staff_lockout` (one row) keeps the count of wrong PINs in a row and
--   the time of the last one, so a power cycle does not reset a lockout.

CREATE TABLE rating_tally_service (
    local_date  TEXT    NOT NULL,
    demo        INTEGER NOT NULL,
    rejected    INTEGER NOT NULL,
    service     TEXT    NOT NULL,
    score       INTEGER NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (local_date, demo, rejected, service, score)
) WITHOUT ROWID;

CREATE TABLE rating_tally_desk (
    local_date  TEXT    NOT NULL,
    demo        INTEGER NOT NULL,
    rejected    INTEGER NOT NULL,
    desk        TEXT    NOT NULL,
    score       INTEGER NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (local_date, demo, rejected, desk, score)
) WITHOUT ROWID;

CREATE TABLE rating_tally_reason (
    local_date  TEXT    NOT NULL,
    demo        INTEGER NOT NULL,
    rejected    INTEGER NOT NULL,
    reason      TEXT    NOT NULL,
    score       INTEGER NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (local_date, demo, rejected, reason, score)
) WITHOUT ROWID;

-- The ratings already stored.
INSERT INTO rating_tally_service (local_date, demo, rejected, service, score, n)
SELECT r.local_date, r.demo, coalesce(o.state = 'rejected', 0), coalesce(r.service, ''), r.score, count(*)
FROM records r LEFT JOIN outbox o ON o.record_id = r.id
WHERE r.kind = 'rating'
GROUP BY 1, 2, 3, 4, 5;

INSERT INTO rating_tally_desk (local_date, demo, rejected, desk, score, n)
SELECT r.local_date, r.demo, coalesce(o.state = 'rejected', 0), coalesce(r.desk, ''), r.score, count(*)
FROM records r LEFT JOIN outbox o ON o.record_id = r.id
WHERE r.kind = 'rating'
GROUP BY 1, 2, 3, 4, 5;

INSERT INTO rating_tally_reason (local_date, demo, rejected, reason, score, n)
SELECT r.local_date, r.demo, coalesce(o.state = 'rejected', 0), x.reason, r.score, count(*)
FROM records r JOIN rating_reasons x ON x.record_id = r.id LEFT JOIN outbox o ON o.record_id = r.id
WHERE r.kind = 'rating'
GROUP BY 1, 2, 3, 4, 5;

CREATE TRIGGER rating_tally_insert AFTER INSERT ON records WHEN NEW.kind = 'rating'
BEGIN
    INSERT INTO rating_tally_service (local_date, demo, rejected, service, score, n)
    VALUES (NEW.local_date, NEW.demo, 0, coalesce(NEW.service, ''), NEW.score, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO rating_tally_desk (local_date, demo, rejected, desk, score, n)
    VALUES (NEW.local_date, NEW.demo, 0, coalesce(NEW.desk, ''), NEW.score, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER rating_tally_reason_insert AFTER INSERT ON rating_reasons
BEGIN
    INSERT INTO rating_tally_reason (local_date, demo, rejected, reason, score, n)
    SELECT r.local_date, r.demo, coalesce((SELECT o.state = 'rejected' FROM outbox o WHERE o.record_id = r.id), 0),
           NEW.reason, r.score, 1
    FROM records r WHERE r.id = NEW.record_id AND r.kind = 'rating'
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER rating_tally_rejected AFTER UPDATE OF state ON outbox
WHEN NEW.state = 'rejected' AND OLD.state <> 'rejected'
BEGIN
    UPDATE rating_tally_service SET n = n - 1
    WHERE (local_date, demo, rejected, service, score) IN
          (SELECT local_date, demo, 0, coalesce(service, ''), score FROM records
           WHERE id = NEW.record_id AND kind = 'rating');
    INSERT INTO rating_tally_service (local_date, demo, rejected, service, score, n)
    SELECT local_date, demo, 1, coalesce(service, ''), score, 1 FROM records
    WHERE id = NEW.record_id AND kind = 'rating'
    ON CONFLICT DO UPDATE SET n = n + 1;

    UPDATE rating_tally_desk SET n = n - 1
    WHERE (local_date, demo, rejected, desk, score) IN
          (SELECT local_date, demo, 0, coalesce(desk, ''), score FROM records
           WHERE id = NEW.record_id AND kind = 'rating');
    INSERT INTO rating_tally_desk (local_date, demo, rejected, desk, score, n)
    SELECT local_date, demo, 1, coalesce(desk, ''), score, 1 FROM records
    WHERE id = NEW.record_id AND kind = 'rating'
    ON CONFLICT DO UPDATE SET n = n + 1;

    UPDATE rating_tally_reason SET n = n - 1
    WHERE (local_date, demo, rejected, reason, score) IN
          (SELECT r.local_date, r.demo, 0, x.reason, r.score
           FROM records r JOIN rating_reasons x ON x.record_id = r.id
           WHERE r.id = NEW.record_id AND r.kind = 'rating');
    INSERT INTO rating_tally_reason (local_date, demo, rejected, reason, score, n)
    SELECT r.local_date, r.demo, 1, x.reason, r.score, 1
    FROM records r JOIN rating_reasons x ON x.record_id = r.id
    WHERE r.id = NEW.record_id AND r.kind = 'rating'
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

-- Complaints by filing date, for the register and the summaries.
CREATE INDEX records_complaint_date ON records (local_date) WHERE kind = 'complaint';

CREATE TABLE staff_audit (
    id          INTEGER PRIMARY KEY,
    at_ms       INTEGER NOT NULL,                   -- UTC ms
    at          TEXT    NOT NULL,                   -- RFC 3339, Europe/Sofia
    action      TEXT    NOT NULL,                   -- e.g. login_pin, export
    outcome     TEXT    NOT NULL CHECK (outcome IN ('ok', 'refused', 'failed')),
    detail      TEXT    NOT NULL DEFAULT ''         -- period, receipt number, file; never personal data
);

CREATE INDEX staff_audit_at ON staff_audit (at_ms);

CREATE TABLE staff_lockout (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    failures        INTEGER NOT NULL CHECK (failures >= 0),
    last_failure_ms INTEGER
);
