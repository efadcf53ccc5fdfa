-- 051_event_seq.sql — on PostgreSQL, event ids come from the identity sequence of events.id
-- (pg/051_event_seq.sql, docs/scale.md step 4). SQLite has one writer at a time, which numbers
-- events "the log's last id + 1" as before: nothing to change here; the file keeps the two
-- backends' lists of migrations parallel.
SELECT 1;
