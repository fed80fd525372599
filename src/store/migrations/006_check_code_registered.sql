-- 006: the complaint's check code and the registry's incoming number
-- (contract 1.2).
--
-- Why:
-- * `records.check_code` copies the `check_code` of a complaint's JSON (six
--   Crockford base32 characters, made when the record is written) into a
--   column, so that staff's register and `kiosk db recover` can read it
--   without parsing. It is not personal data and is never erased. Records
--   from before 1.2 have none (NULL) and keep working.
-- * `central_answers` learns the `registered` status, with the registry's
--   incoming number (at most 32 characters) and the day it was registered.
--   SQLite cannot widen a CHECK, so the table is made again and its rows
--   copied. A later answer (answered, extended, ...) replaces the status but
--   keeps the registry number and day, as it keeps the other dates.

ALTER TABLE records ADD COLUMN check_code TEXT;

UPDATE records SET check_code = json_extract(data, '$.check_code')
WHERE kind = 'complaint' AND json_extract(data, '$.check_code') IS NOT NULL;

CREATE TABLE central_answers_new (
    number          TEXT    NOT NULL UNIQUE,
    status          TEXT    NOT NULL
                    CHECK (status IN ('registered', 'answered', 'extended', 'not_examined')),
    answered_on     TEXT,
    new_due_date    TEXT,
    registry_number TEXT    CHECK (registry_number IS NULL OR length(registry_number) <= 32),
    registered_on   TEXT,
    received_ms     INTEGER NOT NULL
);

INSERT INTO central_answers_new (number, status, answered_on, new_due_date, received_ms)
SELECT number, status, answered_on, new_due_date, received_ms FROM central_answers;

DROP TABLE central_answers;

ALTER TABLE central_answers_new RENAME TO central_answers;
