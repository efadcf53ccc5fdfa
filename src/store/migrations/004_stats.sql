-- 004_stats.sql — incremental statistics (src/core/stats.h, docs/statistics.md): daily counters per
-- receiving unit × procedure × channel × day, roll-ups per unit × day and unit × month for
-- dashboards (whole months from the monthly one, the days of partial months from the daily), and
-- steps finished / late per unit × officer × step × day. Maintained in the same transaction as
-- every dossier change (store_stats_apply_event); `cchc stats rebuild` recomputes them from the
-- dossiers. day = days since 1970-01-01 (local date); month = year * 12 + month - 1.
-- Column names are stats_counter_name(); the counters are additive over days.
-- Written in the SQL subset shared by SQLite and PostgreSQL.

CREATE TABLE stats_day (
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
    PRIMARY KEY (unit_code, procedure_code, channel, day)
);
CREATE INDEX stats_day_day ON stats_day (day);

CREATE TABLE stats_unit_day (
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
    PRIMARY KEY (day, unit_code)
);

CREATE TABLE stats_month (
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
    PRIMARY KEY (unit_code, month)
);

CREATE TABLE stats_steps (
    unit_code   TEXT NOT NULL,
    officer     TEXT NOT NULL,
    step        INTEGER NOT NULL,
    day         INTEGER NOT NULL,
    done        INTEGER NOT NULL DEFAULT 0,
    late        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_code, officer, step, day)
);
