-- 003_users_sessions.sql — accounts of the HTTP API and their sessions. A user has a role and
-- (except citizens) a unit scope: the unit and its subtree. Passwords are argon2id strings
-- from libsodium's crypto_pwhash_str (salt and parameters inside); sessions are stored under a
-- BLAKE2b hash of their cookie token, so a copy of the database holds no usable token.
-- Times are Unix seconds. PostgreSQL's version of migrations/003_users_sessions.sql: the same
-- tables, columns, constraints and indexes, with integers as BIGINT.

CREATE TABLE users (
    username    TEXT PRIMARY KEY,
    full_name   TEXT NOT NULL DEFAULT '',
    role        TEXT NOT NULL CHECK (role IN ('citizen', 'desk_officer', 'specialist', 'leader',
                                              'par_assessor', 'admin')),
    unit_code   TEXT REFERENCES units (code),
    pwhash      TEXT NOT NULL CHECK (pwhash LIKE '$argon2id$%'),
    disabled    BIGINT NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at  BIGINT NOT NULL,
    CHECK ((role = 'citizen') = (unit_code IS NULL))
);
CREATE INDEX users_unit ON users (unit_code);

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,                   -- hex BLAKE2b-256 of the cookie token
    username    TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,
    csrf        TEXT NOT NULL,                      -- the token X-CSRF-Token must repeat
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL CHECK (expires_at > created_at)
);
CREATE INDEX sessions_user ON sessions (username);
CREATE INDEX sessions_expires ON sessions (expires_at);
