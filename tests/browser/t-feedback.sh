#!/usr/bin/env bash
# t-feedback.sh — feedback and petitions in a real browser (feedback.mjs: playwright-core
# driving Debian's chromium) against `cchc demo` on a fresh database: a citizen files on a
# phone, the ward's leader answers from the queue and publishes, the citizen rates. The set-up
# is lib.sh's. Screenshots go to test-artifacts/browser-feedback/ (gitignored).
# Usage: bash tests/browser/t-feedback.sh PATH_TO_cchc
source "$(dirname "$0")/lib.sh" feedback "${1:-}"
browser_check_js feedback.js
start_demo
run_browser feedback.mjs
stop_server
