-- 026_reminders.sql — reminders before a due date and escalation after it (issues 14 and 15,
-- src/core/remind.h, docs/reminders.md). Staff accounts get an optional e-mail and mobile
-- phone (normalised as the citizens' contacts, src/core/notify.c) so a reminder can also go
-- out through the notification outbox; without either it is shown in cchc only.
-- One row per (item, stage, due date, recipient): a sweep repeated every hour writes nothing
-- twice, and a due date moved later starts again. item is the task's or commitment's id or
-- the feedback's follow-up code. Instants are INTEGER minutes since 1970-01-01T00:00 local
-- time (UTC+7, date.h); due_day INTEGER days since 1970-01-01.
-- Written in the SQL subset shared by SQLite and PostgreSQL.
ALTER TABLE users ADD COLUMN email TEXT;
ALTER TABLE users ADD COLUMN phone TEXT;

CREATE TABLE reminders (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('task', 'feedback', 'commitment')),
    item        TEXT NOT NULL,
    stage       TEXT NOT NULL CHECK (stage IN ('due_soon', 'overdue')),
    due_day     INTEGER NOT NULL,
    unit_code   TEXT NOT NULL REFERENCES units (code),     -- the responsible unit
    title       TEXT NOT NULL,                              -- what the item is, as shown
    recipient   TEXT NOT NULL REFERENCES users (username),
    escalated   INTEGER NOT NULL CHECK (escalated IN (0, 1)), -- 1: sent to the parent unit
    created_at  INTEGER NOT NULL,
    outbox_msg  TEXT,                                       -- the message's id; NULL in cchc only
    read_at     INTEGER NOT NULL DEFAULT 0,
    UNIQUE (kind, item, stage, due_day, recipient)
);
CREATE INDEX reminders_recipient ON reminders (recipient, read_at, created_at);

-- Issue 15: an inspection finding's evidence file keeps the name it was given (NULL: no file,
-- or a file added before this migration: downloaded under a made-up name as before).
ALTER TABLE inspection_findings ADD COLUMN evidence_name TEXT;
