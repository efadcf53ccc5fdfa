-- 011_reform.sql — reform management (issue 15): a unit's yearly CCHC plan (kế hoạch CCHC
-- năm), its tasks (nhiệm vụ) grouped by the reform areas of the PAR criteria set in force for
-- the unit, child tasks split down the unit tree, every change and comment of a task, and
-- its evidence files (the bytes in par_blobs, the PAR evidence store: one blob per SHA-256).
-- Days are INTEGER days since 1970-01-01; instants INTEGER minutes since 1970-01-01T00:00
-- local time (UTC+7, date.h). Progress is a whole percent; on a task with children it is
-- rolled up from theirs by src/core/reform.c in the transaction that changes a child.
-- Written in the SQL subset shared by SQLite and PostgreSQL.

CREATE TABLE reform_plans (
    id          INTEGER PRIMARY KEY,
    unit_code   TEXT NOT NULL REFERENCES units (code),
    year        INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    set_id      INTEGER NOT NULL REFERENCES par_sets (id), -- its areas are the plan's
    title       TEXT NOT NULL CHECK (title <> ''),
    created_at  INTEGER NOT NULL,
    created_by  TEXT NOT NULL,
    UNIQUE (unit_code, year)
);

CREATE TABLE reform_tasks (
    id          INTEGER PRIMARY KEY,
    plan_id     INTEGER NOT NULL REFERENCES reform_plans (id),
    parent_id   INTEGER REFERENCES reform_tasks (id),      -- NULL: a top-level task
    area        TEXT NOT NULL CHECK (area <> ''),
    title       TEXT NOT NULL CHECK (title <> ''),
    owner_unit  TEXT NOT NULL REFERENCES units (code),
    lead        TEXT NOT NULL,                              -- lead officer, '' if not named
    product     TEXT NOT NULL,                              -- expected product (sản phẩm)
    start_day   INTEGER NOT NULL,
    due_day     INTEGER NOT NULL,
    done_day    INTEGER,                                    -- NULL until done
    status      TEXT NOT NULL CHECK (status IN ('planned', 'in_progress', 'paused', 'done',
                                                'cancelled')),
    progress    INTEGER NOT NULL CHECK (progress BETWEEN 0 AND 100),
    weight      INTEGER NOT NULL CHECK (weight BETWEEN 1 AND 1000),
    created_at  INTEGER NOT NULL,
    created_by  TEXT NOT NULL,
    updated_at  INTEGER NOT NULL,
    CHECK (due_day >= start_day)
);
CREATE INDEX reform_tasks_plan ON reform_tasks (plan_id, due_day);
CREATE INDEX reform_tasks_parent ON reform_tasks (parent_id);
CREATE INDEX reform_tasks_owner ON reform_tasks (owner_unit, due_day);

-- Every action on a task, comments included, in order: the task's history.
CREATE TABLE reform_task_events (
    id           INTEGER PRIMARY KEY,
    task_id      INTEGER NOT NULL REFERENCES reform_tasks (id),
    at           INTEGER NOT NULL,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,                            -- 'create' or a task action
    from_status  TEXT NOT NULL,                            -- '' for 'create'
    to_status    TEXT NOT NULL,
    progress     INTEGER NOT NULL,
    note         TEXT NOT NULL
);
CREATE INDEX reform_task_events_task ON reform_task_events (task_id, id);

CREATE TABLE reform_evidence (
    id        INTEGER PRIMARY KEY,
    task_id   INTEGER NOT NULL REFERENCES reform_tasks (id),
    name      TEXT NOT NULL CHECK (name <> ''),
    mime      TEXT NOT NULL,
    size      INTEGER NOT NULL CHECK (size > 0),
    sha256    TEXT NOT NULL REFERENCES par_blobs (sha256),
    added_at  INTEGER NOT NULL,
    added_by  TEXT NOT NULL
);
CREATE INDEX reform_evidence_task ON reform_evidence (task_id, id);

-- CCHC inspections (kiểm tra công tác CCHC): the year's plan of inspections, one row per
-- inspected unit, by an inspecting unit and its team; a checklist (from the PAR set or written
-- for the inspection); findings (strengths and shortcomings); remedies, each a task of the
-- inspected unit (reform_tasks), followed until closed. The state is src/core/inspection.c's.
CREATE TABLE inspections (
    id              INTEGER PRIMARY KEY,
    year            INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    inspector_unit  TEXT NOT NULL REFERENCES units (code),
    unit_code       TEXT NOT NULL REFERENCES units (code),  -- the unit inspected
    team            TEXT NOT NULL,
    planned_from    INTEGER NOT NULL,
    planned_to      INTEGER NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('planned', 'in_progress', 'concluded',
                                                    'closed', 'cancelled')),
    concluded_day   INTEGER,
    created_at      INTEGER NOT NULL,
    created_by      TEXT NOT NULL,
    CHECK (planned_to >= planned_from)
);
CREATE INDEX inspections_year ON inspections (year, unit_code);

CREATE TABLE inspection_checklist (
    inspection_id  INTEGER NOT NULL REFERENCES inspections (id),
    seq            INTEGER NOT NULL CHECK (seq >= 1),
    item           TEXT NOT NULL CHECK (item <> ''),
    node_code      TEXT NOT NULL,                          -- PAR criterion, '' if written here
    result         TEXT NOT NULL CHECK (result IN ('', 'met', 'not_met')),
    note           TEXT NOT NULL,
    PRIMARY KEY (inspection_id, seq)
);

CREATE TABLE inspection_findings (
    id             INTEGER PRIMARY KEY,
    inspection_id  INTEGER NOT NULL REFERENCES inspections (id),
    kind           TEXT NOT NULL CHECK (kind IN ('strength', 'shortcoming')),
    text           TEXT NOT NULL CHECK (text <> ''),
    evidence_sha   TEXT REFERENCES par_blobs (sha256),     -- NULL: no file
    added_at       INTEGER NOT NULL,
    added_by       TEXT NOT NULL
);
CREATE INDEX inspection_findings_insp ON inspection_findings (inspection_id, id);

CREATE TABLE inspection_remedies (
    finding_id  INTEGER NOT NULL REFERENCES inspection_findings (id),
    task_id     INTEGER NOT NULL UNIQUE REFERENCES reform_tasks (id),
    PRIMARY KEY (finding_id, task_id)
);
