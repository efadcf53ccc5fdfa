-- 040_initiative_queue_province.sql — the province column (docs/scale.md, "What the schema
-- needs first", step 1) on the reform initiatives with their history, evidence and applying
-- units, and on the desk queue's tickets and appointments. An initiative's province is the
-- root of its proposing unit's tree when it is proposed, never changed; its history, evidence
-- and applying units carry the initiative's (a unit of another province applying it still goes
-- with the initiative). A ticket's and an appointment's is the root of the tree of the unit
-- whose desk it is, as its counters' (migration 034). The store binds it at every insert. The
-- keys and foreign keys stay as they are for now: this migration gives every row its province,
-- so re-keying the family later is DDL alone. On SQLite the column is added with an empty
-- default (ADD COLUMN NOT NULL needs one; the store always binds it) and filled, parents before
-- children, as on PostgreSQL.
CREATE TEMP TABLE unit_root AS
WITH RECURSIVE up(code, top, parent) AS (
    SELECT code, code, parent FROM units
    UNION ALL
    SELECT up.code, u.code, u.parent FROM up JOIN units u ON u.code = up.parent
)
SELECT code, top FROM up WHERE parent IS NULL;
ALTER TABLE initiatives ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE initiatives
SET province = coalesce((SELECT r.top FROM unit_root r WHERE r.code = initiatives.unit_code), unit_code);
ALTER TABLE initiative_events ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE initiative_events
SET province = (SELECT i.province FROM initiatives i WHERE i.id = initiative_events.initiative_id);
ALTER TABLE initiative_evidence ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE initiative_evidence
SET province = (SELECT i.province FROM initiatives i WHERE i.id = initiative_evidence.initiative_id);
ALTER TABLE initiative_units ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE initiative_units
SET province = (SELECT i.province FROM initiatives i WHERE i.id = initiative_units.initiative_id);
ALTER TABLE queue_tickets ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE queue_tickets
SET province = coalesce((SELECT r.top FROM unit_root r WHERE r.code = queue_tickets.unit), unit);
ALTER TABLE queue_appointments ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE queue_appointments
SET province = coalesce((SELECT r.top FROM unit_root r WHERE r.code = queue_appointments.unit), unit);
DROP TABLE unit_root;
