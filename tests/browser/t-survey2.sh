#!/usr/bin/env bash
# t-survey2.sh — the paper-form and publication pages (web/js/survey2.js) in a real browser
# (survey2.mjs) against `cchc demo`: a round over a Mỹ Tho ward is created with the CLI; the
# desk officer types entry 1 of a paper form, the specialist entry 2 with one answer different,
# resolves the difference against the paper, and the form counts; the ward's leader sends the
# invitations by SMS and sees the downloads; the public page's xlsx link answers. Screenshots
# go to test-artifacts/browser-survey2/.
source "$(dirname "$0")/lib.sh" survey2 "${1:-}"
browser_check_js survey2.js
start_demo
DB=$T/demo.db
TODAY=$(TZ=Asia/Ho_Chi_Minh date +%F)
FROM=$(date -d "$TODAY -364 days" +%F)
UNIT=$(sqlite3 "$DB" "SELECT unit_code FROM dossiers WHERE status = 'returned' AND unit_code LIKE 'DT.MYTHO%' GROUP BY unit_code ORDER BY count(*) DESC LIMIT 1")
[ -n "$UNIT" ] || fail "the demo has no returned dossier in Mỹ Tho"
"$CCHC" survey round create BP --set sipas-2023.tsv --from "$FROM" --to "$TODAY" --seed 9 --unit "$UNIT" \
  --db "$DB" --actor t-survey2 >/dev/null || fail "survey round"
CCHC_UNIT=$UNIT run_browser survey2.mjs
[ "$(sqlite3 "$DB" "SELECT count(*) FROM survey_responses WHERE round = 'BP' AND mode = 'paper'")" = 1 ] || fail "the resolved paper form is not counted"
[ "$(sqlite3 "$DB" "SELECT resolved_by FROM survey_paper_resolved WHERE round = 'BP'")" = chuyenvien.mytho ] || fail "resolution not recorded"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM outbox WHERE event = 'survey_invitation'")" -ge 1 ] || fail "no invitation in the outbox"
stop_server
echo "ok t-survey2"
