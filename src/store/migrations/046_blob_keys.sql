-- 046_blob_keys.sql (SQLite) — the key stage of the content stores (docs/scale.md, "What the
-- schema needs first", step 5): digi_blobs and par_blobs are keyed (sha256, province), as on
-- PostgreSQL (migrations/pg/046_blob_keys.sql), so a content is stored once per province (the
-- same file uploaded in two provinces is two rows) and the store's upserts name
-- ON CONFLICT (sha256, province) on both databases. SQLite cannot change a key in place: each
-- blob store is rebuilt. Its referrers are rebuilt too: SQLite refuses any write to a table
-- whose foreign key names parent columns that are not a unique key ("foreign key mismatch"),
-- and sha256 alone no longer is; their key onto the blob store pairs the province, as on
-- PostgreSQL: (sha256, province) and inspection_findings' (evidence_sha, province), whose NULL
-- evidence_sha stays allowed (a key with a NULL column is not checked). The referrers are
-- built onto the new stores (the *_046 names) before the old stores go; renaming a new store
-- to its old name rewrites their REFERENCES. Column order, CHECKs and indexes are kept. A row
-- that refers to a blob of another province (migration 044 gave a blob shared by several
-- provinces the least of them) gets a copy of the blob in its own province. The foreign keys
-- are on during migrations: inspection_remedies, which refers to inspection_findings, is set
-- aside while that table is rebuilt, so the implicit DELETE of its DROP finds no child row.
CREATE TABLE digi_blobs_046 (
    sha256    TEXT NOT NULL,                        -- lowercase hex of SHA-256(content)
    size      INTEGER NOT NULL CHECK (size > 0),
    content   BLOB NOT NULL,
    province  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (sha256, province)
);
INSERT INTO digi_blobs_046 (sha256, size, content, province)
SELECT sha256, size, content, province FROM digi_blobs;
INSERT INTO digi_blobs_046 (sha256, size, content, province)
SELECT b.sha256, b.size, b.content, r.province
FROM (SELECT sha256, province FROM digi_components
      UNION SELECT sha256, province FROM digi_results
      UNION SELECT sha256, province FROM efile_documents) r
JOIN digi_blobs b ON b.sha256 = r.sha256
WHERE NOT EXISTS (SELECT 1 FROM digi_blobs_046 x WHERE x.sha256 = r.sha256 AND x.province = r.province);

CREATE TABLE par_blobs_046 (
    sha256    TEXT NOT NULL,                        -- lowercase hex of SHA-256(content)
    size      INTEGER NOT NULL CHECK (size > 0),
    content   BLOB NOT NULL,
    province  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (sha256, province)
);
INSERT INTO par_blobs_046 (sha256, size, content, province)
SELECT sha256, size, content, province FROM par_blobs;
INSERT INTO par_blobs_046 (sha256, size, content, province)
SELECT b.sha256, b.size, b.content, r.province
FROM (SELECT sha256, province FROM par_evidence
      UNION SELECT sha256, province FROM reform_evidence
      UNION SELECT sha256, province FROM initiative_evidence
      UNION SELECT evidence_sha, province FROM inspection_findings WHERE evidence_sha IS NOT NULL) r
JOIN par_blobs b ON b.sha256 = r.sha256
WHERE NOT EXISTS (SELECT 1 FROM par_blobs_046 x WHERE x.sha256 = r.sha256 AND x.province = r.province);

CREATE TABLE digi_components_046 (
    id            INTEGER PRIMARY KEY,
    dossier_code  TEXT NOT NULL REFERENCES dossiers (code),
    doc_index     INTEGER NOT NULL CHECK (doc_index >= 1), -- 1-based place in the document list
    doc_name      TEXT NOT NULL,                    -- the list's wording at the time
    name          TEXT NOT NULL CHECK (name <> ''), -- the file's name as given
    mime          TEXT NOT NULL,
    size          INTEGER NOT NULL CHECK (size > 0),
    sha256        TEXT NOT NULL,
    reused_from   TEXT,                             -- result number reused, NULL when scanned
    digitised_at  INTEGER NOT NULL,
    digitised_by  TEXT NOT NULL,
    province      TEXT NOT NULL DEFAULT '',
    UNIQUE (dossier_code, doc_index),
    FOREIGN KEY (sha256, province) REFERENCES digi_blobs_046 (sha256, province)
);
INSERT INTO digi_components_046 SELECT id, dossier_code, doc_index, doc_name, name, mime, size,
    sha256, reused_from, digitised_at, digitised_by, province FROM digi_components;
DROP TABLE digi_components;
ALTER TABLE digi_components_046 RENAME TO digi_components;

CREATE TABLE digi_results_046 (
    result_no     TEXT PRIMARY KEY,
    dossier_code  TEXT NOT NULL UNIQUE REFERENCES dossiers (code),
    unit_code     TEXT NOT NULL,
    citizen_id    TEXT,                             -- the applicant's ID number, NULL if none
    title         TEXT NOT NULL CHECK (title <> ''),
    mime          TEXT NOT NULL,
    size          INTEGER NOT NULL CHECK (size > 0),
    sha256        TEXT NOT NULL,
    issued_at     INTEGER NOT NULL,
    issued_by     TEXT NOT NULL,
    signature     TEXT,                             -- PEM CMS blocks: layer 1, then layer 2
    layers        INTEGER NOT NULL DEFAULT 0 CHECK (layers BETWEEN 0 AND 2),
    l1_by         TEXT,
    l1_at         INTEGER,
    l2_by         TEXT,
    l2_at         INTEGER,
    province      TEXT NOT NULL DEFAULT '',
    FOREIGN KEY (sha256, province) REFERENCES digi_blobs_046 (sha256, province)
);
INSERT INTO digi_results_046 SELECT result_no, dossier_code, unit_code, citizen_id, title, mime,
    size, sha256, issued_at, issued_by, signature, layers, l1_by, l1_at, l2_by, l2_at, province
FROM digi_results;
DROP TABLE digi_results;
ALTER TABLE digi_results_046 RENAME TO digi_results;
CREATE INDEX digi_results_citizen ON digi_results (citizen_id);

CREATE TABLE efile_documents_046 (
    filing_id    TEXT NOT NULL REFERENCES efile_filings (id),
    doc_index    INTEGER NOT NULL CHECK (doc_index >= 1),
    doc_name     TEXT NOT NULL,
    name         TEXT NOT NULL CHECK (name <> ''),
    mime         TEXT NOT NULL,
    size         INTEGER NOT NULL CHECK (size > 0),
    sha256       TEXT NOT NULL,
    uploaded_at  INTEGER NOT NULL,
    round        INTEGER NOT NULL DEFAULT 0,          -- 0 with the filing, k: k-th supplement
    province     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (filing_id, doc_index),
    FOREIGN KEY (sha256, province) REFERENCES digi_blobs_046 (sha256, province)
);
INSERT INTO efile_documents_046 SELECT filing_id, doc_index, doc_name, name, mime, size, sha256,
    uploaded_at, round, province FROM efile_documents;
DROP TABLE efile_documents;
ALTER TABLE efile_documents_046 RENAME TO efile_documents;
CREATE UNIQUE INDEX efile_documents_province ON efile_documents (filing_id, doc_index, province);

CREATE TABLE par_evidence_046 (
    id         INTEGER PRIMARY KEY,
    round_id   INTEGER NOT NULL,
    unit_code  TEXT NOT NULL,
    node_code  TEXT NOT NULL,
    name       TEXT NOT NULL CHECK (name <> ''),
    mime       TEXT NOT NULL,
    size       INTEGER NOT NULL CHECK (size > 0),
    sha256     TEXT NOT NULL,
    added_at   INTEGER NOT NULL,
    added_by   TEXT NOT NULL,
    province   TEXT NOT NULL DEFAULT '',
    FOREIGN KEY (round_id, unit_code) REFERENCES par_round_units (round_id, unit_code),
    FOREIGN KEY (sha256, province) REFERENCES par_blobs_046 (sha256, province)
);
INSERT INTO par_evidence_046 SELECT id, round_id, unit_code, node_code, name, mime, size, sha256,
    added_at, added_by, province FROM par_evidence;
DROP TABLE par_evidence;
ALTER TABLE par_evidence_046 RENAME TO par_evidence;
CREATE INDEX par_evidence_cell ON par_evidence (round_id, unit_code, node_code);

CREATE TABLE reform_evidence_046 (
    id        INTEGER PRIMARY KEY,
    task_id   INTEGER NOT NULL REFERENCES reform_tasks (id),
    name      TEXT NOT NULL CHECK (name <> ''),
    mime      TEXT NOT NULL,
    size      INTEGER NOT NULL CHECK (size > 0),
    sha256    TEXT NOT NULL,
    added_at  INTEGER NOT NULL,
    added_by  TEXT NOT NULL,
    province  TEXT NOT NULL DEFAULT '',
    FOREIGN KEY (sha256, province) REFERENCES par_blobs_046 (sha256, province)
);
INSERT INTO reform_evidence_046 SELECT id, task_id, name, mime, size, sha256, added_at, added_by,
    province FROM reform_evidence;
DROP TABLE reform_evidence;
ALTER TABLE reform_evidence_046 RENAME TO reform_evidence;
CREATE INDEX reform_evidence_task ON reform_evidence (task_id, id);

CREATE TABLE initiative_evidence_046 (
    id             INTEGER PRIMARY KEY,
    initiative_id  INTEGER NOT NULL REFERENCES initiatives (id),
    name           TEXT NOT NULL CHECK (name <> ''),
    mime           TEXT NOT NULL,
    size           INTEGER NOT NULL CHECK (size > 0),
    sha256         TEXT NOT NULL,
    added_at       INTEGER NOT NULL,
    added_by       TEXT NOT NULL,
    province       TEXT NOT NULL DEFAULT '',
    FOREIGN KEY (sha256, province) REFERENCES par_blobs_046 (sha256, province)
);
INSERT INTO initiative_evidence_046 SELECT id, initiative_id, name, mime, size, sha256, added_at,
    added_by, province FROM initiative_evidence;
DROP TABLE initiative_evidence;
ALTER TABLE initiative_evidence_046 RENAME TO initiative_evidence;
CREATE INDEX initiative_evidence_init ON initiative_evidence (initiative_id, id);

CREATE TABLE inspection_findings_046 (
    id             INTEGER PRIMARY KEY,
    inspection_id  INTEGER NOT NULL REFERENCES inspections (id),
    kind           TEXT NOT NULL CHECK (kind IN ('strength', 'shortcoming')),
    text           TEXT NOT NULL CHECK (text <> ''),
    evidence_sha   TEXT,                                   -- NULL: no file
    added_at       INTEGER NOT NULL,
    added_by       TEXT NOT NULL,
    evidence_name  TEXT,
    province       TEXT NOT NULL DEFAULT '',
    FOREIGN KEY (evidence_sha, province) REFERENCES par_blobs_046 (sha256, province)
);
INSERT INTO inspection_findings_046 SELECT id, inspection_id, kind, text, evidence_sha, added_at,
    added_by, evidence_name, province FROM inspection_findings;
CREATE TEMP TABLE remedies_046 AS SELECT * FROM inspection_remedies;
DELETE FROM inspection_remedies;
DROP TABLE inspection_findings;
ALTER TABLE inspection_findings_046 RENAME TO inspection_findings;
CREATE INDEX inspection_findings_insp ON inspection_findings (inspection_id, id);
INSERT INTO inspection_remedies SELECT * FROM remedies_046;
DROP TABLE remedies_046;

DROP TABLE digi_blobs;
ALTER TABLE digi_blobs_046 RENAME TO digi_blobs;
DROP TABLE par_blobs;
ALTER TABLE par_blobs_046 RENAME TO par_blobs;
