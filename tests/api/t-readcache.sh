#!/usr/bin/env bash
# t-readcache.sh — the server's read cache (src/http/readcache.h, docs/scale.md "The read
# cache"): GET requests answered from it (its hit counters move, so the checks below test the
# cache and not the database), one dossier's page and whole list pages, and never a stale
# answer:
# - a change through the same server (an advance, a sign-out) is seen by the next request:
#   the server counts its own commits (tested with the other processes' path slowed: on
#   PostgreSQL the notifications held back 300 ms, on SQLite read_cache_check_ms = 1000);
# - a change by another process (the CLI, raw SQL) is seen within read_cache_check_ms on
#   SQLite (the file's data version; 1 ms by default, so at the next request here), within 2 s
#   on PostgreSQL (a notification, migration 055; the delay is printed);
# - PostgreSQL: with its listening connection killed, the cache is off until it listens again,
#   then empty: a change made in between is seen;
# - the citizen's lookup (a POST) alike, its rate-limit locks included;
# - read_cache_mb = 0: no cache, the same answers.
# Both backends (pg.api.t-readcache on PostgreSQL).
source "$(dirname "$0")/lib.sh" "$1"
setup_db
# PostgreSQL: the listener hands each notification over 300 ms late (CCHC_WATCH_DELAY_MS), so
# the server's own changes below are seen through its own commit count, not a notification
testdb_is_pg && export CCHC_WATCH_DELAY_MS=300
start_server

metric() { # NAME: the value on /metrics
  req GET /metrics
  awk -v n="$1" '$1 == n {print $2}' "$T/body"
}
# seen WHAT CHECK: until_seen (lib.sh) with TRIES tries: at once on SQLite with the default
# read_cache_check_ms (1 ms), within 2 s on PostgreSQL (another process's change comes as a
# notification).
TRIES=1
testdb_is_pg && TRIES=40
seen() { until_seen "$TRIES" "$1" "$2"; }

if testdb_is_pg; then # the listener connects beside the server's start
  for i in $(seq 100); do [ "$(metric cchc_read_cache_live)" = 1 ] && break; sleep 0.05; done
  [ "$(metric cchc_read_cache_live)" = 1 ] || fail "the read cache never went live (listener)"
fi

login desk_a
req -u desk_a POST /api/dossiers '{"unit":"P.A","procedure":"9.000001","applicant_name":"Lê Văn Tám","documents":[1]}'
expect 201 "receive"
CODE=$(field .code)

# the dossier and the session read twice: the second from the cache
# (three tries: a commit of the server's own, a worker's, between the two reads empties it)
for try in 1 2 3; do
  req -u desk_a GET "/api/dossiers/$CODE"
  expect 200 "first read"
  h0=$(metric cchc_read_cache_hits_total)
  req -u desk_a GET "/api/dossiers/$CODE"
  expect 200 "second read"
  [ "$(field .status)" = received ] || fail "status: $BODY_TEXT"
  FIRST=$BODY_TEXT
  h1=$(metric cchc_read_cache_hits_total)
  [ "$((h1 - h0))" -ge 2 ] && break
  [ "$try" = 3 ] && fail "the second read did not come from the cache (hits $h0 -> $h1)"
done
# another officer of the unit, and one outside its scope (the cached dossier is not theirs)
login leader_a
login desk_b
req -u leader_a GET "/api/dossiers/$CODE"
expect 200 "leader_a reads it"
[ "$BODY_TEXT" = "$FIRST" ] || fail "leader_a's page differs from desk_a's"
req -u desk_b GET "/api/dossiers/$CODE"
expect 404 not_found "desk_b (P.B) reads P.A's dossier"
req -u desk_b GET "/api/dossiers/$CODE"
expect 404 not_found "desk_b again (the answers kept are the scope's, not the page's)"

