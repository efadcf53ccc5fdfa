-- 025_login_factors.sql — issue 12, findings 2 and 4: sign-in and lookup failure counters
-- PostgreSQL's version of migrations/025_login_factors.sql (integers as BIGINT).
-- shared by every server on the database, with locks that grow when repeated; a random key
-- the servers share; and a second factor (TOTP, RFC 6238) with recovery codes for accounts.
--
-- rate_limits: one row per counted key (a keyed BLAKE2b hash of "a:ADDR|USER", "u:USER",
-- "ip:…", "n:NET/24", "c:CODE" …, so no address, username or code in clear). fails counts
-- the failures of the window that began at win_start; when they reach the limit the key is
-- locked until lock_until for lock_len seconds, twice the previous lock's length when that
-- one ended less than a day before (capped by limit_max_lock). A row is never evicted by
-- traffic about other keys; rows quiet for a day are purged.
CREATE TABLE rate_limits (
    k          TEXT PRIMARY KEY,
    win_start  BIGINT NOT NULL,
    fails      BIGINT NOT NULL,
    lock_until BIGINT NOT NULL DEFAULT 0,
    lock_len   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX rate_limits_age ON rate_limits (lock_until, win_start);

-- server_keys: random keys every server process on this database shares (hex), drawn by the
-- first server that needs one: the rate-limit key hash and the known-device cookie's MAC key.
CREATE TABLE server_keys (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- TOTP: the base32 secret (160 random bits; stored as it is, see docs/http.md "Second
-- factor"), whether a first code confirmed it (only then does sign-in ask for codes), and the
-- last time step a code was accepted for (a code is refused for that step or an earlier one).
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_confirmed BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;

-- One-time recovery codes, as argon2id strings (crypto_pwhash_str), each usable once.
CREATE TABLE user_recovery_codes (
    username  TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,
    code_hash TEXT NOT NULL CHECK (code_hash LIKE '$argon2id$%'),
    used_at   BIGINT,
    PRIMARY KEY (username, code_hash)
);
