-- 023_server_keys.sql — secrets every `cchc serve` process on this database shares (issue 18,
-- docs/scale.md): the key of the known-device cookie's MAC and of the queue's keyed hashes
-- (src/http/auth.c, queue.c). Each server drew its own at start, so behind a load balancer a
-- cookie one server set was unknown to the next, and the queue's per-requester daily limit
-- counted each server (and each restart) apart. The first server to start writes it (INSERT …
-- ON CONFLICT DO NOTHING); the others read that one. Hex text, so both backends store it alike.
CREATE TABLE server_keys (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL CHECK (length(value) = 64)
);
