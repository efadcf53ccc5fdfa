-- 007_units_version.sql — a counter of changes to the unit tree. A connection keeps the
-- scopes it derived from the tree (store_unit_scope: a subtree plus the units merged into it,
-- read on every dossier list page) and, with one row read, knows whether they still hold,
-- whichever process or connection changed the units.
-- PostgreSQL's version of migrations/007_units_version.sql: SQLite's three row triggers call
-- one plpgsql function, once per row as there.
CREATE TABLE units_version (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    n  BIGINT NOT NULL
);
INSERT INTO units_version (id, n) VALUES (1, 0);
CREATE FUNCTION units_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE units_version SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;
CREATE TRIGGER units_version_insert AFTER INSERT ON units
    FOR EACH ROW EXECUTE FUNCTION units_version_bump();
CREATE TRIGGER units_version_update AFTER UPDATE ON units
    FOR EACH ROW EXECUTE FUNCTION units_version_bump();
CREATE TRIGGER units_version_delete AFTER DELETE ON units
    FOR EACH ROW EXECUTE FUNCTION units_version_bump();
