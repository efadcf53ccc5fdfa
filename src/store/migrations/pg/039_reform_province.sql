-- 039_reform_province.sql (PostgreSQL; the same as migrations/039_reform_province.sql) — the
-- province column (docs/scale.md, "What the schema needs first", step 1) on the reform plans
-- and inspections and the tables that hang on them: a plan's tasks, their history, evidence
-- and links to a figure; an inspection's checklist, findings and remedies. A plan's province
-- is the root of its unit's tree when it is created (store_unit_root), never changed; its
-- tasks carry the plan's, and a task's history, evidence and link the task's. An
-- inspection's is the root of the inspected unit's tree (its remedies are tasks of that
-- unit's plan); its checklist and findings carry the inspection's, a remedy its finding's.
-- The store binds it at every insert. The keys and foreign keys stay as they are for now:
-- this migration gives every row its province, so re-keying the family later is DDL alone.
CREATE TEMP TABLE unit_root AS
WITH RECURSIVE up(code, top, parent) AS (
    SELECT code, code, parent FROM units
    UNION ALL
    SELECT up.code, u.code, u.parent FROM up JOIN units u ON u.code = up.parent
)
SELECT code, top FROM up WHERE parent IS NULL;
ALTER TABLE reform_plans ADD COLUMN province TEXT;
UPDATE reform_plans p
SET province = coalesce((SELECT r.top FROM unit_root r WHERE r.code = p.unit_code), p.unit_code);
ALTER TABLE reform_plans ALTER COLUMN province SET NOT NULL;
ALTER TABLE reform_tasks ADD COLUMN province TEXT;
UPDATE reform_tasks x SET province = p.province FROM reform_plans p WHERE p.id = x.plan_id;
ALTER TABLE reform_tasks ALTER COLUMN province SET NOT NULL;
ALTER TABLE reform_task_events ADD COLUMN province TEXT;
UPDATE reform_task_events x SET province = t.province FROM reform_tasks t WHERE t.id = x.task_id;
ALTER TABLE reform_task_events ALTER COLUMN province SET NOT NULL;
ALTER TABLE reform_evidence ADD COLUMN province TEXT;
UPDATE reform_evidence x SET province = t.province FROM reform_tasks t WHERE t.id = x.task_id;
ALTER TABLE reform_evidence ALTER COLUMN province SET NOT NULL;
ALTER TABLE reform_task_links ADD COLUMN province TEXT;
UPDATE reform_task_links x SET province = t.province FROM reform_tasks t WHERE t.id = x.task_id;
ALTER TABLE reform_task_links ALTER COLUMN province SET NOT NULL;
ALTER TABLE inspections ADD COLUMN province TEXT;
UPDATE inspections i
SET province = coalesce((SELECT r.top FROM unit_root r WHERE r.code = i.unit_code), i.unit_code);
ALTER TABLE inspections ALTER COLUMN province SET NOT NULL;
ALTER TABLE inspection_checklist ADD COLUMN province TEXT;
UPDATE inspection_checklist x SET province = i.province FROM inspections i WHERE i.id = x.inspection_id;
ALTER TABLE inspection_checklist ALTER COLUMN province SET NOT NULL;
ALTER TABLE inspection_findings ADD COLUMN province TEXT;
UPDATE inspection_findings x SET province = i.province FROM inspections i WHERE i.id = x.inspection_id;
ALTER TABLE inspection_findings ALTER COLUMN province SET NOT NULL;
ALTER TABLE inspection_remedies ADD COLUMN province TEXT;
UPDATE inspection_remedies x SET province = f.province FROM inspection_findings f WHERE f.id = x.finding_id;
ALTER TABLE inspection_remedies ALTER COLUMN province SET NOT NULL;
DROP TABLE unit_root;
