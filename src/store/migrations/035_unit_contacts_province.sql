-- 035_unit_contacts_province.sql — the province column (docs/scale.md, "What the schema needs
-- first", step 1, the pattern of migration 033) on the desks' contacts: keyed
-- (province, unit), province being the root of the unit's tree (store_unit_root), bound by
-- the store when it writes or looks them up (a unit's contact, or its desk's or an
-- ancestor's: the same tree, so one province). On SQLite a new primary key means a new
-- table: rebuilt, rows copied with their province.
CREATE TABLE unit_contacts_new (
    unit     TEXT NOT NULL REFERENCES units (code),
    address  TEXT NOT NULL,
    phone    TEXT NOT NULL,
    hours    TEXT NOT NULL DEFAULT '',
    province TEXT NOT NULL,
    PRIMARY KEY (province, unit)
);
WITH RECURSIVE up(code, top, parent) AS (
    SELECT code, code, parent FROM units
    UNION ALL
    SELECT up.code, u.code, u.parent FROM up JOIN units u ON u.code = up.parent
)
INSERT INTO unit_contacts_new (unit, address, phone, hours, province)
SELECT c.unit, c.address, c.phone, c.hours,
       coalesce((SELECT up.top FROM up WHERE up.code = c.unit AND up.parent IS NULL), c.unit)
FROM unit_contacts c;
DROP TABLE unit_contacts;
ALTER TABLE unit_contacts_new RENAME TO unit_contacts;
