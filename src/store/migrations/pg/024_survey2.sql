-- PostgreSQL's version of migrations/024_survey2.sql.
-- 024_survey2.sql — surveys, the remaining parts of issue 19 (docs/surveys.md): when an
-- invitation went out through the notification outbox, and the resolution of paper forms whose
-- two entries differ (a third look at the paper decides each differing field; only the
-- resolved form is counted). Written in the SQL subset shared by SQLite and PostgreSQL.
ALTER TABLE survey_invitations ADD COLUMN notified_at BIGINT; -- local minutes; NULL: not sent
CREATE TABLE survey_paper_resolved (
    round        TEXT NOT NULL REFERENCES survey_rounds (code),
    form_no      TEXT NOT NULL,
    unit_code    TEXT NOT NULL REFERENCES units (code),
    stratum      TEXT NOT NULL,
    answers      TEXT NOT NULL,              -- 'QUESTION=VALUE;…' as decided, set's order
    resolved_by  TEXT NOT NULL,
    PRIMARY KEY (round, form_no)
);
