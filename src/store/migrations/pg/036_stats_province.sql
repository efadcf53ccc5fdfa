-- 036_stats_province.sql (PostgreSQL; the same as migrations/036_stats_province.sql) — the
-- province column (docs/scale.md, "What the schema needs first", step 1) on the statistics
-- counters of migration 004, co-located with the dossiers they count: province is the root of
-- the unit's tree (store_unit_root), bound by the store with the unit at every upsert. It is
-- the LAST column of each primary key, so every read that seeks by unit (or by day, then
-- unit) keeps its index prefix, and the upserts name the new key as their conflict target.
-- Rows are given the province of their unit (a unit no longer in the tree keeps its own code).
CREATE TEMP TABLE unit_root AS
WITH RECURSIVE up(code, top, parent) AS (
    SELECT code, code, parent FROM units
    UNION ALL
    SELECT up.code, u.code, u.parent FROM up JOIN units u ON u.code = up.parent
)
SELECT code, top FROM up WHERE parent IS NULL;
ALTER TABLE stats_day ADD COLUMN province TEXT;
UPDATE stats_day t
SET province = coalesce((SELECT r.top FROM unit_root r WHERE r.code = t.unit_code), t.unit_code);
ALTER TABLE stats_day ALTER COLUMN province SET NOT NULL;
ALTER TABLE stats_day DROP CONSTRAINT stats_day_pkey;
ALTER TABLE stats_day ADD CONSTRAINT stats_day_pkey PRIMARY KEY (unit_code, procedure_code, channel, day, province);
ALTER TABLE stats_unit_day ADD COLUMN province TEXT;
UPDATE stats_unit_day t
SET province = coalesce((SELECT r.top FROM unit_root r WHERE r.code = t.unit_code), t.unit_code);
ALTER TABLE stats_unit_day ALTER COLUMN province SET NOT NULL;
ALTER TABLE stats_unit_day DROP CONSTRAINT stats_unit_day_pkey;
ALTER TABLE stats_unit_day ADD CONSTRAINT stats_unit_day_pkey PRIMARY KEY (day, unit_code, province);
ALTER TABLE stats_month ADD COLUMN province TEXT;
UPDATE stats_month t
SET province = coalesce((SELECT r.top FROM unit_root r WHERE r.code = t.unit_code), t.unit_code);
ALTER TABLE stats_month ALTER COLUMN province SET NOT NULL;
ALTER TABLE stats_month DROP CONSTRAINT stats_month_pkey;
ALTER TABLE stats_month ADD CONSTRAINT stats_month_pkey PRIMARY KEY (unit_code, month, province);
ALTER TABLE stats_steps ADD COLUMN province TEXT;
UPDATE stats_steps t
SET province = coalesce((SELECT r.top FROM unit_root r WHERE r.code = t.unit_code), t.unit_code);
ALTER TABLE stats_steps ALTER COLUMN province SET NOT NULL;
ALTER TABLE stats_steps DROP CONSTRAINT stats_steps_pkey;
ALTER TABLE stats_steps ADD CONSTRAINT stats_steps_pkey PRIMARY KEY (unit_code, officer, step, day, province);
DROP TABLE unit_root;
