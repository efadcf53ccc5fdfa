-- 052_procedures_version.sql — units_version (migration 007) also counts the changes to the
-- procedures (their rows, documents, steps and step versions) and to the units' contacts. A
-- connection keeps the procedures it read (store_procedure_get_on, procedure_admin.c: a
-- dossier's read, the citizen's lookup) and the contacts it found (store_unit_contact_find,
-- sqlite_units.c: the lookup) and knows with the same one row, which a request reads already
-- for the units, whether they still hold, whichever process or connection changed them. The
-- table keeps its name: it is the version of the reference tables a server keeps copies of.
-- PostgreSQL's version of migrations/052_procedures_version.sql: statement triggers calling
-- units_version_bump (pg/007), once per statement that changes rows (a bump per statement
-- invalidates as surely as one per row, and costs one update for a bulk import). Each is dropped
-- first, so the file may run again on a schema taken back (cli.t-migrate-pg does).
DROP TRIGGER IF EXISTS procedures_version_insert ON procedures;
CREATE TRIGGER procedures_version_insert AFTER INSERT ON procedures
    FOR EACH STATEMENT EXECUTE FUNCTION units_version_bump();
DROP TRIGGER IF EXISTS procedures_version_update ON procedures;
CREATE TRIGGER procedures_version_update AFTER UPDATE ON procedures
    FOR EACH STATEMENT EXECUTE FUNCTION units_version_bump();
DROP TRIGGER IF EXISTS procedures_version_delete ON procedures;
CREATE TRIGGER procedures_version_delete AFTER DELETE ON procedures
    FOR EACH STATEMENT EXECUTE FUNCTION units_version_bump();
DROP TRIGGER IF EXISTS procedure_documents_version_insert ON procedure_documents;
CREATE TRIGGER procedure_documents_version_insert AFTER INSERT ON procedure_documents
    FOR EACH STATEMENT EXECUTE FUNCTION units_version_bump();
DROP TRIGGER IF EXISTS procedure_documents_version_update ON procedure_documents;
CREATE TRIGGER procedure_documents_version_update AFTER UPDATE ON procedure_documents
    FOR EACH STATEMENT EXECUTE FUNCTION units_version_bump();
DROP TRIGGER IF EXISTS procedure_documents_version_delete ON procedure_documents;
CREATE TRIGGER procedure_documents_version_delete AFTER DELETE ON procedure_documents
    FOR EACH STATEMENT EXECUTE FUNCTION units_version_bump();
DROP TRIGGER IF EXISTS procedure_steps_version_insert ON procedure_steps;
CREATE TRIGGER procedure_steps_version_insert AFTER INSERT ON procedure_steps
    FOR EACH STATEMENT EXECUTE FUNCTION units_version_bump();
DROP TRIGGER IF EXISTS procedure_steps_version_update ON procedure_steps;
CREATE TRIGGER procedure_steps_version_update AFTER UPDATE ON procedure_steps
    FOR EACH STATEMENT EXECUTE FUNCTION units_version_bump();
DROP TRIGGER IF EXISTS procedure_steps_version_delete ON procedure_steps;
CREATE TRIGGER procedure_steps_version_delete AFTER DELETE ON procedure_steps
    FOR EACH STATEMENT EXECUTE FUNCTION units_version_bump();
DROP TRIGGER IF EXISTS procedure_step_versions_version_insert ON procedure_step_versions;
CREATE TRIGGER procedure_step_versions_version_insert AFTER INSERT ON procedure_step_versions
    FOR EACH STATEMENT EXECUTE FUNCTION units_version_bump();
DROP TRIGGER IF EXISTS procedure_step_versions_version_update ON procedure_step_versions;
CREATE TRIGGER procedure_step_versions_version_update AFTER UPDATE ON procedure_step_versions
    FOR EACH STATEMENT EXECUTE FUNCTION units_version_bump();
DROP TRIGGER IF EXISTS procedure_step_versions_version_delete ON procedure_step_versions;
CREATE TRIGGER procedure_step_versions_version_delete AFTER DELETE ON procedure_step_versions
    FOR EACH STATEMENT EXECUTE FUNCTION units_version_bump();
DROP TRIGGER IF EXISTS unit_contacts_version_insert ON unit_contacts;
CREATE TRIGGER unit_contacts_version_insert AFTER INSERT ON unit_contacts
    FOR EACH STATEMENT EXECUTE FUNCTION units_version_bump();
DROP TRIGGER IF EXISTS unit_contacts_version_update ON unit_contacts;
CREATE TRIGGER unit_contacts_version_update AFTER UPDATE ON unit_contacts
    FOR EACH STATEMENT EXECUTE FUNCTION units_version_bump();
DROP TRIGGER IF EXISTS unit_contacts_version_delete ON unit_contacts;
CREATE TRIGGER unit_contacts_version_delete AFTER DELETE ON unit_contacts
    FOR EACH STATEMENT EXECUTE FUNCTION units_version_bump();
