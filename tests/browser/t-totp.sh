#!/usr/bin/env bash
# t-totp.sh — the second factor in a real browser (totp.mjs: playwright-core driving Debian's
# chromium) against `cchc demo`: a leader enrols on a phone (QR code, first code, recovery
# codes) and signs in again through the form's code step. Screenshots at 390 and 1366 px go to
# test-artifacts/browser-totp/ (gitignored).
# Usage: bash tests/browser/t-totp.sh PATH_TO_cchc
source "$(dirname "$0")/lib.sh" totp "${1:-}"
browser_check_js security.js login.js
start_demo
run_browser totp.mjs
stop_server
