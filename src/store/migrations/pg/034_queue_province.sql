-- 034_queue_province.sql (PostgreSQL; the same as migrations/034_queue_province.sql) — the
-- province column (docs/scale.md, "What the schema needs first", step 1, the pattern of
-- migration 033) on the queue's counters and their per-day number sequence: keyed
-- (province, unit, no) and (province, unit, day, counter_no), province being the root of the
-- unit's tree (store_unit_root), bound by the store when it writes or reads them. Rows are
-- given the province of their unit (a unit no longer in the tree keeps its own code).
CREATE TEMP TABLE unit_root AS
WITH RECURSIVE up(code, top, parent) AS (
    SELECT code, code, parent FROM units
    UNION ALL
    SELECT up.code, u.code, u.parent FROM up JOIN units u ON u.code = up.parent
)
SELECT code, top FROM up WHERE parent IS NULL;
ALTER TABLE queue_counters ADD COLUMN province TEXT;
UPDATE queue_counters c
SET province = coalesce((SELECT r.top FROM unit_root r WHERE r.code = c.unit), c.unit);
ALTER TABLE queue_counters ALTER COLUMN province SET NOT NULL;
ALTER TABLE queue_counters DROP CONSTRAINT queue_counters_pkey;
ALTER TABLE queue_counters ADD CONSTRAINT queue_counters_pkey PRIMARY KEY (province, unit, no);
ALTER TABLE queue_seq ADD COLUMN province TEXT;
UPDATE queue_seq q
SET province = coalesce((SELECT r.top FROM unit_root r WHERE r.code = q.unit), q.unit);
ALTER TABLE queue_seq ALTER COLUMN province SET NOT NULL;
ALTER TABLE queue_seq DROP CONSTRAINT queue_seq_pkey;
ALTER TABLE queue_seq ADD CONSTRAINT queue_seq_pkey PRIMARY KEY (province, unit, day, counter_no);
DROP TABLE unit_root;
