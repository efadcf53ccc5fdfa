#!/usr/bin/env bash
# t-notify.sh — the notifications page in a real browser (notify.mjs: playwright-core and
# Debian's chromium) against a fresh `cchc demo` whose messages go to a loopback sink: the
# administrator sees the outbox counted by state in Vietnamese, one dead letter, replays it and
# the delivery thread sends it to the sink. Screenshots go to test-artifacts/browser/notify-*.png.
# Usage: bash tests/browser/t-notify.sh PATH_TO_cchc
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
# the demo's year of messages is put aside first: only what this test makes is delivered
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
# one dead letter: a received dossier whose SMS the gateway refused for good
"$CCHC" dossier receive --unit DT.MYTHO --procedure 1.004873 --name "Lê Văn Tám" --phone 0912345678 \
  --actor motcua.mytho --db "$DB" >/dev/null
sqlite3 "$DB" "UPDATE outbox SET state = 'sent' WHERE state IN ('pending', 'failed');
  UPDATE outbox SET state = 'dead', attempts = 8, reason = 'sms: gateway answered HTTP 400'
  WHERE id = (SELECT max(id) FROM outbox)"
dead_id=$(sqlite3 "$DB" "SELECT id FROM outbox WHERE state = 'dead'")
mkdir -p "$ART"
rc=0
timeout --kill-after=5 300 node "$HERE/notify.mjs" "$BASE" "$ART" "$CHROMIUM" "$dead_id" || rc=$?
[ $rc = 0 ] || fail "browser checks failed (exit $rc); screenshots in $ART"
[ "$(sqlite3 "$DB" "SELECT state || attempts FROM outbox WHERE id = $dead_id")" = pending0 ] || fail "not replayed"
"$CCHC" notify run --once --db "$DB" --notify-sink "$SINK" >/dev/null
grep -q '"event":"received"' "$SINK" && [ "$(wc -l <"$SINK")" = 1 ] || fail "the replayed message was not sent: $(cat "$SINK" 2>/dev/null)"
echo "ok t-notify (browser)"
