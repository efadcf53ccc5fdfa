#!/usr/bin/env bash
# t-admin2.sh — the administrator's procedures page in a real browser (admin2.mjs:
# playwright-core driving Debian's chromium) against `cchc demo` on a fresh database, at 390 px
# and 1366 px: from #/quan-tri to #/quan-tri/thu-tuc, a search without diacritics, a
# procedure's attributes saved, a steps version refused (shares not 100 %, a day in the past)
# next to its field in Vietnamese, then saved from the first day allowed and listed as planned
# with its log line. The set-up is lib.sh's. Screenshots go to test-artifacts/browser-admin2/.
# Usage: bash tests/browser/t-admin2.sh PATH_TO_cchc
source "$(dirname "$0")/lib.sh" admin2 "${1:-}"
browser_check_js procadmin.js admin.js app.js
start_demo
run_browser admin2.mjs
stop_server
