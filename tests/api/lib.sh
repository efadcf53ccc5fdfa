# lib.sh — shared by tests/api/t*.sh: a fresh database with the fixtures of tests/data/api,
# one user per role, the real `cchc serve` on a free loopback port (killed by the EXIT trap),
# and curl helpers that keep the status and body of the last request.
# Usage in a test: source "$(dirname "$0")/lib.sh" "$1"
set -euo pipefail
CCHC=${1:?usage: bash $0 PATH_TO_cchc}
DATA=${CCHC_TESTDATA:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../data" && pwd)}/api
T=$(mktemp -d)
source "$(dirname "${BASH_SOURCE[0]}")/../lib/testdb.sh"
DB=$(testdb "$T/cchc.db")
SERVER_PID=
PASS=mat-khau-thu-nghiem
METRICS_TOKEN=metrics-token-for-tests # /metrics is off without one (docs/http.md)
# The fixtures replay 2025: no claimed time is backdated, for the server (start_server's
# --backdate-tolerance) and the CLI alike; t-backdate.sh sets the tolerance itself.
export CCHC_BACKDATE_TOLERANCE=off
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$T"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  [ -f "$T/server.err" ] && sed 's/^/  server: /' "$T/server.err" | tail -20 >&2
  exit 1
}

# setup_db: the fixture units and procedures, and users ROLE_a (unit P.A) for every role,
# desk_b / lead_b (unit P.B), admin_p (unit P), citizen (no unit).
setup_db() {
  "$CCHC" init --db "$DB" >/dev/null
  "$CCHC" import units "$DATA/units.csv" --db "$DB" >/dev/null
  "$CCHC" import procedures "$DATA/procedures.csv" --db "$DB" >/dev/null
  local u
  for u in desk_officer:P.A specialist:P.A leader:P.A par_assessor:P.A admin:P.A \
           desk_officer:P.B leader:P.B admin:P; do
    local role=${u%%:*} unit=${u#*:}
    local name=${role}_a
    [ "$unit" = P.B ] && name=${role}_b
    [ "$unit" = P ] && name=${role}_p
    echo "$PASS" | "$CCHC" user add --db "$DB" --username "${name//_officer/}" --role "$role" --name "Cán bộ ${name//_officer/}" \
      --unit "$unit" >/dev/null
  done
  echo "$PASS" | "$CCHC" user add --db "$DB" --username citizen --role citizen >/dev/null
}

# start_server [FLAGS…]: serves $DB on a free port; sets BASE.
start_server() {
  rm -f "$T/port"
  "$CCHC" serve --db "$DB" --port 0 --port-file "$T/port" --slow-ms 0 --metrics-token "$METRICS_TOKEN" \
    --backdate-tolerance "$CCHC_BACKDATE_TOLERANCE" "$@" \
    >"$T/server.out" 2>"$T/server.err" &
  SERVER_PID=$!
  local i
  for i in $(seq 100); do
    [ -s "$T/port" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || fail "cchc serve exited at start"
    sleep 0.05
  done
  [ -s "$T/port" ] || fail "cchc serve did not start within 5 s"
  BASE=http://127.0.0.1:$(cat "$T/port")
}

# stop_server: SIGTERM, and the exit status must be 0 within 10 s.
stop_server() {
  kill -TERM "$SERVER_PID"
  local i
  for i in $(seq 200); do
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.05
  done
  kill -0 "$SERVER_PID" 2>/dev/null && fail "cchc serve still running 10 s after SIGTERM"
  wait "$SERVER_PID" || fail "cchc serve exited with status $? after SIGTERM"
  SERVER_PID=
}

# req [-u USER] [-n] METHOD PATH [BODY]: one request; -u sends USER's session cookie and CSRF
# token, -n leaves the CSRF header out; $ACCEPT_LANGUAGE, when set, goes in Accept-Language.
# Sets STATUS; the body is in $T/body (BODY_TEXT too).
req() {
  local user= csrf=1
  while [ "${1:0:1}" = - ]; do
    case $1 in
      -u) user=$2; shift 2 ;;
      -n) csrf=; shift ;;
    esac
  done
  local method=$1 path=$2 body=${3-}
  local args=(-s -o "$T/body" -w '%{http_code}' --max-time 10 -X "$method")
  if [ -n "$user" ]; then
    args+=(-b "$T/$user.jar")
    [ -n "$csrf" ] && args+=(-H "X-CSRF-Token: $(<"$T/$user.csrf")")
  fi
  [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
  [ "${path%%\?*}" = /metrics ] && args+=(-H "Authorization: Bearer $METRICS_TOKEN")
  [ -n "${ACCEPT_LANGUAGE:-}" ] && args+=(-H "Accept-Language: $ACCEPT_LANGUAGE")
  STATUS=$(curl "${args[@]}" "$BASE$path") || STATUS=000
  BODY_TEXT=$(<"$T/body") # (no cat: a test makes thousands of requests, each fork counts)
}

# login USER: signs in, keeping the cookie jar and CSRF token under $T.
login() {
  curl -s --max-time 10 -c "$T/$1.jar" -o "$T/login.json" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"$PASS\"}" "$BASE/api/session"
  jq -er .csrf "$T/login.json" >"$T/$1.csrf" || fail "login $1: $(cat "$T/login.json")"
}

# citizen_login NAME CONTACT [VERIFY_BASE]: a citizen's session in $T/NAME.jar (and an empty
# $T/NAME.csrf), confirmed by the one-time code the server wrote to the outbox; the code is
# asked for at $BASE and confirmed at VERIFY_BASE (default $BASE: another server of the same
# database may confirm it).
citizen_login() {
  local name=$1 contact=$2 vbase=${3:-$BASE} otp
  curl -s --max-time 30 -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"contact\":\"$contact\"}" "$BASE/api/public/otp"
  otp=$(testdb_sql "$DB" "SELECT vars FROM outbox WHERE event = 'otp' AND recipient = '$contact' ORDER BY id DESC LIMIT 1" |
    sed -n 's/^otp\t//p')
  curl -s --max-time 30 -c "$T/$name.jar" -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"contact\":\"$contact\",\"code\":\"$otp\"}" "$vbase/api/public/otp/verify"
  grep -q cchc "$T/$name.jar" || fail "no citizen session for $contact"
  : >"$T/$name.csrf"
}

# expect STATUS [ERROR_CODE] WHAT: checks the last answer.
expect() {
  local want=$1 code=
  [ $# -ge 3 ] && { code=$2; shift; }
  local what=$2
  [ "$STATUS" = "$want" ] || fail "$what: status $STATUS, expected $want: $BODY_TEXT"
  if [ -n "$code" ]; then
    # one jq for both checks: the error's code, and whether it has a field and a message
    local got ok
    got=$(jq -r '[(.error.code // "null" | tostring),
                  ((.error // {}) | has("field") and (.message // "" | length > 0))] | @tsv' \
      "$T/body" 2>/dev/null) || got=
    ok=${got#*$'\t'} got=${got%%$'\t'*}
    [ "$got" = "$code" ] || fail "$what: error code '$got', expected '$code': $BODY_TEXT"
    [ "$ok" = true ] || fail "$what: the error object lacks field or message: $BODY_TEXT"
  fi
}

# field JQ_EXPR: prints a value of the last body.
field() { jq -r "$1" "$T/body"; }

# until_seen TRIES WHAT CHECK: runs the request $REQ (a req command line) and then the shell
# test CHECK until CHECK holds, at most TRIES times 50 ms apart (what another process changed
# shows on a server once its read cache hears of it, docs/scale.md "The read cache"); fails
# naming WHAT, else appends " WHAT:N ms" (the wait, the requests included) to SEEN_WAITS.
SEEN_WAITS=""
until_seen() {
  local tries=$1 what=$2 check=$3 start i
  start=$(date +%s%N)
  for i in $(seq "$tries"); do
    eval "$REQ"
    if eval "$check"; then
      SEEN_WAITS="$SEEN_WAITS $what:$((($(date +%s%N) - start) / 1000000))ms"
      return 0
    fi
    sleep 0.05
  done
  fail "$what: not seen within $tries tries 50 ms apart: $BODY_TEXT"
}
