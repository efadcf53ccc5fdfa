-- 033_receipt_seq_province.sql — the first table of the province column (docs/scale.md, "What
-- the schema needs first", step 1): the payment receipts' number sequence keyed by
-- (province, unit_code, year), province being the root of the unit's tree (the code the row
-- keeps for good: step 6 there). The store binds it when it numbers a receipt
-- (store_unit_root). On SQLite a new primary key means a new table: rebuilt, rows copied
-- with the province of their unit (a unit no longer in the tree keeps its own code).
CREATE TABLE receipt_seq_new (
    unit_code TEXT NOT NULL,
    year      INTEGER NOT NULL,
    last_no   INTEGER NOT NULL,
    province  TEXT NOT NULL,
    PRIMARY KEY (province, unit_code, year)
);
WITH RECURSIVE up(code, top, parent) AS (
    SELECT code, code, parent FROM units
    UNION ALL
    SELECT up.code, u.code, u.parent FROM up JOIN units u ON u.code = up.parent
)
INSERT INTO receipt_seq_new (unit_code, year, last_no, province)
SELECT r.unit_code, r.year, r.last_no,
       coalesce((SELECT up.top FROM up WHERE up.code = r.unit_code AND up.parent IS NULL),
                r.unit_code)
FROM receipt_seq r;
DROP TABLE receipt_seq;
ALTER TABLE receipt_seq_new RENAME TO receipt_seq;