# a change through this server: seen by the next request
req -u desk_a POST "/api/dossiers/$CODE/advance" '{}'
expect 200 "advance"
req -u desk_a GET "/api/dossiers/$CODE"
[ "$(field .status)" = processing ] || fail "after the advance through the same server: $BODY_TEXT"
[ "$(field .step_name)" != null ] || fail "no step name: $BODY_TEXT"
req -u desk_a GET "/api/dossiers/$CODE" # cached again

# a change by another process (the CLI): the next request, or the notification's delay
"$CCHC" dossier pause "$CODE" --reason "Chờ xác minh" --db "$DB" >/dev/null || fail "pause by the CLI"
REQ='req -u desk_a GET "/api/dossiers/$CODE"'
seen "CLI pause" '[ "$(field .status)" = paused ]'
# a raw SQL change to the row (the applicant's address)
req -u desk_a GET "/api/dossiers/$CODE"
testdb_sql "$DB" "UPDATE dossiers SET applicant_address = 'Số 1 đường Mới' WHERE code = '$CODE'" >/dev/null
seen "SQL address" '[ "$(field .applicant.address)" = "Số 1 đường Mới" ]'
# a user disabled in SQL: its cached session ends
req -u leader_a GET /api/session
expect 200 "leader_a's session"
testdb_sql "$DB" "UPDATE users SET disabled = 1 WHERE username = 'leader_a'" >/dev/null
REQ='req -u leader_a GET /api/session'
seen "user disabled" '[ "$STATUS" = 401 ]'
# a session deleted behind the server's back (an administrator's SQL)
login specialist_a
req -u specialist_a GET "/api/dossiers/$CODE"
expect 200 "specialist_a"
req -u specialist_a GET "/api/dossiers/$CODE"
testdb_sql "$DB" "DELETE FROM sessions WHERE username = 'specialist_a'" >/dev/null
REQ='req -u specialist_a GET "/api/dossiers/$CODE"'
seen "session deleted" '[ "$STATUS" = 401 ]'
# list pages, kept whole until any dossier changes: a second read from the page cache, the
# scope's own page for another unit, and changes through the server and beside it
lstatus() { field ".dossiers[] | select(.code == \"$CODE\") | .status"; }
for try in 1 2 3; do # (three tries, as above; a new minute is a new key too)
  req -u desk_a GET "/api/dossiers?limit=20"
  p0=$(metric cchc_list_page_cache_hits_total)
  req -u desk_a GET "/api/dossiers?limit=20"
  expect 200 "the list again"
  [ "$(lstatus)" = paused ] || fail "the list's status: $BODY_TEXT"
  PAGE=$BODY_TEXT
  [ "$(($(metric cchc_list_page_cache_hits_total) - p0))" -ge 1 ] && break
  [ "$try" = 3 ] && fail "the second page did not come from the page cache"
