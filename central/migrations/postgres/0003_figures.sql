-- Why: the satisfaction page must answer within 300 ms over a year of
-- ratings (about a million), on SQLite and PostgreSQL alike. Counting the
-- ratings table row by row cannot; so the intake keeps running tallies,
-- one row per kiosk, Europe/Sofia day and hour, service, desk and score
-- (and per reason for the reasons), added to in the same transaction that
-- stores the rating. The page adds up a few thousand tally rows instead.
-- `at_utc` gives each rating its instant in UTC, so "the last hour" of the
-- alert compares like with like whatever offset a kiosk wrote.
-- `desk_settings` holds what an admin sets on the pages (the alert's
-- threshold).

CREATE TABLE rating_tally (
    kiosk_id    TEXT NOT NULL,
    local_date  TEXT NOT NULL,   -- YYYY-MM-DD in Europe/Sofia
    local_hour  BIGINT NOT NULL, -- 0-23 in Europe/Sofia
    weekday     BIGINT NOT NULL, -- 0 Monday .. 6 Sunday
    service     TEXT NOT NULL,   -- '' when the visitor did not say
    desk        TEXT NOT NULL,   -- '' when the visitor did not say
    score       BIGINT NOT NULL CHECK (score BETWEEN 1 AND 5),
    n           BIGINT NOT NULL,
    PRIMARY KEY (local_date, kiosk_id, local_hour, service, desk, score)
);

CREATE TABLE rating_reason_tally (
    kiosk_id    TEXT NOT NULL,
    local_date  TEXT NOT NULL,
    service     TEXT NOT NULL,
    desk        TEXT NOT NULL,
    reason      TEXT NOT NULL,
    score       BIGINT NOT NULL CHECK (score BETWEEN 1 AND 5),
    n           BIGINT NOT NULL,
    PRIMARY KEY (local_date, kiosk_id, service, desk, reason, score)
);

ALTER TABLE ratings ADD COLUMN at_utc TEXT;
CREATE INDEX ratings_at_utc ON ratings(at_utc);

CREATE TABLE desk_settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
