#!/usr/bin/env bash
# t-survey3.sh — DDCI's businesses on a round's page (web/js/survey3.js) in a real browser
# (survey3.mjs) against `cchc demo`: a DDCI round is created with the CLI for another unit; the
# ward's leader imports a list with problems, then a good one. Screenshots go to
# test-artifacts/browser-survey3/.
source "$(dirname "$0")/lib.sh" survey3 "${1:-}"
browser_check_js survey3.js
start_demo
DB=$T/demo.db
TODAY=$(TZ=Asia/Ho_Chi_Minh date +%F)
FROM=$(date -d "$TODAY -364 days" +%F)
UNIT=$(sqlite3 "$DB" "SELECT unit_code FROM dossiers WHERE status = 'returned' AND unit_code LIKE 'DT.MYTHO%' GROUP BY unit_code ORDER BY count(*) DESC LIMIT 1")
[ -n "$UNIT" ] || fail "the demo has no returned dossier in Mỹ Tho"
"$CCHC" survey round create DB --set ddci-example-2024.tsv --from "$FROM" --to "$TODAY" --seed 9 --unit P \
  --db "$DB" --actor t-survey3 >/dev/null 2>&1 || "$CCHC" survey round create DB --set ddci-example-2024.tsv \
  --from "$FROM" --to "$TODAY" --seed 9 --unit "$(sqlite3 "$DB" "SELECT code FROM units WHERE code <> '$UNIT' ORDER BY code LIMIT 1")" \
  --db "$DB" --actor t-survey3 >/dev/null || fail "survey round"
CCHC_UNIT=$UNIT run_browser survey3.mjs
[ "$(sqlite3 "$DB" "SELECT count(*) FROM survey_strata WHERE round = 'DB' AND unit_code = '$UNIT'")" = 2 ] || fail "the list's strata"
stop_server
echo "ok t-survey3"
