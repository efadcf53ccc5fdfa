#!/usr/bin/env bash
# t-preport.sh — the periodic CCHC reports page (web/js/preport.js) in a real browser
# (preport.mjs: playwright-core driving Debian's chromium, headless) against `cchc demo` on a
# fresh database, whose province has a consolidated draft for the last finished period and
# Thanh Bình commune a submitted report: Mỹ Tho's leader creates the ward's report of that
# period, writes its sections and submits it; the province's administrator sees its children
# (Mỹ Tho and Thanh Bình submitted, Cao Lãnh missing), consolidates its own report, accepts Mỹ
# Tho's, and a return without a reason is refused in Vietnamese. Screenshots at 390 and 1366 px
# go to test-artifacts/browser-preport/.
# The set-up is lib.sh's (what scripts/deps.sh installs; bounded to 300 s).
source "$(dirname "$0")/lib.sh" preport "${1:-}"
browser_check_js preport.js app.js
start_demo
DB=$T/demo.db
run_browser preport.mjs
# what the pages did is in the store
"$CCHC" report periodic list --unit DT.MYTHO --db "$DB" | grep -q "	DT.MYTHO	.*	accepted	unit$" ||
  fail "Mỹ Tho's report is not accepted: $("$CCHC" report periodic list --unit DT --db "$DB")"
PV=$("$CCHC" report periodic list --unit DT --db "$DB" | awk -F'\t' '$2 == "DT" { print $1 }')
"$CCHC" report periodic history "$PV" --db "$DB" |
  grep -q "	refresh	draft->draft" || fail "the province did not consolidate again"
stop_server
echo "ok t-preport"
