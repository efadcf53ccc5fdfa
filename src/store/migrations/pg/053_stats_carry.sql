-- 053_stats_carry.sql — the counters carried into each year (docs/statistics.md, docs/scale.md
-- "The dashboard against history"): stats_carry holds, per unit and year, the sum of the
-- unit's stats_month rows of every month before that year's 1 January, for every year in which
-- the unit has a month row. A period's figures need the sums before the period (pending at its
-- start, the cohorts); they were read from every earlier month row of every unit, which grows
-- with the years kept. Now they are one carry row (the latest year not after the period's) and
-- at most that year's months, however many years lie under it. The statistics flush keeps it
-- (sqlite_stats.c: a month's delta is added to the unit's later years, and a unit's first month
-- of a year makes that year's row from the months before), `cchc stats rebuild` makes it again.
-- province is the last key column, as on every counter table (migration 036). The months'
-- index on month serves the period's whole months, read across units.
-- PostgreSQL's version of migrations/053_stats_carry.sql. The table is dropped first, so the
-- file may run again on a schema taken back (cli.t-migrate-pg does): it is made from stats_month.
DROP TABLE IF EXISTS stats_carry;
CREATE TABLE stats_carry (
    unit_code        TEXT NOT NULL,
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
    PRIMARY KEY (unit_code, year, province)
);
INSERT INTO stats_carry (unit_code, year, received, received_direct, received_online, received_postal, online_full, online_partial, solved_early, solved_on_time, solved_late, refused, withdrawn, cancelled, finished_late, result_digital, returned, due, due_met, cohort_in_time, fee_due, paid_online, digitised, rated, rating_good, rating_ok, rating_bad, province)
SELECT k.unit_code, k.year, coalesce(sum(m.received), 0), coalesce(sum(m.received_direct), 0), coalesce(sum(m.received_online), 0), coalesce(sum(m.received_postal), 0), coalesce(sum(m.online_full), 0), coalesce(sum(m.online_partial), 0), coalesce(sum(m.solved_early), 0), coalesce(sum(m.solved_on_time), 0), coalesce(sum(m.solved_late), 0), coalesce(sum(m.refused), 0), coalesce(sum(m.withdrawn), 0), coalesce(sum(m.cancelled), 0), coalesce(sum(m.finished_late), 0), coalesce(sum(m.result_digital), 0), coalesce(sum(m.returned), 0), coalesce(sum(m.due), 0), coalesce(sum(m.due_met), 0), coalesce(sum(m.cohort_in_time), 0), coalesce(sum(m.fee_due), 0), coalesce(sum(m.paid_online), 0), coalesce(sum(m.digitised), 0), coalesce(sum(m.rated), 0), coalesce(sum(m.rating_good), 0), coalesce(sum(m.rating_ok), 0), coalesce(sum(m.rating_bad), 0), k.province
FROM (SELECT DISTINCT unit_code, month / 12 AS year, province FROM stats_month) k
LEFT JOIN stats_month m ON m.unit_code = k.unit_code AND m.province = k.province AND m.month < k.year * 12
GROUP BY k.unit_code, k.year, k.province;
CREATE INDEX IF NOT EXISTS stats_month_month ON stats_month (month);
