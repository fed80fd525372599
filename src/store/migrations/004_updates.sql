-- 004: what the municipality tells the kiosk (contract 1.1 updates), and
-- the registry desk's copy of each complaint.
--
-- Why:
-- * `central_answers` keeps, per receipt number, what the central system
--   says happened to a complaint: answered (on a date), extended (to a new
--   due date; the filer was told why), not examined (as the charter
--   allows). A visitor checking a receipt and staff's register read it; it
--   is kept even for a number whose record this database lost. A later
--   answer for the same number replaces the status and keeps dates it does
--   not repeat. A rowid table, so `kiosk db recover` copies it.
-- * `updates_state` holds the updates cursor (`since`), the version of the
--   last configuration fragment applied and the error of the last one
--   refused, so a restart neither applies a fragment twice nor forgets why
--   one was refused. Not copied by `kiosk db recover`: without a cursor
--   the central system sends everything again.
-- * `records.registered_on` is the day the registry desk's copy of a
--   complaint was printed or exported (Деловодство registers it then);
--   personal data is erased only once a complaint is delivered and
--   registered.

CREATE TABLE central_answers (
    number       TEXT    NOT NULL UNIQUE,
    status       TEXT    NOT NULL CHECK (status IN ('answered', 'extended', 'not_examined')),
    answered_on  TEXT,
    new_due_date TEXT,
    received_ms  INTEGER NOT NULL
);

CREATE TABLE updates_state (
    key   TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

ALTER TABLE records ADD COLUMN registered_on TEXT;
