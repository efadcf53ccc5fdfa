-- 039_reform_province.sql — the province column (docs/scale.md, "What the schema needs
-- first", step 1) on the reform plans and inspections and the tables that hang on them: a
-- plan's tasks, their history, evidence and links to a figure; an inspection's checklist,
-- findings and remedies. A plan's province is the root of its unit's tree when it is
-- created (store_unit_root), never changed; its tasks carry the plan's, and a task's
-- history, evidence and link the task's. An inspection's is the root of the inspected
-- unit's tree (its remedies are tasks of that unit's plan); its checklist and findings carry
-- the inspection's, a remedy its finding's. The store binds it at every insert. The keys and
-- foreign keys stay as they are for now: this migration gives every row its province, so
-- re-keying the family later is DDL alone. On SQLite the column is added with an empty
-- default (ADD COLUMN NOT NULL needs one; the store always binds it) and filled, parents
-- before children, as on PostgreSQL.
CREATE TEMP TABLE unit_root AS
WITH RECURSIVE up(code, top, parent) AS (
    SELECT code, code, parent FROM units
    UNION ALL
    SELECT up.code, u.code, u.parent FROM up JOIN units u ON u.code = up.parent
)
SELECT code, top FROM up WHERE parent IS NULL;
ALTER TABLE reform_plans ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE reform_plans
SET province = coalesce((SELECT r.top FROM unit_root r WHERE r.code = reform_plans.unit_code), unit_code);
ALTER TABLE reform_tasks ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE reform_tasks SET province = (SELECT p.province FROM reform_plans p WHERE p.id = reform_tasks.plan_id);
ALTER TABLE reform_task_events ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE reform_task_events SET province = (SELECT t.province FROM reform_tasks t WHERE t.id = reform_task_events.task_id);
ALTER TABLE reform_evidence ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE reform_evidence SET province = (SELECT t.province FROM reform_tasks t WHERE t.id = reform_evidence.task_id);
ALTER TABLE reform_task_links ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE reform_task_links SET province = (SELECT t.province FROM reform_tasks t WHERE t.id = reform_task_links.task_id);
ALTER TABLE inspections ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE inspections
SET province = coalesce((SELECT r.top FROM unit_root r WHERE r.code = inspections.unit_code), unit_code);
ALTER TABLE inspection_checklist ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE inspection_checklist SET province = (SELECT i.province FROM inspections i WHERE i.id = inspection_checklist.inspection_id);
ALTER TABLE inspection_findings ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE inspection_findings SET province = (SELECT i.province FROM inspections i WHERE i.id = inspection_findings.inspection_id);
ALTER TABLE inspection_remedies ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE inspection_remedies SET province = (SELECT f.province FROM inspection_findings f WHERE f.id = inspection_remedies.finding_id);
DROP TABLE unit_root;
