-- 001_units_procedures.sql — administrative units (a tree whose nodes have validity periods
-- and successors, for the 2025 mergers) and the procedures catalogue with its documents and
-- process template. Dates are 'YYYY-MM-DD' text (NULL = open bound); enumerations are the
-- names used in CSV files and on the command line, checked here as a last line of defence.
-- PostgreSQL's version of migrations/001_units_procedures.sql: the same tables, columns, constraints
-- and indexes, with integers as BIGINT, blobs as BYTEA and SQLite's INTEGER PRIMARY KEY ids as
-- identity columns.

CREATE TABLE units (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL CHECK (name <> ''),
    kind        TEXT NOT NULL CHECK (kind IN ('province', 'department', 'district', 'commune',
                                              'ward', 'town', 'special_zone', 'agency', 'desk')),
    parent      TEXT REFERENCES units (code) DEFERRABLE INITIALLY DEFERRED,
    valid_from  TEXT,
    valid_to    TEXT,
    successor   TEXT REFERENCES units (code) DEFERRABLE INITIALLY DEFERRED,
    ident_code  TEXT,
    CHECK (valid_from IS NULL OR valid_to IS NULL OR valid_to >= valid_from),
    CHECK (parent IS NULL OR parent <> code),
    CHECK (successor IS NULL OR (successor <> code AND valid_to IS NOT NULL))
);
CREATE INDEX units_parent ON units (parent);
CREATE INDEX units_successor ON units (successor);

CREATE TABLE procedures (
    code         TEXT PRIMARY KEY,
    name         TEXT NOT NULL CHECK (name <> ''),
    field        TEXT NOT NULL,
    level        TEXT NOT NULL CHECK (level IN ('central', 'province', 'district', 'commune')),
    time_amount  BIGINT NOT NULL CHECK (time_amount >= 0),
    time_unit    TEXT NOT NULL CHECK (time_unit IN ('wd', 'wh', 'cd')),
    time_note    TEXT,
    fee_vnd      BIGINT CHECK (fee_vnd IS NULL OR fee_vnd >= 0), -- NULL: varies, see fee_note
    fee_note     TEXT,
    online       TEXT NOT NULL CHECK (online IN ('full', 'partial', 'none')),
    legal_basis  TEXT,
    search_fold  TEXT NOT NULL -- vntext_fold(code || ' ' || name || ' ' || field)
);

CREATE TABLE procedure_documents (
    procedure_code  TEXT NOT NULL REFERENCES procedures (code) ON DELETE CASCADE,
    seq             BIGINT NOT NULL CHECK (seq >= 1),
    text            TEXT NOT NULL CHECK (text <> ''),
    PRIMARY KEY (procedure_code, seq)
);

CREATE TABLE procedure_steps (
    procedure_code  TEXT NOT NULL REFERENCES procedures (code) ON DELETE CASCADE,
    seq             BIGINT NOT NULL CHECK (seq >= 1),
    name            TEXT NOT NULL CHECK (name <> ''),
    role            TEXT NOT NULL CHECK (role IN ('desk', 'specialist', 'leader', 'clerk', 'other')),
    unit_kind       TEXT,
    share_unit      TEXT NOT NULL CHECK (share_unit IN ('percent', 'hours')),
    share           BIGINT NOT NULL CHECK (share >= 1),
    PRIMARY KEY (procedure_code, seq)
);
