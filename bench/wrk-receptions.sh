# bench/wrk-receptions.sh — sourced by the write benchmarks (groupcommit.sh, province-lock.sh):
# starts a `cchc serve` and writes its wrk script of receptions (POST /api/dossiers into 20 wards
# PREFIX.W01…W20, the fixture procedure 9.000001), signed in as USER (password
# mat-khau-bench-1). Needs from the caller: CCHC, T, the arrays PIDS (server pids are added)
# and WRAP (a command prefix, may be empty), and the associative arrays BASE and LUA, which get
# the server's base URL and the script's path under NAME.
# Usage: reception_server NAME DB THREADS USER PREFIX [serve flags…]
reception_server() {
  local name=$1 db=$2 threads=$3 user=$4 prefix=$5
  shift 5
  "${WRAP[@]}" "$CCHC" serve --db "$db" --port 0 --port-file "$T/port.$name" --slow-ms 0 \
    --threads "$threads" --max-conns-per-ip 256 --backdate-tolerance off "$@" >"$T/serve.$name.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 200); do [ -s "$T/port.$name" ] && break; sleep 0.05; done
  [ -s "$T/port.$name" ] || { echo "server $name did not start:" >&2; cat "$T/serve.$name.log" >&2; exit 1; }
  BASE[$name]=http://127.0.0.1:$(cat "$T/port.$name")
  curl -s -c "$T/jar.$name" -o "$T/login.$name" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$user\",\"password\":\"mat-khau-bench-1\"}" "${BASE[$name]}/api/session"
  cat >"$T/post.$name.lua" <<LUA
wrk.method = "POST"
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, nil, nil, string.format('{"unit":"$prefix.W%02d","procedure":"9.000001",'
    .. '"applicant_name":"Người Thử Tải","documents":[1,2]}', n % 20 + 1))
end
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-CSRF-Token"] = "$(jq -r .csrf "$T/login.$name")"
wrk.headers["Cookie"] = "cchc_session=$(awk '$6 == "cchc_session" {print $7}' "$T/jar.$name")"
LUA
  LUA[$name]=$T/post.$name.lua
}
