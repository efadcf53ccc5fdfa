#!/usr/bin/env bash
# bench/http-instructions.sh — what one request costs the server in CPU instructions, counted by
# valgrind's callgrind (user space, the whole server process: microhttpd, cchc, SQLite, libc)
# over N identical requests after the sign-in. Unlike requests/s on a shared machine the
# count is the same from run to run, so it shows what a change to the code does. With a
# second binary (say a build of the previous commit) both run on the same database and
# the ratio is printed. Prints figures; asserts nothing. The kernel's share (sending the
# bytes) is not counted: bench/http.sh measures the whole.
# Usage: bash bench/http-instructions.sh PATH_TO_cchc [BASELINE_cchc] [REQUESTS, default 100]
# BENCH_CG_KEEP=DIR keeps each count's callgrind file there (cg.1, cg.2 … in the order
# printed), for callgrind_annotate --inclusive=yes.
# Needs valgrind (Debian); installs it if missing (bench only, not the tests).
set -euo pipefail
NEW=$(realpath "${1:?usage: bash bench/http-instructions.sh PATH_TO_cchc [BASELINE_cchc] [N]}")
OLD=${2:+$(realpath "$2")}
N=${3:-100}
SERVE_ARGS=
dpkg-query -W -f='${Status}' valgrind 2>/dev/null | grep -q "install ok installed" || {
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends valgrind >/dev/null
}
T=$(mktemp -d)
SRV=
cleanup() {
  [ -n "$SRV" ] && kill "$SRV" 2>/dev/null && wait "$SRV" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT

# The same data for both binaries: the older one's migrations must accept the database,
# so the seed is made by the baseline when there is one.
"${OLD:-$NEW}" seed --dossiers 20000 --db "$T/b.db" | tail -1
for u in "bench desk_officer DT.MYTHO" "bench.dt leader DT"; do
  set -- $u
  echo "mat-khau-$1-1" | "${OLD:-$NEW}" user add --db "$T/b.db" --username "$1" --role "$2" \
    --unit "$3" >/dev/null
done

# count BIN USER METHOD PATH [BODY]: instructions per request -> $COUNT; $SERVE_ARGS are
# added to `cchc serve`.
count() {
  local bin=$1 user=$2 method=$3 path=$4 body=${5:-}
  cp "$T/b.db" "$T/run.db"
  "$bin" migrate --db "$T/run.db" --backup none >/dev/null # a newer schema (serve does not)
  rm -f "$T/port" "$T/cg.out"
  valgrind --tool=callgrind --callgrind-out-file="$T/cg.out" --instr-atstart=no \
    "$bin" serve --db "$T/run.db" --port 0 --port-file "$T/port" --slow-ms 0 --threads 1 $SERVE_ARGS \
    >"$T/serve.log" 2>&1 &
  SRV=$!
  for _ in $(seq 600); do [ -s "$T/port" ] && break; sleep 0.05; done
  [ -s "$T/port" ] || { echo "$bin did not start:" >&2; cat "$T/serve.log" >&2; exit 1; }
  local base=http://127.0.0.1:$(cat "$T/port") cookie=()
  if [ "$user" != - ]; then
    curl -s -c "$T/jar" -o /dev/null -H 'Content-Type: application/json' \
      -d "{\"username\":\"$user\",\"password\":\"mat-khau-$user-1\"}" "$base/api/session"
    cookie=(-H "Cookie: cchc_session=$(awk '$6 == "cchc_session" {print $7}' "$T/jar")")
  fi
  # One request outside the count: statements prepared, caches filled.
  curl -s -o "$T/first" "${cookie[@]}" ${body:+-H 'Content-Type: application/json' -d "$body"} \
    -X "$method" "$base$path"
  callgrind_control -i on "$SRV" >/dev/null 2>&1
  for _ in $(seq "$N"); do
    curl -s -o /dev/null "${cookie[@]}" ${body:+-H 'Content-Type: application/json' -d "$body"} \
      -X "$method" "$base$path"
  done
  callgrind_control -i off "$SRV" >/dev/null 2>&1
  kill "$SRV"
  wait "$SRV" 2>/dev/null || true
  SRV=
  local total
  total=$(callgrind_annotate "$T/cg.out" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
  COUNT=$((total / N))
  if [ -n "${BENCH_CG_KEEP:-}" ]; then
    KEPT=$((${KEPT:-0} + 1))
    mkdir -p "$BENCH_CG_KEEP" && cp "$T/cg.out" "$BENCH_CG_KEEP/cg.$KEPT"
  fi
}

# The dossier and the citizen's second factor, from the data (on a copy, which the newer
# binary migrates).
cp "$T/b.db" "$T/probe.db"
"$NEW" migrate --db "$T/probe.db" --backup none >/dev/null
"$NEW" serve --db "$T/probe.db" --port 0 --port-file "$T/port" >"$T/serve.log" 2>&1 &
SRV=$!
for _ in $(seq 100); do [ -s "$T/port" ] && break; sleep 0.05; done
BASE=http://127.0.0.1:$(cat "$T/port")
curl -s -c "$T/jar" -o /dev/null -H 'Content-Type: application/json' \
  -d '{"username":"bench","password":"mat-khau-bench-1"}' "$BASE/api/session"
C="Cookie: cchc_session=$(awk '$6 == "cchc_session" {print $7}' "$T/jar")"
CODE=$(curl -s -H "$C" "$BASE/api/dossiers?limit=1" | sed 's/.*"code":"\([^"]*\)".*/\1/' | head -1)
PHONE=$(curl -s -H "$C" "$BASE/api/dossiers/$CODE" | sed -n 's/.*"phone":"\([0-9+]*\)".*/\1/p')
kill "$SRV"; wait "$SRV" 2>/dev/null || true; SRV=
rm -f "$T/port"

echo "== callgrind instructions per request, $N requests each (user space, whole server)"
printf '%-36s %14s %14s %8s\n' request "cchc" "baseline" ratio
row() { # NAME USER METHOD PATH [BODY]
  local name=$1; shift
  count "$NEW" "$@"
  local new=$COUNT old="" ratio=""
  if [ -n "$OLD" ]; then
    count "$OLD" "$@"
    old=$COUNT
    ratio=$(awk -v a="$new" -v b="$old" 'BEGIN {printf "%.2f", a / b}')
  fi
  printf '%-36s %14d %14s %8s\n' "$name" "$new" "${old:--}" "${ratio:--}"
}
row "GET /api/dossiers/{code}" bench GET "/api/dossiers/$CODE"
row "GET /api/dossiers?limit=50 (ward)" bench GET "/api/dossiers?limit=50"
row "GET /api/dossiers?limit=50 (prov.)" bench.dt GET "/api/dossiers?limit=50"
# Without the list entry cache (the baseline may not know the option: it gets none).
SERVE_ARGS="--list-cache-mb 0" count "$NEW" bench GET "/api/dossiers?limit=50"
nocache=$COUNT
printf '%-36s %14d %14s %8s\n' "GET /api/dossiers?limit=50 (no cache)" "$nocache" - -
row "POST /api/lookup (citizen)" - POST /api/lookup "{\"code\":\"$CODE\",\"phone\":\"$PHONE\"}"
