-- 038_feedback_province.sql — the province column (docs/scale.md, "What the schema needs
-- first", step 1) on feedback with its events and files, on the dialogues with their
-- commitments, and on the periodic reports with their history. A feedback item's province is
-- the root of the tree of the unit that received it (the to_unit of its first event, the
-- submission; the item's unit_code when it has none), fixed when it is written and kept when
-- the item is forwarded to another unit; a dialogue's and a report's is the root of its unit's
-- tree; each child row carries its parent's, bound by the store at every insert. The keys and
-- foreign keys stay as they are for now: this migration gives every row its province, so
-- re-keying the family later is DDL alone. On SQLite the column is added with an empty default
-- (ADD COLUMN NOT NULL needs one; the store always binds it) and filled, last as on PostgreSQL.
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
ALTER TABLE feedback ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE feedback
SET province = (SELECT coalesce(r.top, x.unit) FROM feedback_received x
                LEFT JOIN unit_root r ON r.code = x.unit WHERE x.id = feedback.id);
ALTER TABLE feedback_events ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE feedback_events
SET province = (SELECT f.province FROM feedback f WHERE f.id = feedback_events.feedback_id);
ALTER TABLE feedback_files ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE feedback_files
SET province = (SELECT f.province FROM feedback f WHERE f.id = feedback_files.feedback_id);
ALTER TABLE dialogues ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE dialogues
SET province = coalesce((SELECT r.top FROM unit_root r WHERE r.code = dialogues.unit_code), unit_code);
ALTER TABLE dialogue_commitments ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE dialogue_commitments
SET province = (SELECT d.province FROM dialogues d WHERE d.id = dialogue_commitments.dialogue_id);
ALTER TABLE periodic_reports ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE periodic_reports
SET province = coalesce((SELECT r.top FROM unit_root r WHERE r.code = periodic_reports.unit_code),
                        unit_code);
ALTER TABLE periodic_report_events ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE periodic_report_events
SET province = (SELECT p.province FROM periodic_reports p WHERE p.id = periodic_report_events.report_id);
DROP TABLE feedback_received;
DROP TABLE unit_root;
