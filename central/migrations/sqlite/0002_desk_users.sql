-- Why: the registry desk's pages need people with roles, their sessions
-- and a lockout that survives restarts. Passwords are kept only as
-- Argon2id hashes, session ids only as SHA-256 hashes; a stolen copy of
-- the database opens no session.

CREATE TABLE users (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT NOT NULL UNIQUE,
    role           TEXT NOT NULL CHECK (role IN ('clerk', 'viewer', 'admin')),
    password_hash  TEXT NOT NULL,
    -- Wrong passwords in a row; reset by a right one.
    failed_logins  BIGINT NOT NULL DEFAULT 0,
    locked_until   TEXT,
    disabled       BIGINT NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL
);

CREATE TABLE sessions (
    id_hash       TEXT PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users(id),
    -- The form token of this session (not a credential on its own).
    csrf          TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    expires_at    TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
