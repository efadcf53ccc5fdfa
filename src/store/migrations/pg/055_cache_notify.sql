-- 055_cache_notify.sql — what a server keeps in its read cache (src/http/readcache.h:
-- sessions, dossiers as shown, the units' scope answers) is dropped when another process
-- changes it: these triggers NOTIFY the channel cchc_cache in the changing transaction, and
-- PostgreSQL delivers the notifications after the commit, in commit order, to every server
-- listening (store_watch, src/store/watch.c). Payloads: 'd' and a dossier's code (any change to
-- its row: every change to a dossier updates it, its decider included), 's' and a session's
-- token hash (a sign-out, an expiry purge), '*' for anything else cached (a user changed or
-- disabled: every session; units, procedures and contacts: units_version, migrations 007 and
-- 052). PostgreSQL folds identical notifications of one transaction into one. A bulk copy into
-- an empty database (`cchc migrate --to`, copy.c) sets cchc.quiet to skip the per-row ones:
-- its units_version update notifies '*' once. Each object is dropped first, so the file may run
-- again on a schema taken back (cli.t-migrate-pg does).
CREATE OR REPLACE FUNCTION cache_notify_dossier() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('cchc.quiet', true) = 'on' THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        PERFORM pg_notify('cchc_cache', 'd' || OLD.code);
    END IF;
    IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.code <> OLD.code) THEN
        PERFORM pg_notify('cchc_cache', 'd' || NEW.code);
    END IF;
    RETURN NULL;
END;
$$;
CREATE OR REPLACE FUNCTION cache_notify_session() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('cchc.quiet', true) = 'on' THEN
        RETURN NULL;
    END IF;
    PERFORM pg_notify('cchc_cache', 's' || OLD.token_hash);
    RETURN NULL;
END;
$$;
CREATE OR REPLACE FUNCTION cache_notify_all() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('cchc_cache', '*');
    RETURN NULL;
END;
$$;
DROP TRIGGER IF EXISTS dossiers_cache_notify ON dossiers;
CREATE TRIGGER dossiers_cache_notify AFTER INSERT OR UPDATE OR DELETE ON dossiers
    FOR EACH ROW EXECUTE FUNCTION cache_notify_dossier();
DROP TRIGGER IF EXISTS sessions_cache_notify ON sessions;
CREATE TRIGGER sessions_cache_notify AFTER UPDATE OR DELETE ON sessions
    FOR EACH ROW EXECUTE FUNCTION cache_notify_session();
DROP TRIGGER IF EXISTS users_cache_notify ON users;
CREATE TRIGGER users_cache_notify AFTER UPDATE OR DELETE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION cache_notify_all();
DROP TRIGGER IF EXISTS units_version_cache_notify ON units_version;
CREATE TRIGGER units_version_cache_notify AFTER UPDATE ON units_version
    FOR EACH STATEMENT EXECUTE FUNCTION cache_notify_all();
