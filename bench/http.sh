#!/usr/bin/env bash
# bench/http.sh — requests/s and p99 latency of `cchc serve` on loopback for the officer's
# dossier lookup (GET /api/dossiers/{code}), a list page (GET /api/dossiers?limit=50) and the
# citizen lookup (POST /api/lookup), measured with wrk for a bounded time each, and in the
# same run nginx serving static files of the same sizes with the same wrk settings: the
# ratio says how close the dynamic API comes to a static file server (goal >= 80 % on both
# backends, issue 18).
# Prints figures; asserts nothing.
# The list is measured for a ward's desk officer and for the province's leader, whose scope is
# the whole tree (every unit and the units merged into them), and for the officer again on a
# second server without its caches (list_cache_mb = 0, read_cache_mb = 0). The machine is
# shared, so each endpoint runs BENCH_ROUNDS rounds (default 3) and the median ratio is reported.
# BENCH_WRITES=R adds a writer for the whole bench, cchc's runs and nginx's alike: R dossiers
# received per second through the first server (POST /api/dossiers at BENCH_WRITERS wards and
# communes in turn, one connection pacing itself), so the reads are measured while each write
# empties the caches (any commit empties the read cache, any dossier change the list pages).
# Default 0: no writes.
# Usage: bash bench/http.sh PATH_TO_cchc [SECONDS per run, default 10] [DOSSIERS, default 20000]
# BENCH_DB=PATH-OR-URL measures an existing database (an SQLite file or a PostgreSQL URL) instead
# of a fresh seed: the bench users are added when missing (their passwords as below), and the
# lookup dossier picked as on a seed (the ward DT.MYTHO must have dossiers). BENCH_PG=1 copies the
# seed (or the SQLite file BENCH_DB names) into a throwaway PostgreSQL database (`cchc migrate
# --to`) and measures there: on the cluster of $CCHC_TEST_PG when set, else on one started by
# scripts/pg-cluster.sh (durable, as bench/curve.sh does); the database is dropped afterwards.
# Needs wrk and nginx-light (Debian); installs them if missing (bench only, not the tests).
set -euo pipefail
CCHC=$(realpath "${1:?usage: bash bench/http.sh PATH_TO_cchc [SECONDS] [DOSSIERS]}")
SECS=${2:-10}
N=${3:-20000}
CONNS=${BENCH_CONNECTIONS:-16}
ROUNDS=${BENCH_ROUNDS:-3}
THREADS=${BENCH_THREADS:-2}
for p in wrk nginx-light; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" && continue
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$p" >/dev/null
done
ROOT=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d)
SRV=; SRV2=; NGX=; WRT=; PGCLUSTER=; PGBASE=; PGNAME=
WRITES=${BENCH_WRITES:-0}
[[ $WRITES =~ ^[0-9]+$ ]] && [ "$WRITES" -le 1000 ] ||
  { echo "BENCH_WRITES: '$WRITES' is not a number of writes per second from 0 to 1000"; exit 2; }
# (each stop ends in || true: under set -e a failing wait, such as a killed wrk's 143, would
# end the cleanup there and leave the rest running)
cleanup() {
  local p
  for p in "$WRT" "$SRV" "$SRV2" "$NGX"; do
    [ -n "$p" ] && { kill "$p"; wait "$p"; } 2>/dev/null || true
  done
  [ -n "$PGNAME" ] && psql "$PGBASE/postgres" -qAtX -c "DROP DATABASE IF EXISTS $PGNAME" >/dev/null 2>&1
  [ -n "$PGCLUSTER" ] && bash "$ROOT/scripts/pg-cluster.sh" stop "$PGCLUSTER" >/dev/null 2>&1
  rm -rf "$T"
}
trap cleanup EXIT

# A port nothing listens on (nginx cannot bind port 0 and report it), and no client uses.
free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 12000)) # below the ephemeral ports (32768-), which clients use
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}

