#!/usr/bin/env bash
# t-survey.sh — the survey pages (web/js/survey.js) in a real browser (survey.mjs: playwright-core
# driving Debian's chromium, headless) against `cchc demo` on a fresh database: a survey round
# of Mỹ Tho's returned dossiers is created with the CLI, as the home-affairs office would; a
# citizen opens the one-time link on a phone (390 px), answers with the keyboard and taps, and
# sees the thanks; the link then says it was used; Mỹ Tho's leader sees the round's result for
# the ward (1 response, flagged below the minimum sample) and its per-question figures; the
# public results page shows it without an account. Screenshots go to
# test-artifacts/browser-survey/.
# The set-up is lib.sh's (what scripts/deps.sh installs; bounded to 300 s).
source "$(dirname "$0")/lib.sh" survey "${1:-}"
browser_check_js survey.js
start_demo
DB=$T/demo.db

# A round over Mỹ Tho's units that returned dossiers in the last year, tokens kept for the test.
TODAY=$(TZ=Asia/Ho_Chi_Minh date +%F)
FROM=$(date -d "$TODAY -364 days" +%F)
UNIT=$(sqlite3 "$DB" "SELECT unit_code FROM dossiers WHERE status = 'returned' AND unit_code LIKE 'DT.MYTHO%' GROUP BY unit_code ORDER BY count(*) DESC LIMIT 1")
[ -n "$UNIT" ] || fail "the demo has no returned dossier in Mỹ Tho"
"$CCHC" survey round create BT --set sipas-2023.tsv --from "$FROM" --to "$TODAY" --seed 9 --unit "$UNIT" \
  --db "$DB" --tokens "$T/tok.csv" --actor t-survey >/dev/null || fail "survey round"
TOKEN=$(sed -n 2p "$T/tok.csv" | awk -F, '{print $(NF-1)}')
[ ${#TOKEN} = 26 ] || fail "no token: $(head -3 "$T/tok.csv")"

CCHC_TOKEN=$TOKEN CCHC_UNIT=$UNIT run_browser survey.mjs
# what the page recorded is in the store, anonymously
[ "$(sqlite3 "$DB" "SELECT count(*) FROM survey_responses WHERE round = 'BT'")" = 1 ] || fail "no response stored"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM survey_invitations WHERE round = 'BT' AND answered = 1 AND dossier_code IS NULL")" = 1 ] ||
  fail "the answered invitation keeps its dossier"
stop_server
echo "ok t-survey"
