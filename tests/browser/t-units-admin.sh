#!/usr/bin/env bash
# t-units-admin.sh — the administrator's units page in a real browser (units-admin.mjs:
# playwright-core driving Debian's chromium) against `cchc demo` on a fresh database, at 1366 px
# and 390 px: from #/quan-tri to #/quan-tri/don-vi, a unit refused next to its field in
# Vietnamese then added, edited with its log, and a merger recorded (the units below the ones
# that end ticked with them, a new or an existing successor), listed in the merger history.
# The set-up is lib.sh's. Screenshots go to test-artifacts/browser-units-admin/.
# Usage: bash tests/browser/t-units-admin.sh PATH_TO_cchc
source "$(dirname "$0")/lib.sh" units-admin "${1:-}"
browser_check_js unitadmin.js admin.js app.js api.js
start_demo
run_browser units-admin.mjs
stop_server
