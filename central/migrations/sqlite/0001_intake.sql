-- Why: the municipality's end receives what the kiosks send (contract 1.2)
-- and keeps the complaint register that answers them. This first schema is
-- the intake and the complaints only; users and sessions of the desk's
-- pages come in later migrations.
--
-- Both databases get the same tables (migrations/postgres/0001 is this one
-- in PostgreSQL's words). The server reads them through sqlx's Any driver,
-- which has no date types: times are RFC 3339 text, dates YYYY-MM-DD text,
-- yes/no and counts are BIGINT.

-- A kiosk allowed to deliver, with only the SHA-256 of its token (the
-- token is 256 random bits, shown once by `kiosk-central kiosk add`).
CREATE TABLE kiosks (
    id          TEXT PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    added_at    TEXT NOT NULL,
    revoked_at  TEXT
);

-- Every record taken, once per (kiosk, record id): the contract's
-- idempotency key. `raw` is the record as received, for audit.
CREATE TABLE records (
    kiosk_id       TEXT NOT NULL REFERENCES kiosks(id),
    record_id      TEXT NOT NULL,
    kind           TEXT NOT NULL,
    number         TEXT,
    created_at     TEXT NOT NULL,
    clock_trusted  BIGINT NOT NULL,
    sent_at        TEXT,
    received_at    TEXT NOT NULL,
    raw            TEXT NOT NULL,
    PRIMARY KEY (kiosk_id, record_id)
);

CREATE TABLE ratings (
    kiosk_id       TEXT NOT NULL,
    record_id      TEXT NOT NULL,
    score          BIGINT NOT NULL CHECK (score BETWEEN 1 AND 5),
    service        TEXT,
    desk           TEXT,
    reasons        TEXT NOT NULL,  -- JSON list of reason ids
    comment        TEXT NOT NULL,
    lang           TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    clock_trusted  BIGINT NOT NULL,
    PRIMARY KEY (kiosk_id, record_id),
    FOREIGN KEY (kiosk_id, record_id) REFERENCES records(kiosk_id, record_id)
);
CREATE INDEX ratings_created ON ratings(created_at);

-- Complaints, signals, proposals and praise. A receipt number is held
-- once, whichever kiosk sent it: answers and the public page find a
-- complaint by its number.
CREATE TABLE complaints (
    kiosk_id       TEXT NOT NULL,
    record_id      TEXT NOT NULL,
    number         TEXT NOT NULL UNIQUE,
    prefix         TEXT NOT NULL,
    year           BIGINT NOT NULL,
    sequence       BIGINT NOT NULL,
    check_code     TEXT,
    type           TEXT NOT NULL,
    category       TEXT NOT NULL,
    text           TEXT NOT NULL,
    name           TEXT NOT NULL,
    address        TEXT NOT NULL,
    phone          TEXT NOT NULL,
    email          TEXT NOT NULL,
    anonymous      BIGINT NOT NULL,
    health_safety  BIGINT NOT NULL,
    flags          TEXT NOT NULL,  -- JSON list of flag names
    due_date       TEXT,
    lang           TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    filed_on       TEXT NOT NULL,  -- the date of created_at, in its own offset
    clock_trusted  BIGINT NOT NULL,
    PRIMARY KEY (kiosk_id, record_id),
    FOREIGN KEY (kiosk_id, record_id) REFERENCES records(kiosk_id, record_id)
);
CREATE INDEX complaints_sequence ON complaints(prefix, year, sequence);

CREATE TABLE staff_calls (
    kiosk_id       TEXT NOT NULL,
    record_id      TEXT NOT NULL,
    source         TEXT NOT NULL,
    lang           TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    clock_trusted  BIGINT NOT NULL,
    PRIMARY KEY (kiosk_id, record_id),
    FOREIGN KEY (kiosk_id, record_id) REFERENCES records(kiosk_id, record_id)
);

-- The last heartbeats of each kiosk; the server deletes the oldest beyond
-- [server] heartbeat_history.
CREATE TABLE heartbeats (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    kiosk_id           TEXT NOT NULL REFERENCES kiosks(id),
    received_at        TEXT NOT NULL,
    at                 TEXT,
    version            TEXT,
    outbox_pending     BIGINT,
    oldest_pending_at  TEXT,
    printer            TEXT,
    clock_trusted      BIGINT,
    config_version     TEXT,
    config_error       TEXT,
    held               BIGINT,
    rejected           BIGINT,
    raw                TEXT NOT NULL
);
CREATE INDEX heartbeats_kiosk ON heartbeats(kiosk_id, id);

-- What happened to a complaint: registered, answered, extended, not
-- examined. The id only grows (AUTOINCREMENT never reuses one) and is the
-- cursor of `updates`.
CREATE TABLE complaint_events (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    number               TEXT NOT NULL REFERENCES complaints(number),
    status               TEXT NOT NULL
        CHECK (status IN ('registered', 'answered', 'extended', 'not_examined')),
    registry_number      TEXT,
    registered_on        TEXT,
    answered_on          TEXT,
    new_due_date         TEXT,
    reason               TEXT,
    told_on              TEXT,
    not_examined_reason  TEXT
        CHECK (not_examined_reason IS NULL OR not_examined_reason IN ('anonymous', 'offensive')),
    actor                TEXT NOT NULL,
    at                   TEXT NOT NULL
);
CREATE INDEX complaint_events_number ON complaint_events(number, id);

-- Configuration fragments for a kiosk, every version kept; the newest is
-- sent in `updates`.
CREATE TABLE config_versions (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    kiosk_id  TEXT NOT NULL REFERENCES kiosks(id),
    version   TEXT NOT NULL,
    toml      TEXT NOT NULL,
    saved_at  TEXT NOT NULL,
    saved_by  TEXT NOT NULL,
    UNIQUE (kiosk_id, version)
);

-- Who did what, only ever appended.
CREATE TABLE audit (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    at       TEXT NOT NULL,
    actor    TEXT NOT NULL,
    action   TEXT NOT NULL,
    target   TEXT NOT NULL,
    details  TEXT NOT NULL
);
CREATE INDEX audit_target ON audit(target, id);
