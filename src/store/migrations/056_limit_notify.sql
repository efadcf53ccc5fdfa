-- 056_limit_notify.sql — nothing on SQLite. PostgreSQL's version (pg/056_limit_notify.sql)
-- tells the servers' read caches when a rate limit's lock changes; on SQLite a server learns
-- every change from the file's data version (store_change_mark).
SELECT 1;
