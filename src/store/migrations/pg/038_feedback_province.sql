-- 038_feedback_province.sql (PostgreSQL; the same as migrations/038_feedback_province.sql) —
-- the province column (docs/scale.md, "What the schema needs first", step 1) on feedback with
-- its events and files, on the dialogues with their commitments, and on the periodic reports
-- with their history. A feedback item's province is the root of the tree of the unit that
-- received it (the to_unit of its first event, the submission; the item's unit_code when it
-- has none), fixed when it is written and kept when the item is forwarded to another unit; a
-- dialogue's and a report's is the root of its unit's tree; each child row carries its
-- parent's, bound by the store at every insert. The keys and foreign keys stay as they are for
-- now: this migration gives every row its province, so re-keying the family later is DDL alone.
CREATE TEMP TABLE unit_root AS
WITH RECURSIVE up(code, top, parent) AS (
    SELECT code, code, parent FROM units
    UNION ALL
    SELECT up.code, u.code, u.parent FROM up JOIN units u ON u.code = up.parent
)
SELECT code, top FROM up WHERE parent IS NULL;
CREATE TEMP TABLE feedback_received AS
SELECT f.id, coalesce((SELECT ev.to_unit FROM feedback_events ev
                       WHERE ev.feedback_id = f.id AND ev.seq = 1), f.unit_code) AS unit
FROM feedback f;
ALTER TABLE feedback ADD COLUMN province TEXT;
UPDATE feedback f SET province = coalesce(r.top, x.unit)
FROM feedback_received x LEFT JOIN unit_root r ON r.code = x.unit WHERE x.id = f.id;
ALTER TABLE feedback ALTER COLUMN province SET NOT NULL;
ALTER TABLE feedback_events ADD COLUMN province TEXT;
UPDATE feedback_events x SET province = f.province FROM feedback f WHERE f.id = x.feedback_id;
ALTER TABLE feedback_events ALTER COLUMN province SET NOT NULL;
ALTER TABLE feedback_files ADD COLUMN province TEXT;
UPDATE feedback_files x SET province = f.province FROM feedback f WHERE f.id = x.feedback_id;
ALTER TABLE feedback_files ALTER COLUMN province SET NOT NULL;
ALTER TABLE dialogues ADD COLUMN province TEXT;
UPDATE dialogues d
SET province = coalesce((SELECT r.top FROM unit_root r WHERE r.code = d.unit_code), d.unit_code);
ALTER TABLE dialogues ALTER COLUMN province SET NOT NULL;
ALTER TABLE dialogue_commitments ADD COLUMN province TEXT;
UPDATE dialogue_commitments x SET province = d.province FROM dialogues d WHERE d.id = x.dialogue_id;
ALTER TABLE dialogue_commitments ALTER COLUMN province SET NOT NULL;
ALTER TABLE periodic_reports ADD COLUMN province TEXT;
UPDATE periodic_reports p
SET province = coalesce((SELECT r.top FROM unit_root r WHERE r.code = p.unit_code), p.unit_code);
ALTER TABLE periodic_reports ALTER COLUMN province SET NOT NULL;
ALTER TABLE periodic_report_events ADD COLUMN province TEXT;
UPDATE periodic_report_events x SET province = p.province FROM periodic_reports p
WHERE p.id = x.report_id;
ALTER TABLE periodic_report_events ALTER COLUMN province SET NOT NULL;
DROP TABLE feedback_received;
DROP TABLE unit_root;
