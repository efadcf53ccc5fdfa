-- 046_blob_keys.sql (PostgreSQL) — the key stage of the content stores (docs/scale.md, "What
-- the schema needs first", step 5): digi_blobs and par_blobs are keyed (sha256, province), as
-- Citus needs of a table distributed by province, so a content is stored once per province
-- (the same file uploaded in two provinces is two rows, each in its province's shard). Every
-- foreign key onto them pairs the province: (sha256, province) → blob (sha256, province), and
-- inspection_findings' (evidence_sha, province), whose NULL evidence_sha stays allowed (a
-- composite key with a NULL column is not checked under MATCH SIMPLE). A row that refers to a
-- blob of another province (migration 044 gave a blob shared by several provinces the least of
-- them) gets a copy of the blob in its own province before the keys come back. The store
-- names the new key in every upsert (ON CONFLICT (sha256, province)) and reads a blob with its
-- reader's province. SQLite does the same (migrations/046_blob_keys.sql, rebuilding tables).
ALTER TABLE digi_components DROP CONSTRAINT digi_components_sha256_fkey;
ALTER TABLE digi_results DROP CONSTRAINT digi_results_sha256_fkey;
ALTER TABLE efile_documents DROP CONSTRAINT efile_documents_sha256_fkey;
ALTER TABLE par_evidence DROP CONSTRAINT par_evidence_sha256_fkey;
ALTER TABLE reform_evidence DROP CONSTRAINT reform_evidence_sha256_fkey;
ALTER TABLE initiative_evidence DROP CONSTRAINT initiative_evidence_sha256_fkey;
ALTER TABLE inspection_findings DROP CONSTRAINT inspection_findings_evidence_sha_fkey;

ALTER TABLE digi_blobs DROP CONSTRAINT digi_blobs_pkey, ADD CONSTRAINT digi_blobs_pkey PRIMARY KEY (sha256, province);
ALTER TABLE par_blobs DROP CONSTRAINT par_blobs_pkey, ADD CONSTRAINT par_blobs_pkey PRIMARY KEY (sha256, province);

-- the copies: one per (content, province) that a row refers to and the store lacks
INSERT INTO digi_blobs (sha256, size, content, province)
SELECT b.sha256, b.size, b.content, r.province
FROM (SELECT sha256, province FROM digi_components
      UNION SELECT sha256, province FROM digi_results
      UNION SELECT sha256, province FROM efile_documents) r
JOIN (SELECT DISTINCT ON (sha256) sha256, size, content FROM digi_blobs ORDER BY sha256, province) b
  ON b.sha256 = r.sha256
WHERE NOT EXISTS (SELECT 1 FROM digi_blobs x WHERE x.sha256 = r.sha256 AND x.province = r.province);
INSERT INTO par_blobs (sha256, size, content, province)
SELECT b.sha256, b.size, b.content, r.province
FROM (SELECT sha256, province FROM par_evidence
      UNION SELECT sha256, province FROM reform_evidence
      UNION SELECT sha256, province FROM initiative_evidence
      UNION SELECT evidence_sha, province FROM inspection_findings WHERE evidence_sha IS NOT NULL) r
JOIN (SELECT DISTINCT ON (sha256) sha256, size, content FROM par_blobs ORDER BY sha256, province) b
  ON b.sha256 = r.sha256
WHERE NOT EXISTS (SELECT 1 FROM par_blobs x WHERE x.sha256 = r.sha256 AND x.province = r.province);

ALTER TABLE digi_components ADD CONSTRAINT digi_components_sha256_fkey FOREIGN KEY (sha256, province) REFERENCES digi_blobs (sha256, province);
ALTER TABLE digi_results ADD CONSTRAINT digi_results_sha256_fkey FOREIGN KEY (sha256, province) REFERENCES digi_blobs (sha256, province);
ALTER TABLE efile_documents ADD CONSTRAINT efile_documents_sha256_fkey FOREIGN KEY (sha256, province) REFERENCES digi_blobs (sha256, province);
ALTER TABLE par_evidence ADD CONSTRAINT par_evidence_sha256_fkey FOREIGN KEY (sha256, province) REFERENCES par_blobs (sha256, province);
ALTER TABLE reform_evidence ADD CONSTRAINT reform_evidence_sha256_fkey FOREIGN KEY (sha256, province) REFERENCES par_blobs (sha256, province);
ALTER TABLE initiative_evidence ADD CONSTRAINT initiative_evidence_sha256_fkey FOREIGN KEY (sha256, province) REFERENCES par_blobs (sha256, province);
ALTER TABLE inspection_findings ADD CONSTRAINT inspection_findings_evidence_sha_fkey FOREIGN KEY (evidence_sha, province) REFERENCES par_blobs (sha256, province);
