-- 040_initiative_queue_province.sql (PostgreSQL; the same as
-- migrations/040_initiative_queue_province.sql) — the province column (docs/scale.md, "What
-- the schema needs first", step 1) on the reform initiatives with their history, evidence and
-- applying units, and on the desk queue's tickets and appointments. An initiative's province
-- is the root of its proposing unit's tree when it is proposed, never changed; its history,
-- evidence and applying units carry the initiative's (a unit of another province applying it
-- still goes with the initiative). A ticket's and an appointment's is the root of the tree of
-- the unit whose desk it is, as its counters' (migration 034). The store binds it at every
-- insert. The keys and foreign keys stay as they are for now: this migration gives every row
-- its province, so re-keying the family later is DDL alone.
CREATE TEMP TABLE unit_root AS
WITH RECURSIVE up(code, top, parent) AS (
    SELECT code, code, parent FROM units
    UNION ALL
    SELECT up.code, u.code, u.parent FROM up JOIN units u ON u.code = up.parent
)
SELECT code, top FROM up WHERE parent IS NULL;
ALTER TABLE initiatives ADD COLUMN province TEXT;
UPDATE initiatives i
SET province = coalesce((SELECT r.top FROM unit_root r WHERE r.code = i.unit_code), i.unit_code);
ALTER TABLE initiatives ALTER COLUMN province SET NOT NULL;
ALTER TABLE initiative_events ADD COLUMN province TEXT;
UPDATE initiative_events x SET province = i.province FROM initiatives i WHERE i.id = x.initiative_id;
ALTER TABLE initiative_events ALTER COLUMN province SET NOT NULL;
ALTER TABLE initiative_evidence ADD COLUMN province TEXT;
UPDATE initiative_evidence x SET province = i.province FROM initiatives i WHERE i.id = x.initiative_id;
ALTER TABLE initiative_evidence ALTER COLUMN province SET NOT NULL;
ALTER TABLE initiative_units ADD COLUMN province TEXT;
UPDATE initiative_units x SET province = i.province FROM initiatives i WHERE i.id = x.initiative_id;
ALTER TABLE initiative_units ALTER COLUMN province SET NOT NULL;
ALTER TABLE queue_tickets ADD COLUMN province TEXT;
UPDATE queue_tickets t
SET province = coalesce((SELECT r.top FROM unit_root r WHERE r.code = t.unit), t.unit);
ALTER TABLE queue_tickets ALTER COLUMN province SET NOT NULL;
ALTER TABLE queue_appointments ADD COLUMN province TEXT;
UPDATE queue_appointments a
SET province = coalesce((SELECT r.top FROM unit_root r WHERE r.code = a.unit), a.unit);
ALTER TABLE queue_appointments ALTER COLUMN province SET NOT NULL;
DROP TABLE unit_root;
