-- 032_citizen_otp_key.sql (SQLite) — nothing to change here. On PostgreSQL this version keys
-- citizen_otp by (contact, id), for its distribution by contact (data/citus/layout.tsv); on
-- SQLite id stays the rowid, and the store's updates of a code, which now name the contact
-- too, use the same primary key lookup. Kept so that both backends count the same versions.
SELECT 1;
