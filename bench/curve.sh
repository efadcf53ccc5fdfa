#!/usr/bin/env bash
# bench/curve.sh — cost against data size: for each size, one database seeded with that many
# dossiers (cchc seed, the demo province, one year), then the same requests measured with wrk
# for a bounded time each: a ward's list page, the province leader's list page, one dossier,
# the citizen lookup, the province dashboard (GET /api/stats/units), the province's figures of
# one channel (GET /api/stats?channel=online: the filtered roll-up), the Decision 766 index
# (GET /api/reports/index) and the year's report (GET /api/reports/summary). Each figure is
# printed with its ratio to the first (smallest) size of the same run: 1.00 means the operation
# stays flat as the data grows. Also the seeding time per dossier and the database size per
# dossier. With BENCH_PG=1 every size is also copied into a throwaway PostgreSQL cluster
# (`cchc migrate --to`) and measured there in the same run. Prints figures; asserts nothing.
# Usage: bash bench/curve.sh PATH_TO_cchc [SECONDS per request, default 5] [SIZES…, default 20000 100000]
# BENCH_DIR=DIR keeps the seeded databases (DIR/curve-N.db) and reuses them on the next run:
# seeding 1,000,000 dossiers takes a quarter of an hour, 10,000,000 hours.
# BENCH_PG_URL=URL (a running cluster's …/postgres, instead of a throwaway one) keeps the
# PostgreSQL copies there as databases curve_N and reuses one that holds N dossiers: the
# 10,000,000 one is made by bench/decade-pg.sh, without a SQLite file of that size.
# BENCH_BACKENDS="SQLite PostgreSQL" (the default with BENCH_PG=1 or BENCH_PG_URL) or either alone.
set -euo pipefail
CCHC=$(realpath "${1:?usage: bash bench/curve.sh PATH_TO_cchc [SECONDS] [SIZES...]}")
SECS=${2:-5}
shift $(($# >= 2 ? 2 : $#))
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(20000 100000)
CONNS=${BENCH_CONNECTIONS:-8}
YEAR=${BENCH_YEAR:-2025} # cchc seed's default year
ROOT=$(cd "$(dirname "$0")/.." && pwd)
dpkg-query -W -f='${Status}' wrk 2>/dev/null | grep -q "install ok installed" ||
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null
T=$(mktemp -d)
KEEP=${BENCH_DIR:-$T}
mkdir -p "$KEEP"
SRV=; PGURL=
cleanup() {
  [ -n "$SRV" ] && kill "$SRV" 2>/dev/null && wait "$SRV" 2>/dev/null
  [ -n "$PGURL" ] && [ -z "${BENCH_PG_URL:-}" ] && bash "$ROOT/scripts/pg-cluster.sh" stop "$PGURL" >/dev/null 2>&1
  rm -rf "$T"
}
trap cleanup EXIT
# a copy of the binary: a rebuild during a long run (seeding a million takes half an hour) would
# otherwise seed with one schema version and add the users or serve with another
cp "$CCHC" "$T/cchc"
CCHC=$T/cchc
if [ -n "${BENCH_PG_URL:-}" ]; then
  PGURL=$BENCH_PG_URL
elif [ "${BENCH_PG:-0}" = 1 ]; then
  PGURL=$(PG_CLUSTER_DURABLE=1 bash "$ROOT/scripts/pg-cluster.sh" start)
fi

seed() { # N -> the database's path, seeded once
  local db="$KEEP/curve-$1.db"
  if [ ! -s "$db" ] || [ "$(sqlite3 "$db" 'SELECT count(*) FROM dossiers' 2>/dev/null)" != "$1" ]; then
    rm -f "$db" "$db-wal" "$db-shm"
    local t0=$SECONDS
    "$CCHC" seed --dossiers "$1" --db "$db" | tail -1 >&2
    echo "seed $1: $((SECONDS - t0)) s, $(awk -v s=$((SECONDS - t0)) -v n="$1" 'BEGIN {printf "%.0f", s * 1e6 / n}') µs per dossier" >&2
    echo "mat-khau-bench-1" | "$CCHC" user add --db "$db" --username bench --role desk_officer --unit DT.MYTHO >/dev/null
    echo "mat-khau-bench-2" | "$CCHC" user add --db "$db" --username bench.dt --role leader --unit DT >/dev/null
    sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
  else # kept from a run of an older cchc: its schema brought up to date, without the copy
    # (a seed can be made again, and the 10 M one is 33 GB, too large to copy beside itself)
    "$CCHC" migrate --db "$db" --backup none >/dev/null
  fi
  echo "$db"
}

# Measures every request on one server (DB is a path or a PostgreSQL URL); prints
# "name r/s p99ms" lines.
measure() {
  rm -f "$T/port"
  "$CCHC" serve --db "$1" --port 0 --port-file "$T/port" --slow-ms 0 \
    --threads "${BENCH_SERVER_THREADS:-2}" >"$T/serve.log" 2>&1 &
  SRV=$!
  for _ in $(seq 200); do [ -s "$T/port" ] && break; sleep 0.05; done
  local base=http://127.0.0.1:$(cat "$T/port") ward prov code='' phone=''
  login() {
    curl -s -c "$T/jar" -o /dev/null -H 'Content-Type: application/json' \
      -d "{\"username\":\"$1\",\"password\":\"$2\"}" "$base/api/session"
    echo "cchc_session=$(awk '$6 == "cchc_session" {print $7}' "$T/jar")"
  }
  ward=$(login bench mat-khau-bench-1)
  prov=$(login bench.dt mat-khau-bench-2)
  for c in $(curl -s -H "Cookie: $ward" "$base/api/dossiers?limit=50" | grep -o '"code":"[^"]*"' | cut -d'"' -f4); do
    phone=$(curl -s -H "Cookie: $ward" "$base/api/dossiers/$c" | sed -n 's/.*"phone":"\([0-9+]*\)".*/\1/p')
    [ -n "$phone" ] && { code=$c; break; }
  done
  [ -n "$code" ] || { echo "no dossier with a phone among the ward's first 50" >&2; exit 1; }
  cat >"$T/lookup.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"code":"$code","phone":"$phone"}'
wrk.headers["Content-Type"] = "application/json"
LUA
  for case in "list of 50 (ward)|/api/dossiers?limit=50|$ward|" \
              "list of 50 (province leader)|/api/dossiers?limit=50|$prov|" \
              "one dossier|/api/dossiers/$code|$ward|" \
              "citizen lookup|/api/lookup||$T/lookup.lua" \
              "dashboard (province, year)|/api/stats/units?unit=DT&period=$YEAR|$prov|" \
              "online figures (province, year)|/api/stats?unit=DT&period=$YEAR&channel=online|$prov|" \
              "766 index (province, year)|/api/reports/index?parent=DT&period=$YEAR|$prov|" \
              "year report (province)|/api/reports/summary?unit=DT&period=$YEAR|$prov|"; do
    IFS='|' read -r name path cookie script <<<"$case"
    local args=(-t 2 -c "$CONNS" -d "${SECS}s" --timeout 30s --latency)
    [ -n "$cookie" ] && args+=(-H "Cookie: $cookie")
    [ -n "$script" ] && args+=(-s "$script")
    wrk "${args[@]}" "$base$path" >"$T/wrk.out" 2>&1
    if grep -q -e 'Non-2xx' -e 'Socket errors' "$T/wrk.out"; then
      cat "$T/wrk.out" >&2; exit 1
    fi
    awk -v n="$name" '/Requests\/sec:/ {r = $2}
      $1 == "99%" {v = $2; if (v ~ /us$/) ms = v / 1000; else if (v ~ /ms$/) ms = v + 0; else ms = v * 1000}
      END {printf "%s|%.0f|%.1f\n", n, r, ms}' "$T/wrk.out"
  done
  kill "$SRV"; wait "$SRV" 2>/dev/null || true; SRV=
}

size_of() { # DB N -> bytes per dossier
  if [[ $1 == postgresql:* ]]; then
    echo $(( $(psql "$1" -qAtX -c "SELECT pg_database_size(current_database())") / $2 ))
  else
    echo $(( ($(stat -c %s "$1") + $( [ -f "$1-wal" ] && stat -c %s "$1-wal" || echo 0)) / $2 ))
  fi
}

echo "== wrk -t 2 -c $CONNS -d ${SECS}s per request, sizes ${SIZES[*]} ($(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
backends=(SQLite)
[ -n "$PGURL" ] && backends+=(PostgreSQL)
[ -z "${BENCH_BACKENDS:-}" ] || read -r -a backends <<<"$BENCH_BACKENDS"
for be in "${backends[@]}"; do
  case $be in
  SQLite) ;;
  PostgreSQL) [ -n "$PGURL" ] || { echo "curve: PostgreSQL needs BENCH_PG=1 or BENCH_PG_URL" >&2; exit 2; } ;;
  *) echo "curve: BENCH_BACKENDS: '$be' is not SQLite or PostgreSQL" >&2; exit 2 ;;
  esac
