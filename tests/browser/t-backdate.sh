#!/usr/bin/env bash
# t-backdate.sh — the "ghi lùi thời gian" mark in a real browser (backdate.mjs: playwright-core
# driving Debian's chromium, headless): a dossier received three days ago (written by the CLI
# replaying the past) and at its last step, finished by the demo leader with a claimed time of
# that day and a reason (the desk officer's backdated request is refused), shows in its history the mark with the claimed and the recorded time. The server runs
# with the default backdating tolerance. Set-up as t-browser.sh (a small `cchc demo`).
# Usage: bash tests/browser/t-backdate.sh PATH_TO_cchc
set -euo pipefail
CCHC=${1:?usage: bash $0 PATH_TO_cchc}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
ART=$ROOT/test-artifacts/browser-backdate
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

DB=$T/demo.db
CCHC_WEB=$ROOT/web "$CCHC" demo --db "$DB" --dossiers 20 --port 0 --port-file "$T/port" --slow-ms 0 \
  --backdate-tolerance 0 >"$T/server.out" 2>"$T/server.err" &
SERVER_PID=$!
for _ in $(seq 600); do
  [ -s "$T/port" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || fail "cchc demo exited at start: $(cat "$T/server.out")"
  sleep 0.1
done
[ -s "$T/port" ] || fail "cchc demo did not start within 60 s"
BASE=http://127.0.0.1:$(cat "$T/port")

# the past, replayed by the operator's CLI (no tolerance): received and at its first step
day=$(TZ=Asia/Ho_Chi_Minh date -d "3 days ago" +%F)
export CCHC_BACKDATE_TOLERANCE=off
CODE=$("$CCHC" dossier receive --unit DT.MYTHO --procedure 1.001193 --name "Trần Văn Ghi Lùi" \
  --at "${day}T08:00" --actor motcua.mytho --db "$DB" | awk -F'\t' '/^Mã hồ sơ:/ {print $2}')
[ -n "$CODE" ] || fail "setup: receive"
for t in 08:30 08:40 08:50 09:00; do # to the last of the procedure's 4 steps
  "$CCHC" dossier advance "$CODE" --at "${day}T$t" --officer lanhdao.mytho --actor motcua.mytho \
    --db "$DB" >/dev/null || fail "setup: advance at $t"
done

rm -rf "$ART"
mkdir -p "$ART"
rc=0
CCHC_CODE=$CODE CCHC_DAY=$day timeout --kill-after=5 300 node "$HERE/backdate.mjs" "$BASE" "$ART" "$CHROMIUM" || rc=$?
[ $rc = 0 ] || fail "browser checks failed (exit $rc); screenshots in $ART"
echo "ok t-backdate (browser); screenshot in $ART"
