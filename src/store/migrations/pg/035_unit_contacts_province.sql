-- 035_unit_contacts_province.sql (PostgreSQL; the same as migrations/035_unit_contacts_province.sql)
-- — the province column (docs/scale.md, "What the schema needs first", step 1, the pattern of
-- migration 033) on the desks' contacts: keyed (province, unit), province being the root of
-- the unit's tree (store_unit_root), bound by the store when it writes or looks them up (a
-- unit's contact, or its desk's or an ancestor's: the same tree, so one province).
ALTER TABLE unit_contacts ADD COLUMN province TEXT;
WITH RECURSIVE up(code, top, parent) AS (
    SELECT code, code, parent FROM units
    UNION ALL
    SELECT up.code, u.code, u.parent FROM up JOIN units u ON u.code = up.parent
)
UPDATE unit_contacts c
SET province = coalesce((SELECT up.top FROM up WHERE up.code = c.unit AND up.parent IS NULL),
                        c.unit);
ALTER TABLE unit_contacts ALTER COLUMN province SET NOT NULL;
ALTER TABLE unit_contacts DROP CONSTRAINT unit_contacts_pkey;
ALTER TABLE unit_contacts ADD CONSTRAINT unit_contacts_pkey PRIMARY KEY (province, unit);
