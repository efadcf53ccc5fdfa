#!/usr/bin/env bash
# t-eloop.sh — the citizen's whole online loop in a real browser (eloop.mjs: playwright-core and
# Debian's chromium) against a fresh `cchc demo` at a phone's width (390 px): the citizen
# files a fully online procedure (phone confirmed by the one-time code from the loopback sink),
# the desk asks for a supplement, the sink receives "cần bổ sung" and its link opens the
# lookup, the citizen uploads the requested document online and submits again, the desk
# receives, the leader finishes, the desk registers the electronic result, the sink receives
# "đã có kết quả", and the citizen downloads the result with "Tải kết quả điện tử" — the
# bytes the desk registered. Every step is checked; a broken one fails the run.
# Usage: bash tests/browser/t-eloop.sh PATH_TO_cchc
source "$(dirname "$0")/lib.sh" eloop "$1"
browser_check_js efile.js citizen.js app.js
# no delivery thread: the test delivers the outbox itself (cchc notify run --once), as
# t-efile.sh does, so what the sink holds is exactly what each step wrote
start_demo --notify-worker=false
sqlite3 "$T/demo.db" "UPDATE outbox SET state = 'sent' WHERE state IN ('pending', 'failed')"
run_browser eloop.mjs "$CCHC" "$T/demo.db" "$T/sink.jsonl" "$T/code"
code=$(cat "$T/code")
got=$(sqlite3 "$T/demo.db" "SELECT d.channel || ' ' || d.status || ' ' || (f.result_online_at IS NOT NULL)
  FROM dossiers d JOIN efile_filings f ON f.dossier_code = d.code WHERE d.code = '$code'")
[ "$got" = "online result_ready 1" ] || fail "dossier $code: '$got', expected an online dossier whose result was taken online"
for ev in otp supplement_requested received result_ready; do
  jq -se --arg ev "$ev" 'any(.[]; .event == $ev)' "$T/sink.jsonl" >/dev/null || fail "the sink has no '$ev' message"
done
"$CCHC" audit verify --db "$T/demo.db" >/dev/null || fail "audit chain"
stop_server
echo "ok t-eloop (browser): $code"
