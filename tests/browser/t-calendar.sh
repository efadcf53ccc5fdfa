#!/usr/bin/env bash
# t-calendar.sh — the administrator's calendar page in a real browser (calendar.mjs:
# playwright-core driving Debian's chromium) against `cchc demo` on a fresh database, at 1366 px
# and 390 px: from #/quan-tri to #/quan-tri/lich, the year's twelve months with weekends,
# holidays, swapped and worked days told apart and a legend; a decision refused (a weekday as
# the day worked instead) next to its field in Vietnamese, then recorded, listed with its
# citation and drawn in the year. The set-up is lib.sh's. Screenshots go to
# test-artifacts/browser-calendar/.
# Usage: bash tests/browser/t-calendar.sh PATH_TO_cchc
source "$(dirname "$0")/lib.sh" calendar "${1:-}"
browser_check_js calendar.js admin.js app.js
start_demo
run_browser calendar.mjs
stop_server
