-- 051_event_seq.sql — event ids from the identity sequence of events.id (docs/scale.md, the
-- national plan's step 4). The store numbered each event "the log's last id + 1", read under the
-- one global write lock; writers of different provinces, once they no longer share that lock
-- (step 3), would read the same last id and, the key being (id, province) since 045, insert
-- duplicate ids silently. nextval() cannot hand out one id twice, whatever the lock.
-- The sequence was never used (the store always gave the id): it starts past every id in the log
-- and past the genesis (an id at or below it would be read as part of the old global chain,
-- migration 049). CACHE 1: a backend caching a range would hand two servers ids out of the order
-- of their appends, and a province's chain is verified in id order.
ALTER TABLE events ALTER COLUMN id SET CACHE 1;
SELECT setval(pg_get_serial_sequence('events', 'id'),
              greatest(coalesce((SELECT max(id) FROM events), 0),
                       coalesce((SELECT last_event_id FROM audit_genesis WHERE id = 1), 0)) + 1,
              false);
