-- CCHC initiatives and models (sáng kiến, mô hình mới trong CCHC): proposed by a unit in a
-- reform area of the PAR set in force for it, evaluated by the council of a unit above it,
-- recognised by a decision (number, day, level), and applied by units. The state is
-- src/core/initiative.c's (Decree 13/2012/NĐ-CP, Regulation on initiatives; docs/initiatives.md).
CREATE TABLE initiatives (
    id              INTEGER PRIMARY KEY,
    unit_code       TEXT NOT NULL REFERENCES units (code),  -- the proposing unit
    evaluator_unit  TEXT NOT NULL REFERENCES units (code),  -- whose council evaluates it
    year            INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    set_id          INTEGER NOT NULL REFERENCES par_sets (id),
    area            TEXT NOT NULL CHECK (area <> ''),       -- a top-level node of the set
    title           TEXT NOT NULL CHECK (title <> ''),
    description     TEXT NOT NULL,
    authors         TEXT NOT NULL CHECK (authors <> ''),
    effect          TEXT NOT NULL,                          -- expected effect
    proposed_day    INTEGER NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('proposed', 'accepted', 'recognized',
                                                    'rejected', 'withdrawn')),
    score           INTEGER CHECK (score BETWEEN 0 AND 100),
    opinion         TEXT NOT NULL,
    evaluated_day   INTEGER,
    reason          TEXT NOT NULL,
    decision_no     TEXT NOT NULL,
    decision_day    INTEGER,
    level           TEXT NOT NULL CHECK (level IN ('', 'unit', 'district', 'province')),
    created_at      INTEGER NOT NULL,
    created_by      TEXT NOT NULL
);
CREATE INDEX initiatives_unit ON initiatives (unit_code, year);

CREATE TABLE initiative_units (
    initiative_id  INTEGER NOT NULL REFERENCES initiatives (id),
    unit_code      TEXT NOT NULL REFERENCES units (code),
    from_day       INTEGER NOT NULL,
    result         TEXT NOT NULL,
    added_at       INTEGER NOT NULL,
    added_by       TEXT NOT NULL,
    PRIMARY KEY (initiative_id, unit_code)
);
CREATE INDEX initiative_units_unit ON initiative_units (unit_code);

CREATE TABLE initiative_events (
    id             INTEGER PRIMARY KEY,
    initiative_id  INTEGER NOT NULL REFERENCES initiatives (id),
    at             INTEGER NOT NULL,
    actor          TEXT NOT NULL,
    action         TEXT NOT NULL,
    from_status    TEXT NOT NULL,
    to_status      TEXT NOT NULL,
    note           TEXT NOT NULL
);
CREATE INDEX initiative_events_init ON initiative_events (initiative_id, id);

CREATE TABLE initiative_evidence (
    id             INTEGER PRIMARY KEY,
    initiative_id  INTEGER NOT NULL REFERENCES initiatives (id),
    name           TEXT NOT NULL CHECK (name <> ''),
    mime           TEXT NOT NULL,
    size           INTEGER NOT NULL CHECK (size > 0),
    sha256         TEXT NOT NULL REFERENCES par_blobs (sha256),
    added_at       INTEGER NOT NULL,
    added_by       TEXT NOT NULL
);
CREATE INDEX initiative_evidence_init ON initiative_evidence (initiative_id, id);
