#!/usr/bin/env bash
# t-reform.sh — the CCHC plan pages (web/js/reform.js, agenda.js, action.js) in a real browser
# (reform.mjs: playwright-core driving Debian's chromium, headless) against `cchc demo` on a
# fresh database: the province's administrator adds a task to the province's plan on the page
# and splits it to two wards (Mỹ Tho, Cao Lãnh); Cao Lãnh's part is reported at 20 %; Mỹ Tho's
# leader reports 60 % on the page; the province then sees the task at (60 + 20) / 2 = 40 %,
# rolled up, with both wards' parts; from the 766 ranking on the dashboard the administrator
# makes a task for a weak unit, which then shows beside the figure and on the leaders' page.
# The store is checked for what the pages showed. Screenshots at 390 and 1366 px go to
# test-artifacts/browser-reform/.
# Same set-up as t-browser.sh (what scripts/deps.sh installs; bounded to 300 s).
set -euo pipefail
CCHC=${1:?usage: bash $0 PATH_TO_cchc}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
ART=$ROOT/test-artifacts/browser-reform
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
cp "$ROOT/web/js/reform.js" "$T/check.mjs"
node --check "$T/check.mjs" || fail "web/js/reform.js does not parse"

DB=$T/demo.db
CCHC_WEB=$ROOT/web "$CCHC" demo --db "$DB" --dossiers 100 --port 0 --port-file "$T/port" --slow-ms 0 \
  >"$T/server.out" 2>"$T/server.err" &
SERVER_PID=$!
for _ in $(seq 600); do
  [ -s "$T/port" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || fail "cchc demo exited at start: $(cat "$T/server.out")"
  sleep 0.1
done
[ -s "$T/port" ] || fail "cchc demo did not start within 60 s"
BASE=http://127.0.0.1:$(cat "$T/port")

TODAY=$(TZ=Asia/Ho_Chi_Minh date +%F)
reform() { "$CCHC" reform "$@" --db "$DB" --actor t-reform; }

rm -rf "$ART"
mkdir -p "$ART"
rc=0
timeout --kill-after=5 300 node "$HERE/reform.mjs" "$BASE" "$ART" "$CHROMIUM" || rc=$?
[ $rc = 124 ] && echo "FAIL: the browser run took longer than 300 s" >&2
[ $rc = 0 ] || fail "browser checks failed (exit $rc); screenshots in $ART"
# what the pages showed is what the store holds: the task made on the page, split on the page,
# rolled up; the task made from the 766 ranking, in the province's plan, owned by the weak unit
TOP=$(sed -n 's/^top=//p' "$ART/ids.txt")
reform task show "$TOP" | head -1 | cut -f8 | grep -qx '40%' || fail "the store's roll-up: $(reform task show "$TOP")"
[ "$(reform task show "$TOP" | awk -F'\t' 'NR > 1 && $1 ~ /^[0-9]+$/' | wc -l)" -ge 2 ] || fail "two child tasks: $(reform task show "$TOP")"
FIG=$(sed -n 's/^figure=//p' "$ART/ids.txt")
reform task show "$FIG" | head -1 | grep -q "Cải thiện điểm" || fail "the task made from the ranking: $(reform task show "$FIG")"
kill -TERM "$SERVER_PID"
wait "$SERVER_PID" || fail "cchc demo exited with status $? after SIGTERM"
SERVER_PID=
echo "ok t-reform (screenshots: $ART)"
