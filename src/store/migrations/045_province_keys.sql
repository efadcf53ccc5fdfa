-- 045_province_keys.sql (SQLite) — the key stage of the province column (docs/scale.md, "What
-- the schema needs first", steps 1 and 2). On PostgreSQL every primary key, unique constraint
-- and foreign key among the families that have their column gains `province` last
-- (migrations/pg/045_province_keys.sql), as Citus needs. SQLite is one database without
-- shards and keeps its keys; the two upserts whose conflict target changed with them name
-- (…, province), and SQLite needs a unique index of exactly those columns to accept it.
-- Each holds a key that is unique already, so the indexes cannot refuse existing rows.
CREATE UNIQUE INDEX payment_dues_province ON payment_dues (dossier_id, province);
CREATE UNIQUE INDEX efile_documents_province ON efile_documents (filing_id, doc_index, province);
