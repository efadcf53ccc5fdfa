# lib.sh — the set-up every browser test shares, sourced by tests/browser/t-*.sh: the tools
# scripts/deps.sh installs (a missing one is a failure, not a skip), the web scripts under test
# parse, a real server on a free loopback port on a fresh database, the browser run bounded in
# time, and the server stopped by SIGTERM as in production (it must exit cleanly within 10 s).
#
#   source "$(dirname "$0")/lib.sh" NAME "$1"    # ART=test-artifacts/browser-NAME, T, fail()
#   browser_check_js feedback.js …                # each web/js file parses
#   start_demo [cchc demo options…]               # BASE, SERVER_PID; the database is $T/demo.db
#   run_browser feedback.mjs [extra arguments…]   # node SCRIPT BASE ART CHROMIUM …, 300 s at most
#   stop_server
set -euo pipefail
CCHC=${2:?usage: bash t-NAME.sh PATH_TO_cchc}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
ART=$ROOT/test-artifacts/browser-$1
T=$(mktemp -d)
SERVER_PID=
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
# The tests read and write the demo's database beside the running server, whose writes (the
# reminder and notification workers, a page's request) hold SQLite's write lock for moments:
# wait for it (10 s) instead of failing with "database is locked" (a CI run of t-eloop did).
sqlite3() { command sqlite3 -cmd '.timeout 10000' "$@"; }
[ -x "$CHROMIUM" ] || fail "$CHROMIUM missing (scripts/deps.sh installs Debian's chromium)"
command -v node >/dev/null || fail "node missing (scripts/deps.sh installs nodejs)"
[ -d "$HERE/node_modules/playwright-core" ] || fail "tests/browser/node_modules missing (scripts/deps.sh runs npm ci)"

browser_check_js() {
  local f
  for f in "$@"; do
    cp "$ROOT/web/js/$f" "$T/check.mjs"
    node --check "$T/check.mjs" || fail "web/js/$f does not parse"
  done
}

# start_server COMMAND…: runs a server that writes its port to $T/port; waits for it (60 s).
start_server() {
  "$@" >"$T/server.out" 2>"$T/server.err" &
  SERVER_PID=$!
  for _ in $(seq 600); do
    [ -s "$T/port" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || fail "the server exited at start: $(cat "$T/server.out")"
    sleep 0.1
  done
  [ -s "$T/port" ] || fail "the server did not start within 60 s"
  BASE=http://127.0.0.1:$(cat "$T/port")
}

start_demo() {
  start_server env CCHC_WEB="$ROOT/web" "$CCHC" demo --db "$T/demo.db" --dossiers 100 --port 0 \
    --port-file "$T/port" --slow-ms 0 "$@"
}

run_browser() {
  local script=$1 rc=0
  shift
  rm -rf "$ART"
  mkdir -p "$ART"
  timeout --kill-after=5 300 node "$HERE/$script" "$BASE" "$ART" "$CHROMIUM" "$@" || rc=$?
  [ $rc = 124 ] && echo "FAIL: the browser run took longer than 300 s" >&2
  [ $rc = 0 ] || fail "browser checks failed (exit $rc); screenshots in $ART"
}

stop_server() {
  kill -TERM "$SERVER_PID"
  for _ in $(seq 200); do
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.05
  done
  kill -0 "$SERVER_PID" 2>/dev/null && fail "the server is still running 10 s after SIGTERM"
  wait "$SERVER_PID" || fail "the server exited with status $? after SIGTERM"
  SERVER_PID=
  echo "screenshots: $ART"
}
