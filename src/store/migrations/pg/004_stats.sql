-- 004_stats.sql — incremental statistics (src/core/stats.h, docs/statistics.md): daily counters per
-- receiving unit × procedure × channel × day, roll-ups per unit × day and unit × month for
-- dashboards (whole months from the monthly one, the days of partial months from the daily), and
-- steps finished / late per unit × officer × step × day. Maintained in the same transaction as
-- every dossier change (store_stats_apply_event); `cchc stats rebuild` recomputes them from the
-- dossiers. day = days since 1970-01-01 (local date); month = year * 12 + month - 1.
-- Column names are stats_counter_name(); the counters are additive over days.
-- PostgreSQL's version of migrations/004_stats.sql: the same tables, columns, constraints
-- and indexes, with integers as BIGINT, blobs as BYTEA and SQLite's INTEGER PRIMARY KEY ids as
-- identity columns.

CREATE TABLE stats_day (
    unit_code        TEXT NOT NULL,
    procedure_code   TEXT NOT NULL,
    channel          TEXT NOT NULL CHECK (channel IN ('direct', 'online', 'postal')),
    day              BIGINT NOT NULL,
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
    PRIMARY KEY (unit_code, procedure_code, channel, day)
);
CREATE INDEX stats_day_day ON stats_day (day);

CREATE TABLE stats_unit_day (
    day              BIGINT NOT NULL,
    unit_code        TEXT NOT NULL,
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
    PRIMARY KEY (day, unit_code)
);

CREATE TABLE stats_month (
    unit_code        TEXT NOT NULL,
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
    PRIMARY KEY (unit_code, month)
);

CREATE TABLE stats_steps (
    unit_code   TEXT NOT NULL,
    officer     TEXT NOT NULL,
    step        BIGINT NOT NULL,
    day         BIGINT NOT NULL,
    done        BIGINT NOT NULL DEFAULT 0,
    late        BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_code, officer, step, day)
);
