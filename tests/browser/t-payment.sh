#!/usr/bin/env bash
# t-payment.sh — online payment in a real browser (payment.mjs: playwright-core driving Debian's
# chromium) against the real `cchc serve` with its built-in test provider (--test-pay-port):
# a citizen looks a dossier up, pays on the provider's page and closes the tab before being
# sent back — the payment is settled all the same (the provider's callback); a second payer
# whose callback is lost comes back and the status query settles it; the receipt opens.
# Screenshots at 390 px go to test-artifacts/browser-payment/ (gitignored).
# Usage: bash tests/browser/t-payment.sh PATH_TO_cchc
set -euo pipefail
CCHC=${1:?usage: bash $0 PATH_TO_cchc}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
ART=$ROOT/test-artifacts/browser-payment
DATA=${CCHC_DATA:-$ROOT/data}
T=$(mktemp -d)
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$T"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  [ -f "$T/server.err" ] && sed 's/^/  server: /' "$T/server.err" | tail -20 >&2
  exit 1
}
[ -x "$CHROMIUM" ] || fail "$CHROMIUM missing (scripts/deps.sh installs Debian's chromium)"
command -v node >/dev/null || fail "node missing (scripts/deps.sh installs nodejs)"
[ -d "$HERE/node_modules/playwright-core" ] || fail "tests/browser/node_modules missing (scripts/deps.sh runs npm ci)"

DB=$T/p.db
"$CCHC" init --db "$DB" >/dev/null
"$CCHC" import units "$DATA/demo/units.csv" --db "$DB" >/dev/null
"$CCHC" import procedures "$DATA/catalog/procedures.csv" --db "$DB" >/dev/null
# a procedure whose catalogue fee is fixed (fee_vnd > 0), received at a ward of the demo tree
PROC=$(python3 -c "
import csv,sys
for r in csv.DictReader(open('$DATA/catalog/procedures.csv', encoding='utf-8')):
    if r['fee_vnd'] and int(r['fee_vnd']) > 0 and r['level'] == 'commune': print(r['code'], r['fee_vnd']); break")
[ -n "$PROC" ] || fail "no commune procedure with a fixed fee in the catalogue"
FEE=${PROC#* }
PROC=${PROC% *}
UNIT=$(awk -F, 'NR > 1 && $0 ~ /commune|ward/ { print $1; exit }' "$DATA/demo/units.csv")
export CCHC_BACKDATE_TOLERANCE=off
codes=()
for i in 1 2; do
  codes+=("$("$CCHC" dossier receive --unit "$UNIT" --procedure "$PROC" --name "Nguyễn Văn Bình" --phone 0912345678 --db "$DB" --actor desk | grep -o '[0-9A-Z.]*-[0-9]\{6\}-[0-9]\{4\}' | head -1)")
done
[ -n "${codes[1]}" ] || fail "could not receive the dossiers"
CCHC_WEB=$ROOT/web "$CCHC" serve --db "$DB" --port 0 --port-file "$T/port" --slow-ms 0 \
  --test-pay-port -1 --pay-secret khoa-thu-nghiem --pay-sync-seconds 0 >"$T/server.out" 2>"$T/server.err" &
SERVER_PID=$!
for _ in $(seq 100); do
  [ -s "$T/port" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || fail "cchc serve exited at start"
  sleep 0.05
done
[ -s "$T/port" ] || fail "cchc serve did not start"
rm -rf "$ART"
mkdir -p "$ART"
rc=0
timeout --kill-after=5 300 node "$HERE/payment.mjs" "http://127.0.0.1:$(cat "$T/port")" "$ART" "$CHROMIUM" \
  "${codes[0]}" "${codes[1]}" 0912345678 "$FEE" || rc=$?
[ $rc = 0 ] || fail "browser checks failed (exit $rc); screenshots in $ART"
# what the browser saw is what the database holds
"$CCHC" payment report --day "$(TZ=Asia/Ho_Chi_Minh date +%F)" --db "$DB" >"$T/report.txt"
grep -q '^paid: 2,' "$T/report.txt" || fail "report: $(cat "$T/report.txt")"
"$CCHC" audit verify --db "$DB" >/dev/null || fail "audit chain"
echo "screenshots: $ART"
