-- 019_efile.sql — online filing (issue 16, docs/efile.md). A citizen's filing is a draft
-- (applicant, receiving unit, uploaded documents) until it is submitted, when it becomes a
-- dossier in status 'submitted' with channel online; the documents stay with the filing,
-- content-addressed in digi_blobs (migration 013) by SHA-256. What actually happened online
-- is recorded as facts: the documents declared to be shown on paper (a partly online
-- procedure) and when the citizen took the electronic result online; full or partial online
-- is derived from them (src/core/efile.h).
-- Instants are minutes since 1970-01-01T00:00 local time (UTC+7, date.h).

CREATE TABLE efile_filings (
    id                TEXT PRIMARY KEY,               -- 32 random hex digits (the citizen's handle)
    contact           TEXT NOT NULL CHECK (contact <> ''), -- the confirmed phone or e-mail
    procedure_code    TEXT NOT NULL REFERENCES procedures (code),
    unit_code         TEXT NOT NULL,                  -- receiving unit
    decider_unit      TEXT,                           -- deciding unit when another (Decree 118)
    name              TEXT NOT NULL CHECK (name <> ''),
    idno              TEXT,
    phone             TEXT,
    address           TEXT,
    created_at        INTEGER NOT NULL,
    submitted_at      INTEGER,
    dossier_code      TEXT UNIQUE REFERENCES dossiers (code),
    paper             INTEGER NOT NULL DEFAULT 0,     -- bit i: document i+1 shown on paper
    result_online_at  INTEGER                         -- the citizen took the result online
);
CREATE INDEX efile_filings_contact ON efile_filings (contact);

CREATE TABLE efile_documents (
    filing_id    TEXT NOT NULL REFERENCES efile_filings (id),
    doc_index    INTEGER NOT NULL CHECK (doc_index >= 1),
    doc_name     TEXT NOT NULL,
    name         TEXT NOT NULL CHECK (name <> ''),
    mime         TEXT NOT NULL,
    size         INTEGER NOT NULL CHECK (size > 0),
    sha256       TEXT NOT NULL REFERENCES digi_blobs (sha256),
    uploaded_at  INTEGER NOT NULL,
    round        INTEGER NOT NULL DEFAULT 0,          -- 0 with the filing, k: k-th supplement
    PRIMARY KEY (filing_id, doc_index)
);