done
req -u desk_a GET "/api/dossiers?limit=20&status=paused"
[ "$(field '.dossiers | length')" = 1 ] || fail "the paused filter (another key): $BODY_TEXT"
req -u desk_b GET "/api/dossiers?limit=20"
expect 200 "desk_b's list"
[ "$(field "[.dossiers[].code] | index(\"$CODE\")")" = null ] || fail "desk_b's page holds P.A's dossier: $BODY_TEXT"
# a dossier received by the CLI (another process) appears; one changed by SQL shows its change
# (with its event count moved, as every change moves it: the list entry cache keys on it)
"$CCHC" dossier receive --unit P.A --procedure 9.000001 --name "Đỗ Thị Chín" --db "$DB" >"$T/recv.out" || fail "receive by the CLI"
REQ='req -u desk_a GET "/api/dossiers?limit=20"'
seen "a dossier received by the CLI, in the list" '[ "$(field ".dossiers | length")" = 2 ]'
testdb_sql "$DB" "UPDATE dossiers SET status = 'processing', n_events = n_events + 1 WHERE code = '$CODE'" >/dev/null
seen "a status set in SQL, in the list" '[ "$(lstatus)" = processing ]'
testdb_sql "$DB" "UPDATE dossiers SET status = 'paused', n_events = n_events + 1 WHERE code = '$CODE'" >/dev/null
seen "the status set back in SQL, in the list" '[ "$(lstatus)" = paused ]'
[ "$BODY_TEXT" != "$PAGE" ] || fail "the page did not change with the new dossier"

# a sign-out through this server: at once on both backends
req -u desk_a GET "/api/dossiers/$CODE"
req -u desk_a DELETE /api/session
expect 200 "sign out"
req -u desk_a GET "/api/dossiers/$CODE"
expect 401 "the session signed out, used again"
# the unit tree changed by an import (another process): P.A moved under P.B, so desk_b (P.B)
# now sees P.A's dossier; the scope answers kept for it, and the server's copy of the units,
# are dropped with the change
login desk_a
printf 'code,name,kind,parent,valid_from,valid_to,successor,ident_code\nP.A,Phường An Bình,ward,P.B,2025-07-01,,,000.00.31.H99\n' >"$T/move.csv"
req -u desk_b GET "/api/dossiers/$CODE"
expect 404 "desk_b before the move"
for i in 1 2; do # the server's copy of the units (PostgreSQL: trusted while no '*' came)
  req GET /api/units/P.A
  [ "$(field .parent)" = P ] || fail "P.A's parent before the move: $BODY_TEXT"
done
if "$CCHC" import units "$T/move.csv" --db "$DB" >/dev/null 2>"$T/move.err"; then
  REQ='req -u desk_b GET "/api/dossiers/$CODE"'
  seen "P.A moved under P.B" '[ "$STATUS" = 200 ]'
  REQ='req GET /api/units/P.A'
  seen "P.A's new parent" '[ "$(field .parent)" = P.B ]'
else
  fail "moving P.A under P.B: $(cat "$T/move.err")"
fi

# the citizen's lookup, a POST that only reads (src/http/lookup.c): its answer and its three
# rate-limit rows kept; a dossier changed by another process and a lock set beside the server
# are seen as above (PostgreSQL: the lock's notification is migration 056's)
req -u desk_a POST /api/dossiers '{"unit":"P.A","procedure":"9.000001","applicant_name":"Trần Thị Mười","applicant_phone":"0912 345 678","documents":[1]}'
expect 201 "receive with a phone"
LC=$(field .code)
LOOK="{\"code\":\"$LC\",\"phone\":\"+84 912 345 678\"}"
req POST /api/lookup "{\"code\":\"$LC\",\"phone\":\"0912345679\"}"
expect 404 not_found "the wrong phone (its rate-limit rows are written)"
for try in 1 2 3; do # (three tries, as above)
  req POST /api/lookup "$LOOK"
  expect 200 "lookup"
  h0=$(metric cchc_read_cache_hits_total)
  req POST /api/lookup "$LOOK"
  expect 200 "lookup again"
  [ "$(field .status)/$(field .clock_stopped)/$(field .outcome)" = received/false/in_time ] ||
    fail "the lookup: $BODY_TEXT"
  h1=$(metric cchc_read_cache_hits_total)
  [ "$((h1 - h0))" -ge 4 ] && break # the answer and the three limit rows
  [ "$try" = 3 ] && fail "the second lookup did not come from the cache (hits $h0 -> $h1)"
done
req POST /api/lookup "{\"code\":\"$LC\",\"phone\":\"0912345679\"}"
expect 404 not_found "the wrong phone against a kept answer"
req POST /api/lookup "{\"code\":\"$LC\",\"id_suffix\":\"6789\"}"
expect 404 not_found "an ID suffix for an applicant without an ID number"
req POST /api/lookup "$LOOK" # kept again (the failures above were commits: they emptied it)
"$CCHC" dossier pause "$LC" --reason "Chờ xác minh" --db "$DB" >/dev/null || fail "pause by the CLI"
REQ='req POST /api/lookup "$LOOK"'
seen "CLI pause, in the lookup" '[ "$(field .status)/$(field .clock_stopped)/$(field ".stops | length")" = paused/true/1 ]'
req POST /api/lookup "$LOOK" # its limit rows kept again
LOCK=$(($(date +%s) + 600))
testdb_sql "$DB" "UPDATE rate_limits SET lock_until = $LOCK, lock_len = 600" >/dev/null
seen "a lock set in SQL" '[ "$STATUS" = 429 ]'
testdb_sql "$DB" "UPDATE rate_limits SET lock_until = 0, lock_len = 0" >/dev/null
seen "the lock ended in SQL" '[ "$STATUS" = 200 ]'

if testdb_is_pg; then
  # the listener's connection killed: off until it listens again, then emptied
  login desk_b
  req -u desk_b GET "/api/dossiers/$CODE"
  req -u desk_b GET "/api/dossiers/$CODE"
  l0=$(metric cchc_read_cache_listens_total)
  n=$(testdb_sql "$DB" "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'cchc-watch' AND datname = current_database()")
  [ "$n" -ge 1 ] || fail "no listening connection to kill"
  for i in $(seq 100); do [ "$(metric cchc_read_cache_listens_total)" -gt "$l0" ] && break; sleep 0.05; done
  [ "$(metric cchc_read_cache_listens_total)" -gt "$l0" ] || fail "the listener did not listen again"
  # while it was down nothing was kept; after, a change made now is notified again
  testdb_sql "$DB" "UPDATE dossiers SET applicant_address = 'Số 2 đường Mới' WHERE code = '$CODE'" >/dev/null
  REQ='req -u desk_b GET "/api/dossiers/$CODE"'
  seen "SQL after the listener's return" '[ "$(field .applicant.address)" = "Số 2 đường Mới" ]'
fi

if ! testdb_is_pg; then
  # SQLite with the data version read at most every second: the server's own changes are still
  # seen by the next request (its commit count), another process's within the second
  kill "$SERVER_PID"
  wait "$SERVER_PID" 2>/dev/null || true
  start_server --read-cache-check-ms 1000
  login desk_a
  login specialist_a
  req -u desk_a GET "/api/dossiers/$CODE"
  req -u desk_a GET "/api/dossiers/$CODE"
  [ "$(field .status)" = paused ] || fail "status before resume: $BODY_TEXT"
  req -u specialist_a POST "/api/dossiers/$CODE/resume" '{}'
  expect 200 "resume"
  req -u desk_a GET "/api/dossiers/$CODE"
  [ "$(field .status)" = processing ] || fail "after the resume through the same server (1 s check): $BODY_TEXT"
  req -u desk_a GET "/api/dossiers/$CODE"
  "$CCHC" dossier pause "$CODE" --reason "Chờ xác minh lần hai" --db "$DB" >/dev/null || fail "pause by the CLI"
  REQ='req -u desk_a GET "/api/dossiers/$CODE"'
  TRIES=40
  seen "CLI pause, 1 s check" '[ "$(field .status)" = paused ]'
  req -u desk_a DELETE /api/session
  expect 200 "sign out (1 s check)"
  req -u desk_a GET "/api/dossiers/$CODE"
  expect 401 "the session signed out, used again (1 s check)"
fi

# read_cache_mb = 0: the same page, no cache
login desk_a
req -u desk_a GET "/api/dossiers/$CODE"
req -u desk_a GET "/api/dossiers/$CODE"
expect 200 "the page with the cache"
WITH=$BODY_TEXT
kill "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
start_server --read-cache-mb 0
login desk_a
req -u desk_a GET "/api/dossiers/$CODE"
[ "$BODY_TEXT" = "$WITH" ] || fail "the page without the cache differs: $BODY_TEXT"
req GET /metrics
grep -q cchc_read_cache "$T/body" && fail "read cache metrics with read_cache_mb = 0"
echo "t-readcache: ok (another process's change seen, the request included, after:$SEEN_WAITS)"
