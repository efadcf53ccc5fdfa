-- 005_par.sql — PAR index (Chỉ số CCHC) assessment rounds: criteria sets imported from files
-- (one row per node, in file order), rounds with their units and phases (each closing with a
-- timestamp and who closed it), per unit × node scores with every change kept, evidence files
-- (content-addressed: one blob per SHA-256, referenced by the evidence rows), the computed
-- metrics frozen at publication with the dossiers behind them, and per-unit targets.
-- Points are INTEGER thousandths of a point; index targets thousandths of a percent; instants
-- INTEGER minutes since 1970-01-01T00:00 local time (UTC+7, date.h); days since 1970-01-01.
-- Phase rules are enforced by sqlite_par.c inside each transaction (src/core/par_round.c).
-- Written in the SQL subset shared by SQLite and PostgreSQL.

CREATE TABLE par_sets (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL CHECK (code <> ''),
    version       TEXT NOT NULL,                    -- '' when the file gives none
    year          INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    scope         TEXT NOT NULL CHECK (scope IN ('ministry', 'province', 'department',
                                                 'district', 'commune')),
    title         TEXT NOT NULL,
    legal_source  TEXT NOT NULL,
    source        TEXT NOT NULL,                    -- the file it was imported from
    decimals      INTEGER NOT NULL CHECK (decimals BETWEEN 0 AND 3),
    max_pts       INTEGER NOT NULL CHECK (max_pts > 0),
    declared_max  INTEGER,                          -- "max" of the file, NULL if none
    imported_at   INTEGER NOT NULL,
    imported_by   TEXT NOT NULL,
    UNIQUE (code, version)
);

CREATE TABLE par_set_nodes (
    set_id    INTEGER NOT NULL REFERENCES par_sets (id),
    seq       INTEGER NOT NULL CHECK (seq >= 1),    -- file order
    code      TEXT NOT NULL,
    parent    TEXT NOT NULL,                        -- '' for an area
    title     TEXT NOT NULL,
    max_pts   INTEGER NOT NULL CHECK (max_pts > 0),
    method    TEXT NOT NULL CHECK (method IN ('', 'manual', 'computed', 'survey')),
    metric    TEXT NOT NULL,
    rule      TEXT NOT NULL,                        -- par_rule_format(): ">=100:4;>=90:2;else:0"
    evidence  TEXT NOT NULL,
    decimals  INTEGER NOT NULL CHECK (decimals BETWEEN -1 AND 3), -- -1: the set's
    origin    TEXT NOT NULL,                        -- "FILE:LINE" of the node in the import
    PRIMARY KEY (set_id, seq),
    UNIQUE (set_id, code)
);

CREATE TABLE par_rounds (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE CHECK (code <> ''),
    title        TEXT NOT NULL,
    year         INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    set_id       INTEGER NOT NULL REFERENCES par_sets (id),
    period_from  INTEGER NOT NULL,                  -- days: dossiers counted for computed criteria
    period_to    INTEGER NOT NULL,
    phase        TEXT NOT NULL CHECK (phase IN ('self', 'appraisal', 'survey', 'published')),
    created_at   INTEGER NOT NULL,
    created_by   TEXT NOT NULL,
    CHECK (period_to >= period_from)
);

CREATE TABLE par_round_units (
    round_id   INTEGER NOT NULL REFERENCES par_rounds (id),
    unit_code  TEXT NOT NULL REFERENCES units (code),
    PRIMARY KEY (round_id, unit_code)
);

-- One row per closed phase: 'self' closed when appraisal opened … 'survey' closed at publication.
CREATE TABLE par_round_phases (
    round_id   INTEGER NOT NULL REFERENCES par_rounds (id),
    phase      TEXT NOT NULL CHECK (phase IN ('self', 'appraisal', 'survey')),
    closed_at  INTEGER NOT NULL,
    closed_by  TEXT NOT NULL,
    PRIMARY KEY (round_id, phase)
);

