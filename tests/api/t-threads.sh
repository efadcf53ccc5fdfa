#!/usr/bin/env bash
# t-threads.sh — the server's threads at once: for about four seconds, two clients receive
# and advance dossiers while four others read list pages (two officers' scopes, filtered and
# not), single dossiers and citizen lookups, on a server with four threads (four database
# connections, each with its scope cache and list entry cache). Then: no request failed, the
# audit chain verifies, and every list page equals the page of a fresh server without the
# list cache. Built with -DCCHC_TSAN=ON the same run is ThreadSanitizer's workload.
source "$(dirname "$0")/lib.sh" "$1"
setup_db
start_server --threads 4
for u in desk_a desk_b leader_a; do login "$u"; done

SECS=${T_THREADS_SECONDS:-4}
# writer USER UNIT N: receives dossiers and advances each once, until the time is up.
writer() {
  local user=$1 unit=$2 n=0 end=$((SECONDS + SECS)) hard=$((SECONDS + 60)) code
  # for SECS seconds, and on a slow (shared, loaded) machine until five dossiers at least
  while { [ "$SECONDS" -lt "$end" ] || [ "$n" -lt 5 ]; } && [ "$SECONDS" -lt "$hard" ]; do
    n=$((n + 1))
    code=$(curl -s --max-time 10 -b "$T/$user.jar" -H "X-CSRF-Token: $(cat "$T/$user.csrf")" \
      -H 'Content-Type: application/json' -w '\n%{http_code}' \
      -d "{\"unit\":\"$unit\",\"procedure\":\"9.000001\",\"applicant_name\":\"Người Thứ $n\",\"applicant_phone\":\"$(printf '091200%04d' $((n % 10000)))\",\"documents\":[1,2]}" \
      "$BASE/api/dossiers")
    [ "${code##*$'\n'}" = 201 ] || { echo "receive: $code" >>"$T/errors"; continue; }
    code=$(jq -r .code <<<"${code%$'\n'*}")
    echo "$code" >>"$T/codes.$user"
    local st
    st=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' -b "$T/$user.jar" \
      -H "X-CSRF-Token: $(cat "$T/$user.csrf")" -H 'Content-Type: application/json' -d '{}' \
      "$BASE/api/dossiers/$code/advance")
    [ "$st" = 200 ] || echo "advance $code: $st" >>"$T/errors"
  done
}
# reader USER PATH…: reads the paths in turn until the time is up; every answer 200, and JSON
# under /api.
reader() {
  local user=$1 end=$((SECONDS + SECS)) out="$T/read.$BASHPID"
  shift
  while [ "$SECONDS" -lt "$end" ]; do
    local p
    for p in "$@"; do
      local st
      st=$(curl -s --max-time 10 -o "$out" -w '%{http_code}' -b "$T/$user.jar" -H "Authorization: Bearer $METRICS_TOKEN" "$BASE$p")
      if [ "$st" != 200 ] || { [ "${p#/api/}" != "$p" ] && ! jq -e . "$out" >/dev/null 2>&1; }; then
        echo "GET $p by $user: $st" >>"$T/errors"
      fi
    done
  done
}
writer desk_a P.A &
w1=$!
writer desk_b P.B &
w2=$!
reader desk_a '/api/dossiers?limit=20' '/api/dossiers?status=processing' \
  '/api/dossiers?limit=5&offset=3' &
r1=$!
reader leader_a '/api/dossiers?limit=50' '/api/dossiers?name=nguoi%20thu' &
r2=$!
reader desk_b '/api/dossiers?limit=50' '/api/dossiers?outcome=in_time' &
r3=$!
reader desk_a '/api/units' '/metrics' &
r4=$!
for p in $w1 $w2 $r1 $r2 $r3 $r4; do wait "$p"; done
[ -s "$T/errors" ] && fail "requests failed under concurrency: $(sort "$T/errors" | uniq -c | head)"
na=$(wc -l <"$T/codes.desk_a")
nb=$(wc -l <"$T/codes.desk_b")
[ "$na" -ge 3 ] && [ "$nb" -ge 3 ] || fail "too few dossiers written ($na, $nb) to mean anything"

# The pages as the cached server shows them now, then from a server without the cache.
PAGES=('/api/dossiers?limit=500' '/api/dossiers?status=processing&limit=500'
  '/api/dossiers?limit=7&offset=5')
for i in "${!PAGES[@]}"; do
  for u in desk_a desk_b; do
    req -u "$u" GET "${PAGES[$i]}"
    expect 200 "page ${PAGES[$i]} by $u"
    cp "$T/body" "$T/page.$u.$i"
  done
done
[ "$(jq '.dossiers | length' "$T/page.desk_a.0")" = "$na" ] ||
  fail "P.A lists $(jq '.dossiers | length' "$T/page.desk_a.0") dossiers, $na were received"
stop_server
"$CCHC" audit verify --db "$DB" >/dev/null || fail "audit chain after the concurrent run"
start_server --threads 1 --list-cache-mb 0
for u in desk_a desk_b; do login "$u"; done
for i in "${!PAGES[@]}"; do
  for u in desk_a desk_b; do
    req -u "$u" GET "${PAGES[$i]}"
    cmp -s "$T/body" "$T/page.$u.$i" || fail "page ${PAGES[$i]} of $u differs without the cache"
  done
done
echo "ok t-threads ($na + $nb dossiers received and advanced, lists read meanwhile)"
