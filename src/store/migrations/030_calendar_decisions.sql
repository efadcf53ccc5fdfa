-- 030_calendar_decisions.sql — the Government's decisions on days off, recorded from the
-- administration page (issue 13) on top of the file calendar (data/calendar/*.tsv): a
-- decision (citation, issuer, signed, effective) and its day changes, a working day made a
-- holiday or a swap (a working day off, a Saturday or Sunday worked instead). The rules are
-- caldec_check's (src/core/caldecision.c). calendar_version counts the changes, bumped in the
-- same transaction as the decision, so every server on the database sees a decision another
-- one recorded with one row read (src/http/calendar_http.c); no row means version 0.
CREATE TABLE calendar_decisions (
    id          INTEGER PRIMARY KEY,
    citation    TEXT NOT NULL UNIQUE CHECK (citation <> ''),
    issuer      TEXT NOT NULL CHECK (issuer <> ''),
    signed_on   TEXT NOT NULL,                  -- 'YYYY-MM-DD'
    effective   TEXT NOT NULL CHECK (effective >= signed_on),
    actor       TEXT NOT NULL CHECK (actor <> ''),
    created_at  INTEGER NOT NULL               -- local minutes (date.h)
);

CREATE TABLE calendar_decision_days (
    decision_id INTEGER NOT NULL REFERENCES calendar_decisions (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL CHECK (seq >= 1),
    kind        TEXT NOT NULL CHECK (kind IN ('holiday', 'swap')),
    day         TEXT NOT NULL UNIQUE,           -- the working day made a day off
    work_day    TEXT UNIQUE,                    -- swap: the weekend day worked instead
    name        TEXT NOT NULL CHECK (name <> ''),
    CHECK ((kind = 'swap') = (work_day IS NOT NULL)),
    PRIMARY KEY (decision_id, seq)
);

CREATE TABLE calendar_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
