#!/usr/bin/env bash
# t-efile.sh — online filing in a real browser (efile.mjs: playwright-core and Debian's
# chromium) against a fresh `cchc demo`: a citizen on a 390 px phone confirms the phone by the
# one-time code delivered to a loopback sink (`cchc notify run --notify-sink`), files a fully
# online procedure, sees a text file renamed .pdf refused next to its document, uploads a real
# PDF, submits and gets the dossier code; the desk officer finds it in the online dossiers to
# check, opens its document and receives it. Screenshots go to test-artifacts/browser/efile-*.png.
# Usage: bash tests/browser/t-efile.sh PATH_TO_cchc
set -euo pipefail
CCHC=${1:?usage: bash $0 PATH_TO_cchc}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
ART=$ROOT/test-artifacts/browser
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
# sqlite3 beside the running server waits for its write lock (10 s), as lib.sh's does: the
# demo's workers hold it for moments (an ASan run of t-efile met "database is locked")
sqlite3() { command sqlite3 -cmd '.timeout 10000' "$@"; }
[ -x "$CHROMIUM" ] || fail "$CHROMIUM missing (scripts/deps.sh installs Debian's chromium)"
command -v node >/dev/null || fail "node missing (scripts/deps.sh installs nodejs)"
[ -d "$HERE/node_modules/playwright-core" ] || fail "tests/browser/node_modules missing (scripts/deps.sh runs npm ci)"



DB=$T/demo.db
SINK=$T/sink.jsonl
# no delivery thread: the test delivers the one-time code itself, as t-notify.sh does
CCHC_WEB=$ROOT/web "$CCHC" demo --db "$DB" --dossiers 20 --port 0 --port-file "$T/port" --slow-ms 0 \
  --notify-worker=false >"$T/server.out" 2>"$T/server.err" &
SERVER_PID=$!
for _ in $(seq 600); do
  [ -s "$T/port" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || fail "cchc demo exited at start: $(cat "$T/server.out")"
  sleep 0.1
done
[ -s "$T/port" ] || fail "cchc demo did not start within 60 s"
BASE=http://127.0.0.1:$(cat "$T/port")
# the demo's year of messages is put aside: only the code this test asks for reaches the sink
sqlite3 "$DB" "UPDATE outbox SET state = 'sent' WHERE state IN ('pending', 'failed')"
mkdir -p "$ART"
rc=0
timeout --kill-after=5 300 node "$HERE/efile.mjs" "$BASE" "$ART" "$CHROMIUM" "$CCHC" "$DB" "$SINK" "$T/code" || rc=$?
[ $rc = 0 ] || fail "browser checks failed (exit $rc); screenshots in $ART"
code=$(cat "$T/code")
[ "$(sqlite3 "$DB" "SELECT channel || ' ' || status FROM dossiers WHERE code = '$code'")" = "online received" ] ||
  fail "dossier $code is not an online dossier received"
echo "ok t-efile (browser): $code"
