-- 050_par_metric_dossier_code.sql (PostgreSQL; the same as
-- migrations/050_par_metric_dossier_code.sql) — a published PAR round's frozen list of the
-- dossiers behind a figure keeps each dossier's code beside its id (docs/scale.md,
-- "Single-shard and fan-out queries"). The drill-down read took the codes by joining dossiers
-- on the id alone; on Citus the list lives in the round's shard while a dossier lives in its
-- own province's (one received when its unit was under another root may be elsewhere), so
-- that join read every shard. A dossier's code never changes, so the list can hold it, and
-- the read is one shard. Existing rows take their dossier's code.
ALTER TABLE par_metric_dossiers ADD COLUMN dossier_code TEXT;
UPDATE par_metric_dossiers
SET dossier_code = (SELECT d.code FROM dossiers d WHERE d.id = par_metric_dossiers.dossier_id);
ALTER TABLE par_metric_dossiers ALTER COLUMN dossier_code SET NOT NULL;
