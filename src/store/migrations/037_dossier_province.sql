-- 037_dossier_province.sql — the province column (docs/scale.md, "What the schema needs
-- first", step 1) on the dossiers and the tables that hang on a dossier: its events, documents,
-- steps, stops, apologies, rating, fee due and payments. A dossier's province is the root of
-- its receiving unit's tree when it is received (store_unit_root), never changed; each child
-- row carries its dossier's, bound by the store at every insert. The keys and foreign keys
-- stay as they are for now: this migration gives every row its province, so re-keying the
-- family later is DDL alone. On SQLite the column is added with an empty default (ADD COLUMN
-- NOT NULL needs one; the store always binds it) and filled, last as on PostgreSQL.
CREATE TEMP TABLE unit_root AS
WITH RECURSIVE up(code, top, parent) AS (
    SELECT code, code, parent FROM units
    UNION ALL
    SELECT up.code, u.code, u.parent FROM up JOIN units u ON u.code = up.parent
)
SELECT code, top FROM up WHERE parent IS NULL;
ALTER TABLE dossiers ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE dossiers
SET province = coalesce((SELECT r.top FROM unit_root r WHERE r.code = dossiers.unit_code), unit_code);
ALTER TABLE events ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE events SET province = (SELECT d.province FROM dossiers d WHERE d.id = events.dossier_id);
ALTER TABLE dossier_documents ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE dossier_documents SET province = (SELECT d.province FROM dossiers d WHERE d.id = dossier_documents.dossier_id);
ALTER TABLE dossier_steps ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE dossier_steps SET province = (SELECT d.province FROM dossiers d WHERE d.id = dossier_steps.dossier_id);
ALTER TABLE dossier_stops ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE dossier_stops SET province = (SELECT d.province FROM dossiers d WHERE d.id = dossier_stops.dossier_id);
ALTER TABLE dossier_apologies ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE dossier_apologies SET province = (SELECT d.province FROM dossiers d WHERE d.id = dossier_apologies.dossier_id);
ALTER TABLE dossier_ratings ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE dossier_ratings SET province = (SELECT d.province FROM dossiers d WHERE d.id = dossier_ratings.dossier_id);
ALTER TABLE payment_dues ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE payment_dues SET province = (SELECT d.province FROM dossiers d WHERE d.id = payment_dues.dossier_id);
ALTER TABLE payments ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE payments SET province = (SELECT d.province FROM dossiers d WHERE d.id = payments.dossier_id);
DROP TABLE unit_root;
