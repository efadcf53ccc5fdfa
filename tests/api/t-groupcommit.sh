#!/usr/bin/env bash
# t-groupcommit.sh — group commit across requests (group_commit = true, docs/scale.md): many
# writers at once on one server lose nothing, and their commits share WAL syncs.
#  1. 32 receptions sent at once (one curl, all in flight) to a server of 8 threads, then the 32
#     dossiers advanced at once, for two units: every acknowledged (2xx) write is in the
#     database afterwards, no code was issued twice, the
#     audit chain verifies and the counters equal `cchc stats rebuild`. On SQLite /metrics
#     counts every acknowledged write among the group commits, and fewer WAL syncs than
#     commits: commits shared a sync (not a timing assertion: it counts, it does not time).
#  2. The same writers again, and the server killed with SIGKILL while they run: every
#     reception a client got 201 for is there after the crash, and the audit chain verifies.
# On PostgreSQL (pg.api.t-groupcommit) the same: a writer's commit releases the advisory write
# lock before its WAL flush and waits for a flush past its commit record afterwards (db_pg.c),
# so /metrics counts the acknowledged writes among the group commits. Whether flushes were
# shared is not asserted there: the test cluster runs with fsync and synchronous_commit off
# (scripts/pg-cluster.sh), so nothing waits for a flush; bench/groupcommit.sh measures it on a
# durable cluster.
source "$(dirname "$0")/lib.sh" "$1"
setup_db
start_server --threads 8 --group-commit=true
login desk_a
login desk_b
WRITERS=8
PER=${GROUPCOMMIT_BURST:-32}

