-- 041_survey_province.sql (PostgreSQL; the same as migrations/041_survey_province.sql) —
-- the province column (docs/scale.md, "What the schema needs first", step 1) on the survey
-- rounds and the tables that hang on a round: its strata, invitations, responses and their
-- answers, paper forms and resolved paper forms. A round is a province's (docs/scale.md:
-- survey_*): its province is the root of the tree of its least unit code (byte order), fixed
-- when it is created (store_unit_root), the first root of the tree for a round without units;
-- here the least unit code of its strata, invitations, responses and paper forms. Every other
-- row carries its round's, an answer its response's: a stratum, invitation, response or form
-- of a unit under another root still goes with its round. The store binds it at every
-- insert. The keys and foreign keys stay as they are for now: this migration gives every row
-- its province, so re-keying the family later is DDL alone.
CREATE TEMP TABLE unit_root AS
WITH RECURSIVE up(code, top, parent) AS (
    SELECT code, code, parent FROM units
    UNION ALL
    SELECT up.code, u.code, u.parent FROM up JOIN units u ON u.code = up.parent
)
SELECT code, top FROM up WHERE parent IS NULL;
CREATE TEMP TABLE round_unit AS
SELECT round, min(unit_code COLLATE "C") AS unit_code FROM (
    SELECT round, unit_code FROM survey_strata
    UNION ALL SELECT round, unit_code FROM survey_invitations
    UNION ALL SELECT round, unit_code FROM survey_responses
    UNION ALL SELECT round, unit_code FROM survey_paper
    UNION ALL SELECT round, unit_code FROM survey_paper_resolved
) x GROUP BY round;
ALTER TABLE survey_rounds ADD COLUMN province TEXT;
UPDATE survey_rounds s
SET province = coalesce(
    (SELECT coalesce(r.top, u.unit_code) FROM round_unit u LEFT JOIN unit_root r ON r.code = u.unit_code
     WHERE u.round = s.code),
    (SELECT min(code COLLATE "C") FROM units WHERE parent IS NULL), '');
ALTER TABLE survey_rounds ALTER COLUMN province SET NOT NULL;
ALTER TABLE survey_strata ADD COLUMN province TEXT;
UPDATE survey_strata x SET province = r.province FROM survey_rounds r WHERE r.code = x.round;
ALTER TABLE survey_strata ALTER COLUMN province SET NOT NULL;
ALTER TABLE survey_invitations ADD COLUMN province TEXT;
UPDATE survey_invitations x SET province = r.province FROM survey_rounds r WHERE r.code = x.round;
ALTER TABLE survey_invitations ALTER COLUMN province SET NOT NULL;
ALTER TABLE survey_responses ADD COLUMN province TEXT;
UPDATE survey_responses x SET province = r.province FROM survey_rounds r WHERE r.code = x.round;
ALTER TABLE survey_responses ALTER COLUMN province SET NOT NULL;
ALTER TABLE survey_answers ADD COLUMN province TEXT;
UPDATE survey_answers x SET province = p.province FROM survey_responses p WHERE p.id = x.response_id;
ALTER TABLE survey_answers ALTER COLUMN province SET NOT NULL;
ALTER TABLE survey_paper ADD COLUMN province TEXT;
UPDATE survey_paper x SET province = r.province FROM survey_rounds r WHERE r.code = x.round;
ALTER TABLE survey_paper ALTER COLUMN province SET NOT NULL;
ALTER TABLE survey_paper_resolved ADD COLUMN province TEXT;
UPDATE survey_paper_resolved x SET province = r.province FROM survey_rounds r WHERE r.code = x.round;
ALTER TABLE survey_paper_resolved ALTER COLUMN province SET NOT NULL;
DROP TABLE round_unit;
DROP TABLE unit_root;
