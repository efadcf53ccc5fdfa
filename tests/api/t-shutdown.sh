#!/usr/bin/env bash
# t-shutdown.sh — graceful stop: a request still uploading its body when SIGTERM arrives is
# finished and answered, new connections are refused, the server exits 0 and the database is
# left closed and consistent (the dossier that request created is there afterwards).
source "$(dirname "$0")/lib.sh" "$1"
setup_db
start_server
login desk_a
# A valid body padded with 6 KB of JSON white space, sent at 4 KB/s: about 1.5 s in flight.
pad=$(head -c 6000 /dev/zero | tr '\0' ' ')
printf '{"unit":"P.A",%s"procedure":"9.000001","applicant_name":"Chậm Rãi"}' "$pad" >"$T/slow.json"
curl -s -o "$T/slow.out" -w '%{http_code}' --max-time 20 --limit-rate 4k -b "$T/desk_a.jar" \
  -H "X-CSRF-Token: $(cat "$T/desk_a.csrf")" -H 'Content-Type: application/json' \
  --data-binary @"$T/slow.json" "$BASE/api/dossiers" >"$T/slow.status" &
CURL=$!
sleep 0.5
kill -TERM "$SERVER_PID"
sleep 0.3
set +e
curl -s -o /dev/null --max-time 2 "$BASE/healthz"; rc=$?
set -e
[ $rc -ne 0 ] || fail "a new connection was accepted after SIGTERM"
wait "$CURL" || true
[ "$(cat "$T/slow.status")" = 201 ] ||
  fail "the in-flight request got '$(cat "$T/slow.status")': $(cat "$T/slow.out")"
for _ in $(seq 200); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.05; done
kill -0 "$SERVER_PID" 2>/dev/null && fail "still running 10 s after SIGTERM"
wait "$SERVER_PID" || fail "exit status $? after SIGTERM"
SERVER_PID=
grep -q "stopped" "$T/server.out" || fail "no clean stop message"
code=$(jq -r .code "$T/slow.out")
"$CCHC" dossier show "$code" --db "$DB" >"$T/show" || fail "the dossier answered 201 is missing"
"$CCHC" audit verify --db "$DB" >/dev/null || fail "audit chain broken after the stop"
echo "ok t-shutdown"
