#!/usr/bin/env bash
# t-two-servers.sh — two `cchc serve` processes on one database (an SQLite file, or with
# CCHC_TEST_BACKEND=pg one PostgreSQL database), as behind a load balancer: a session made on
# one server is valid on the other (sessions live in the database), a sign-out on one ends it
# on both, and writers on both at once lose nothing — every dossier either server
# acknowledged is there, the audit chain verifies, and the statistics counters kept as the
# changes came equal a recount from the dossiers (no lost update between processes).
source "$(dirname "$0")/lib.sh" "$1"
setup_db
start_server
A=$BASE A_PID=$SERVER_PID
start_server
B=$BASE
SERVER_PID_B=$SERVER_PID SERVER_PID=$A_PID
trap 'kill "$SERVER_PID_B" 2>/dev/null; cleanup' EXIT

BASE=$A
login desk_a
BASE=$B
req -u desk_a GET /api/session
expect 200 "a session made on server A, used on server B"
BASE=$A
login desk_b

# writer SERVER USER UNIT: receives and advances dossiers for 4 s on SERVER
writer() {
  local base=$1 user=$2 unit=$3 n=0 end=$((SECONDS + 4)) code
  while [ "$SECONDS" -lt "$end" ] || [ "$n" -lt 4 ]; do
    n=$((n + 1))
    code=$(curl -s --max-time 20 -b "$T/$user.jar" -H "X-CSRF-Token: $(cat "$T/$user.csrf")" \
      -H 'Content-Type: application/json' -w '\n%{http_code}' \
      -d "{\"unit\":\"$unit\",\"procedure\":\"9.000001\",\"applicant_name\":\"Người Thứ $n\",\"documents\":[1,2]}" \
      "$base/api/dossiers")
    [ "${code##*$'\n'}" = 201 ] || { echo "receive on $base: $code" >>"$T/errors"; continue; }
    code=$(jq -r .code <<<"${code%$'\n'*}")
    echo "$code" >>"$T/codes"
    local st
    st=$(curl -s --max-time 20 -o /dev/null -w '%{http_code}' -b "$T/$user.jar" \
      -H "X-CSRF-Token: $(cat "$T/$user.csrf")" -H 'Content-Type: application/json' -d '{}' \
      "$base/api/dossiers/$code/advance")
    [ "$st" = 200 ] || echo "advance $code on $base: $st" >>"$T/errors"
  done
}
writer "$A" desk_a P.A &
w1=$!
writer "$B" desk_a P.A &
w2=$!
writer "$B" desk_b P.B &
w3=$!
wait $w1 $w2 $w3
[ -s "$T/errors" ] && fail "requests failed with two servers: $(sort "$T/errors" | uniq -c | head -5)"
n=$(sort -u "$T/codes" | wc -l)
[ "$n" -eq "$(wc -l <"$T/codes")" ] || fail "two servers issued the same dossier code"
[ "$n" -ge 12 ] || fail "only $n dossiers written"
# every acknowledged dossier is there, advanced
BASE=$A
while read -r code; do
  req -u desk_a GET "/api/dossiers/$code" 2>/dev/null
  [ "$STATUS" = 200 ] || { req -u desk_b GET "/api/dossiers/$code"; }
  [ "$STATUS" = 200 ] || fail "acknowledged dossier $code missing"
  [ "$(field .status)" = processing ] || fail "$code not advanced: $(field .status)"
done <"$T/codes"
"$CCHC" audit verify --db "$DB" >"$T/audit" 2>&1 || fail "audit after two servers: $(cat "$T/audit")"
# the counters kept change by change equal a recount
"$CCHC" stats show --period 2026 --unit P --db "$DB" >"$T/before" 2>&1
"$CCHC" stats rebuild --db "$DB" >/dev/null 2>&1 || fail "stats rebuild"
"$CCHC" stats show --period 2026 --unit P --db "$DB" >"$T/after" 2>&1
cmp -s "$T/before" "$T/after" || fail "counters lost an update: $(diff "$T/before" "$T/after" | head -4)"

# a sign-out on B ends the session on A too
BASE=$B
req -u desk_a DELETE /api/session
expect 200 "sign out on B"
BASE=$A
req -u desk_a GET /api/session
expect 401 "the session ended on B, used on A"
echo "t-two-servers: ok ($n dossiers on two servers)"
