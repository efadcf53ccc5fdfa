-- 008_users_unlock.sql — when an administrator last lifted a username's sign-in lock
-- (`cchc user unlock`, Unix seconds, NULL never). The lock itself is counted in each server's
-- memory (src/http/ratelimit.c); a server lifts it at the next sign-in when this time is later
-- than the lock's start (issue 12, finding 4).
ALTER TABLE users ADD COLUMN unlocked_at INTEGER;
