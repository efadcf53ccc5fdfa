-- 032_citizen_otp_key.sql (PostgreSQL) — citizen_otp keyed by (contact, id): the table is
-- distributed by contact in the national plan (data/citus/layout.tsv, docs/scale.md), and
-- Citus needs the distribution column in every primary key; the store's updates of a code
-- (a wrong try, its use) name the contact too, so each touches one shard. Its last violation
-- in data/citus/violations.tsv goes with this.
ALTER TABLE citizen_otp DROP CONSTRAINT citizen_otp_pkey;
ALTER TABLE citizen_otp ADD CONSTRAINT citizen_otp_pkey PRIMARY KEY (contact, id);
