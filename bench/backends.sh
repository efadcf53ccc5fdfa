#!/usr/bin/env bash
# bench/backends.sh — the same requests served from SQLite and from PostgreSQL, in the same
# run: one seeded database is copied into PostgreSQL (`cchc migrate --to`), a server runs on
# each, their answers are checked equal byte for byte, then wrk measures each endpoint on both
# in alternating rounds and the median PostgreSQL/SQLite ratio is printed: a ward's list page,
# the province leader's list page, one dossier, the dashboard (GET /api/stats/units for the
# province and the seeded year), and durable writes — receptions (POST /api/dossiers: one
# transaction with the dossier, its event and the counters, acknowledged after the commit is
# on disk) from 1 client (each commit alone) and from 16 (commits that may share a flush).
# Then the database size per dossier on each. The PostgreSQL server is a throwaway cluster
# with its durable defaults (scripts/pg-cluster.sh, PG_CLUSTER_DURABLE=1) on the same
# machine; SQLite runs WAL with synchronous = FULL. Prints figures; asserts nothing.
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
t0=$SECONDS
"$CCHC" seed --dossiers "$N" --db "$T/b.db" | tail -1
echo "seeded in $((SECONDS - t0)) s"
echo "mat-khau-bench-1" | "$CCHC" user add --db "$T/b.db" --username bench --role desk_officer --unit DT.MYTHO >/dev/null
echo "mat-khau-bench-2" | "$CCHC" user add --db "$T/b.db" --username bench.dt --role leader --unit DT >/dev/null
t0=$SECONDS
"$CCHC" migrate --to "$PGDB" --db "$T/b.db" | tail -1
echo "copied in $((SECONDS - t0)) s"
size_line() { # the database size per dossier on both, now
  sqlite3 "$T/b.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null 2>&1 || true
  local sq pg ns np
  sq=$(( $(stat -c %s "$T/b.db") + $( [ -f "$T/b.db-wal" ] && stat -c %s "$T/b.db-wal" || echo 0) ))
  pg=$(psql "$PGDB" -qAtX -c "SELECT pg_database_size(current_database())")
  ns=$(sqlite3 "$T/b.db" "SELECT count(*) FROM dossiers")
  np=$(psql "$PGDB" -qAtX -c "SELECT count(*) FROM dossiers")
  printf '%s: SQLite %.1f MB, %d dossiers, %d bytes/dossier; PostgreSQL %.1f MB, %d dossiers, %d bytes/dossier; per dossier PG/SQ %.2f\n' \
    "$1" "$(awk -v b="$sq" 'BEGIN {print b / 1048576}')" "$ns" $((sq / ns)) \
    "$(awk -v b="$pg" 'BEGIN {print b / 1048576}')" "$np" $((pg / np)) \
    "$(awk -v a="$sq" -v b="$pg" -v x="$ns" -v y="$np" 'BEGIN {printf "%.2f", (b / y) / (a / x)}')"
}
psql "$PGDB" -qAtX -c "VACUUM ANALYZE" >/dev/null
size_line "== size after the copy"
start() { # DB PORTFILE -> pid
  "$CCHC" serve --db "$1" --port 0 --port-file "$2" --slow-ms 0 --threads "${BENCH_SERVER_THREADS:-2}" \
    >"$2.log" 2>&1 &
  echo $!
}
S1=$(start "$T/b.db" "$T/p1")
S2=$(start "$PGDB" "$T/p2")
for f in "$T/p1" "$T/p2"; do for _ in $(seq 200); do [ -s "$f" ] && break; sleep 0.05; done; done
A=http://127.0.0.1:$(cat "$T/p1") B=http://127.0.0.1:$(cat "$T/p2")
cookie() { # BASE TAG USER PASSWORD -> the Cookie header's value; the CSRF token in $T/csrf.TAG
  curl -s -c "$T/jar.$2" -o "$T/login.$2" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$3\",\"password\":\"$4\"}" "$1/api/session"
  sed -n 's/.*"csrf":"\([^"]*\)".*/\1/p' "$T/login.$2" >"$T/csrf.$2"
  echo "cchc_session=$(awk '$6 == "cchc_session" {print $7}' "$T/jar.$2")"
}
CA=$(cookie "$A" a bench mat-khau-bench-1) CB=$(cookie "$B" b bench mat-khau-bench-1)
LA=$(cookie "$A" la bench.dt mat-khau-bench-2) LB=$(cookie "$B" lb bench.dt mat-khau-bench-2)
CODE=$(curl -s -H "Cookie: $CA" "$A/api/dossiers?limit=1" | sed 's/.*"code":"\([^"]*\)".*/\1/' | head -1)
PROC=$(curl -s -H "Cookie: $CA" "$A/api/dossiers/$CODE" | sed 's/.*"procedure":"\([^"]*\)".*/\1/' | head -1)
YEAR=${BENCH_YEAR:-2025} # cchc seed's default year
DASH="/api/stats/units?unit=DT&period=$YEAR"
for path in "/api/dossiers?limit=50" "/api/dossiers/$CODE"; do
  cmp -s <(curl -s -H "Cookie: $CA" "$A$path") <(curl -s -H "Cookie: $CB" "$B$path") ||
    { echo "the two servers answer $path differently"; exit 1; }
