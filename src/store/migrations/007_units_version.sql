-- 007_units_version.sql — a counter of changes to the unit tree. A connection keeps the
-- scopes it derived from the tree (store_unit_scope: a subtree plus the units merged into it,
-- read on every dossier list page) and, with one row read, knows whether they still hold,
-- whichever process or connection changed the units.
CREATE TABLE units_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT INTO units_version (id, n) VALUES (1, 0);
CREATE TRIGGER units_version_insert AFTER INSERT ON units
BEGIN
    UPDATE units_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER units_version_update AFTER UPDATE ON units
BEGIN
    UPDATE units_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER units_version_delete AFTER DELETE ON units
BEGIN
    UPDATE units_version SET n = n + 1 WHERE id = 1;
END;
