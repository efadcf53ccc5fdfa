-- 055_cache_notify.sql — nothing on SQLite. PostgreSQL's version (pg/055_cache_notify.sql)
-- notifies the servers' read caches of changes made by other processes; on SQLite a server
-- learns every change from the file's data version (store_change_mark), its own and other
-- processes' alike.
SELECT 1;
