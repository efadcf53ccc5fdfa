#!/usr/bin/env bash
# bench/province-lock.sh — receptions per second on PostgreSQL into two provinces at once, two
# `cchc serve` on one database (each serving one province's wards), with the write lock per
# province (docs/province-lock.md) against the global write lock of before (the same binary,
# CCHC_PROVINCE_LOCK=0), in the same run, rounds alternating. A write is a reception, POST
# /api/dossiers: the dossier, its event, the audit head and the counters in one transaction.
# Prints figures; asserts nothing beyond every answer being 201 and the audit verifying.
# The database is made on the cluster of CCHC_TEST_PG (scripts/pg-cluster.sh), or of
# BENCH_PGURL (named BENCH_DB_PREFIX_prov_…, default bench), and dropped after.
# Usage: bash bench/province-lock.sh PATH_TO_cchc [SECONDS per run, default 5] [ROUNDS, default 3]
#        [CLIENTS per server, default 8]
set -euo pipefail
CCHC=$(realpath "${1:?usage: bash bench/province-lock.sh PATH_TO_cchc [SECONDS] [ROUNDS] [CLIENTS]}")
SECS=${2:-5}
ROUNDS=${3:-3}
CLIENTS=${4:-8}
THREADS=${BENCH_SERVER_THREADS:-$CLIENTS}
PGURL=${BENCH_PGURL:-${CCHC_TEST_PG:?set CCHC_TEST_PG or BENCH_PGURL to a PostgreSQL server URL}}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=$ROOT/tests/data/api
command -v wrk >/dev/null || { echo "needs wrk" >&2; exit 1; }
T=$(mktemp -d)
NAME=${BENCH_DB_PREFIX:-bench}_prov_$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
DB=${PGURL%/*}/$NAME
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
  psql "$PGURL" -qAtX -c "DROP DATABASE IF EXISTS $NAME" >/dev/null 2>&1 || true
  rm -rf "$T"
}
trap cleanup EXIT
export CCHC_BACKDATE_TOLERANCE=off CCHC_KEYS=$T/keys

# two provinces of 20 wards each (a unit numbers at most 9,999 dossiers a day)
{
  echo "code,name,kind,parent,valid_from,valid_to,successor,ident_code"
  echo "P,Tỉnh Một,province,,2025-07-01,,,000.00.00.H99"
  echo "Q,Tỉnh Hai,province,,2025-07-01,,,000.00.00.H98"
  for i in $(seq 20); do
    printf 'P.W%02d,Phường P %d,ward,P,2025-07-01,,,000.00.%02d.H99\n' "$i" "$i" $((40 + i))
    printf 'Q.W%02d,Phường Q %d,ward,Q,2025-07-01,,,000.00.%02d.H98\n' "$i" "$i" $((40 + i))
  done
} >"$T/units.csv"
psql "$PGURL" -qAtX -c "CREATE DATABASE $NAME" >/dev/null
"$CCHC" init --db "$DB" >/dev/null
"$CCHC" import units "$T/units.csv" --db "$DB" >/dev/null
"$CCHC" import procedures "$DATA/procedures.csv" --db "$DB" >/dev/null
for p in P Q; do
  echo "mat-khau-bench-1" | "$CCHC" user add --db "$DB" --username "bench_${p,,}" --role desk_officer \
    --name "Cán bộ đo $p" --unit "$p" >/dev/null
done

declare -A BASE LUA
WRAP=()
. "$ROOT/bench/wrk-receptions.sh"
start() { # NAME PROVINCE LOCKMODE(1 province, 0 global)
  WRAP=(env "CCHC_PROVINCE_LOCK=$3")
  reception_server "$1" "$DB" "$THREADS" "bench_${2,,}" "$2"
}
# province locks: servers p1 (P) and q1 (Q); the global lock: p0 and q0
start p1 P 1
start q1 Q 1
start p0 P 0
start q0 Q 0

wrk_run() { # NAME -> output file $T/wrk.NAME
  timeout $((SECS + 60)) wrk -t 1 -c "$CLIENTS" -d "${SECS}s" --timeout 30s -s "${LUA[$1]}" \
    "${BASE[$1]}/api/dossiers" >"$T/wrk.$1" 2>&1
}
pair() { # MODE -> total requests/s of the two servers writing at once
  wrk_run "p$1" & local a=$!
  wrk_run "q$1" & local b=$!
  wait "$a" "$b"
  local n
  for n in "p$1" "q$1"; do
    if grep -q -e 'Non-2xx' -e 'Socket errors' "$T/wrk.$n" || ! grep -q 'Requests/sec' "$T/wrk.$n"; then
      echo "server $n:" >&2
      cat "$T/wrk.$n" >&2
      tail -5 "$T/serve.$n.log" >&2
      exit 1
    fi
  done
  awk '/Requests\/sec:/ {s += $2} END {printf "%.0f\n", s}' "$T/wrk.p$1" "$T/wrk.q$1"
}
median() { tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
echo "== receptions/s into two provinces at once, two servers x $CLIENTS clients (wrk -d ${SECS}s), $ROUNDS rounds, $(nproc) cores (shared)"
printf '%5s %14s %14s %8s\n' round "global r/s" "province r/s" ratio
ratios=""
for r in $(seq "$ROUNDS"); do
  g=$(pair 0)
  p=$(pair 1)
  ratio=$(awk -v g="$g" -v p="$p" 'BEGIN {printf "%.2f", p / g}')
  ratios="$ratios $ratio"
  printf '%5d %14d %14d %8s\n' "$r" "$g" "$p" "$ratio"
done
echo "median province/global $(echo "$ratios" | median) (rounds:$ratios)"
"$CCHC" audit verify --db "$DB" | tail -1
