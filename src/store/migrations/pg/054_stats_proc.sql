-- 054_stats_proc.sql — figures filtered by procedure, field or channel (GET /api/stats with
-- procedure=, field= or channel=; docs/statistics.md) from a month roll-up and a yearly carry of
-- their own, as the dashboard's (migration 053): stats_proc_month sums stats_day per unit ×
-- procedure × channel × month, and stats_proc_carry holds, per unit × procedure × channel ×
-- year, the sum of that key's months before the year's 1 January, for every year in which the
-- key has a month row. Before, such a figure read every stats_day row of the subtree up to the
-- period's end: a province's year at 1 M dossiers was 80,000 rows and 300 ms, and every year
-- kept added a year of days. Now it reads the period's whole months, the days of its partial
-- months, and per key one carry row and at most a year of months. Kept by the statistics flush
-- with stats_day, made again by `cchc stats rebuild`. province is the last key column.
-- PostgreSQL's version of migrations/054_stats_proc.sql. The tables are dropped first, so the
-- file may run again on a schema taken back (cli.t-migrate-pg does): they are made from stats_day.
DROP TABLE IF EXISTS stats_proc_month;
DROP TABLE IF EXISTS stats_proc_carry;
CREATE TABLE stats_proc_month (
    unit_code        TEXT NOT NULL,
    procedure_code   TEXT NOT NULL,
    channel          TEXT NOT NULL CHECK (channel IN ('direct', 'online', 'postal')),
    month            BIGINT NOT NULL,
    received         BIGINT NOT NULL DEFAULT 0,
    received_direct  BIGINT NOT NULL DEFAULT 0,
    received_online  BIGINT NOT NULL DEFAULT 0,
    received_postal  BIGINT NOT NULL DEFAULT 0,
    online_full      BIGINT NOT NULL DEFAULT 0,
    online_partial   BIGINT NOT NULL DEFAULT 0,
    solved_early     BIGINT NOT NULL DEFAULT 0,
    solved_on_time   BIGINT NOT NULL DEFAULT 0,
    solved_late      BIGINT NOT NULL DEFAULT 0,
    refused          BIGINT NOT NULL DEFAULT 0,
    withdrawn        BIGINT NOT NULL DEFAULT 0,
    cancelled        BIGINT NOT NULL DEFAULT 0,
    finished_late    BIGINT NOT NULL DEFAULT 0,
    result_digital   BIGINT NOT NULL DEFAULT 0,
    returned         BIGINT NOT NULL DEFAULT 0,
    due              BIGINT NOT NULL DEFAULT 0,
    due_met          BIGINT NOT NULL DEFAULT 0,
    cohort_in_time   BIGINT NOT NULL DEFAULT 0,
    fee_due          BIGINT NOT NULL DEFAULT 0,
    paid_online      BIGINT NOT NULL DEFAULT 0,
    digitised        BIGINT NOT NULL DEFAULT 0,
    rated            BIGINT NOT NULL DEFAULT 0,
    rating_good      BIGINT NOT NULL DEFAULT 0,
    rating_ok        BIGINT NOT NULL DEFAULT 0,
    rating_bad       BIGINT NOT NULL DEFAULT 0,
    province         TEXT NOT NULL,
    PRIMARY KEY (unit_code, procedure_code, channel, month, province)
);
CREATE TABLE stats_proc_carry (
    unit_code        TEXT NOT NULL,
    procedure_code   TEXT NOT NULL,
    channel          TEXT NOT NULL CHECK (channel IN ('direct', 'online', 'postal')),
    year             BIGINT NOT NULL,
    received         BIGINT NOT NULL DEFAULT 0,
    received_direct  BIGINT NOT NULL DEFAULT 0,
    received_online  BIGINT NOT NULL DEFAULT 0,
    received_postal  BIGINT NOT NULL DEFAULT 0,
    online_full      BIGINT NOT NULL DEFAULT 0,
    online_partial   BIGINT NOT NULL DEFAULT 0,
    solved_early     BIGINT NOT NULL DEFAULT 0,
    solved_on_time   BIGINT NOT NULL DEFAULT 0,
    solved_late      BIGINT NOT NULL DEFAULT 0,
    refused          BIGINT NOT NULL DEFAULT 0,
    withdrawn        BIGINT NOT NULL DEFAULT 0,
    cancelled        BIGINT NOT NULL DEFAULT 0,
    finished_late    BIGINT NOT NULL DEFAULT 0,
    result_digital   BIGINT NOT NULL DEFAULT 0,
    returned         BIGINT NOT NULL DEFAULT 0,
    due              BIGINT NOT NULL DEFAULT 0,
    due_met          BIGINT NOT NULL DEFAULT 0,
    cohort_in_time   BIGINT NOT NULL DEFAULT 0,
    fee_due          BIGINT NOT NULL DEFAULT 0,
    paid_online      BIGINT NOT NULL DEFAULT 0,
    digitised        BIGINT NOT NULL DEFAULT 0,
    rated            BIGINT NOT NULL DEFAULT 0,
    rating_good      BIGINT NOT NULL DEFAULT 0,
    rating_ok        BIGINT NOT NULL DEFAULT 0,
    rating_bad       BIGINT NOT NULL DEFAULT 0,
    province         TEXT NOT NULL,
    PRIMARY KEY (unit_code, procedure_code, channel, year, province)
);
INSERT INTO stats_proc_month (unit_code, procedure_code, channel, month, received, received_direct, received_online, received_postal, online_full, online_partial, solved_early, solved_on_time, solved_late, refused, withdrawn, cancelled, finished_late, result_digital, returned, due, due_met, cohort_in_time, fee_due, paid_online, digitised, rated, rating_good, rating_ok, rating_bad, province)
SELECT unit_code, procedure_code, channel, month, sum(received), sum(received_direct), sum(received_online), sum(received_postal), sum(online_full), sum(online_partial), sum(solved_early), sum(solved_on_time), sum(solved_late), sum(refused), sum(withdrawn), sum(cancelled), sum(finished_late), sum(result_digital), sum(returned), sum(due), sum(due_met), sum(cohort_in_time), sum(fee_due), sum(paid_online), sum(digitised), sum(rated), sum(rating_good), sum(rating_ok), sum(rating_bad), province
FROM stats_day GROUP BY unit_code, procedure_code, channel, month, province;
INSERT INTO stats_proc_carry (unit_code, procedure_code, channel, year, received, received_direct, received_online, received_postal, online_full, online_partial, solved_early, solved_on_time, solved_late, refused, withdrawn, cancelled, finished_late, result_digital, returned, due, due_met, cohort_in_time, fee_due, paid_online, digitised, rated, rating_good, rating_ok, rating_bad, province)
SELECT k.unit_code, k.procedure_code, k.channel, k.year, coalesce(sum(m.received), 0), coalesce(sum(m.received_direct), 0), coalesce(sum(m.received_online), 0), coalesce(sum(m.received_postal), 0), coalesce(sum(m.online_full), 0), coalesce(sum(m.online_partial), 0), coalesce(sum(m.solved_early), 0), coalesce(sum(m.solved_on_time), 0), coalesce(sum(m.solved_late), 0), coalesce(sum(m.refused), 0), coalesce(sum(m.withdrawn), 0), coalesce(sum(m.cancelled), 0), coalesce(sum(m.finished_late), 0), coalesce(sum(m.result_digital), 0), coalesce(sum(m.returned), 0), coalesce(sum(m.due), 0), coalesce(sum(m.due_met), 0), coalesce(sum(m.cohort_in_time), 0), coalesce(sum(m.fee_due), 0), coalesce(sum(m.paid_online), 0), coalesce(sum(m.digitised), 0), coalesce(sum(m.rated), 0), coalesce(sum(m.rating_good), 0), coalesce(sum(m.rating_ok), 0), coalesce(sum(m.rating_bad), 0), k.province
FROM (SELECT DISTINCT unit_code, procedure_code, channel, month / 12 AS year, province FROM stats_proc_month) k
LEFT JOIN stats_proc_month m ON m.unit_code = k.unit_code AND m.procedure_code = k.procedure_code
    AND m.channel = k.channel AND m.province = k.province AND m.month < k.year * 12
GROUP BY k.unit_code, k.procedure_code, k.channel, k.year, k.province;
-- the period's whole months of a unit, every procedure and channel
CREATE INDEX stats_proc_month_unit ON stats_proc_month (unit_code, month);
-- the partial months' days of a unit (GET /api/stats with a filter reads them by unit and day)
CREATE INDEX IF NOT EXISTS stats_day_unit_day ON stats_day (unit_code, day);
