#!/usr/bin/env bash
# bench/copy.sh — `cchc migrate --to postgresql://…`, the move of an SQLite database into
# PostgreSQL: every table streamed by COPY … FROM STDIN (the default) against the same copy
# row by row, one INSERT and one round trip per row (CCHC_COPY_INSERT=1, the way it copied
# before), in the same run, into a throwaway durable cluster (scripts/pg-cluster.sh). Each
# copy is the whole command: the copy in one transaction, the counts of every table on both
# sides, and `audit verify` on both. The database is seeded once (cchc seed, the demo
# province, one year; BENCH_DIR keeps it for the next run, as bench/curve.sh does), migrated
# to this cchc's schema. Rounds alternate the two ways so that each sees the same moment's
# load; the median ratio is printed. Prints figures; asserts nothing beyond each copy
# succeeding.
# Usage: bash bench/copy.sh PATH_TO_cchc [DOSSIERS, default 20000] [ROUNDS, default 3]
set -euo pipefail
CCHC=$(realpath "${1:?usage: bash bench/copy.sh PATH_TO_cchc [DOSSIERS] [ROUNDS]}")
N=${2:-20000}
ROUNDS=${3:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d)
KEEP=${BENCH_DIR:-$T}
PGURL=
cleanup() {
  [ -n "$PGURL" ] && bash "$ROOT/scripts/pg-cluster.sh" stop "$PGURL" >/dev/null 2>&1
  rm -rf "$T"
}
trap cleanup EXIT
mkdir -p "$KEEP"
db=$KEEP/curve-$N.db # the name bench/curve.sh keeps its databases under
if [ ! -s "$db" ] || [ "$(sqlite3 "$db" 'SELECT count(*) FROM dossiers' 2>/dev/null)" != "$N" ]; then
  rm -f "$db" "$db-wal" "$db-shm"
  "$CCHC" seed --dossiers "$N" --db "$db" | tail -1
else
  "$CCHC" migrate --db "$db" >/dev/null
  rm -f "$db".v*.bak
fi
sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
rows=$(sqlite3 "$db" "SELECT sum(n) FROM (SELECT count(*) AS n FROM events UNION ALL SELECT count(*) FROM dossiers
  UNION ALL SELECT count(*) FROM dossier_steps UNION ALL SELECT count(*) FROM stats_day UNION ALL SELECT count(*) FROM stats_unit_day)")
PGURL=$(PG_CLUSTER_DURABLE=1 bash "$ROOT/scripts/pg-cluster.sh" start)

copy_once() { # WAY -> seconds
  psql "$PGURL" -qAtX -c "DROP DATABASE IF EXISTS copyb" -c "CREATE DATABASE copyb TEMPLATE template0" >/dev/null 2>&1
  local t0 t1
  t0=$(date +%s.%N)
  if [ "$1" = insert ]; then
    CCHC_COPY_INSERT=1 "$CCHC" migrate --to "${PGURL%/*}/copyb" --db "$db" >"$T/out" 2>&1
  else
    "$CCHC" migrate --to "${PGURL%/*}/copyb" --db "$db" >"$T/out" 2>&1
  fi || { echo "copy ($1) failed: $(tail -3 "$T/out")" >&2; exit 1; }
  t1=$(date +%s.%N)
  grep -q "counts equal; audit chain intact on both" "$T/out" || { echo "copy ($1): $(tail -2 "$T/out")" >&2; exit 1; }
  awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}'
}

echo "== cchc migrate --to PostgreSQL, $N dossiers ($(stat -c %s "$db") bytes; dossiers, events, steps and day counters: $rows rows), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
printf '%-6s %12s %12s %8s\n' round "INSERT s" "COPY s" "ratio"
ratios=()
for r in $(seq 1 "$ROUNDS"); do
  if [ $((r % 2)) = 1 ]; then
    a=$(copy_once insert); b=$(copy_once stream)
  else
    b=$(copy_once stream); a=$(copy_once insert)
  fi
  ratio=$(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.2f", a / b}')
  ratios+=("$ratio")
  printf '%-6s %12s %12s %8s\n' "$r" "$a" "$b" "$ratio"
done
median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')
echo "median: the streamed copy takes 1/$median of the time of the copy row by row"
