-- PostgreSQL's version of migrations/028_survey_business.sql.
-- 028_survey_business.sql — DDCI respondents are businesses (issue 19, docs/surveys.md):
-- an invitation of a business-respondent round names the business it went to (tax code, and
-- for an imported list its name and contact), one invitation per business per unit of a round. Like the
-- dossier code, these are dropped (set to NULL) when the response comes in, so no answer can
-- be traced back to a business. Written in the SQL subset shared by SQLite and PostgreSQL.
ALTER TABLE survey_invitations ADD COLUMN business TEXT;      -- tax code; NULL once answered
ALTER TABLE survey_invitations ADD COLUMN business_name TEXT; -- imported lists only
ALTER TABLE survey_invitations ADD COLUMN contact TEXT;       -- imported lists only
CREATE UNIQUE INDEX survey_invitations_business ON survey_invitations (round, unit_code, business);
