-- 007: the database names its kiosk, and a slip a printer never confirmed
-- is not called printed.
--
-- Why:
-- * `kiosk_identity` (one row) holds the `[kiosk] id` of the kiosk the
--   database belongs to. With the SQLite application id the kiosk sets in
--   the file's header, it is how the kiosk tells its own database from an
--   empty SQLite file, another program's database or another kiosk's: those
--   are refused and never written, so numbering can never start again at
--   000001 in a file that only looked like a database. `kiosk_id` is NULL
--   only in a database made without a configuration (tests, benchmarks);
--   the first kiosk that opens it then names itself.
-- * `print_jobs.state` gains 'unconfirmed': the slip was sent to a network
--   printer but the printer never said it printed it (no status after the
--   cut). It is final like 'printed' and 'failed'; staff see it and reprint
--   when the visitor has no slip. SQLite cannot change a CHECK constraint in
--   place, so the table is built again with the same rows.

CREATE TABLE kiosk_identity (
    only        INTEGER PRIMARY KEY CHECK (only = 1),
    kiosk_id    TEXT,
    stamped_ms  INTEGER NOT NULL
);

CREATE TABLE print_jobs_007 (
    id          INTEGER PRIMARY KEY,
    record_id   TEXT    NOT NULL REFERENCES records (id),
    state       TEXT    NOT NULL DEFAULT 'pending'
                        CHECK (state IN ('pending', 'printed', 'failed', 'unconfirmed')),
    reason      TEXT,                                                -- why it failed or was not confirmed
    copies      INTEGER NOT NULL DEFAULT 1 CHECK (copies >= 1),
    duplicate   INTEGER NOT NULL DEFAULT 0 CHECK (duplicate IN (0, 1)), -- a reprint, marked as such
    created_ms  INTEGER NOT NULL,
    updated_ms  INTEGER NOT NULL
);

INSERT INTO print_jobs_007 (id, record_id, state, reason, copies, duplicate, created_ms, updated_ms)
SELECT id, record_id, state, reason, copies, duplicate, created_ms, updated_ms FROM print_jobs;

DROP TABLE print_jobs;
ALTER TABLE print_jobs_007 RENAME TO print_jobs;

CREATE INDEX print_jobs_state ON print_jobs (state, id);
CREATE INDEX print_jobs_record ON print_jobs (record_id);
