-- 043_par_province.sql —
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
-- On SQLite the column is added with an empty default (ADD COLUMN NOT NULL needs one; the
-- store always binds it) and filled, parents before children, as on PostgreSQL.
CREATE TEMP TABLE unit_root AS
WITH RECURSIVE up(code, top, parent) AS (
    SELECT code, code, parent FROM units
    UNION ALL
    SELECT up.code, u.code, u.parent FROM up JOIN units u ON u.code = up.parent
)
SELECT code, top FROM up WHERE parent IS NULL;
CREATE TEMP TABLE round_unit AS
SELECT round_id, min(unit_code) AS unit_code FROM par_round_units GROUP BY round_id;
ALTER TABLE par_rounds ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE par_rounds
SET province = coalesce(
    (SELECT coalesce(r.top, u.unit_code) FROM round_unit u LEFT JOIN unit_root r ON r.code = u.unit_code
     WHERE u.round_id = par_rounds.id),
    (SELECT min(code) FROM units WHERE parent IS NULL), '');
ALTER TABLE par_round_units ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE par_round_units SET province = (SELECT r.province FROM par_rounds r WHERE r.id = par_round_units.round_id);
ALTER TABLE par_round_phases ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE par_round_phases SET province = (SELECT r.province FROM par_rounds r WHERE r.id = par_round_phases.round_id);
ALTER TABLE par_scores ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE par_scores SET province = (SELECT r.province FROM par_rounds r WHERE r.id = par_scores.round_id);
ALTER TABLE par_score_changes ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE par_score_changes SET province = (SELECT r.province FROM par_rounds r WHERE r.id = par_score_changes.round_id);
ALTER TABLE par_targets ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE par_targets SET province = (SELECT r.province FROM par_rounds r WHERE r.id = par_targets.round_id);
ALTER TABLE par_metrics ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE par_metrics SET province = (SELECT r.province FROM par_rounds r WHERE r.id = par_metrics.round_id);
ALTER TABLE par_metric_dossiers ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE par_metric_dossiers SET province = (SELECT r.province FROM par_rounds r WHERE r.id = par_metric_dossiers.round_id);
ALTER TABLE par_evidence ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE par_evidence SET province = (SELECT r.province FROM par_rounds r WHERE r.id = par_evidence.round_id);
DROP TABLE round_unit;
DROP TABLE unit_root;
