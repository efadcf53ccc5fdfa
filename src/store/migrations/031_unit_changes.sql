-- 031_unit_changes.sql — the log of the units changed from the administration page (issue 13):
-- who created or edited a unit, or recorded a merger, and when. The units table keeps only the
-- result (valid_to and successor of the units that end); this says who did it and what was
-- given. No foreign key: the log outlives a unit deleted with `cchc` (store_unit_delete).
CREATE TABLE unit_changes (
    id         INTEGER PRIMARY KEY,
    unit_code  TEXT NOT NULL,
    at         INTEGER NOT NULL,               -- local minutes (date.h)
    actor      TEXT NOT NULL CHECK (actor <> ''),
    what       TEXT NOT NULL CHECK (what IN ('create', 'edit', 'merge')),
    summary    TEXT NOT NULL
);
CREATE INDEX unit_changes_code ON unit_changes (unit_code, id);
