-- 047_unit_province.sql — every unit records its province (docs/scale.md, "What the schema
-- needs first", step 1 and item 6): the code of the root of its tree on the day it was
-- created, never rewritten. The rows of the distributed tables take their unit's province
-- when written (store_unit_root now reads this column instead of walking the tree), so two
-- rows computed apart (an online filing and the dossier it becomes, an inspection's remedy
-- and its task) agree even if a unit import has since moved the unit under another root,
-- which the paired foreign keys of migration 045 require. Existing units take their root
-- today. On SQLite the column is added with an empty default (ADD COLUMN NOT NULL needs one;
-- the store always binds it) and filled, last as on PostgreSQL.
CREATE TEMP TABLE unit_root AS
WITH RECURSIVE up(code, top, parent) AS (
    SELECT code, code, parent FROM units
    UNION ALL
    SELECT up.code, u.code, u.parent FROM up JOIN units u ON u.code = up.parent
)
SELECT code, top FROM up WHERE parent IS NULL;
ALTER TABLE units ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE units SET province = coalesce((SELECT r.top FROM unit_root r WHERE r.code = units.code), code);
DROP TABLE unit_root;
