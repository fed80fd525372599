-- 001: the kiosk's first schema.
--
-- Why this shape:
-- * `records` holds one row per rating, complaint or staff call, forever. The
--   columns a staff summary counts by (kind, date, score, service, desk,
--   complaint type, category, due date, answer date) are plain indexed
--   columns, so summaries never parse JSON. `data` is the contract's JSON body
--   with the personal fields blanked; it is the source of truth when a record
--   is read back.
-- * `personal_data` holds what the privacy rules say must be erased after
--   delivery (name, address, phone, e-mail, free text). Erasing deletes its
--   row; the record, its number, dates and category stay.
-- * `record_flags` and `rating_reasons` hold the lists a summary counts by
--   (one row per flag or reason), again so no JSON is parsed.
-- * `counters` hands out receipt numbers: one row per (prefix, year), bumped
--   in the same transaction that writes the record, so there are no gaps and
--   no duplicates across crashes.
-- * `outbox` is the store-and-forward queue to the central system.
-- * `print_jobs` is the queue of receipts for the printer; a failed print
--   keeps its row so staff can reprint.
-- Times: `*_ms` columns are UTC milliseconds since the Unix epoch (sortable);
-- `created_at` is the RFC 3339 text in Europe/Sofia sent to the central system.

CREATE TABLE records (
    id                  TEXT    PRIMARY KEY NOT NULL,               -- UUIDv7
    kind                TEXT    NOT NULL CHECK (kind IN ('rating', 'complaint', 'staff_call')),
    number              TEXT    UNIQUE,                              -- e.g. KV1-2026-000042; NULL if none
    created_at          TEXT    NOT NULL,                            -- RFC 3339, Europe/Sofia offset
    created_ms          INTEGER NOT NULL,                            -- UTC ms, for ordering
    local_date          TEXT    NOT NULL,                            -- YYYY-MM-DD in Europe/Sofia
    clock_trusted       INTEGER NOT NULL CHECK (clock_trusted IN (0, 1)),
    demo                INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
    lang                TEXT    NOT NULL,
    score               INTEGER CHECK (score BETWEEN 1 AND 5),       -- ratings
    service             TEXT,                                        -- ratings: catalogue id
    desk                TEXT,                                        -- ratings: desk id
    complaint_type      TEXT    CHECK (complaint_type IN ('complaint', 'signal', 'proposal', 'praise')),
    category            TEXT,                                        -- complaints: category id
    anonymous           INTEGER CHECK (anonymous IN (0, 1)),         -- complaints
    has_contact         INTEGER CHECK (has_contact IN (0, 1)),       -- complaints: an answer can be sent
    due_date            TEXT,                                        -- YYYY-MM-DD, written answer due
    answered_on         TEXT,                                        -- YYYY-MM-DD, set by staff later
    personal_erased     INTEGER NOT NULL DEFAULT 0 CHECK (personal_erased IN (0, 1)),
    data                TEXT    NOT NULL                             -- contract JSON, personal fields blanked
);

CREATE INDEX records_created ON records (created_ms);
CREATE INDEX records_kind_date ON records (kind, local_date);
CREATE INDEX records_service ON records (service) WHERE service IS NOT NULL;
CREATE INDEX records_desk ON records (desk) WHERE desk IS NOT NULL;
CREATE INDEX records_category ON records (complaint_type, category) WHERE kind = 'complaint';
CREATE INDEX records_due ON records (due_date) WHERE due_date IS NOT NULL AND answered_on IS NULL;

CREATE TABLE personal_data (
    record_id   TEXT PRIMARY KEY NOT NULL REFERENCES records (id) ON DELETE CASCADE,
    name        TEXT NOT NULL DEFAULT '',
    address     TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    email       TEXT NOT NULL DEFAULT '',
    free_text   TEXT NOT NULL DEFAULT ''                             -- complaint text or rating comment
) WITHOUT ROWID;

CREATE TABLE record_flags (
    record_id   TEXT NOT NULL REFERENCES records (id) ON DELETE CASCADE,
    flag        TEXT NOT NULL,
    PRIMARY KEY (record_id, flag)
) WITHOUT ROWID;

CREATE INDEX record_flags_flag ON record_flags (flag);

CREATE TABLE rating_reasons (
    record_id   TEXT NOT NULL REFERENCES records (id) ON DELETE CASCADE,
    reason      TEXT NOT NULL,
    PRIMARY KEY (record_id, reason)
) WITHOUT ROWID;

CREATE INDEX rating_reasons_reason ON rating_reasons (reason);

CREATE TABLE counters (
    prefix          TEXT    NOT NULL,
    year            INTEGER NOT NULL,
    last_sequence   INTEGER NOT NULL CHECK (last_sequence >= 1),
    PRIMARY KEY (prefix, year)
) WITHOUT ROWID;

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,                             -- queue order
    record_id       TEXT    NOT NULL UNIQUE REFERENCES records (id),
    state           TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'rejected')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_attempt_ms INTEGER,
    last_error      TEXT,                                            -- why the last attempt failed
    rejected_reason TEXT,                                            -- the central system's reason
    delivered_ms    INTEGER
);

CREATE INDEX outbox_state ON outbox (state, id);
CREATE INDEX outbox_delivered ON outbox (delivered_ms) WHERE state = 'delivered';

CREATE TABLE print_jobs (
    id          INTEGER PRIMARY KEY,
    record_id   TEXT    NOT NULL REFERENCES records (id),
    state       TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'printed', 'failed')),
    reason      TEXT,                                                -- why it failed
    copies      INTEGER NOT NULL DEFAULT 1 CHECK (copies >= 1),
    duplicate   INTEGER NOT NULL DEFAULT 0 CHECK (duplicate IN (0, 1)), -- a reprint, marked as such
    created_ms  INTEGER NOT NULL,
    updated_ms  INTEGER NOT NULL
);

CREATE INDEX print_jobs_state ON print_jobs (state, id);
CREATE INDEX print_jobs_record ON print_jobs (record_id);
