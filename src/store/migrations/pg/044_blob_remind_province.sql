-- 044_blob_remind_province.sql (PostgreSQL; the same as migrations/044_blob_remind_province.sql)
-- — the province column (docs/scale.md, "What the schema needs first", step 1) on the
-- reminders and on the two content-addressed blob stores, digi_blobs (digitised components,
-- electronic results, online filing documents) and par_blobs (PAR, reform task, inspection
-- finding and initiative evidence). A reminder's province is the root of the tree of its
-- responsible unit (unit_code) when it is written, never changed. A blob takes the province
-- of the row that first stored it (the insert's ON CONFLICT keeps the first): the dossier's,
-- the filing's, the PAR evidence's (its round's, migration 043), the task's, the
-- inspection's, the initiative's. An existing blob takes the least province among the rows
-- that refer to it (through their own province column); a blob no row refers to takes the
-- least root code among the units ('' only when there are no units at all). The keys stay as they are for now: the later key stage keys a
-- blob (sha256, province), so that it is stored once per province. The store binds the
-- province at every insert.
CREATE TEMP TABLE unit_root AS
WITH RECURSIVE up(code, top, parent) AS (
    SELECT code, code, parent FROM units
    UNION ALL
    SELECT up.code, u.code, u.parent FROM up JOIN units u ON u.code = up.parent
)
SELECT code, top FROM up WHERE parent IS NULL;
ALTER TABLE reminders ADD COLUMN province TEXT;
UPDATE reminders x
SET province = coalesce((SELECT r.top FROM unit_root r WHERE r.code = x.unit_code), x.unit_code);
ALTER TABLE reminders ALTER COLUMN province SET NOT NULL;
CREATE TEMP TABLE blob_province (sha256 TEXT PRIMARY KEY, province TEXT NOT NULL);
INSERT INTO blob_province (sha256, province)
SELECT sha256, min(province) FROM (
    SELECT sha256, province FROM digi_components
    UNION ALL SELECT sha256, province FROM digi_results
    UNION ALL SELECT sha256, province FROM efile_documents
) x GROUP BY sha256;
ALTER TABLE digi_blobs ADD COLUMN province TEXT;
UPDATE digi_blobs d
SET province = coalesce((SELECT b.province FROM blob_province b WHERE b.sha256 = d.sha256),
                        (SELECT min(top) FROM unit_root), '');
ALTER TABLE digi_blobs ALTER COLUMN province SET NOT NULL;
DELETE FROM blob_province;
INSERT INTO blob_province (sha256, province)
SELECT sha256, min(province) FROM (
    SELECT sha256, province FROM par_evidence
    UNION ALL SELECT sha256, province FROM reform_evidence
    UNION ALL SELECT evidence_sha, province FROM inspection_findings WHERE evidence_sha IS NOT NULL
    UNION ALL SELECT sha256, province FROM initiative_evidence
) x GROUP BY sha256;
ALTER TABLE par_blobs ADD COLUMN province TEXT;
UPDATE par_blobs p
SET province = coalesce((SELECT b.province FROM blob_province b WHERE b.sha256 = p.sha256),
                        (SELECT min(top) FROM unit_root), '');
ALTER TABLE par_blobs ALTER COLUMN province SET NOT NULL;
DROP TABLE blob_province;
DROP TABLE unit_root;
