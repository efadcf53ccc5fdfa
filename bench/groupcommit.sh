#!/usr/bin/env bash
# bench/groupcommit.sh — durable API writes per second with group commit across requests on
# SQLite (group_commit = true) against each commit syncing alone (group_commit = false,
# synchronous = FULL), in the same run, from 1, 16 and 64 concurrent clients; and PostgreSQL
# (durable settings) beside them unless BENCH_PG=0, with group commit (the flush waited for
# after the advisory write lock, so the server shares it) and without (each commit flushes
# inside COMMIT, holding the lock). A write is a
# reception, POST /api/dossiers: one transaction with the dossier, its event, the audit head
# and the counters, answered 201 only once the commit is on disk. Each server runs with as
# many threads as the most clients (BENCH_SERVER_THREADS, default 64): a request holds its
# thread while it waits for its sync, so commits can only share a sync up to the thread count
# (the PostgreSQL servers: 40 threads each, BENCH_PG_THREADS).
# Beside them, the ceiling: a server committing without any sync (synchronous = NORMAL, group
# commit off; not durable on power loss), so the share of it group commit reaches is printed.
# The databases hold the test fixtures only (tests/data/api): the cost measured is the commit,
# not the data size. Rounds alternate the servers so that each sees the same moment's load;
# the median ratio is printed. Prints figures; asserts nothing (beyond every answer being 201).
# BENCH_SYNC_DELAY_US=N runs every server (SQLite's and PostgreSQL's) under strace, which delays
# each fsync/fdatasync by N µs: a slower disk than this machine's, on which a commit that waits
# for its own sync costs what it does on a real server's storage.
# Usage: bash bench/groupcommit.sh PATH_TO_cchc [SECONDS per run, default 5] [ROUNDS, default 3]
set -euo pipefail
CCHC=$(realpath "${1:?usage: bash bench/groupcommit.sh PATH_TO_cchc [SECONDS] [ROUNDS]}")
SECS=${2:-5}
ROUNDS=${3:-3}
THREADS=${BENCH_SERVER_THREADS:-64}
# connections of each PostgreSQL server (the throwaway cluster is started with room for both)
PG_THREADS=${BENCH_PG_THREADS:-40}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=$ROOT/tests/data/api
dpkg-query -W -f='${Status}' wrk 2>/dev/null | grep -q "install ok installed" ||
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null
T=$(mktemp -d)
PGURL=; PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
  [ -n "$PGURL" ] && bash "$ROOT/scripts/pg-cluster.sh" stop "$PGURL" >/dev/null 2>&1
  rm -rf "$T"
}
trap cleanup EXIT
export CCHC_BACKDATE_TOLERANCE=off

# 20 wards under the province: a unit numbers at most 9,999 dossiers a day (the code's
# sequence, Circular 01/2018/TT-VPCP Art. 19), so the receptions go round the wards.
{
  echo "code,name,kind,parent,valid_from,valid_to,successor,ident_code"
  echo "P,Tỉnh Thử Nghiệm,province,,2025-07-01,,,000.00.00.H99"
  for i in $(seq 20); do printf 'P.W%02d,Phường Đo %d,ward,P,2025-07-01,,,000.00.%02d.H99\n' "$i" "$i" $((40 + i)); done
} >"$T/units.csv"
prepare() { # DB: the wards, the fixture procedures, and the desk officer bench of the province
  "$CCHC" init --db "$1" --keys "$T/keys.$RANDOM" >/dev/null
  "$CCHC" import units "$T/units.csv" --db "$1" >/dev/null
  "$CCHC" import procedures "$DATA/procedures.csv" --db "$1" >/dev/null
  echo "mat-khau-bench-1" | "$CCHC" user add --db "$1" --username bench --role desk_officer \
    --name "Cán bộ đo" --unit P >/dev/null
}
WRAP=()
[ -n "${BENCH_SYNC_DELAY_US:-}" ] && ! command -v strace >/dev/null &&
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends strace >/dev/null
[ -n "${BENCH_SYNC_DELAY_US:-}" ] && WRAP=(strace -D -f --seccomp-bpf -qq -o /dev/null
  -e trace=fsync,fdatasync -e "inject=fsync,fdatasync:delay_exit=$BENCH_SYNC_DELAY_US")
