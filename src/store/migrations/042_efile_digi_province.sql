-- 042_efile_digi_province.sql — the province column (docs/scale.md, "What the schema needs
-- first", step 1) on the online filings with their documents, and on the digitised
-- components and the electronic results registry. A filing's province is the root of the
-- tree of the unit it is filed to (its unit_code) when it is created, never changed; the
-- dossier it becomes is received by that same unit, so it carries the same province. A
-- filing's documents carry the filing's. A digitised component and an electronic result
-- carry their dossier's (dossiers.province, migration 037), the dossier named by
-- dossier_code. The store binds it at every insert. The keys and foreign keys stay as they
-- are for now (and the content stores digi_blobs and par_blobs are a later step): this
-- migration gives every row its province, so re-keying the family later is DDL alone. On
-- SQLite the column is added with an empty default (ADD COLUMN NOT NULL needs one; the store
-- always binds it) and filled, parents before children, as on PostgreSQL.
CREATE TEMP TABLE unit_root AS
WITH RECURSIVE up(code, top, parent) AS (
    SELECT code, code, parent FROM units
    UNION ALL
    SELECT up.code, u.code, u.parent FROM up JOIN units u ON u.code = up.parent
)
SELECT code, top FROM up WHERE parent IS NULL;
ALTER TABLE efile_filings ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE efile_filings
SET province = coalesce((SELECT r.top FROM unit_root r WHERE r.code = efile_filings.unit_code),
                        unit_code);
ALTER TABLE efile_documents ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE efile_documents
SET province = (SELECT f.province FROM efile_filings f WHERE f.id = efile_documents.filing_id);
ALTER TABLE digi_components ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE digi_components
SET province = (SELECT d.province FROM dossiers d WHERE d.code = digi_components.dossier_code);
ALTER TABLE digi_results ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE digi_results
SET province = (SELECT d.province FROM dossiers d WHERE d.code = digi_results.dossier_code);
DROP TABLE unit_root;