CREATE TABLE par_scores (
    round_id           INTEGER NOT NULL,
    unit_code          TEXT NOT NULL,
    node_code          TEXT NOT NULL,
    self_pts           INTEGER CHECK (self_pts IS NULL OR self_pts >= 0),
    appraised_pts      INTEGER CHECK (appraised_pts IS NULL OR appraised_pts >= 0),
    survey_pts         INTEGER CHECK (survey_pts IS NULL OR survey_pts >= 0),
    self_comment       TEXT NOT NULL DEFAULT '',
    appraisal_comment  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (round_id, unit_code, node_code),
    FOREIGN KEY (round_id, unit_code) REFERENCES par_round_units (round_id, unit_code)
);

-- Every score written, in order: a re-scored appraisal keeps its earlier values here.
CREATE TABLE par_score_changes (
    id         INTEGER PRIMARY KEY,
    round_id   INTEGER NOT NULL,
    unit_code  TEXT NOT NULL,
    node_code  TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('self', 'appraised', 'survey')),
    old_pts    INTEGER,                             -- NULL: no value before
    new_pts    INTEGER NOT NULL,
    comment    TEXT NOT NULL,
    actor      TEXT NOT NULL,
    at         INTEGER NOT NULL,
    FOREIGN KEY (round_id, unit_code) REFERENCES par_round_units (round_id, unit_code)
);
CREATE INDEX par_score_changes_cell ON par_score_changes (round_id, unit_code, node_code, id);

CREATE TABLE par_blobs (
    sha256   TEXT PRIMARY KEY,                      -- lowercase hex of SHA-256(content)
    size     INTEGER NOT NULL CHECK (size > 0),
    content  BLOB NOT NULL
);

CREATE TABLE par_evidence (
    id         INTEGER PRIMARY KEY,
    round_id   INTEGER NOT NULL,
    unit_code  TEXT NOT NULL,
    node_code  TEXT NOT NULL,
    name       TEXT NOT NULL CHECK (name <> ''),
    mime       TEXT NOT NULL,
    size       INTEGER NOT NULL CHECK (size > 0),
    sha256     TEXT NOT NULL REFERENCES par_blobs (sha256),
    added_at   INTEGER NOT NULL,
    added_by   TEXT NOT NULL,
    FOREIGN KEY (round_id, unit_code) REFERENCES par_round_units (round_id, unit_code)
);
CREATE INDEX par_evidence_cell ON par_evidence (round_id, unit_code, node_code);

-- Computed criteria as frozen at publication (before it they are computed live).
CREATE TABLE par_metrics (
    round_id   INTEGER NOT NULL,
    unit_code  TEXT NOT NULL,
    node_code  TEXT NOT NULL,
    metric     TEXT NOT NULL,
    value      INTEGER,                             -- thousandths of a percent; NULL: no dossiers
    num        INTEGER NOT NULL,
    den        INTEGER NOT NULL,
    denom      TEXT NOT NULL,                       -- name of the denominator
    PRIMARY KEY (round_id, unit_code, node_code),
    FOREIGN KEY (round_id, unit_code) REFERENCES par_round_units (round_id, unit_code)
);

CREATE TABLE par_metric_dossiers (
    round_id    INTEGER NOT NULL,
    unit_code   TEXT NOT NULL,
    node_code   TEXT NOT NULL,
    dossier_id  INTEGER NOT NULL REFERENCES dossiers (id),
    in_num      INTEGER NOT NULL CHECK (in_num IN (0, 1)), -- 1: counted in the numerator too
    PRIMARY KEY (round_id, unit_code, node_code, dossier_id)
);

CREATE TABLE par_targets (
    round_id   INTEGER NOT NULL,
    unit_code  TEXT NOT NULL,
    up         INTEGER NOT NULL CHECK (up >= 0),    -- places to climb against last year
    rank       INTEGER NOT NULL CHECK (rank >= 0),  -- 0: none
    index_pct  INTEGER,                             -- thousandths of a percent, NULL: none
    PRIMARY KEY (round_id, unit_code),
    FOREIGN KEY (round_id, unit_code) REFERENCES par_round_units (round_id, unit_code)
);
