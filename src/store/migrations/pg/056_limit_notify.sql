-- 056_limit_notify.sql — the citizen's lookup keeps its three rate-limit rows' lock_until in
-- the read cache (src/http/dblimit.c dblimit_blocked3): the lock is decided against the clock at
-- each use, so only a change of lock_until can make a kept value wrong. This trigger NOTIFYs
-- cchc_cache with 'l' and the row's key when it does: a lock set (the max-th failure of a
-- window) or ended early (a success, an administrator's unlock). Failures that lock nothing
-- send nothing, nor does the purge: it deletes rows whose lock is long over, which answer as
-- an absent row does. As in 055, cchc.quiet (a bulk copy into an empty database) sends
-- nothing; the copy's units_version update notifies '*' once.
CREATE OR REPLACE FUNCTION cache_notify_limit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('cchc.quiet', true) = 'on' THEN
        RETURN NULL;
    END IF;
    IF (TG_OP = 'INSERT' AND NEW.lock_until <> 0)
       OR (TG_OP = 'UPDATE' AND NEW.lock_until IS DISTINCT FROM OLD.lock_until) THEN
        PERFORM pg_notify('cchc_cache', 'l' || NEW.k);
    END IF;
    RETURN NULL;
END;
$$;
DROP TRIGGER IF EXISTS rate_limits_cache_notify ON rate_limits;
CREATE TRIGGER rate_limits_cache_notify AFTER INSERT OR UPDATE ON rate_limits
    FOR EACH ROW EXECUTE FUNCTION cache_notify_limit();
