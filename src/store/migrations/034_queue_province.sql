-- 034_queue_province.sql — the province column (docs/scale.md, "What the schema needs first",
-- step 1, the pattern of migration 033) on the queue's counters and their per-day number
-- sequence: keyed (province, unit, no) and (province, unit, day, counter_no), province being
-- the root of the unit's tree (store_unit_root), bound by the store when it writes or reads
-- them. On SQLite a new primary key means a new table: rebuilt, rows copied with their
-- province (a unit no longer in the tree keeps its own code).
CREATE TABLE queue_counters_new (
    unit       TEXT NOT NULL REFERENCES units (code),
    no         INTEGER NOT NULL CHECK (no BETWEEN 1 AND 99),
    name       TEXT NOT NULL,
    fields     TEXT NOT NULL, -- '|'-separated field names of the catalogue
    active     INTEGER NOT NULL DEFAULT 1,
    province   TEXT NOT NULL,
    PRIMARY KEY (province, unit, no)
);
CREATE TABLE queue_seq_new (
    unit       TEXT NOT NULL,
    day        INTEGER NOT NULL, -- day number (date.h)
    counter_no INTEGER NOT NULL,
    last       INTEGER NOT NULL,
    province   TEXT NOT NULL,
    PRIMARY KEY (province, unit, day, counter_no)
);
CREATE TEMP TABLE unit_root AS
WITH RECURSIVE up(code, top, parent) AS (
    SELECT code, code, parent FROM units
    UNION ALL
    SELECT up.code, u.code, u.parent FROM up JOIN units u ON u.code = up.parent
)
SELECT code, top FROM up WHERE parent IS NULL;
INSERT INTO queue_counters_new (unit, no, name, fields, active, province)
SELECT c.unit, c.no, c.name, c.fields, c.active,
       coalesce((SELECT r.top FROM unit_root r WHERE r.code = c.unit), c.unit)
FROM queue_counters c;
INSERT INTO queue_seq_new (unit, day, counter_no, last, province)
SELECT q.unit, q.day, q.counter_no, q.last,
       coalesce((SELECT r.top FROM unit_root r WHERE r.code = q.unit), q.unit)
FROM queue_seq q;
DROP TABLE unit_root;
DROP TABLE queue_counters;
ALTER TABLE queue_counters_new RENAME TO queue_counters;
DROP TABLE queue_seq;
ALTER TABLE queue_seq_new RENAME TO queue_seq;
