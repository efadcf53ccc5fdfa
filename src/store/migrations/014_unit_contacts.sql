-- 014_unit_contacts.sql — where citizens go and call: the address, phone and opening hours of
-- a unit's one-stop desk (struct unit_contact, src/core/unit.h), shown on the citizen's lookup
-- page. One row per unit that has one; a unit without a row inherits its parent's.
CREATE TABLE unit_contacts (
    unit    TEXT PRIMARY KEY REFERENCES units (code),
    address TEXT NOT NULL,
    phone   TEXT NOT NULL,
    hours   TEXT NOT NULL DEFAULT ''
);
