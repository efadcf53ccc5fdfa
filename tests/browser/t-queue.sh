#!/usr/bin/env bash
# t-queue.sh — the desk queue in a real browser (queue.mjs: playwright-core
# driving Debian's chromium) against `cchc demo` on a fresh database: a citizen takes a
# number on a phone, the officer calls it at a counter, the hall display shows it and speaks
# it in Vietnamese. The set-up is t-browser.sh's. Screenshots go to test-artifacts/browser-queue/ (gitignored).
# Usage: bash tests/browser/t-queue.sh PATH_TO_cchc
set -euo pipefail
CCHC=${1:?usage: bash $0 PATH_TO_cchc}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
ART=$ROOT/test-artifacts/browser-queue
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
[ -x "$CHROMIUM" ] || fail "$CHROMIUM missing (scripts/deps.sh installs Debian's chromium)"
command -v node >/dev/null || fail "node missing (scripts/deps.sh installs nodejs)"
[ -d "$HERE/node_modules/playwright-core" ] || fail "tests/browser/node_modules missing (scripts/deps.sh runs npm ci)"
cp "$ROOT/web/js/queue.js" "$T/check.mjs"
node --check "$T/check.mjs" || fail "web/js/queue.js does not parse"

CCHC_WEB=$ROOT/web "$CCHC" demo --db "$T/demo.db" --dossiers 100 --port 0 --port-file "$T/port" --slow-ms 0 \
  >"$T/server.out" 2>"$T/server.err" &
SERVER_PID=$!
for _ in $(seq 600); do
  [ -s "$T/port" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || fail "cchc demo exited at start: $(cat "$T/server.out")"
  sleep 0.1
done
[ -s "$T/port" ] || fail "cchc demo did not start within 60 s"
BASE=http://127.0.0.1:$(cat "$T/port")
rm -rf "$ART"
mkdir -p "$ART"
rc=0
timeout --kill-after=5 300 node "$HERE/queue.mjs" "$BASE" "$ART" "$CHROMIUM" || rc=$?
[ $rc = 124 ] && echo "FAIL: the browser run took longer than 300 s" >&2
[ $rc = 0 ] || fail "browser checks failed (exit $rc); screenshots in $ART"
kill -TERM "$SERVER_PID"
for _ in $(seq 200); do
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.05
done
kill -0 "$SERVER_PID" 2>/dev/null && fail "cchc demo still running 10 s after SIGTERM"
wait "$SERVER_PID" || fail "cchc demo exited with status $? after SIGTERM"
SERVER_PID=
echo "screenshots: $ART"
