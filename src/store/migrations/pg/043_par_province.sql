-- 043_par_province.sql (PostgreSQL; the same as migrations/043_par_province.sql) —
-- the province column (docs/scale.md, "What the schema needs first", step 1) on the PAR
-- rounds and the tables that hang on a round: its units and closed phases, the scores and
-- their history, the targets, the frozen metrics and their dossiers, the evidence. A round
-- has no unit column; it is a province's, as a survey round is (migration 041): its province
-- is the root of the tree of its least unit code (byte order) in par_round_units, fixed when
-- it is created (store_unit_root); a round always has units (the store refuses one without),
-- the first root of the tree is only a fallback here. Every other row carries its round's: a
-- unit under another root still goes with its round. The store binds it at every insert.
-- The keys and foreign keys stay as they are for now (par_blobs, shared by content, is not
-- here): this migration gives every row its province, so re-keying the family later is DDL
-- alone.
CREATE TEMP TABLE unit_root AS
WITH RECURSIVE up(code, top, parent) AS (
    SELECT code, code, parent FROM units
    UNION ALL
    SELECT up.code, u.code, u.parent FROM up JOIN units u ON u.code = up.parent
)
SELECT code, top FROM up WHERE parent IS NULL;
CREATE TEMP TABLE round_unit AS
SELECT round_id, min(unit_code COLLATE "C") AS unit_code FROM par_round_units GROUP BY round_id;
ALTER TABLE par_rounds ADD COLUMN province TEXT;
UPDATE par_rounds s
SET province = coalesce(
    (SELECT coalesce(r.top, u.unit_code) FROM round_unit u LEFT JOIN unit_root r ON r.code = u.unit_code
     WHERE u.round_id = s.id),
    (SELECT min(code COLLATE "C") FROM units WHERE parent IS NULL), '');
ALTER TABLE par_rounds ALTER COLUMN province SET NOT NULL;
ALTER TABLE par_round_units ADD COLUMN province TEXT;
UPDATE par_round_units x SET province = r.province FROM par_rounds r WHERE r.id = x.round_id;
ALTER TABLE par_round_units ALTER COLUMN province SET NOT NULL;
ALTER TABLE par_round_phases ADD COLUMN province TEXT;
UPDATE par_round_phases x SET province = r.province FROM par_rounds r WHERE r.id = x.round_id;
ALTER TABLE par_round_phases ALTER COLUMN province SET NOT NULL;
ALTER TABLE par_scores ADD COLUMN province TEXT;
UPDATE par_scores x SET province = r.province FROM par_rounds r WHERE r.id = x.round_id;
ALTER TABLE par_scores ALTER COLUMN province SET NOT NULL;
ALTER TABLE par_score_changes ADD COLUMN province TEXT;
UPDATE par_score_changes x SET province = r.province FROM par_rounds r WHERE r.id = x.round_id;
ALTER TABLE par_score_changes ALTER COLUMN province SET NOT NULL;
ALTER TABLE par_targets ADD COLUMN province TEXT;
UPDATE par_targets x SET province = r.province FROM par_rounds r WHERE r.id = x.round_id;
ALTER TABLE par_targets ALTER COLUMN province SET NOT NULL;
ALTER TABLE par_metrics ADD COLUMN province TEXT;
UPDATE par_metrics x SET province = r.province FROM par_rounds r WHERE r.id = x.round_id;
ALTER TABLE par_metrics ALTER COLUMN province SET NOT NULL;
ALTER TABLE par_metric_dossiers ADD COLUMN province TEXT;
UPDATE par_metric_dossiers x SET province = r.province FROM par_rounds r WHERE r.id = x.round_id;
ALTER TABLE par_metric_dossiers ALTER COLUMN province SET NOT NULL;
ALTER TABLE par_evidence ADD COLUMN province TEXT;
UPDATE par_evidence x SET province = r.province FROM par_rounds r WHERE r.id = x.round_id;
ALTER TABLE par_evidence ALTER COLUMN province SET NOT NULL;
DROP TABLE round_unit;
DROP TABLE unit_root;
