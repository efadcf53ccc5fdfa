-- 033_receipt_seq_province.sql (PostgreSQL; the same as migrations/033_receipt_seq_province.sql)
-- — the first table of the province column (docs/scale.md, "What the schema needs first",
-- step 1): the payment receipts' number sequence keyed by (province, unit_code, year),
-- province being the root of the unit's tree (the code the row keeps for good: step 6
-- there). The store binds it when it numbers a receipt (store_unit_root). Rows are given
-- the province of their unit (a unit no longer in the tree keeps its own code).
ALTER TABLE receipt_seq ADD COLUMN province TEXT;
WITH RECURSIVE up(code, top, parent) AS (
    SELECT code, code, parent FROM units
    UNION ALL
    SELECT up.code, u.code, u.parent FROM up JOIN units u ON u.code = up.parent
)
UPDATE receipt_seq r
SET province = coalesce((SELECT up.top FROM up WHERE up.code = r.unit_code AND up.parent IS NULL),
                        r.unit_code);
ALTER TABLE receipt_seq ALTER COLUMN province SET NOT NULL;
ALTER TABLE receipt_seq DROP CONSTRAINT receipt_seq_pkey;
ALTER TABLE receipt_seq ADD CONSTRAINT receipt_seq_pkey PRIMARY KEY (province, unit_code, year);
