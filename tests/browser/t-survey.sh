#!/usr/bin/env bash
# t-survey.sh — the survey pages (web/js/survey.js) in a real browser (survey.mjs: playwright-core
# driving Debian's chromium, headless) against `cchc demo` on a fresh database: a survey round
# of Mỹ Tho's returned dossiers is created with the CLI, as the home-affairs office would; a
# citizen opens the one-time link on a phone (390 px), answers with the keyboard and taps, and
# sees the thanks; the link then says it was used; Mỹ Tho's leader sees the round's result for
# the ward (1 response, flagged below the minimum sample) and its per-question figures; the
# public results page shows it without an account. Screenshots go to
# test-artifacts/browser-survey/.
# Same set-up as t-browser.sh (what scripts/deps.sh installs; bounded to 300 s).
set -euo pipefail
CCHC=${1:?usage: bash $0 PATH_TO_cchc}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
ART=$ROOT/test-artifacts/browser-survey
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
cp "$ROOT/web/js/survey.js" "$T/check.mjs"
node --check "$T/check.mjs" || fail "web/js/survey.js does not parse"

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

# A round over Mỹ Tho's units that returned dossiers in the last year, tokens kept for the test.
TODAY=$(TZ=Asia/Ho_Chi_Minh date +%F)
FROM=$(date -d "$TODAY -364 days" +%F)
UNIT=$(sqlite3 "$DB" "SELECT unit_code FROM dossiers WHERE status = 'returned' AND unit_code LIKE 'DT.MYTHO%' GROUP BY unit_code ORDER BY count(*) DESC LIMIT 1")
[ -n "$UNIT" ] || fail "the demo has no returned dossier in Mỹ Tho"
"$CCHC" survey round create BT --set sipas-2023.tsv --from "$FROM" --to "$TODAY" --seed 9 --unit "$UNIT" \
  --db "$DB" --tokens "$T/tok.csv" --actor t-survey >/dev/null || fail "survey round"
TOKEN=$(sed -n 2p "$T/tok.csv" | awk -F, '{print $(NF-1)}')
[ ${#TOKEN} = 26 ] || fail "no token: $(head -3 "$T/tok.csv")"

rm -rf "$ART"
mkdir -p "$ART"
rc=0
CCHC_TOKEN=$TOKEN CCHC_UNIT=$UNIT timeout --kill-after=5 300 \
  node "$HERE/survey.mjs" "$BASE" "$ART" "$CHROMIUM" || rc=$?
[ $rc = 124 ] && echo "FAIL: the browser run took longer than 300 s" >&2
[ $rc = 0 ] || fail "browser checks failed (exit $rc); screenshots in $ART"
# what the page recorded is in the store, anonymously
[ "$(sqlite3 "$DB" "SELECT count(*) FROM survey_responses WHERE round = 'BT'")" = 1 ] || fail "no response stored"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM survey_invitations WHERE round = 'BT' AND answered = 1 AND dossier_code IS NULL")" = 1 ] ||
  fail "the answered invitation keeps its dossier"
kill -TERM "$SERVER_PID"
wait "$SERVER_PID" || fail "cchc demo exited with status $? after SIGTERM"
SERVER_PID=
echo "ok t-survey (screenshots: $ART)"
