-- 052_procedures_version.sql — units_version (migration 007) also counts the changes to the
-- procedures (their rows, documents, steps and step versions) and to the units' contacts. A
-- connection keeps the procedures it read (store_procedure_get_on, procedure_admin.c: a
-- dossier's read, the citizen's lookup) and the contacts it found (store_unit_contact_find,
-- sqlite_units.c: the lookup) and knows with the same one row, which a request reads already
-- for the units, whether they still hold, whichever process or connection changed them. The
-- table keeps its name: it is the version of the reference tables a server keeps copies of.
CREATE TRIGGER IF NOT EXISTS procedures_version_insert AFTER INSERT ON procedures
BEGIN
    UPDATE units_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER IF NOT EXISTS procedures_version_update AFTER UPDATE ON procedures
BEGIN
    UPDATE units_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER IF NOT EXISTS procedures_version_delete AFTER DELETE ON procedures
BEGIN
    UPDATE units_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER IF NOT EXISTS procedure_documents_version_insert AFTER INSERT ON procedure_documents
BEGIN
    UPDATE units_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER IF NOT EXISTS procedure_documents_version_update AFTER UPDATE ON procedure_documents
BEGIN
    UPDATE units_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER IF NOT EXISTS procedure_documents_version_delete AFTER DELETE ON procedure_documents
BEGIN
    UPDATE units_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER IF NOT EXISTS procedure_steps_version_insert AFTER INSERT ON procedure_steps
BEGIN
    UPDATE units_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER IF NOT EXISTS procedure_steps_version_update AFTER UPDATE ON procedure_steps
BEGIN
    UPDATE units_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER IF NOT EXISTS procedure_steps_version_delete AFTER DELETE ON procedure_steps
BEGIN
    UPDATE units_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER IF NOT EXISTS procedure_step_versions_version_insert AFTER INSERT ON procedure_step_versions
BEGIN
    UPDATE units_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER IF NOT EXISTS procedure_step_versions_version_update AFTER UPDATE ON procedure_step_versions
BEGIN
    UPDATE units_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER IF NOT EXISTS procedure_step_versions_version_delete AFTER DELETE ON procedure_step_versions
BEGIN
    UPDATE units_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER IF NOT EXISTS unit_contacts_version_insert AFTER INSERT ON unit_contacts
BEGIN
    UPDATE units_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER IF NOT EXISTS unit_contacts_version_update AFTER UPDATE ON unit_contacts
BEGIN
    UPDATE units_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER IF NOT EXISTS unit_contacts_version_delete AFTER DELETE ON unit_contacts
BEGIN
    UPDATE units_version SET n = n + 1 WHERE id = 1;
END;
