#!/usr/bin/env bash
# t-catalog.sh — the published catalogue page (#/thu-tuc) and the tracking book's PDF button in
# a real browser (catalog.mjs: playwright-core driving Debian's chromium), against the real
# `cchc serve` on a database with the demo units and catalogue. Screenshots at 390 and 1366 px
# go to test-artifacts/browser-catalog/ (gitignored).
# Usage: bash tests/browser/t-catalog.sh PATH_TO_cchc
set -euo pipefail
CCHC=${1:?usage: bash $0 PATH_TO_cchc}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
ART=$ROOT/test-artifacts/browser-catalog
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

DB=$T/c.db
"$CCHC" init --db "$DB" >/dev/null
"$CCHC" import units "$DATA/demo/units.csv" --db "$DB" >/dev/null
"$CCHC" import procedures "$DATA/catalog/procedures.csv" --db "$DB" >/dev/null
"$CCHC" seed --dossiers 300 --year 2025 --db "$DB" >/dev/null
echo mat-khau-thu-nghiem | "$CCHC" user add --db "$DB" --username lanhdao --role leader --name "Lãnh đạo thử" --unit DT >/dev/null
CCHC_WEB=$ROOT/web "$CCHC" serve --db "$DB" --port 0 --port-file "$T/port" --slow-ms 0 >"$T/server.out" 2>"$T/server.err" &
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
timeout --kill-after=5 300 node "$HERE/catalog.mjs" "http://127.0.0.1:$(cat "$T/port")" "$ART" "$CHROMIUM" || rc=$?
[ $rc = 0 ] || fail "browser checks failed (exit $rc); screenshots in $ART"
echo "screenshots: $ART"