declare -A BASE LUA
. "$(dirname "$0")/wrk-receptions.sh"
start() { # NAME DB FLAGS…: a server, its base URL and its wrk script (session and CSRF token)
  local name=$1 db=$2 threads=$THREADS
  shift 2
  [ "${name#pg}" != "$name" ] && threads=$PG_THREADS
  reception_server "$name" "$db" "$threads" bench P "$@"
}
prepare "$T/on.db"
prepare "$T/off.db"
start on "$T/on.db" --group-commit=true --metrics-token bench-metrics-token-0123456789
start off "$T/off.db" --group-commit=false
# the ceiling: the same requests committed without any sync (synchronous = NORMAL, not durable
# on power loss), what the server's CPU allows on this machine
prepare "$T/nosync.db"
start nosync "sqlite:$T/nosync.db?synchronous=normal" --group-commit=false
if [ "${BENCH_PG:-1}" = 1 ]; then
  # two servers of PG_THREADS connections each, and the CLI's
  PGURL=$(PG_CLUSTER_DURABLE=1 PG_CLUSTER_SYNC_DELAY_US=${BENCH_SYNC_DELAY_US:-} PG_CLUSTER_MAX_CONNECTIONS=$((2 * PG_THREADS + 10)) \
    bash "$ROOT/scripts/pg-cluster.sh" start)
  psql "$PGURL" -qAtX -c "CREATE DATABASE bench TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'" >/dev/null
  psql "$PGURL" -qAtX -c "CREATE DATABASE bench2 TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'" >/dev/null
  prepare "${PGURL%/*}/bench"
  prepare "${PGURL%/*}/bench2"
  start pg "${PGURL%/*}/bench" --group-commit=true --metrics-token bench-metrics-token-0123456789
  start pgoff "${PGURL%/*}/bench2" --group-commit=false
fi

run() { # NAME CLIENTS -> requests/s
  local args=(-t 2 -c "$2" -d "${SECS}s" --timeout 30s -s "${LUA[$1]}")
  [ "$2" -lt 2 ] && args[1]=1
  timeout $((SECS + 60)) wrk "${args[@]}" "${BASE[$1]}/api/dossiers" >"$T/wrk.out" 2>&1
  if grep -q -e 'Non-2xx' -e 'Socket errors' "$T/wrk.out" || ! grep -q 'Requests/sec' "$T/wrk.out"; then
    echo "server $1, $2 clients:" >&2
    cat "$T/wrk.out" >&2
    curl -s -b "$T/jar.$1" -H "X-CSRF-Token: $(jq -r .csrf "$T/login.$1")" -H 'Content-Type: application/json' \
      -d '{"unit":"P.W01","procedure":"9.000001","applicant_name":"Người Thử Tải","documents":[1,2]}' \
      "${BASE[$1]}/api/dossiers" >&2
    tail -5 "$T/serve.$1.log" >&2
    exit 1
  fi
  awk '/Requests\/sec:/ {printf "%.0f\n", $2}' "$T/wrk.out"
}
median() { tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
echo "== durable receptions/s, wrk -d ${SECS}s, $ROUNDS rounds, servers of $THREADS threads ($(nproc) cores, shared)${BENCH_SYNC_DELAY_US:+, each sync delayed ${BENCH_SYNC_DELAY_US} µs}"
printf '%-8s %5s %12s %12s %8s %12s %8s' clients round "group r/s" "alone r/s" "on/off" "no-sync r/s" "on/nosync"
[ -n "$PGURL" ] && printf ' %10s %12s %8s %8s' "PG r/s" "PG alone r/s" "PG on/off" "PG/on"
echo
for c in 1 16 64; do
  ratios="" pgr="" pgg=""
  for r in $(seq "$ROUNDS"); do
    a=$(run on "$c")
    b=$(run off "$c")
    ratio=$(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.2f", a / b}')
    ratios="$ratios $ratio"
    x=$(run nosync "$c")
    printf '%-8d %5d %12d %12d %8s %12d %8s' "$c" "$r" "$a" "$b" "$ratio" "$x" \
      "$(awk -v a="$a" -v x="$x" 'BEGIN {printf "%.2f", a / x}')"
    if [ -n "$PGURL" ]; then
      p=$(run pg "$c")
      q=$(run pgoff "$c")
      pr=$(awk -v a="$a" -v p="$p" 'BEGIN {printf "%.2f", p / a}')
      pg=$(awk -v p="$p" -v q="$q" 'BEGIN {printf "%.2f", p / q}')
      pgr="$pgr $pr" pgg="$pgg $pg"
      printf ' %10d %12d %8s %8s' "$p" "$q" "$pg" "$pr"
    fi
    echo
  done
  printf '%-8d median group/alone %s (rounds:%s)' "$c" "$(echo "$ratios" | median)" "$ratios"
  [ -n "$PGURL" ] && printf '; median PG group/alone %s; median PG/SQLite group %s' \
    "$(echo "$pgg" | median)" "$(echo "$pgr" | median)"
  echo
done
curl -s -H "Authorization: Bearer bench-metrics-token-0123456789" "${BASE[on]}/metrics" |
  awk '$1 == "cchc_db_group_commits_total" {c = $2} $1 == "cchc_db_group_syncs_total" {s = $2}
       END {printf "group commit server: %d commits, %d WAL syncs, %.1f commits per sync\n", c, s, s ? c / s : 0}'
[ -n "$PGURL" ] && curl -s -H "Authorization: Bearer bench-metrics-token-0123456789" "${BASE[pg]}/metrics" |
  awk '$1 == "cchc_db_group_commits_total" {c = $2} $1 == "cchc_db_group_syncs_total" {s = $2}
       END {printf "PostgreSQL group commit server: %d commits, %d flushes asked for, %.1f commits per flush asked\n", c, s, s ? c / s : 0}'
for n in on off nosync; do "$CCHC" audit verify --db "$T/$n.db" | tail -1; done
