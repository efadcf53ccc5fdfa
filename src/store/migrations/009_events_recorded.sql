-- 009_events_recorded.sql — when each event was recorded, beside the time it claims (issue 12,
-- finding 1). recorded_at: the server's clock when the event was written, minutes as `at`
-- (NULL on events written before this migration); backdated: 1 when `at` was earlier than the
-- backdating tolerance (src/core/backdate.h). Both are inside the hash chain (version 2 links,
-- src/store/audit.c). The partial index serves the backdated report.
ALTER TABLE events ADD COLUMN recorded_at INTEGER;
ALTER TABLE events ADD COLUMN backdated INTEGER NOT NULL DEFAULT 0 CHECK (backdated IN (0, 1));
CREATE INDEX events_backdated ON events (recorded_at) WHERE backdated = 1;
