-- 015_notify.sql — the citizen's identity by one-time code and the notification outbox
-- (issue 16, docs/notify.md). Times here are INTEGER Unix seconds (the outbox is about
-- delivery, not about the law's civil days), except event_at: the cause's instant in the
-- dossiers' local minutes (date.h), which picks the template version in force.
-- Contacts are normalised (src/core/notify.c): a phone as 0 + 9 digits, an e-mail lower-case.

-- One-time codes: stored as a salted BLAKE2b hash, never in clear.
CREATE TABLE citizen_otp (
    id          INTEGER PRIMARY KEY,
    contact     TEXT NOT NULL,
    salt        TEXT NOT NULL,                  -- hex
    code_hash   TEXT NOT NULL,                  -- hex BLAKE2b(salt, contact, code)
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,     -- wrong codes tried against this one
    used_at     INTEGER NOT NULL DEFAULT 0      -- 0: not used yet
);
CREATE INDEX citizen_otp_contact ON citizen_otp (contact, created_at);

-- A confirmed citizen's session: the cookie cchc_citizen carries the token, the row its hash.
CREATE TABLE citizen_sessions (
    token_hash  TEXT PRIMARY KEY,               -- hex SHA-256 of the cookie's token
    contact     TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);

-- The outbox: one row per message, written in the transaction of the event that causes it.
CREATE TABLE outbox (
    id            INTEGER PRIMARY KEY,
    msg_id        TEXT NOT NULL UNIQUE,         -- random, carried by the message: dedup key
    event         TEXT NOT NULL,                -- notify.h's events: received, otp …
    channel       TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'zalo')),
    recipient     TEXT,                         -- normalised contact; NULL when skipped
    dossier_code  TEXT,
    vars          TEXT NOT NULL DEFAULT '',     -- "name<TAB>value" lines for the template
    event_at      INTEGER NOT NULL,             -- local minutes (date.h): template version
    state         TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed', 'dead',
                                                 'skipped')),
    reason        TEXT,                         -- why skipped, or the last delivery error
    attempts      INTEGER NOT NULL DEFAULT 0,
    next_at       INTEGER NOT NULL,             -- not before (Unix seconds)
    lease_until   INTEGER NOT NULL DEFAULT 0,   -- a worker holds it until then
    lease_owner   TEXT,
    created_at    INTEGER NOT NULL,
    sent_at       INTEGER NOT NULL DEFAULT 0,
    unsub_token   TEXT                          -- per-message unsubscribe token (random)
);
CREATE INDEX outbox_due ON outbox (state, next_at);
CREATE INDEX outbox_recipient ON outbox (recipient, event, created_at);
CREATE INDEX outbox_unsub ON outbox (unsub_token);

-- Citizens who asked for no more dossier notifications (codes they ask for still go out).
CREATE TABLE notify_optout (
    contact  TEXT PRIMARY KEY,
    at       INTEGER NOT NULL,
    via      TEXT NOT NULL CHECK (via IN ('session', 'token'))
);

-- A lost dossier code is found by the applicant's phone (POST /api/public/lost-code).
CREATE INDEX dossiers_applicant_phone ON dossiers (applicant_phone);
