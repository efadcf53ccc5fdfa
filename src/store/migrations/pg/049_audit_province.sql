-- 049_audit_province.sql (PostgreSQL; the same as migrations/049_audit_province.sql) — one
-- audit chain per province (docs/scale.md, "What the schema needs first", step 3). Until now
-- every event chained on the event before it, whatever its province, and audit_head (one row)
-- held the last link: one chain for the whole country, which a sharded log cannot keep. The
-- old head becomes the genesis, audit_genesis (one row, always there): the global chain's last
-- event and hash at migration time, (0, 32 zero bytes) for an empty log. An event up to the
-- genesis stays in that global chain and verifies as before; an event after it chains on the
-- previous event of its own province after the genesis, the first one on the genesis hash, so
-- every province's chain is anchored to the whole history before it. audit_head holds one
-- head per province (distributed by province, its key audit_head_pkey) and starts empty; the
-- store writes a province's row with its first event. audit_genesis is a reference table:
-- written once, read by every shard's verification (data/citus/layout.tsv).
CREATE TABLE audit_genesis (
    id             BIGINT PRIMARY KEY CHECK (id = 1),
    last_event_id  BIGINT NOT NULL,
    last_hash      BYTEA NOT NULL
);
INSERT INTO audit_genesis (id, last_event_id, last_hash)
SELECT 1, coalesce((SELECT last_event_id FROM audit_head WHERE id = 1), 0),
       coalesce((SELECT last_hash FROM audit_head WHERE id = 1), decode(repeat('00', 32), 'hex'));
DROP TABLE audit_head;
CREATE TABLE audit_head (
    province       TEXT NOT NULL,
    last_event_id  BIGINT NOT NULL,
    last_hash      BYTEA NOT NULL,
    CONSTRAINT audit_head_pkey PRIMARY KEY (province)
);
