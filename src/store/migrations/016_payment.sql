-- 016_payment.sql — online payment of fees (phí, lệ phí) for dossiers (issue 16, docs/payment.md):
-- the payments made through a payment provider with their state (src/core/payment.c), the
-- amounts officers set for fees the province sets (payment_dues), and the per-unit, per-year
-- receipt sequence (receipt_seq), allocated in the transaction that settles a payment so
-- receipt numbers have no gaps. Instants are minutes since 1970-01-01T00:00 local time
-- (UTC+7, date.h); days are day numbers of the same clock.
CREATE TABLE payments (
    id              INTEGER PRIMARY KEY,
    ref             TEXT NOT NULL UNIQUE,              -- our reference: 32 random hex digits
    dossier_id      INTEGER NOT NULL REFERENCES dossiers (id),
    dossier_code    TEXT NOT NULL,
    unit_code       TEXT NOT NULL,                     -- the dossier's receiving unit
    amount_vnd      INTEGER NOT NULL CHECK (amount_vnd > 0),
    status          TEXT NOT NULL CHECK (status = 'pending' OR status = 'paid' OR
                        status = 'failed' OR status = 'cancelled' OR status = 'mismatched'),
    provider_ref    TEXT,                              -- the provider's transaction id
    pay_url         TEXT,                              -- where the payer was sent
    paid_amount_vnd INTEGER,                           -- what the provider reported as paid
    created_at      INTEGER NOT NULL,
    created_day     INTEGER NOT NULL,
    settled_at      INTEGER,
    settled_by      TEXT CHECK (settled_by IS NULL OR settled_by = 'callback' OR
                        settled_by = 'query'),
    checked_at      INTEGER,                           -- last status query
    receipt_year    INTEGER,
    receipt_no      INTEGER,
    UNIQUE (unit_code, receipt_year, receipt_no)
);
CREATE INDEX payments_dossier ON payments (dossier_id);
CREATE INDEX payments_day ON payments (created_day);
CREATE INDEX payments_status ON payments (status, created_at);
CREATE TABLE payment_dues (
    dossier_id INTEGER PRIMARY KEY REFERENCES dossiers (id),
    amount_vnd INTEGER NOT NULL CHECK (amount_vnd > 0),
    set_by     TEXT NOT NULL,
    set_at     INTEGER NOT NULL
);
CREATE TABLE receipt_seq (
    unit_code TEXT NOT NULL,
    year      INTEGER NOT NULL,
    last_no   INTEGER NOT NULL,
    PRIMARY KEY (unit_code, year)
);