done
cmp -s <(curl -s -H "Cookie: $LA" "$A$DASH") <(curl -s -H "Cookie: $LB" "$B$DASH") ||
  { echo "the two servers answer $DASH differently"; exit 1; }
grep -q '"units"' <(curl -s -H "Cookie: $LA" "$A$DASH") || { echo "no dashboard: $(curl -s -H "Cookie: $LA" "$A$DASH" | head -c 300)"; exit 1; }
# The receptions' request: the bench officer's ward, a procedure of the catalogue.
post_lua() { # TAG -> a wrk script posting a reception with TAG's CSRF token
  cat >"$T/post.$1.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"unit":"DT.MYTHO","procedure":"$PROC","applicant_name":"Người Thử Tải","documents":[1]}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-CSRF-Token"] = "$(cat "$T/csrf.$1")"
LUA
  echo "$T/post.$1.lua"
}
PA=$(post_lua a) PB=$(post_lua b)
run() { # URL COOKIE CONNECTIONS [SCRIPT] -> RPS
  local args=(-t 2 -c "$3" -d "${SECS}s" --timeout 30s -H "Cookie: $2")
  [ "$3" -lt 2 ] && args[1]=1
  [ -n "${4:-}" ] && args+=(-s "$4")
  wrk "${args[@]}" "$1" >"$T/wrk.out" 2>&1
  grep -q -e 'Non-2xx' -e 'Socket errors' "$T/wrk.out" && { cat "$T/wrk.out" >&2; exit 1; }
  awk '/Requests\/sec:/ {printf "%.0f\n", $2}' "$T/wrk.out"
}
echo "== wrk -t 2 -d ${SECS}s, $ROUNDS rounds, SQLite then PostgreSQL in each ($(nproc) cores)"
printf '%-36s %5s %12s %12s %7s\n' request round "SQLite r/s" "PG r/s" "PG/SQ"
for case in "list of 50 (ward)|/api/dossiers?limit=50|ward|16" \
            "list of 50 (province leader)|/api/dossiers?limit=50|leader|16" \
            "one dossier|/api/dossiers/$CODE|ward|16" \
            "dashboard (province, year)|$DASH|leader|16" \
            "durable receive, 1 client|/api/dossiers|post|1" \
            "durable receive, 16 clients|/api/dossiers|post|16"; do
  IFS='|' read -r name path who conns <<<"$case"
  ratios=""
  for r in $(seq "$ROUNDS"); do
    case $who in
      ward) a=$(run "$A$path" "$CA" "$conns"); b=$(run "$B$path" "$CB" "$conns") ;;
      leader) a=$(run "$A$path" "$LA" "$conns"); b=$(run "$B$path" "$LB" "$conns") ;;
      post) a=$(run "$A$path" "$CA" "$conns" "$PA"); b=$(run "$B$path" "$CB" "$conns" "$PB") ;;
    esac
    ratio=$(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.2f", b / a}')
    ratios="$ratios $ratio"
    printf '%-36s %5d %12d %12d %7s\n' "$name" "$r" "$a" "$b" "$ratio"
  done
  printf '%-36s median PostgreSQL/SQLite %s (rounds:%s)\n' "$name" \
    "$(echo "$ratios" | tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')" "$ratios"
done
psql "$PGDB" -qAtX -c "VACUUM ANALYZE" >/dev/null
size_line "== size after the receptions"
"$CCHC" audit verify --db "$T/b.db" | tail -1
"$CCHC" audit verify --db "$PGDB" | tail -1
