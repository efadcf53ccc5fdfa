-- 013_digitise.sql — digitised dossier components and electronic results (issue 17).
-- Files are content-addressed (one blob per SHA-256, type sniffed by libmagic in the store);
-- "digitised" is a fact per component of a dossier (its place in the procedure's document
-- list, what was kept, by whom and when, or which registered result it reuses); electronic
-- results form a registry searchable by result number and by the citizen's ID number, with
-- their two-layer signatures (src/report/sign2.h) kept as PEM text.
-- Instants are minutes since 1970-01-01T00:00 local time (UTC+7, date.h).

CREATE TABLE digi_blobs (
    sha256   TEXT PRIMARY KEY,                      -- lowercase hex of SHA-256(content)
    size     INTEGER NOT NULL CHECK (size > 0),
    content  BLOB NOT NULL
);

CREATE TABLE digi_components (
    id            INTEGER PRIMARY KEY,
    dossier_code  TEXT NOT NULL REFERENCES dossiers (code),
    doc_index     INTEGER NOT NULL CHECK (doc_index >= 1), -- 1-based place in the document list
    doc_name      TEXT NOT NULL,                    -- the list's wording at the time
    name          TEXT NOT NULL CHECK (name <> ''), -- the file's name as given
    mime          TEXT NOT NULL,
    size          INTEGER NOT NULL CHECK (size > 0),
    sha256        TEXT NOT NULL REFERENCES digi_blobs (sha256),
    reused_from   TEXT,                             -- result number reused, NULL when scanned
    digitised_at  INTEGER NOT NULL,
    digitised_by  TEXT NOT NULL,
    UNIQUE (dossier_code, doc_index)
);

CREATE TABLE digi_results (
    result_no     TEXT PRIMARY KEY,
    dossier_code  TEXT NOT NULL UNIQUE REFERENCES dossiers (code),
    unit_code     TEXT NOT NULL,
    citizen_id    TEXT,                             -- the applicant's ID number, NULL if none
    title         TEXT NOT NULL CHECK (title <> ''),
    mime          TEXT NOT NULL,
    size          INTEGER NOT NULL CHECK (size > 0),
    sha256        TEXT NOT NULL REFERENCES digi_blobs (sha256),
    issued_at     INTEGER NOT NULL,
    issued_by     TEXT NOT NULL,
    signature     TEXT,                             -- PEM CMS blocks: layer 1, then layer 2
    layers        INTEGER NOT NULL DEFAULT 0 CHECK (layers BETWEEN 0 AND 2),
    l1_by         TEXT,
    l1_at         INTEGER,
    l2_by         TEXT,
    l2_at         INTEGER
);
CREATE INDEX digi_results_citizen ON digi_results (citizen_id);
