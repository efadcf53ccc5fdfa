#!/usr/bin/env bash
# t-digitise.sh — the digitisation page in a real browser (digitise.mjs: playwright-core and
# Debian's chromium) against a fresh `cchc demo`, which makes its test CA and the signing
# certificates of lanhdao.mytho (layer 1) and motcua.mytho (layer 2) at start-up: an officer
# scans two documents, the result is registered and signed by the leader, then countersigned
# by a second officer. Screenshots go to test-artifacts/browser/digitise-*.png.
# Usage: bash tests/browser/t-digitise.sh PATH_TO_cchc
set -euo pipefail
CCHC=${1:?usage: bash $0 PATH_TO_cchc}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
ART=$ROOT/test-artifacts/browser
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

DB=$T/demo.db
CCHC_WEB=$ROOT/web "$CCHC" demo --db "$DB" --dossiers 20 --port 0 --port-file "$T/port" --slow-ms 0 \
  >"$T/server.out" 2>"$T/server.err" &
SERVER_PID=$!
for _ in $(seq 600); do
  [ -s "$T/port" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || fail "cchc demo exited at start: $(cat "$T/server.out")"
  sleep 0.1
done
[ -s "$T/port" ] || fail "cchc demo did not start within 60 s"
grep -q "test CA and signing certificates" "$T/server.out" || fail "the demo made no test CA: $(cat "$T/server.out")"
BASE=http://127.0.0.1:$(cat "$T/port")
# a dossier received now at Mỹ Tho (WAL lets the CLI write while the demo serves)
code=$("$CCHC" dossier receive --unit DT.MYTHO --procedure 1.004873 --name "Lê Văn Tám" \
  --idno 087090001234 --actor motcua.mytho --db "$DB" | awk -F'\t' '/^Mã hồ sơ:/ {print $2}')
[ -n "$code" ] || fail "receive"
# what digitise.mjs runs once the components are scanned: the steps up to the result
cat >"$T/solve.sh" <<SOLVE
set -e
"$CCHC" dossier advance "$code" --officer chuyenvien.mytho --db "$DB" >/dev/null
for _ in 1 2 3; do "$CCHC" dossier advance "$code" --db "$DB" >/dev/null; done
"$CCHC" dossier finish "$code" --db "$DB" >/dev/null
SOLVE
mkdir -p "$ART"
rc=0
timeout --kill-after=5 300 node "$HERE/digitise.mjs" "$BASE" "$ART" "$CHROMIUM" "$code" "$T/solve.sh" || rc=$?
[ $rc = 0 ] || fail "browser checks failed (exit $rc); screenshots in $ART"
echo "ok t-digitise (browser)"
