-- 017_queue.sql — the one-stop desk's queue and appointments (docs/queue.md, src/core/queue.h).
-- Counters (quầy) of a unit and the fields (lĩnh vực) each serves; the per-day sequence of each
-- counter, taken in the write transaction (INSERT … ON CONFLICT DO UPDATE … RETURNING), so
-- numbers are unique and gap-free on either database; tickets with their times in seconds
-- (taken → called → done) for the waiting-time statistics; appointments in slots.
CREATE TABLE queue_counters (
    unit       TEXT NOT NULL REFERENCES units (code),
    no         INTEGER NOT NULL CHECK (no BETWEEN 1 AND 99),
    name       TEXT NOT NULL,
    fields     TEXT NOT NULL, -- '|'-separated field names of the catalogue
    active     INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (unit, no)
);
CREATE TABLE queue_seq (
    unit       TEXT NOT NULL,
    day        INTEGER NOT NULL, -- day number (date.h)
    counter_no INTEGER NOT NULL,
    last       INTEGER NOT NULL,
    PRIMARY KEY (unit, day, counter_no)
);
CREATE TABLE queue_tickets (
    id           INTEGER PRIMARY KEY,
    unit         TEXT NOT NULL REFERENCES units (code),
    day          INTEGER NOT NULL,
    number       INTEGER NOT NULL, -- counter * 1000 + sequence (queue_number)
    counter_no   INTEGER NOT NULL, -- the counter serving it now (a transfer changes it)
    field        TEXT NOT NULL,
    channel      TEXT NOT NULL, -- desk, phone, booking
    priority     INTEGER NOT NULL DEFAULT 0, -- 1: an appointment checked in
    status       TEXT NOT NULL, -- waiting, called, served, no_show
    taken_at     BIGINT NOT NULL, -- Unix seconds
    called_at    BIGINT, -- first call
    last_call_at BIGINT, -- last call or recall (the display speaks each)
    calls        INTEGER NOT NULL DEFAULT 0,
    done_at      BIGINT, -- served or no-show
    officer      TEXT, -- who called it last
    requester    TEXT, -- keyed hash of the client address (per-day limit), never the address
    contact      TEXT, -- keyed hash of the phone given, never the phone
    UNIQUE (unit, day, number)
);
CREATE INDEX queue_tickets_wait ON queue_tickets (unit, day, counter_no, status);
CREATE INDEX queue_tickets_req ON queue_tickets (day, requester);
CREATE INDEX queue_tickets_contact ON queue_tickets (day, contact);
CREATE TABLE queue_appointments (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE, -- the booker's code to cancel or check in
    unit       TEXT NOT NULL REFERENCES units (code),
    counter_no INTEGER NOT NULL,
    day        INTEGER NOT NULL,
    slot       INTEGER NOT NULL, -- minute of the day the slot starts
    field      TEXT NOT NULL,
    name       TEXT NOT NULL,
    phone      TEXT NOT NULL,
    status     TEXT NOT NULL, -- booked, cancelled, checked_in
    created_at BIGINT NOT NULL,
    number     INTEGER -- the queue number once checked in
);
CREATE INDEX queue_appointments_slot ON queue_appointments (unit, counter_no, day, slot, status);
