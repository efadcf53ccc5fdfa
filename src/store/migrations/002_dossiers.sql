-- 002_dossiers.sql — one-stop dossiers (hồ sơ), their steps, stops (supplements and pauses),
-- apology letters, received documents, ratings, and the append-only event log with its hash
-- chain. Instants are INTEGER minutes since 1970-01-01T00:00 local time (UTC+7, date.h);
-- 0 means "not set". Statuses and actions are the names of src/core/dossier.c.
-- Written in the SQL subset shared by SQLite and PostgreSQL.

CREATE TABLE dossiers (
    id               INTEGER PRIMARY KEY,
    code             TEXT NOT NULL UNIQUE,          -- UNIT-YYMMDD-XXXX (Circular 01/2018/TT-VPCP)
    unit_code        TEXT NOT NULL REFERENCES units (code),
    day              TEXT NOT NULL,                 -- 'YYYY-MM-DD' of the code
    seq              INTEGER NOT NULL CHECK (seq BETWEEN 1 AND 9999),
    procedure_code   TEXT NOT NULL REFERENCES procedures (code),
    channel          TEXT NOT NULL CHECK (channel = 'direct' OR channel = 'online' OR
                                          channel = 'postal'),
    applicant_name   TEXT NOT NULL CHECK (applicant_name <> ''), -- NFC
    applicant_fold   TEXT NOT NULL,                 -- vntext_fold(name): search without diacritics
    applicant_idno   TEXT,                          -- personal data: never logged
    applicant_phone  TEXT,                          -- personal data: never logged
    applicant_address TEXT,
    -- (CHECKs are OR chains, not IN lists: SQLite builds a temporary b-tree for an IN list of
    -- this length on every insert and update, which showed as a third of seed time.)
    status           TEXT NOT NULL CHECK (status = 'submitted' OR status = 'received' OR
                         status = 'processing' OR status = 'result_ready' OR
                         status = 'returned' OR status = 'supplement_requested' OR
                         status = 'paused' OR status = 'refused' OR status = 'withdrawn' OR
                         status = 'cancelled'),
    resume_to        TEXT NOT NULL,
    step             INTEGER NOT NULL DEFAULT 0,
    n_steps          INTEGER NOT NULL DEFAULT 0,
    submitted_at     INTEGER NOT NULL,
    received_at      INTEGER NOT NULL DEFAULT 0,
    due_at           INTEGER NOT NULL DEFAULT 0,
    budget_minutes   INTEGER NOT NULL DEFAULT 0,
    step_started_at  INTEGER NOT NULL DEFAULT 0,
    step_due_at      INTEGER NOT NULL DEFAULT 0,
    stopped_at       INTEGER NOT NULL DEFAULT 0,
    stopped_minutes  INTEGER NOT NULL DEFAULT 0,
    supplements      INTEGER NOT NULL DEFAULT 0,
    pauses           INTEGER NOT NULL DEFAULT 0,
    apologies        INTEGER NOT NULL DEFAULT 0,
    apology_due_at   INTEGER NOT NULL DEFAULT 0,
    result_at        INTEGER NOT NULL DEFAULT 0,
    returned_at      INTEGER NOT NULL DEFAULT 0,
    closed_at        INTEGER NOT NULL DEFAULT 0,
    last_at          INTEGER NOT NULL DEFAULT 0,
    outcome          TEXT,                          -- early/on_time/late/none once decided
    officer          TEXT,                          -- who holds the current step
    fee_paid_online  INTEGER NOT NULL DEFAULT 0 CHECK (fee_paid_online IN (0, 1)),
    digitised        INTEGER NOT NULL DEFAULT 0 CHECK (digitised IN (0, 1)),
    n_events         INTEGER NOT NULL DEFAULT 0,    -- events recorded for this dossier
    UNIQUE (unit_code, day, seq)
);
CREATE INDEX dossiers_unit_received ON dossiers (unit_code, received_at);
CREATE INDEX dossiers_status ON dossiers (status, due_at);
CREATE INDEX dossiers_received ON dossiers (received_at);

-- Documents received with the dossier (the list on the receipt, Mẫu 01).
CREATE TABLE dossier_documents (
    dossier_id  INTEGER NOT NULL REFERENCES dossiers (id),
    seq         INTEGER NOT NULL CHECK (seq >= 1),
    text        TEXT NOT NULL CHECK (text <> ''),
    PRIMARY KEY (dossier_id, seq)
);

-- One row per template step the dossier entered: who, when, the step deadline, the outcome.
CREATE TABLE dossier_steps (
    dossier_id   INTEGER NOT NULL REFERENCES dossiers (id),
    seq          INTEGER NOT NULL CHECK (seq >= 1),
    officer      TEXT,
    started_at   INTEGER NOT NULL,
    due_at       INTEGER NOT NULL,
    finished_at  INTEGER NOT NULL DEFAULT 0,
    outcome      TEXT CHECK (outcome IS NULL OR outcome IN ('on_time', 'late')),
    PRIMARY KEY (dossier_id, seq)
);

-- Supplement requests (Mẫu 02) and pauses: the clock is stopped from started_at to ended_at.
CREATE TABLE dossier_stops (
    dossier_id       INTEGER NOT NULL REFERENCES dossiers (id),
    seq              INTEGER NOT NULL CHECK (seq >= 1),
    kind             TEXT NOT NULL CHECK (kind IN ('supplement', 'pause')),
    started_at       INTEGER NOT NULL,
    ended_at         INTEGER NOT NULL DEFAULT 0,
    working_minutes  INTEGER NOT NULL DEFAULT 0,
    reason           TEXT,
    PRIMARY KEY (dossier_id, seq)
);

-- Apology letters with a new appointment (Mẫu 04); the dossier stays late in statistics.
CREATE TABLE dossier_apologies (
    dossier_id  INTEGER NOT NULL REFERENCES dossiers (id),
    seq         INTEGER NOT NULL CHECK (seq >= 1),
    issued_at   INTEGER NOT NULL,
    old_due_at  INTEGER NOT NULL,
    new_due_at  INTEGER NOT NULL CHECK (new_due_at > old_due_at),
    reason      TEXT,
    PRIMARY KEY (dossier_id, seq)
);

-- The applicant's rating of the service (satisfaction indicator, Decision 766/QĐ-TTg).
CREATE TABLE dossier_ratings (
    dossier_id  INTEGER PRIMARY KEY REFERENCES dossiers (id),
    score       INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    rated_at    INTEGER NOT NULL,
    comment     TEXT
);

-- Append-only event log. Rows are chained in id order: hash = SHA-256(previous row's hash ||
-- canonical content of this row), the first row chaining from 32 zero bytes; state_hash is
-- SHA-256 of the dossier row as the transition left it. audit_head holds the last link so a
-- truncated tail shows. `cchc audit verify` recomputes all of it.
CREATE TABLE events (
    id           INTEGER PRIMARY KEY,
    dossier_id   INTEGER NOT NULL REFERENCES dossiers (id),
    dossier_seq  INTEGER NOT NULL CHECK (dossier_seq >= 1),
    at           INTEGER NOT NULL,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    from_status  TEXT NOT NULL,                     -- '' for the creation of a dossier
    to_status    TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    state_hash   BLOB NOT NULL,
    hash         BLOB NOT NULL,
    UNIQUE (dossier_id, dossier_seq)
);

CREATE TABLE audit_head (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    last_event_id  INTEGER NOT NULL,
    last_hash      BLOB NOT NULL
);
