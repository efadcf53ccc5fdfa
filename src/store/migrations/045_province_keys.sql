-- 045_province_keys.sql (SQLite) — the key stage of the province column (docs/scale.md, "What
-- the schema needs first", steps 1 and 2). On PostgreSQL every primary key, unique constraint
-- and foreign key among the families that have their column gains `province` last
-- (migrations/pg/045_province_keys.sql), as Citus needs. SQLite is one database without
-- shards and keeps its keys; the two upserts whose conflict target changed with them name
-- (…, province), and SQLite needs a unique index of exactly those columns to accept it.
-- Each holds a key that is unique already, so the indexes cannot refuse existing rows.
-- payment_dues is the exception: its key was the rowid (dossier_id INTEGER PRIMARY KEY), which
-- SQLite checks before any index, so an upsert naming (dossier_id, province) still failed on
-- it; the table is rebuilt with PostgreSQL's key (one row per dossier, few rows).
CREATE TABLE payment_dues_045 (
    dossier_id INTEGER NOT NULL REFERENCES dossiers (id),
    amount_vnd INTEGER NOT NULL CHECK (amount_vnd > 0),
    set_by     TEXT NOT NULL,
    set_at     INTEGER NOT NULL,
    province   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (dossier_id, province)
);
INSERT INTO payment_dues_045 (dossier_id, amount_vnd, set_by, set_at, province)
SELECT dossier_id, amount_vnd, set_by, set_at, province FROM payment_dues;
DROP TABLE payment_dues;
ALTER TABLE payment_dues_045 RENAME TO payment_dues;
CREATE UNIQUE INDEX efile_documents_province ON efile_documents (filing_id, doc_index, province);
CREATE UNIQUE INDEX par_scores_province ON par_scores (round_id, unit_code, node_code, province);
CREATE UNIQUE INDEX reminders_province ON reminders (kind, item, stage, due_day, recipient, province);
