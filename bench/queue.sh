#!/usr/bin/env bash
# bench/queue.sh — numbers taken per second at the desk queue (POST /api/queue/{unit}/tickets,
# each one write transaction moving a counter's day sequence), against a same-run baseline:
# the same server answering a signed-in read of the same unit (GET /api/queue/{unit}/counters),
# with the same wrk settings, in alternating rounds; prints both rates and their ratio, and
# checks afterwards that the numbers taken are unique and gap-free per counter. A unit has 99
# counters of 999 numbers a day, so the run spreads takes over all 99 and stays short.
# Prints figures; asserts nothing about speed.
# Usage: bash bench/queue.sh PATH_TO_cchc [SECONDS per run, default 2] [postgresql://… to bench
# PostgreSQL instead of SQLite]
set -euo pipefail
CCHC=$(realpath "${1:?usage: bash bench/queue.sh PATH_TO_cchc [SECONDS] [PGURL]}")
SECS=${2:-2}
DBURL=${3:-}
ROUNDS=${BENCH_ROUNDS:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=$ROOT/tests/data/api
command -v wrk >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null
T=$(mktemp -d)
S=
cleanup() {
  [ -n "$S" ] && kill "$S" 2>/dev/null && wait "$S" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT
DB=${DBURL:-$T/q.db}
"$CCHC" init --db "$DB" >/dev/null
"$CCHC" import units "$DATA/units.csv" --db "$DB" >/dev/null
"$CCHC" import procedures "$DATA/procedures.csv" --db "$DB" >/dev/null
{
  echo "unit,no,name,fields"
  for n in $(seq 99); do echo "P.A,$n,Quầy $n,Thử nghiệm"; done
} >"$T/counters.csv"
"$CCHC" import counters "$T/counters.csv" --db "$DB" >/dev/null
echo "mat-khau-bench-1" | "$CCHC" user add --db "$DB" --username bench --role desk_officer --unit P.A >/dev/null
"$CCHC" serve --db "$DB" --port 0 --port-file "$T/port" --slow-ms 0 --threads 2 >"$T/server.log" 2>&1 &
S=$!
for _ in $(seq 200); do [ -s "$T/port" ] && break; sleep 0.05; done
B=http://127.0.0.1:$(cat "$T/port")
curl -s -c "$T/jar" -o "$T/login.json" -H 'Content-Type: application/json' \
  -d '{"username":"bench","password":"mat-khau-bench-1"}' "$B/api/session"
CSRF=$(jq -r .csrf "$T/login.json")
COOKIE="cchc_session=$(awk '$6 == "cchc_session" {print $7}' "$T/jar")"
cat >"$T/take.lua" <<LUA
local n = 0
request = function()
  n = n + 1
  local body = string.format('{"counter":%d}', (n + math.random(0, 98)) % 99 + 1)
  return wrk.format("POST", "/api/queue/P.A/tickets", {["Content-Type"] = "application/json",
    ["Cookie"] = "$COOKIE", ["X-CSRF-Token"] = "$CSRF"}, body)
end
LUA
run() { # ARGS… -> requests per second
  wrk -t 2 -c 8 -d "${SECS}s" -H "Cookie: $COOKIE" "$@" >"$T/wrk.out" 2>&1
  grep -q -e 'Non-2xx' -e 'Socket errors' "$T/wrk.out" && { cat "$T/wrk.out" >&2; exit 1; }
  awk '/Requests\/sec:/ {printf "%.0f\n", $2}' "$T/wrk.out"
}
echo "== wrk -t 2 -c 8 -d ${SECS}s, $ROUNDS rounds on ${DBURL:+PostgreSQL}${DBURL:-SQLite} ($(nproc) cores)"
printf '%6s %18s %18s %8s\n' round "read r/s" "take r/s" take/read
ratios=
for r in $(seq "$ROUNDS"); do
  a=$(run "$B/api/queue/P.A/counters")
  b=$(run -s "$T/take.lua" "$B")
  ratio=$(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.2f", b / a}')
  ratios="$ratios $ratio"
  printf '%6d %18d %18d %8s\n' "$r" "$a" "$b" "$ratio"
done
printf 'median take/read %s (rounds:%s)\n' \
  "$(echo "$ratios" | tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')" "$ratios"
curl -s -b "$T/jar" "$B/api/queue/P.A/tickets" | jq -r '.tickets[].number' | sort -n >"$T/numbers"
total=$(wc -l <"$T/numbers")
bad=$(awk '{c = int($1 / 1000); s = $1 % 1000; if (s != last[c] + 1) bad++; last[c] = s} END {print bad + 0}' "$T/numbers")
echo "numbers taken: $total, per counter not gap-free or repeated: $bad"
