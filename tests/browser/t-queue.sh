#!/usr/bin/env bash
# t-queue.sh — the desk queue in a real browser (queue.mjs: playwright-core driving Debian's
# chromium) against `cchc demo` on a fresh database: a citizen takes a number on a phone, the
# officer calls it at a counter, the hall display shows it and speaks it in Vietnamese. The
# set-up is lib.sh's. Screenshots go to test-artifacts/browser-queue/ (gitignored).
# Usage: bash tests/browser/t-queue.sh PATH_TO_cchc
source "$(dirname "$0")/lib.sh" queue "${1:-}"
browser_check_js queue.js
start_demo
run_browser queue.mjs
stop_server