done
for be in "${backends[@]}"; do
  first=
  printf '%-10s %-30s %10s %10s %9s %9s %s\n' backend request dossiers "r/s" "p99 ms" "r/s ×" "p99 ×" "(× = against ${SIZES[0]})"
  for n in "${SIZES[@]}"; do
    if [ "$be" = SQLite ]; then
      db=$(seed "$n")
    elif [ -n "${BENCH_PG_URL:-}" ] &&
      [ "$(psql "${PGURL%/*}/curve_$n" -qAtX -c "SELECT count(*) FROM dossiers" 2>/dev/null)" = "$n" ]; then
      db=${PGURL%/*}/curve_$n # kept from an earlier run, or made by bench/decade-pg.sh
      psql "$db" -qAtX -c "CHECKPOINT" >/dev/null
    else
      db=$(seed "$n")
      psql "$PGURL" -qAtX -c "DROP DATABASE IF EXISTS curve_$n" -c "CREATE DATABASE curve_$n TEMPLATE template0" >/dev/null
      src=$db db=${PGURL%/*}/curve_$n
      "$CCHC" migrate --to "$db" --db "$src" | tail -1 >&2
      # the load's dirty pages written before measuring: otherwise the checkpoint after a
      # million-dossier copy lands in the measurements (the 766 index at 1 M: 138 r/s, p99 818 ms
      # right after the copy; 220-232 r/s, p99 75-89 ms after a CHECKPOINT)
      psql "$db" -qAtX -c "VACUUM ANALYZE" -c "CHECKPOINT" >/dev/null
    fi
    echo "$be $n dossiers: $(size_of "$db" "$n") bytes per dossier" >&2
    measure "$db" >"$T/m.$be.$n"
    if [ "$be" = PostgreSQL ] && [ -z "${BENCH_PG_URL:-}" ]; then # the throwaway cluster's disk
      psql "$PGURL" -qAtX -c "DROP DATABASE curve_$n" >/dev/null
    fi
    [ -z "$first" ] && first=$n
    while IFS='|' read -r name rps p99; do
      read -r r0 p0 < <(awk -F'|' -v n="$name" '$1 == n {print $2, $3}' "$T/m.$be.$first")
      printf '%-10s %-30s %10d %10d %9.1f %9.2f %9.2f\n' "$be" "$name" "$n" "$rps" "$p99" \
        "$(awk -v a="$rps" -v b="$r0" 'BEGIN {print a / b}')" "$(awk -v a="$p99" -v b="$p0" 'BEGIN {print (b > 0 ? a / b : 0)}')"
    done <"$T/m.$be.$n"
  done
done
