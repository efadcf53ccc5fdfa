-- 018_survey.sql — satisfaction (SIPAS) and competitiveness (DDCI) surveys (issue 19): rounds
-- over an instrument of data/surveys/, the strata of each unit's sample, one-time invitations
-- (only a hash of the token is kept) and anonymous responses. Anonymity by construction: a
-- response row names its round, unit and stratum (needed for the weights) and the day, never
-- an invitation, dossier or person; when a response comes in, its invitation's dossier code is
-- set to NULL in the same transaction, and the invitation keeps no time of answering.
-- Written in the SQL subset shared by SQLite and PostgreSQL (pg/018_survey.sql: identities).
CREATE TABLE survey_rounds (
    code         TEXT PRIMARY KEY,
    set_file     TEXT NOT NULL,              -- file name under data/surveys/
    set_code     TEXT NOT NULL,
    year         INTEGER NOT NULL,
    period_from  TEXT NOT NULL,              -- dossiers returned from this day ('YYYY-MM-DD')
    period_to    TEXT NOT NULL,              -- … to this day, inclusive
    margin_pm    INTEGER NOT NULL CHECK (margin_pm > 0 AND margin_pm <= 500), -- per mille
    seed         TEXT NOT NULL,              -- decimal unsigned 64-bit
    created_at   INTEGER NOT NULL,
    created_by   TEXT NOT NULL
);
CREATE TABLE survey_strata (
    round        TEXT NOT NULL REFERENCES survey_rounds (code),
    unit_code    TEXT NOT NULL REFERENCES units (code),
    stratum      TEXT NOT NULL,              -- 'field|channel|outcome'
    population   INTEGER NOT NULL,
    sample       INTEGER NOT NULL,
    PRIMARY KEY (round, unit_code, stratum)
);
CREATE TABLE survey_invitations (
    id           INTEGER PRIMARY KEY,
    round        TEXT NOT NULL REFERENCES survey_rounds (code),
    unit_code    TEXT NOT NULL REFERENCES units (code),
    stratum      TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,       -- BLAKE2b-256 of the token, hex
    dossier_code TEXT,                       -- NULL once answered
    answered     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX survey_invitations_round ON survey_invitations (round, unit_code);
CREATE TABLE survey_responses (
    id           INTEGER PRIMARY KEY,
    round        TEXT NOT NULL REFERENCES survey_rounds (code),
    unit_code    TEXT NOT NULL REFERENCES units (code),
    stratum      TEXT NOT NULL,
    mode         TEXT NOT NULL CHECK (mode = 'web' OR mode = 'paper'),
    day          TEXT NOT NULL
);
CREATE INDEX survey_responses_round ON survey_responses (round, unit_code);
CREATE TABLE survey_answers (
    response_id  INTEGER NOT NULL REFERENCES survey_responses (id),
    question     TEXT NOT NULL,
    value        TEXT NOT NULL,
    PRIMARY KEY (response_id, question)
);
-- Paper forms typed twice by two officers; a form becomes a response when both passes agree.
CREATE TABLE survey_paper (
    round        TEXT NOT NULL REFERENCES survey_rounds (code),
    form_no      TEXT NOT NULL,
    pass         INTEGER NOT NULL CHECK (pass = 1 OR pass = 2),
    unit_code    TEXT NOT NULL REFERENCES units (code),
    stratum      TEXT NOT NULL,
    answers      TEXT NOT NULL,              -- 'QUESTION=VALUE;…' in the set's order
    entered_by   TEXT NOT NULL,
    PRIMARY KEY (round, form_no, pass)
);
