-- 037_dossier_province.sql (PostgreSQL; the same as migrations/037_dossier_province.sql) —
-- the province column (docs/scale.md, "What the schema needs first", step 1) on the dossiers
-- and the tables that hang on a dossier: its events, documents, steps, stops, apologies,
-- rating, fee due and payments. A dossier's province is the root of its receiving unit's tree
-- when it is received (store_unit_root), never changed; each child row carries its dossier's,
-- bound by the store at every insert. The keys and foreign keys stay as they are for now:
-- this migration gives every row its province, so re-keying the family later is DDL alone.
CREATE TEMP TABLE unit_root AS
WITH RECURSIVE up(code, top, parent) AS (
    SELECT code, code, parent FROM units
    UNION ALL
    SELECT up.code, u.code, u.parent FROM up JOIN units u ON u.code = up.parent
)
SELECT code, top FROM up WHERE parent IS NULL;
ALTER TABLE dossiers ADD COLUMN province TEXT;
UPDATE dossiers d
SET province = coalesce((SELECT r.top FROM unit_root r WHERE r.code = d.unit_code), d.unit_code);
ALTER TABLE dossiers ALTER COLUMN province SET NOT NULL;
ALTER TABLE events ADD COLUMN province TEXT;
UPDATE events x SET province = d.province FROM dossiers d WHERE d.id = x.dossier_id;
ALTER TABLE events ALTER COLUMN province SET NOT NULL;
ALTER TABLE dossier_documents ADD COLUMN province TEXT;
UPDATE dossier_documents x SET province = d.province FROM dossiers d WHERE d.id = x.dossier_id;
ALTER TABLE dossier_documents ALTER COLUMN province SET NOT NULL;
ALTER TABLE dossier_steps ADD COLUMN province TEXT;
UPDATE dossier_steps x SET province = d.province FROM dossiers d WHERE d.id = x.dossier_id;
ALTER TABLE dossier_steps ALTER COLUMN province SET NOT NULL;
ALTER TABLE dossier_stops ADD COLUMN province TEXT;
UPDATE dossier_stops x SET province = d.province FROM dossiers d WHERE d.id = x.dossier_id;
ALTER TABLE dossier_stops ALTER COLUMN province SET NOT NULL;
ALTER TABLE dossier_apologies ADD COLUMN province TEXT;
UPDATE dossier_apologies x SET province = d.province FROM dossiers d WHERE d.id = x.dossier_id;
ALTER TABLE dossier_apologies ALTER COLUMN province SET NOT NULL;
ALTER TABLE dossier_ratings ADD COLUMN province TEXT;
UPDATE dossier_ratings x SET province = d.province FROM dossiers d WHERE d.id = x.dossier_id;
ALTER TABLE dossier_ratings ALTER COLUMN province SET NOT NULL;
ALTER TABLE payment_dues ADD COLUMN province TEXT;
UPDATE payment_dues x SET province = d.province FROM dossiers d WHERE d.id = x.dossier_id;
ALTER TABLE payment_dues ALTER COLUMN province SET NOT NULL;
ALTER TABLE payments ADD COLUMN province TEXT;
UPDATE payments x SET province = d.province FROM dossiers d WHERE d.id = x.dossier_id;
ALTER TABLE payments ALTER COLUMN province SET NOT NULL;
DROP TABLE unit_root;
