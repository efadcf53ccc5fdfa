-- 036_stats_province.sql — the province column (docs/scale.md, "What the schema needs first",
-- step 1) on the statistics counters of migration 004, co-located with the dossiers they
-- count: province is the root of the unit's tree (store_unit_root), bound by the store with
-- the unit at every upsert. It is the LAST column of each primary key, so every read that
-- seeks by unit (or by day, then unit) keeps its index prefix, and the upserts name the new
-- key as their conflict target on both backends. On SQLite a new primary key means a new
-- table: rebuilt, rows copied with their province (a unit no longer in the tree keeps its own
-- code), the column last as on PostgreSQL so `cchc migrate --to` copies by name.
CREATE TEMP TABLE unit_root AS
WITH RECURSIVE up(code, top, parent) AS (
    SELECT code, code, parent FROM units
    UNION ALL
    SELECT up.code, u.code, u.parent FROM up JOIN units u ON u.code = up.parent
)
SELECT code, top FROM up WHERE parent IS NULL;
CREATE TABLE stats_day_new (
    unit_code        TEXT NOT NULL,
    procedure_code   TEXT NOT NULL,
    channel          TEXT NOT NULL CHECK (channel IN ('direct', 'online', 'postal')),
    day              INTEGER NOT NULL,
    month            INTEGER NOT NULL,
    received         INTEGER NOT NULL DEFAULT 0,
    received_direct  INTEGER NOT NULL DEFAULT 0,
    received_online  INTEGER NOT NULL DEFAULT 0,
    received_postal  INTEGER NOT NULL DEFAULT 0,
    online_full      INTEGER NOT NULL DEFAULT 0,
    online_partial   INTEGER NOT NULL DEFAULT 0,
    solved_early     INTEGER NOT NULL DEFAULT 0,
    solved_on_time   INTEGER NOT NULL DEFAULT 0,
    solved_late      INTEGER NOT NULL DEFAULT 0,
    refused          INTEGER NOT NULL DEFAULT 0,
    withdrawn        INTEGER NOT NULL DEFAULT 0,
    cancelled        INTEGER NOT NULL DEFAULT 0,
    finished_late    INTEGER NOT NULL DEFAULT 0,
    result_digital   INTEGER NOT NULL DEFAULT 0,
    returned         INTEGER NOT NULL DEFAULT 0,
    due              INTEGER NOT NULL DEFAULT 0,
    due_met          INTEGER NOT NULL DEFAULT 0,
    cohort_in_time   INTEGER NOT NULL DEFAULT 0,
    fee_due          INTEGER NOT NULL DEFAULT 0,
    paid_online      INTEGER NOT NULL DEFAULT 0,
    digitised        INTEGER NOT NULL DEFAULT 0,
    rated            INTEGER NOT NULL DEFAULT 0,
    rating_good      INTEGER NOT NULL DEFAULT 0,
    rating_ok        INTEGER NOT NULL DEFAULT 0,
    rating_bad       INTEGER NOT NULL DEFAULT 0,
    province         TEXT NOT NULL,
    PRIMARY KEY (unit_code, procedure_code, channel, day, province)
);
INSERT INTO stats_day_new (unit_code, procedure_code, channel, day, month, received, received_direct, received_online, received_postal, online_full, online_partial, solved_early, solved_on_time, solved_late, refused, withdrawn, cancelled, finished_late, result_digital, returned, due, due_met, cohort_in_time, fee_due, paid_online, digitised, rated, rating_good, rating_ok, rating_bad, province)
SELECT t.unit_code, t.procedure_code, t.channel, t.day, t.month, t.received, t.received_direct, t.received_online, t.received_postal, t.online_full, t.online_partial, t.solved_early, t.solved_on_time, t.solved_late, t.refused, t.withdrawn, t.cancelled, t.finished_late, t.result_digital, t.returned, t.due, t.due_met, t.cohort_in_time, t.fee_due, t.paid_online, t.digitised, t.rated, t.rating_good, t.rating_ok, t.rating_bad,
       coalesce((SELECT r.top FROM unit_root r WHERE r.code = t.unit_code), t.unit_code)
