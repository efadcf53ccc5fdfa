-- 006_dossiers_unit_code.sql — the dossier list (GET /api/dossiers, `cchc dossier list`) reads
-- one unit's dossiers in code order and stops after a page. Without this index SQLite walked
-- the UNIQUE(code) index from the first code, looking up every row to test its unit: for a
-- commune late in code order about 20,000 rows per page on the 20,000-dossier bench data.
-- With it the page is the first rows of one index range, already in order (bench/http.sh).
-- PostgreSQL's version of migrations/006_dossiers_unit_code.sql: the same index.
CREATE INDEX dossiers_unit_code ON dossiers (unit_code, code);
