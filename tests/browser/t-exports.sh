#!/usr/bin/env bash
# t-exports.sh — the "Xuất Excel" / "Xuất PDF" buttons of the tables in a real browser
# (exports.mjs: playwright-core driving Debian's chromium) against `cchc demo` on a fresh
# database, at 1366 and 390 px: each button is on screen and downloads an xlsx or a PDF named
# after the table, unit and period. Screenshots go to test-artifacts/browser-exports/.
# Usage: bash tests/browser/t-exports.sh PATH_TO_cchc
source "$(dirname "$0")/lib.sh" exports "${1:-}"
browser_check_js export.js dashboard.js public.js par.js inspection.js desk.js feedback.js survey.js reform.js initiative.js dialogue.js queue.js payment.js admin.js notify.js digitise.js procadmin.js efile.js
start_demo
run_browser exports.mjs
stop_server
echo "ok t-exports"
