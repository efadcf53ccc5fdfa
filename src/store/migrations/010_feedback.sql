-- 010_feedback.sql — feedback and petitions (phản ánh, kiến nghị, issue 14): the items with
-- their handling clock (src/core/feedback.c), the events of each, attachments (type sniffed
-- by libmagic, SHA-256, src/store/blob.c) and reply templates. Instants are INTEGER minutes
-- since 1970-01-01T00:00 local time (UTC+7, date.h); 0 means "not set". Statuses, kinds and
-- actions are the names of src/core/feedback.c.
CREATE TABLE feedback (
    id             INTEGER PRIMARY KEY,
    code           TEXT NOT NULL UNIQUE,            -- follow-up code PA-YYMMDD-XXXXXX
    unit_code      TEXT NOT NULL REFERENCES units (code), -- the unit holding it now
    kind           TEXT NOT NULL CHECK (kind = 'regulation' OR kind = 'handling' OR
                                        kind = 'suggestion'),
    channel        TEXT NOT NULL CHECK (channel = 'web' OR channel = 'dossier' OR
                                        channel = 'phone' OR channel = 'letter' OR
                                        channel = 'visit'),
    dossier_code   TEXT,                            -- the dossier it is about, if any
    officer        TEXT,                            -- the officer it is about, if any
    body           TEXT NOT NULL CHECK (body <> ''), -- NFC
    body_fold      TEXT NOT NULL,                   -- vntext_fold(body): search
    contact_name   TEXT,                            -- personal data: never logged
    contact_phone  TEXT,                            -- personal data: never logged
    contact_email  TEXT,                            -- personal data: never logged
    consent        INTEGER NOT NULL DEFAULT 0 CHECK (consent IN (0, 1)), -- to publish
    dup_key        TEXT,                            -- feedback_dup_key; NULL without contact
    status         TEXT NOT NULL CHECK (status = 'received' OR status = 'accepted' OR
                       status = 'refused' OR status = 'forwarded' OR status = 'in_progress' OR
                       status = 'answered' OR status = 'published'),
    submitted_at   INTEGER NOT NULL,                -- first reception anywhere
    received_at    INTEGER NOT NULL,                -- reception at the unit holding it
    decide_due_at  INTEGER NOT NULL DEFAULT 0,
    accepted_at    INTEGER NOT NULL DEFAULT 0,
    answer_due_at  INTEGER NOT NULL DEFAULT 0,
    answered_at    INTEGER NOT NULL DEFAULT 0,
    closed_at      INTEGER NOT NULL DEFAULT 0,
    last_at        INTEGER NOT NULL DEFAULT 0,
    forwards       INTEGER NOT NULL DEFAULT 0,
    answer         TEXT,                            -- the answer as sent to the citizen
    body_public    TEXT,                            -- the body, personal data masked (published)
    answer_public  TEXT,                            -- the answer, personal data masked (published)
    answer_fold    TEXT,                            -- vntext_fold of both public texts: search
    answered_by    TEXT,
    rating         INTEGER CHECK (rating IS NULL OR rating BETWEEN 1 AND 5),
    rated_at       INTEGER NOT NULL DEFAULT 0,
    n_events       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX feedback_unit ON feedback (unit_code, status, received_at);
CREATE INDEX feedback_dup ON feedback (dup_key, submitted_at);
CREATE INDEX feedback_dossier ON feedback (dossier_code);
CREATE INDEX feedback_published ON feedback (status, answered_at);

-- Every change of an item, in order: who, when, which action, from which state and unit to
-- which, and the reason or the answer's first words (no personal data).
CREATE TABLE feedback_events (
    feedback_id    INTEGER NOT NULL REFERENCES feedback (id),
    seq            INTEGER NOT NULL,
    at             INTEGER NOT NULL,
    actor          TEXT NOT NULL,
    action         TEXT NOT NULL,
    from_status    TEXT,
    to_status      TEXT NOT NULL,
    from_unit      TEXT,
    to_unit        TEXT,
    note           TEXT,
    PRIMARY KEY (feedback_id, seq)
);

CREATE TABLE feedback_files (
    id             INTEGER PRIMARY KEY,
    feedback_id    INTEGER NOT NULL REFERENCES feedback (id),
    name           TEXT NOT NULL CHECK (name <> ''),
    mime           TEXT NOT NULL,                   -- sniffed from the content
    size           INTEGER NOT NULL CHECK (size > 0),
    sha256         TEXT NOT NULL,
    content        BLOB NOT NULL
);
CREATE INDEX feedback_files_item ON feedback_files (feedback_id);

-- Reply templates an officer starts an answer from; unit_code NULL: every unit.
CREATE TABLE feedback_templates (
    code           TEXT PRIMARY KEY,
    unit_code      TEXT REFERENCES units (code),
    title          TEXT NOT NULL CHECK (title <> ''),
    body           TEXT NOT NULL CHECK (body <> '')
);

-- Periodic dialogues (đối thoại) of a unit with citizens and businesses, and the commitments
-- made there, each with an owner and a due day, followed until closed (src/core/dialogue.h).
-- Days are 'YYYY-MM-DD'.
CREATE TABLE dialogues (
    id             INTEGER PRIMARY KEY,
    unit_code      TEXT NOT NULL REFERENCES units (code),
    day            TEXT NOT NULL,
    title          TEXT NOT NULL CHECK (title <> ''),
    participants   TEXT,
    questions      TEXT
);
CREATE INDEX dialogues_unit ON dialogues (unit_code, day);
CREATE TABLE dialogue_commitments (
    id             INTEGER PRIMARY KEY,
    dialogue_id    INTEGER NOT NULL REFERENCES dialogues (id),
    text           TEXT NOT NULL CHECK (text <> ''),
    owner          TEXT NOT NULL CHECK (owner <> ''),
    due_day        TEXT NOT NULL,
    closed_day     TEXT,
    result         TEXT
);
CREATE INDEX dialogue_commitments_item ON dialogue_commitments (dialogue_id);
