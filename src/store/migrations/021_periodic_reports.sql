-- 021_periodic_reports.sql — the periodic CCHC reports (báo cáo định kỳ công tác CCHC: quý I,
-- 6 tháng, quý III, năm; issue 15): one report per unit, year and period of the Ministry of
-- Home Affairs' calendar (src/core/report_period.c), its figures frozen as a JSON snapshot when
-- it is created or refreshed (src/report/preport_build.c), its four narrative sections, its
-- state (src/core/preport.c: draft -> submitted -> accepted / returned -> draft), and every
-- action on it. Days are INTEGER days since 1970-01-01; instants INTEGER minutes since
-- 1970-01-01T00:00 local time (UTC+7, date.h). Written in the SQL subset shared by SQLite and
-- PostgreSQL.

CREATE TABLE periodic_reports (
    id            INTEGER PRIMARY KEY,
    unit_code     TEXT NOT NULL REFERENCES units (code),
    year          INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    period        TEXT NOT NULL CHECK (period IN ('Q1', '6M', 'Q3', 'Y')),
    from_day      INTEGER NOT NULL,
    to_day        INTEGER NOT NULL,
    parent_code   TEXT NOT NULL,              -- who it is submitted to ('' for a root unit)
    status        TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'accepted',
                                                  'returned')),
    snapshot      TEXT NOT NULL,              -- the figures, JSON, frozen at snapshot_at
    snapshot_at   INTEGER NOT NULL,
    consolidated  INTEGER NOT NULL CHECK (consolidated IN (0, 1)), -- holds its children's
    results       TEXT NOT NULL,              -- kết quả đạt được
    shortcomings  TEXT NOT NULL,              -- tồn tại, hạn chế
    causes        TEXT NOT NULL,              -- nguyên nhân
    next_tasks    TEXT NOT NULL,              -- nhiệm vụ thời gian tới
    return_reason TEXT NOT NULL,              -- the parent's last reason, '' if none
    created_at    INTEGER NOT NULL,
    created_by    TEXT NOT NULL,
    updated_at    INTEGER NOT NULL,
    submitted_at  INTEGER,
    submitted_by  TEXT,
    decided_at    INTEGER,                    -- accepted or returned
    decided_by    TEXT,
    CHECK (to_day >= from_day),
    UNIQUE (unit_code, year, period)
);
CREATE INDEX periodic_reports_parent ON periodic_reports (parent_code, year, period);

-- Every action on a report, in order: its history.
CREATE TABLE periodic_report_events (
    id         INTEGER PRIMARY KEY,
    report_id  INTEGER NOT NULL REFERENCES periodic_reports (id),
    at         INTEGER NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    from_state TEXT NOT NULL,                 -- '' for the creation
    to_state   TEXT NOT NULL,
    note       TEXT NOT NULL
);
CREATE INDEX periodic_report_events_report ON periodic_report_events (report_id, id);
