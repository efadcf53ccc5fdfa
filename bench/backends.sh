#!/usr/bin/env bash
# bench/backends.sh — the same requests served from SQLite and from PostgreSQL, in the same
# run: one seeded database is copied into PostgreSQL (`cchc migrate --to`), a server runs on
# each, their answers are checked equal byte for byte, then wrk measures each endpoint on both
# in alternating rounds and the median PostgreSQL/SQLite ratio is printed. The PostgreSQL
# server is a throwaway cluster with its durable defaults (scripts/pg-cluster.sh,
# PG_CLUSTER_DURABLE=1) on the same machine. Prints figures; asserts nothing.
# Usage: bash bench/backends.sh PATH_TO_cchc [SECONDS per run, default 5] [DOSSIERS, default 20000]
set -euo pipefail
CCHC=$(realpath "${1:?usage: bash bench/backends.sh PATH_TO_cchc [SECONDS] [DOSSIERS]}")
SECS=${2:-5}
N=${3:-20000}
ROUNDS=${BENCH_ROUNDS:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
dpkg-query -W -f='${Status}' wrk 2>/dev/null | grep -q "install ok installed" ||
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null
T=$(mktemp -d)
PGURL=; S1=; S2=
cleanup() {
  for p in $S1 $S2; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
  [ -n "$PGURL" ] && bash "$ROOT/scripts/pg-cluster.sh" stop "$PGURL" >/dev/null 2>&1
  rm -rf "$T"
}
trap cleanup EXIT
PGURL=$(PG_CLUSTER_DURABLE=1 bash "$ROOT/scripts/pg-cluster.sh" start)
psql "$PGURL" -qAtX -c "CREATE DATABASE bench TEMPLATE template0" >/dev/null
PGDB=${PGURL%/*}/bench
echo "== seeding $N dossiers into SQLite, copying them into PostgreSQL"
"$CCHC" seed --dossiers "$N" --db "$T/b.db" | tail -1
echo "mat-khau-bench-1" | "$CCHC" user add --db "$T/b.db" --username bench --role desk_officer --unit DT.MYTHO >/dev/null
"$CCHC" migrate --to "$PGDB" --db "$T/b.db" | tail -1
start() { # DB PORTFILE -> pid
  "$CCHC" serve --db "$1" --port 0 --port-file "$2" --slow-ms 0 --threads 2 >"$2.log" 2>&1 &
  echo $!
}
S1=$(start "$T/b.db" "$T/p1")
S2=$(start "$PGDB" "$T/p2")
for f in "$T/p1" "$T/p2"; do for _ in $(seq 200); do [ -s "$f" ] && break; sleep 0.05; done; done
A=http://127.0.0.1:$(cat "$T/p1") B=http://127.0.0.1:$(cat "$T/p2")
cookie() {
  curl -s -c "$T/jar.$2" -o /dev/null -H 'Content-Type: application/json' \
    -d '{"username":"bench","password":"mat-khau-bench-1"}' "$1/api/session"
  echo "cchc_session=$(awk '$6 == "cchc_session" {print $7}' "$T/jar.$2")"
}
CA=$(cookie "$A" a) CB=$(cookie "$B" b)
CODE=$(curl -s -H "Cookie: $CA" "$A/api/dossiers?limit=1" | sed 's/.*"code":"\([^"]*\)".*/\1/' | head -1)
for path in "/api/dossiers?limit=50" "/api/dossiers/$CODE"; do
  cmp -s <(curl -s -H "Cookie: $CA" "$A$path") <(curl -s -H "Cookie: $CB" "$B$path") ||
    { echo "the two servers answer $path differently"; exit 1; }
done
run() { # URL COOKIE -> RPS
  wrk -t 2 -c 16 -d "${SECS}s" -H "Cookie: $2" "$1" >"$T/wrk.out" 2>&1
  grep -q -e 'Non-2xx' -e 'Socket errors' "$T/wrk.out" && { cat "$T/wrk.out" >&2; exit 1; }
  awk '/Requests\/sec:/ {printf "%.0f\n", $2}' "$T/wrk.out"
}
echo "== wrk -t 2 -c 16 -d ${SECS}s, $ROUNDS rounds, SQLite then PostgreSQL in each ($(nproc) cores)"
printf '%-32s %5s %12s %12s %7s\n' request round "SQLite r/s" "PG r/s" "PG/SQ"
for case in "list of 50 (ward)|/api/dossiers?limit=50" "one dossier|/api/dossiers/$CODE"; do
  name=${case%%|*} path=${case#*|} ratios=""
  for r in $(seq "$ROUNDS"); do
    a=$(run "$A$path" "$CA")
    b=$(run "$B$path" "$CB")
    ratio=$(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.2f", b / a}')
    ratios="$ratios $ratio"
    printf '%-32s %5d %12d %12d %7s\n' "$name" "$r" "$a" "$b" "$ratio"
  done
  printf '%-32s median PostgreSQL/SQLite %s (rounds:%s)\n' "$name" \
    "$(echo "$ratios" | tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')" "$ratios"
done