DB=${BENCH_DB:-}
if [ -z "$DB" ] || { [ "${BENCH_PG:-0}" = 1 ] && [[ $DB != postgres* ]]; }; then
  if [ -z "$DB" ]; then
    echo "== seeding $N dossiers (cchc seed, demo province)"
    "$CCHC" seed --dossiers "$N" --db "$T/b.db" | tail -1
    DB=$T/b.db
    if [ "${BENCH_PG:-0}" != 1 ]; then # the default: the users in the seed, as always
      echo "mat-khau-bench-1" | "$CCHC" user add --db "$DB" --username bench --role desk_officer --unit DT.MYTHO >/dev/null
      echo "mat-khau-bench-2" | "$CCHC" user add --db "$DB" --username bench.dt --role leader --unit DT >/dev/null
    fi
  fi
  if [ "${BENCH_PG:-0}" = 1 ]; then
    if [ -n "${CCHC_TEST_PG:-}" ]; then
      PGBASE=${CCHC_TEST_PG%/*}
    else
      PGCLUSTER=$(PG_CLUSTER_DURABLE=1 bash "$ROOT/scripts/pg-cluster.sh" start)
      PGBASE=${PGCLUSTER%/*}
    fi
    PGNAME=cchc_bench_http_$$
    psql "$PGBASE/postgres" -qAtX -c "CREATE DATABASE $PGNAME TEMPLATE template0" >/dev/null
    echo "== copying $DB into PostgreSQL ($PGBASE/$PGNAME)"
    "$CCHC" migrate --to "$PGBASE/$PGNAME" --db "$DB" | tail -1
    DB=$PGBASE/$PGNAME
    psql "$DB" -qAtX -c "VACUUM ANALYZE" >/dev/null
  fi
else
  echo "== existing database $DB"
fi
if [ "$DB" != "$T/b.db" ]; then # the bench users, when missing (an existing one keeps its password)
  echo "mat-khau-bench-1" | "$CCHC" user add --db "$DB" --username bench --role desk_officer --unit DT.MYTHO >/dev/null 2>&1 || true
  echo "mat-khau-bench-2" | "$CCHC" user add --db "$DB" --username bench.dt --role leader --unit DT >/dev/null 2>&1 || true
fi
case $DB in postgres*) echo "== backend: PostgreSQL (each statement a round trip on loopback)" ;; *) echo "== backend: SQLite" ;; esac
MTOKEN=bench-metrics-token-$$ # /metrics (the writer's count) is off without one
"$CCHC" serve --db "$DB" --port 0 --port-file "$T/port" --slow-ms 0 --metrics-token "$MTOKEN" \
  --threads "${BENCH_SERVER_THREADS:-2}" >"$T/serve.log" 2>&1 &
SRV=$!
for _ in $(seq 100); do [ -s "$T/port" ] && break; sleep 0.05; done
BASE=http://127.0.0.1:$(cat "$T/port")
# The same server without its caches (list_cache_mb = 0, read_cache_mb = 0): the session, the
# scope and every entry read and written from the rows, the cost of a page whose dossiers all
# changed since last shown (with the caches a list page is kept whole until any dossier changes,
# docs/scale.md "The read cache").
"$CCHC" serve --db "$DB" --port 0 --port-file "$T/port2" --slow-ms 0 --list-cache-mb 0 --read-cache-mb 0 \
  --threads "${BENCH_SERVER_THREADS:-2}" >"$T/serve2.log" 2>&1 &
SRV2=$!
for _ in $(seq 100); do [ -s "$T/port2" ] && break; sleep 0.05; done
BASE2=http://127.0.0.1:$(cat "$T/port2")
# sign_in USER PASSWORD: prints the session's Cookie header value ("cchc_session=" alone when
# the sign-in failed); the answer, with the session's csrf, is left in $T/signin.json.
sign_in() {
  curl -s -c "$T/signin.jar" -o "$T/signin.json" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"$2\"}" "$BASE/api/session"
  echo "cchc_session=$(awk '$6 == "cchc_session" {print $7}' "$T/signin.jar")"
}
COOKIE=$(sign_in bench mat-khau-bench-1)
PROVINCE_COOKIE=$(sign_in bench.dt mat-khau-bench-2)
[ "$COOKIE" != "cchc_session=" ] && [ "$PROVINCE_COOKIE" != "cchc_session=" ] ||
  { echo "the bench users could not sign in (an existing bench or bench.dt with another password?)"; exit 1; }
# The dossier to look up: the first on the ward's first page whose applicant gave a phone (the
# citizen lookup's second factor; the seed leaves some without one).
curl -s -H "Cookie: $COOKIE" "$BASE/api/dossiers?limit=50" >"$T/first.json"
CODE='' PHONE=''
for c in $(grep -o '"code":"[^"]*"' "$T/first.json" | cut -d'"' -f4); do
  curl -s -H "Cookie: $COOKIE" "$BASE/api/dossiers/$c" >"$T/lookup.json"
  PHONE=$(sed -n 's/.*"phone":"\([0-9+]*\)".*/\1/p' "$T/lookup.json")
  [ -n "$PHONE" ] && { CODE=$c; break; }
done
[ -n "$CODE" ] || { echo "no dossier with a phone among the first 50 of the ward"; exit 1; }
curl -s -H "Cookie: $COOKIE" "$BASE/api/dossiers?limit=50" >"$T/list.json"
curl -s -H "Cookie: $PROVINCE_COOKIE" "$BASE/api/dossiers?limit=50" >"$T/list-province.json"
LOOKUP_BODY="{\"code\":\"$CODE\",\"phone\":\"$PHONE\"}"
curl -s -H 'Content-Type: application/json' -d "$LOOKUP_BODY" "$BASE/api/lookup" >"$T/citizen.json"
grep -q '"status"' "$T/citizen.json" || { echo "citizen lookup failed: $(cat "$T/citizen.json")"; exit 1; }
grep -q '"code"' "$T/list-province.json" || { echo "province list failed: $(head -c 300 "$T/list-province.json")"; exit 1; }
cat >"$T/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$LOOKUP_BODY'
wrk.headers["Content-Type"] = "application/json"
LUA

# The writer (BENCH_WRITES): one connection that waits 1000/R ms after each answer (wrk's
# delay()), for longer than the bench, stopped at the end. A unit's dossier codes number at
# most 9,999 a day (the code's four-digit sequence, src/core/dossier.h), so the receipts go in
# turn to the first BENCH_WRITERS wards and communes (default 8), each by a desk officer of
# its own (bench.wN, added when missing): 100 a second for the bench's 150 s stays within it.
# writes_done: the receipts the first server answered so far, 201 or other (its /metrics).
writes_done() {
  curl -s -H "Authorization: Bearer $MTOKEN" "$BASE/metrics" | awk -v s="$1" '$1 ~ /^cchc_http_requests_total\{method="POST",route="\/api\/dossiers",/ {
      split($1, a, "status=\""); split(a[2], b, "\""); if ((s == "201") == (b[1] == "201")) n += $2 }
    END { print n + 0 }'
}
if [ "$WRITES" -gt 0 ]; then
  PROC=$(jq -r .procedure "$T/lookup.json")
  WUNITS=$(curl -s -H "Cookie: $COOKIE" "$BASE/api/units" |
    jq -r '.units[] | select(.kind == "ward" or .kind == "commune") | .code' | head -n "${BENCH_WRITERS:-8}")
  [ -n "$WUNITS" ] || { echo "no ward or commune for the writer"; exit 1; }
  echo "local writers, reqs = {}, {}" >"$T/write.lua"
  i=0
  for u in $WUNITS; do
    i=$((i + 1))
    echo "mat-khau-bench-w" | "$CCHC" user add --db "$DB" --username "bench.w$i" --role desk_officer \
      --unit "$u" >/dev/null 2>&1 || true
    wcookie=$(sign_in "bench.w$i" mat-khau-bench-w) wcsrf=$(jq -r .csrf "$T/signin.json")
    wbody="{\"unit\":\"$u\",\"procedure\":\"$PROC\",\"applicant_name\":\"Nguyễn Văn Ghi\",\"applicant_phone\":\"0912345678\"}"
    # one receipt by hand first: the user, the unit and the procedure are good
    st=$(curl -s -o "$T/w1.json" -w '%{http_code}' -H 'Content-Type: application/json' \
      -H "Cookie: $wcookie" -H "X-CSRF-Token: $wcsrf" -d "$wbody" "$BASE/api/dossiers")
    [ "$st" = 201 ] || { echo "the writer's receipt at $u failed: $st $(cat "$T/w1.json")"; exit 1; }
    cat >>"$T/write.lua" <<LUA