FROM stats_day t;
DROP TABLE stats_day;
ALTER TABLE stats_day_new RENAME TO stats_day;
CREATE TABLE stats_unit_day_new (
    day              INTEGER NOT NULL,
    unit_code        TEXT NOT NULL,
    received         INTEGER NOT NULL DEFAULT 0,
    received_direct  INTEGER NOT NULL DEFAULT 0,
    received_online  INTEGER NOT NULL DEFAULT 0,
    received_postal  INTEGER NOT NULL DEFAULT 0,
    online_full      INTEGER NOT NULL DEFAULT 0,
    online_partial   INTEGER NOT NULL DEFAULT 0,
    solved_early     INTEGER NOT NULL DEFAULT 0,
    solved_on_time   INTEGER NOT NULL DEFAULT 0,
    solved_late      INTEGER NOT NULL DEFAULT 0,
    refused          INTEGER NOT NULL DEFAULT 0,
    withdrawn        INTEGER NOT NULL DEFAULT 0,
    cancelled        INTEGER NOT NULL DEFAULT 0,
    finished_late    INTEGER NOT NULL DEFAULT 0,
    result_digital   INTEGER NOT NULL DEFAULT 0,
    returned         INTEGER NOT NULL DEFAULT 0,
    due              INTEGER NOT NULL DEFAULT 0,
    due_met          INTEGER NOT NULL DEFAULT 0,
    cohort_in_time   INTEGER NOT NULL DEFAULT 0,
    fee_due          INTEGER NOT NULL DEFAULT 0,
    paid_online      INTEGER NOT NULL DEFAULT 0,
    digitised        INTEGER NOT NULL DEFAULT 0,
    rated            INTEGER NOT NULL DEFAULT 0,
    rating_good      INTEGER NOT NULL DEFAULT 0,
    rating_ok        INTEGER NOT NULL DEFAULT 0,
    rating_bad       INTEGER NOT NULL DEFAULT 0,
    province         TEXT NOT NULL,
    PRIMARY KEY (day, unit_code, province)
);
INSERT INTO stats_unit_day_new (day, unit_code, received, received_direct, received_online, received_postal, online_full, online_partial, solved_early, solved_on_time, solved_late, refused, withdrawn, cancelled, finished_late, result_digital, returned, due, due_met, cohort_in_time, fee_due, paid_online, digitised, rated, rating_good, rating_ok, rating_bad, province)
SELECT t.day, t.unit_code, t.received, t.received_direct, t.received_online, t.received_postal, t.online_full, t.online_partial, t.solved_early, t.solved_on_time, t.solved_late, t.refused, t.withdrawn, t.cancelled, t.finished_late, t.result_digital, t.returned, t.due, t.due_met, t.cohort_in_time, t.fee_due, t.paid_online, t.digitised, t.rated, t.rating_good, t.rating_ok, t.rating_bad,
       coalesce((SELECT r.top FROM unit_root r WHERE r.code = t.unit_code), t.unit_code)
FROM stats_unit_day t;
DROP TABLE stats_unit_day;
ALTER TABLE stats_unit_day_new RENAME TO stats_unit_day;
CREATE TABLE stats_month_new (
    unit_code        TEXT NOT NULL,
    month            INTEGER NOT NULL,
    received         INTEGER NOT NULL DEFAULT 0,
    received_direct  INTEGER NOT NULL DEFAULT 0,
    received_online  INTEGER NOT NULL DEFAULT 0,
    received_postal  INTEGER NOT NULL DEFAULT 0,
    online_full      INTEGER NOT NULL DEFAULT 0,
    online_partial   INTEGER NOT NULL DEFAULT 0,
    solved_early     INTEGER NOT NULL DEFAULT 0,
    solved_on_time   INTEGER NOT NULL DEFAULT 0,
    solved_late      INTEGER NOT NULL DEFAULT 0,
    refused          INTEGER NOT NULL DEFAULT 0,
    withdrawn        INTEGER NOT NULL DEFAULT 0,
    cancelled        INTEGER NOT NULL DEFAULT 0,
    finished_late    INTEGER NOT NULL DEFAULT 0,
    result_digital   INTEGER NOT NULL DEFAULT 0,
    returned         INTEGER NOT NULL DEFAULT 0,
    due              INTEGER NOT NULL DEFAULT 0,
    due_met          INTEGER NOT NULL DEFAULT 0,
    cohort_in_time   INTEGER NOT NULL DEFAULT 0,
    fee_due          INTEGER NOT NULL DEFAULT 0,
    paid_online      INTEGER NOT NULL DEFAULT 0,
    digitised        INTEGER NOT NULL DEFAULT 0,
    rated            INTEGER NOT NULL DEFAULT 0,
    rating_good      INTEGER NOT NULL DEFAULT 0,
    rating_ok        INTEGER NOT NULL DEFAULT 0,
    rating_bad       INTEGER NOT NULL DEFAULT 0,
    province         TEXT NOT NULL,
    PRIMARY KEY (unit_code, month, province)
);
INSERT INTO stats_month_new (unit_code, month, received, received_direct, received_online, received_postal, online_full, online_partial, solved_early, solved_on_time, solved_late, refused, withdrawn, cancelled, finished_late, result_digital, returned, due, due_met, cohort_in_time, fee_due, paid_online, digitised, rated, rating_good, rating_ok, rating_bad, province)
SELECT t.unit_code, t.month, t.received, t.received_direct, t.received_online, t.received_postal, t.online_full, t.online_partial, t.solved_early, t.solved_on_time, t.solved_late, t.refused, t.withdrawn, t.cancelled, t.finished_late, t.result_digital, t.returned, t.due, t.due_met, t.cohort_in_time, t.fee_due, t.paid_online, t.digitised, t.rated, t.rating_good, t.rating_ok, t.rating_bad,
       coalesce((SELECT r.top FROM unit_root r WHERE r.code = t.unit_code), t.unit_code)
FROM stats_month t;
DROP TABLE stats_month;
ALTER TABLE stats_month_new RENAME TO stats_month;
CREATE TABLE stats_steps_new (
    unit_code   TEXT NOT NULL,
    officer     TEXT NOT NULL,
    step        INTEGER NOT NULL,
    day         INTEGER NOT NULL,
    done        INTEGER NOT NULL DEFAULT 0,
    late        INTEGER NOT NULL DEFAULT 0,
    province         TEXT NOT NULL,
    PRIMARY KEY (unit_code, officer, step, day, province)
);
INSERT INTO stats_steps_new (unit_code, officer, step, day, done, late, province)
SELECT t.unit_code, t.officer, t.step, t.day, t.done, t.late,
       coalesce((SELECT r.top FROM unit_root r WHERE r.code = t.unit_code), t.unit_code)
FROM stats_steps t;
DROP TABLE stats_steps;
ALTER TABLE stats_steps_new RENAME TO stats_steps;
CREATE INDEX stats_day_day ON stats_day (day);
DROP TABLE unit_root;
