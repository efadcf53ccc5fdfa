-- 029_procedure_versions.sql — procedures changed from the administration page (issue 13).
-- A dossier does not copy its procedure's process template: every advance reads the steps
-- again (step deadlines, n_steps; src/core/dossier.c). Editing procedure_steps in place would
-- therefore change the step deadlines of dossiers already received, or stop them ("the
-- procedure now has 4 steps but the dossier was received with 3"). So a new template is a
-- version with the day it takes effect: a dossier uses the version in force on the day it was
-- received (procedure_steps, the imported template, before the first version). A version
-- takes effect after the last day on which a dossier of the procedure was received and never
-- before today (src/store/procedure_admin.c), so no dossier already received changes.
-- procedure_changes is the log of who changed what (attributes or steps) and when.
CREATE TABLE procedure_step_versions (
    procedure_code  TEXT NOT NULL REFERENCES procedures (code) ON DELETE CASCADE,
    effective_from  TEXT NOT NULL,                  -- 'YYYY-MM-DD'
    seq             INTEGER NOT NULL CHECK (seq >= 1),
    name            TEXT NOT NULL CHECK (name <> ''),
    role            TEXT NOT NULL CHECK (role IN ('desk', 'specialist', 'leader', 'clerk', 'other')),
    unit_kind       TEXT,
    share_unit      TEXT NOT NULL CHECK (share_unit IN ('percent', 'hours')),
    share           INTEGER NOT NULL CHECK (share >= 1),
    PRIMARY KEY (procedure_code, effective_from, seq)
);

CREATE TABLE procedure_changes (
    id              INTEGER PRIMARY KEY,
    procedure_code  TEXT NOT NULL REFERENCES procedures (code) ON DELETE CASCADE,
    at              INTEGER NOT NULL,               -- local minutes (date.h)
    actor           TEXT NOT NULL CHECK (actor <> ''),
    what            TEXT NOT NULL CHECK (what IN ('attributes', 'steps')),
    effective_from  TEXT,                           -- steps: the version's first day
    summary         TEXT NOT NULL
);
CREATE INDEX procedure_changes_code ON procedure_changes (procedure_code, id);