writers[#writers + 1] = {"$wcookie", "$wcsrf", '$wbody'}
LUA
  done
  cat >>"$T/write.lua" <<LUA
-- built in init(), once wrk has set the Host header the requests need
function init(args)
  for _, w in ipairs(writers) do
    reqs[#reqs + 1] = wrk.format("POST", "/api/dossiers", {["Host"] = wrk.headers["Host"],
      ["Content-Type"] = "application/json", ["Cookie"] = w[1], ["X-CSRF-Token"] = w[2]}, w[3])
  end
end
local n = 0
function request() n = n % #reqs + 1; return reqs[n] end
function delay() return $((1000 / WRITES)) end
LUA
  W0=$(writes_done 201) W0X=$(writes_done other) W0T=$(date +%s.%N)
  wrk -t 1 -c 1 -d 86400s -s "$T/write.lua" "$BASE/api/dossiers" >"$T/writer.out" 2>&1 &
  WRT=$!
  echo "== writer: $WRITES receipts/s (POST /api/dossiers) at $(echo $WUNITS | tr ' ' ','), in turn, on the first server during every run"
fi

# nginx: the same bodies as static files, two workers like cchc's two threads.
mkdir -p "$T/www" "$T/ngx/logs"
cp "$T/lookup.json" "$T/www/lookup.json"
cp "$T/list.json" "$T/www/list.json"
cp "$T/list-province.json" "$T/www/list-province.json"
cp "$T/citizen.json" "$T/www/citizen.json"
NPORT=$(free_port)
cat >"$T/ngx/nginx.conf" <<NGX
worker_processes ${BENCH_SERVER_THREADS:-2};
pid $T/ngx/nginx.pid;
error_log $T/ngx/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$NPORT;
    root $T/www;
    location / { default_type application/json; }
  }
}
NGX
# nginx's workers run as www-data: they must be able to read the files.
chmod 755 "$T" "$T/www"
chmod 644 "$T/www"/*.json
nginx -p "$T/ngx" -c "$T/ngx/nginx.conf" -g 'daemon off;' &
NGX=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$NPORT/list.json" && break; sleep 0.05; done

# run URL [wrk args…]: sets RPS and P99 (ms); stops the bench on any non-2xx answer.
run() {
  local url=$1; shift
  wrk -t "$THREADS" -c "$CONNS" -d "${SECS}s" --latency "$@" "$url" >"$T/wrk.out" 2>&1
  if grep -q -e 'Non-2xx' -e 'Socket errors' "$T/wrk.out"; then
    echo "errors from $url:" >&2
    cat "$T/wrk.out" >&2
    exit 1
  fi
  read -r RPS P99 < <(awk '/Requests\/sec:/ {rps = $2}
       $1 == "99%" { v = $2; u = v; gsub(/[0-9.]/, "", u); sub(/[a-z]+$/, "", v);
                     ms = (u == "us") ? v / 1000 : (u == "s") ? v * 1000 : v }
       END { printf "%.0f %.2f\n", rps, ms }' "$T/wrk.out")
}

echo "== wrk -t $THREADS -c $CONNS -d ${SECS}s on 127.0.0.1 ($(nproc) cores shared by server and wrk)"
echo "   $ROUNDS rounds per endpoint, cchc then nginx in each, so both see the same moment's load"
printf '%-38s %5s %8s %12s %9s %12s %9s %7s\n' endpoint round bytes "cchc req/s" "p99 ms" \
  "nginx req/s" "p99 ms" ratio
SUMMARY=""
bench() { # NAME FILE CCHC_URL [wrk args]
  local name=$1 file=$2 url=$3; shift 3
  local ratios="" r
  for r in $(seq "$ROUNDS"); do
    run "$url" "$@"
    local c_rps=$RPS c_p99=$P99
    run "http://127.0.0.1:$NPORT/$file"
    local n_rps=$RPS n_p99=$P99
    local ratio
    ratio=$(awk -v a="$c_rps" -v b="$n_rps" 'BEGIN {printf "%.1f", 100 * a / b}')
    ratios="$ratios $ratio"
    printf '%-38s %5d %8d %12d %9.2f %12d %9.2f %6.1f%%\n' "$name" "$r" "$(stat -c %s "$T/www/$file")" \
      "$c_rps" "$c_p99" "$n_rps" "$n_p99" "$ratio"
  done
  SUMMARY="$SUMMARY$(printf '%-38s median %5.1f%%  (rounds:%s)' "$name" \
    "$(echo "$ratios" | tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{v[NR] = $1}
       END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}')" "$ratios")
"
}
bench "GET /api/dossiers/{code}" lookup.json "$BASE/api/dossiers/$CODE" -H "Cookie: $COOKIE"
bench "GET /api/dossiers?limit=50" list.json "$BASE/api/dossiers?limit=50" -H "Cookie: $COOKIE"
bench "GET /api/dossiers?limit=50 (prov.)" list-province.json "$BASE/api/dossiers?limit=50" \
  -H "Cookie: $PROVINCE_COOKIE"
cmp -s "$T/list.json" <(curl -s -H "Cookie: $COOKIE" "$BASE2/api/dossiers?limit=50") ||
  { echo "the list without the cache differs from the list with it"; exit 1; }
bench "GET /api/dossiers?limit=50 (no caches)" list.json "$BASE2/api/dossiers?limit=50" \
  -H "Cookie: $COOKIE"
bench "POST /api/lookup (citizen)" citizen.json "$BASE/api/lookup" -s "$T/post.lua"
if [ "$WRITES" -gt 0 ]; then
  w=$(($(writes_done 201) - W0)) wx=$(($(writes_done other) - W0X))
  [ "$w" -gt 0 ] || { echo "the writer wrote nothing: $(cat "$T/writer.out")"; exit 1; }
  echo "== writer: $w receipts in $(awk -v a="$W0T" -v b="$(date +%s.%N)" -v w="$w" \
    'BEGIN {printf "%.0f s, %.1f/s", b - a, w / (b - a)}'), $wx answered otherwise"
  if [ "$wx" != 0 ]; then
    echo "the writer's receipts failed (since the start of the server, by status):"
    curl -s -H "Authorization: Bearer $MTOKEN" "$BASE/metrics" |
      grep '^cchc_http_requests_total{method="POST",route="/api/dossiers",'
    grep -v '^$' "$T/serve.log" | sort | uniq -c | sort -rn | head -5
    exit 1
  fi
fi
echo "== cchc as a share of nginx's requests/s (goal >= 80 %)"
printf '%s' "$SUMMARY"
