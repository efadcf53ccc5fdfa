#!/usr/bin/env bash
# t-inspection.sh — the CCHC inspection pages (web/js/inspection.js) in a real browser
# (inspection.mjs: playwright-core driving Debian's chromium, headless) against `cchc demo` on a
# fresh database, on a phone (390 px): the province's administrator sees the demo's inspection
# plan and the share of units inspected, plans an inspection of Sa Đéc ward (whose CCHC plan the
# home-affairs office created with the CLI), starts it, answers the checklist, is refused the
# conclusion without findings (in Vietnamese), records a shortcoming with an evidence file,
# assigns its remedy and concludes; the share then counts the ward. Mỹ Tho's leader reads its
# inspection without the recording controls. Screenshots at 390 and 1366 px go to
# test-artifacts/browser-inspection/. The set-up is lib.sh's (bounded to 300 s).
source "$(dirname "$0")/lib.sh" inspection "${1:-}"
browser_check_js inspection.js app.js reform.js
start_demo
DB=$T/demo.db
TODAY=$(TZ=Asia/Ho_Chi_Minh date +%F)
"$CCHC" reform plan create --unit DT.SADEC --year "${TODAY:0:4}" --db "$DB" --actor t-inspection >/dev/null ||
  fail "Sa Đéc's plan"

run_browser inspection.mjs
# what the page recorded is in the store
"$CCHC" reform inspection list --unit DT.SADEC --year "${TODAY:0:4}" --db "$DB" | cut -f4,6,7,8,9 >"$T/insp.tsv"
[ "$(cat "$T/insp.tsv")" = "$(printf 'DT.SADEC\tconcluded\t2\t1\t1/1')" ] || fail "the store: $(cat "$T/insp.tsv")"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM inspection_findings WHERE evidence_sha IS NOT NULL AND text LIKE 'Chưa công khai%'")" = 1 ] ||
  fail "the finding's evidence file was not stored"
stop_server
echo "ok t-inspection"