# writer N USER UNIT [COUNT]: receives and advances COUNT dossiers (0: until the server is
# gone); each acknowledged reception's code goes to $T/codes.N, each acknowledged advance's to
# $T/advanced.N; failures other than a refused connection to $T/errors.
writer() {
  local w=$1 user=$2 unit=$3 count=${4:-0} n=0 out code st
  while [ "$count" -eq 0 ] || [ "$n" -lt "$count" ]; do
    n=$((n + 1))
    out=$(curl -s --max-time 30 -b "$T/$user.jar" -H "X-CSRF-Token: $(cat "$T/$user.csrf")" \
      -H 'Content-Type: application/json' -w '\n%{http_code}' \
      -d "{\"unit\":\"$unit\",\"procedure\":\"9.000001\",\"applicant_name\":\"Người Viết $w-$n\",\"documents\":[1,2]}" \
      "$BASE/api/dossiers") || out=$'\n000'
    st=${out##*$'\n'}
    [ "$st" = 000 ] && [ "$count" -eq 0 ] && return 0 # the server is gone (part 2)
    [ "$st" = 201 ] || { echo "receive: $st ${out%$'\n'*}" >>"$T/errors"; continue; }
    code=$(jq -r .code <<<"${out%$'\n'*}")
    echo "$code" >>"$T/codes.$w"
    st=$(curl -s --max-time 30 -o /dev/null -w '%{http_code}' -b "$T/$user.jar" \
      -H "X-CSRF-Token: $(cat "$T/$user.csrf")" -H 'Content-Type: application/json' -d '{}' \
      "$BASE/api/dossiers/$code/advance") || st=000
    [ "$st" = 000 ] && [ "$count" -eq 0 ] && return 0
    [ "$st" = 200 ] || { echo "advance $code: $st" >>"$T/errors"; continue; }
    echo "$code" >>"$T/advanced.$w"
  done
}
metric() { awk -v m="$1" '$1 == m { print $2 }' "$T/body"; }

# --- 1. concurrent writers, then everything acknowledged is there ---
# burst USER TAG METHOD BODY URL…: one curl making every request at once (up to 32 in flight,
# against 8 server threads); "STATUS FILE" per answer in $T/TAG.st, bodies in $T/TAG.N.
burst() {
  local user=$1 tag=$2 method=$3 body=$4 i=0 u
  shift 4
  : >"$T/$tag.cfg"
  for u in "$@"; do
    i=$((i + 1))
    printf 'url = "%s"\noutput = "%s"\n' "$BASE$u" "$T/$tag.$i" >>"$T/$tag.cfg"
  done
  curl -s --no-progress-meter -Z --parallel-max 32 --max-time 60 -X "$method" -b "$T/$user.jar" \
    -H "X-CSRF-Token: $(cat "$T/$user.csrf")" -H 'Content-Type: application/json' -d "$body" \
    -K "$T/$tag.cfg" -w '%{http_code} %{filename_effective}\n' >"$T/$tag.st" || true
}
: >"$T/codes"
: >"$T/advanced"
for round in 1 2; do
  user=desk_a unit=P.A
  [ "$round" = 2 ] && user=desk_b unit=P.B
  urls=()
  for _ in $(seq "$PER"); do urls+=(/api/dossiers); done
  burst "$user" "recv$round" POST \
    "{\"unit\":\"$unit\",\"procedure\":\"9.000001\",\"applicant_name\":\"Người Viết Cùng Lúc\",\"documents\":[1,2]}" \
    "${urls[@]}"
  bad=$(awk '$1 != 201' "$T/recv$round.st" | head -1)
  [ -z "$bad" ] || fail "a reception among $PER at once: $bad $(cat "${bad#* }" 2>/dev/null)"
  [ "$(wc -l <"$T/recv$round.st")" -eq "$PER" ] || fail "$(wc -l <"$T/recv$round.st") answers to $PER receptions"
  codes=()
  while read -r st f; do
    c=$(jq -r .code "$f")
    echo "$c" >>"$T/codes"
    codes+=("/api/dossiers/$c/advance")
  done <"$T/recv$round.st"
  burst "$user" "adv$round" POST '{}' "${codes[@]}"
  bad=$(awk '$1 != 200' "$T/adv$round.st" | head -1)
  [ -z "$bad" ] || fail "an advance among $PER at once: $bad $(cat "${bad#* }" 2>/dev/null)"
  while read -r st f; do jq -r .code "$f" >>"$T/advanced"; done <"$T/adv$round.st"
done
n=$(wc -l <"$T/codes")
[ "$n" -eq $((2 * PER)) ] || fail "$n receptions acknowledged, expected $((2 * PER))"
[ "$(sort -u "$T/codes" | wc -l)" -eq "$n" ] || fail "a dossier code was issued twice"
[ "$(sort -u "$T/advanced" | wc -l)" -eq "$n" ] || fail "$(sort -u "$T/advanced" | wc -l) advances acknowledged for $n dossiers"
while read -r code; do
  req -u desk_a GET "/api/dossiers/$code"
  [ "$STATUS" = 200 ] || req -u desk_b GET "/api/dossiers/$code"
  [ "$STATUS" = 200 ] || fail "acknowledged dossier $code missing"
  [ "$(field .status)" = processing ] || fail "acknowledged advance of $code missing: $(field .status)"
done <"$T/codes"
req GET /metrics
[ "$STATUS" = 200 ] || fail "metrics: $STATUS"
commits=$(metric cchc_db_group_commits_total)
syncs=$(metric cchc_db_group_syncs_total)
acked=$((n + $(wc -l <"$T/advanced")))
[ "$commits" -ge "$acked" ] ||
  fail "only $commits group commits for $acked acknowledged writes: group commit is not in use"
[ "$syncs" -ge 1 ] || fail "no WAL sync for $commits commits"
if [ "${CCHC_TEST_BACKEND:-}" = pg ]; then
  [ "$syncs" -le "$commits" ] || fail "$syncs WAL flushes asked for $commits commits"
else
  [ "$syncs" -lt "$commits" ] ||
    fail "$syncs WAL syncs for $commits commits from $WRITERS writers: no commit shared a sync"
fi
echo "# $commits group commits, $syncs WAL syncs (${CCHC_TEST_BACKEND:-sqlite})"
"$CCHC" audit verify --db "$DB" >"$T/audit" 2>&1 || fail "audit after concurrent writers: $(cat "$T/audit")"
"$CCHC" stats show --period 2026 --unit P --db "$DB" >"$T/before" 2>&1
"$CCHC" stats rebuild --db "$DB" >/dev/null 2>&1 || fail "stats rebuild"
"$CCHC" stats show --period 2026 --unit P --db "$DB" >"$T/after" 2>&1
cmp -s "$T/before" "$T/after" || fail "counters differ from a recount: $(diff "$T/before" "$T/after" | head -4)"

# --- 2. SIGKILL while writers run: every acknowledged reception survives ---
rm -f "$T"/codes.* "$T"/advanced.* "$T/errors"
pids=()
for w in $(seq "$WRITERS"); do
  if [ $((w % 2)) = 0 ]; then writer "$w" desk_a P.A & else writer "$w" desk_b P.B & fi
  pids+=($!)
done
for _ in $(seq 200); do # until some writes were acknowledged (at most 20 s)
  [ "$(cat "$T"/codes.* 2>/dev/null | wc -l)" -ge 16 ] && break
  sleep 0.1
done
kill -KILL "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=
wait "${pids[@]}"
[ -s "$T/errors" ] && fail "writes failed before the crash: $(sort "$T/errors" | uniq -c | head -5)"
cat "$T"/codes.* >"$T/codes2"
k=$(wc -l <"$T/codes2")
[ "$k" -ge 16 ] || fail "only $k receptions acknowledged before the crash"
start_server --threads 2
login desk_a
login desk_b
while read -r code; do
  req -u desk_a GET "/api/dossiers/$code"
  [ "$STATUS" = 200 ] || req -u desk_b GET "/api/dossiers/$code"
  [ "$STATUS" = 200 ] || fail "dossier $code acknowledged before the crash is missing after it"
done <"$T/codes2"
"$CCHC" audit verify --db "$DB" >"$T/audit" 2>&1 || fail "audit after the crash: $(cat "$T/audit")"
echo "t-groupcommit: ok ($acked writes: $commits group commits, $syncs WAL syncs; $k receptions acknowledged before SIGKILL, all there)"
