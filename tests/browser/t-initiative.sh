#!/usr/bin/env bash
# t-initiative.sh — the initiatives page (web/js/initiative.js) in a real browser
# (initiative.mjs: playwright-core driving Debian's chromium, headless) against `cchc demo` on a
# fresh database: Mỹ Tho's specialist sees the registry (the demo's recognised model applied by
# two wards), is refused a proposal without authors next to the field in Vietnamese, then
# proposes one; the province's administrator, for the council, accepts it with a score and
# records the recognition decision; Mỹ Tho's leader applies it; list and detail at 390 and 1366
# px. Screenshots go to test-artifacts/browser-initiative/.
# The set-up is lib.sh's (what scripts/deps.sh installs; bounded to 300 s).
source "$(dirname "$0")/lib.sh" initiative "${1:-}"
browser_check_js initiative.js app.js par.js
start_demo
DB=$T/demo.db
run_browser initiative.mjs
# what the pages did is in the store
[ "$(sqlite3 "$DB" "SELECT status || ' ' || level || ' ' || decision_no FROM initiatives WHERE title LIKE 'Thử nghiệm:%'")" = "recognized province 88/QĐ-UBND" ] ||
  fail "the proposal made on the page: $(sqlite3 "$DB" "SELECT * FROM initiatives")"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM initiative_units u JOIN initiatives i ON i.id = u.initiative_id WHERE i.title LIKE 'Thử nghiệm:%'")" = 1 ] ||
  fail "the applying unit recorded on the page"
stop_server
echo "ok t-initiative"
