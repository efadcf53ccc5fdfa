#!/usr/bin/env bash
# t-browser.sh — the web UI in a real browser (run.mjs: playwright-core driving Debian's
# chromium, headless, fresh profile) against the real `cchc serve` on a free loopback port,
# with a fresh `cchc demo` database (the twelve months up to today, the demo users, the demo
# citizen's dossiers, PAR rounds).
# Screenshots of every page, and the receipt as PDF, go to test-artifacts/browser/ (gitignored).
# Needs what scripts/deps.sh installs: chromium, node, and the npm packages of web/ and
# tests/browser/ (npm ci). Bounded: the browser run is killed after 600 s (each role at two widths on a shared machine), the server always.
# Usage: bash tests/browser/t-browser.sh PATH_TO_cchc
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

# What scripts/deps.sh installs; a missing piece is a failure, not a skip.
[ -x "$CHROMIUM" ] || fail "$CHROMIUM missing (scripts/deps.sh installs Debian's chromium)"
command -v node >/dev/null || fail "node missing (scripts/deps.sh installs nodejs)"
[ -d "$HERE/node_modules/jsqr" ] || fail "tests/browser/node_modules/jsqr missing (scripts/deps.sh runs npm ci)"
[ -d "$HERE/node_modules/playwright-core" ] || fail "tests/browser/node_modules missing (scripts/deps.sh runs npm ci)"
[ -f "$ROOT/web/node_modules/chart.js/dist/chart.umd.min.js" ] || fail "web/node_modules missing (scripts/deps.sh runs npm ci)"

# Every script of the UI parses (a syntax error would only show as an error page).
for f in "$ROOT"/web/js/*.js; do
  cp "$f" "$T/check.mjs"
  node --check "$T/check.mjs" 2>"$T/check.err" || { sed "s|$T/check.mjs|$f|" "$T/check.err" >&2; fail "$f does not parse"; }
done

# The real demo on a fresh database: `cchc demo` seeds the twelve months up to today, the demo
# citizen's own dossiers and the PAR rounds XA-(Y-1) (published) and XA-Y (self-assessment),
# Y this year. A small round moved on to appraisal is added with the CLI, as an administrator
# would (the assessor's view); WAL lets the CLI write while the demo serves.
DB=$T/demo.db
year=$(TZ=Asia/Ho_Chi_Minh date +%Y)
CCHC_WEB=$ROOT/web "$CCHC" demo --db "$DB" --dossiers 400 --port 0 --port-file "$T/port" --slow-ms 0 \
  --backdate-tolerance off `# run.mjs sets up a dossier received 20 days ago as the desk` \
  >"$T/server.out" 2>"$T/server.err" &
SERVER_PID=$!
for _ in $(seq 600); do
  [ -s "$T/port" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || fail "cchc demo exited at start: $(cat "$T/server.out")"
  sleep 0.1
done
[ -s "$T/port" ] || fail "cchc demo did not start within 60 s"
BASE=http://127.0.0.1:$(cat "$T/port")
par() { "$CCHC" par "$@" --db "$DB" --actor t-browser >>"$T/par.out" 2>&1 || { cat "$T/par.out" >&2; fail "cchc par $*"; }; }
par round create "TD-$year" --year "$year" --set HT-XA-2021 --units DT.MYTHO,DT.CAIBE --title "Thẩm định thử"
par score --round "TD-$year" --unit DT.MYTHO --node 1.2 --self 1
par round close-phase "TD-$year"
# the codes the demo printed for its citizen (followed with the phone 0901 234 567)
CITIZEN_CODES=$(awk '/follows these dossiers/ { on = 1; next } on && /^  [0-9]/ { printf "%s ", $1 } on && /^$/ { on = 0 }' "$T/server.out")
[ -n "$CITIZEN_CODES" ] || fail "the demo printed no citizen dossiers: $(cat "$T/server.out")"

rm -rf "$ART"
mkdir -p "$ART"
rc=0
"$CCHC" serve --print-routes >"$T/routes.tsv" || fail "cchc serve --print-routes"
CCHC_ROUTES=$T/routes.tsv CCHC_PAR_YEAR=$year CCHC_CITIZEN_CODES=$CITIZEN_CODES timeout --kill-after=5 600 node "$HERE/run.mjs" "$BASE" "$ART" "$CHROMIUM" || rc=$?
[ $rc = 124 ] && echo "FAIL: the browser run took longer than 600 s" >&2
[ $rc = 0 ] || fail "browser checks failed (exit $rc); screenshots in $ART"

# The server stops cleanly on SIGTERM after the run.
kill -TERM "$SERVER_PID"
for _ in $(seq 200); do
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.05
done
kill -0 "$SERVER_PID" 2>/dev/null && fail "cchc demo still running 10 s after SIGTERM"
wait "$SERVER_PID" || fail "cchc demo exited with status $? after SIGTERM"
SERVER_PID=
echo "screenshots: $ART"
