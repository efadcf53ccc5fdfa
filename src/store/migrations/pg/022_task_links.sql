-- PostgreSQL version of migrations/022_task_links.sql (BIGINT): the action tracker (issue 15): a task a leader creates from a weak
-- figure stays linked to that figure, so the figure shows the task and its progress beside
-- it. A figure is one of:
--   'par'       a PAR criterion of a unit in a round (round_code, ref = the criterion's code);
--   'indicator' a Decision 766 indicator group of a unit (ref = the group key, e.g. group_2);
--   'late'      a unit's late (overdue) dossiers (ref = '').
-- value is what the figure showed when the task was created (NULL: not given), so the page
-- can say "from 2,5 points" next to today's value. One link per task.
-- Days are BIGINT days since 1970-01-01; instants BIGINT minutes since 1970-01-01T00:00
-- local time (UTC+7, date.h).

CREATE TABLE reform_task_links (
    task_id     BIGINT PRIMARY KEY REFERENCES reform_tasks (id),
    kind        TEXT NOT NULL CHECK (kind IN ('par', 'indicator', 'late')),
    unit_code   TEXT NOT NULL REFERENCES units (code),      -- the unit whose figure it is
    round_code  TEXT NOT NULL,                              -- PAR round, '' for the others
    ref         TEXT NOT NULL,                              -- criterion code or group key
    value       TEXT,                                       -- the figure then, as shown
    created_at  BIGINT NOT NULL,
    created_by  TEXT NOT NULL
);
CREATE INDEX reform_task_links_figure ON reform_task_links (kind, unit_code, round_code, ref);
