-- 012_catalog_receiving.sql — the published catalogue and receiving regardless of residence
-- (issue 20, parts 4 and 5). A procedure carries the decision that published it (number and
-- date), the day its legal basis takes effect, and the days it was posted on the national
-- database and at the desk ('YYYY-MM-DD', NULL = not known), and where it may be received:
-- 'unit' (the deciding unit's desk), 'province' or 'nation' (regardless of the applicant's
-- residence, Decree 118/2025/NĐ-CP) with the decision or plan that lists it. A dossier names
-- the authority that decides it when that is not its receiving unit (NULL = the same).
ALTER TABLE procedures ADD COLUMN decision TEXT;
ALTER TABLE procedures ADD COLUMN decision_date TEXT;
ALTER TABLE procedures ADD COLUMN basis_effective TEXT;
ALTER TABLE procedures ADD COLUMN posted_portal TEXT;
ALTER TABLE procedures ADD COLUMN posted_desk TEXT;
ALTER TABLE procedures ADD COLUMN receive TEXT NOT NULL DEFAULT 'unit'
    CHECK (receive IN ('unit', 'province', 'nation'));
ALTER TABLE procedures ADD COLUMN receive_basis TEXT;
ALTER TABLE dossiers ADD COLUMN decider_unit TEXT REFERENCES units (code);
CREATE INDEX dossiers_decider ON dossiers (decider_unit);
