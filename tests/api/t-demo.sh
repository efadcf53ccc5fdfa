#!/usr/bin/env bash
# t-demo.sh — `cchc demo`: on a fresh database it imports the demo units and catalogue,
# adds one user per role, seeds dossiers, prints the users with their passwords and the URL,
# and serves on loopback; the printed passwords sign in, the officer sees the seeded dossiers
# of its unit (another unit's answer 404) and a citizen finds one by code and phone; run
# again on the same file it reuses everything (nothing imported or seeded twice); it refuses
# a non-loopback address and a bad --dossiers; SIGTERM stops it with status 0.
source "$(dirname "$0")/lib.sh" "$1"
DEMO=$(testdb "$T/demo.db")

# start_demo LOG [FLAGS…]: `cchc demo` on $DEMO and a free port; sets BASE.
start_demo() {
  local log=$1
  shift
  rm -f "$T/port"
  "$CCHC" demo --db "$DEMO" --port 0 --port-file "$T/port" --slow-ms 0 --metrics-token "$METRICS_TOKEN" "$@" \
    >"$T/$log.out" 2>"$T/server.err" &
  SERVER_PID=$!
  local i
  for i in $(seq 600); do
    [ -s "$T/port" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || fail "cchc demo exited at start: $(cat "$T/$log.out")"
    sleep 0.1
  done
  [ -s "$T/port" ] || fail "cchc demo did not start within 60 s"
  BASE=http://127.0.0.1:$(cat "$T/port")
}

# demo_login USER LOG: signs in with the password the demo printed for USER.
demo_login() {
  local pw
  pw=$(awk -v u="$1" '$1 == u { print $2 }' "$T/$2.out")
  [ -n "$pw" ] || fail "the demo did not print a password for $1"
  curl -s --max-time 10 -c "$T/$1.jar" -o "$T/login.json" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"$pw\"}" "$BASE/api/session"
  jq -er .csrf "$T/login.json" >"$T/$1.csrf" || fail "login $1: $(cat "$T/login.json")"
}

dossiers_total() { # the sum of cchc_dossiers{status} in /metrics
  req GET /metrics
  expect 200 "metrics"
  awk '/^cchc_dossiers\{/ { n += $2 } END { print n + 0 }' "$T/body"
}

# --- refused before anything is created ---
set +e
"$CCHC" demo --db "$DEMO" --listen 0.0.0.0 --allow-remote 2>"$T/err"; rc=$?
set -e
[ $rc = 2 ] && grep -q "serves loopback only" "$T/err" || fail "demo on 0.0.0.0: exit $rc: $(cat "$T/err")"
set +e
"$CCHC" demo --db "$DEMO" --dossiers 0 2>"$T/err"; rc=$?
set -e
[ $rc = 2 ] && grep -q "dossiers '0': must be a whole number from 1 to" "$T/err" ||
  fail "--dossiers 0: exit $rc: $(cat "$T/err")"
testdb_is_pg || [ ! -e "$DEMO" ] || fail "a refused demo created its database"
"$CCHC" demo --help | grep "127.0.0.1:8080" >/dev/null || fail "demo --help names the default address"

# --- first run: creates, prints, serves ---
start_demo first --dossiers 300
grep -q "units imported" "$T/first.out" || fail "first run imported no units: $(cat "$T/first.out")"
grep -q "procedures imported" "$T/first.out" || fail "first run imported no procedures"
grep -q "seeding 300 dossiers of the last twelve months" "$T/first.out" || fail "first run did not seed"
for role in admin desk_officer specialist leader par_assessor citizen; do
  grep -Eq "^  [a-z.]+ +demo-[a-z]+-2025 +$role( |$)" "$T/first.out" ||
    fail "no demo user printed for role $role: $(cat "$T/first.out")"
done
grep -q "listening on $BASE/" "$T/first.out" || fail "the URL is not printed: $(cat "$T/first.out")"
req GET /healthz
expect 200 "healthz of the demo"
n1=$(dossiers_total)
[ "$n1" = 304 ] || fail "the demo holds $n1 dossiers, expected 300 seeded, the citizen's 3 and one received across units"

# the seeded months end today: dossiers received this month and none after today; open
# dossiers overdue by weeks, not by most of a year
"$CCHC" dossier list --db "$DEMO" >"$T/all.tsv"
today=$(TZ=Asia/Ho_Chi_Minh date +%y%m%d)
year_ago=$(TZ=Asia/Ho_Chi_Minh date -d '1 year ago' +%y%m%d)
awk -F'\t' -v t="$today" -v a="$year_ago" '{ split($1, p, "-"); if (p[2] > t || p[2] < a) bad++ } END { exit bad > 0 }' "$T/all.tsv" ||
  fail "a seeded dossier outside the twelve months up to today"
grep -q -- "-${today:0:4}" "$T/all.tsv" || fail "no dossier received this month"

# the citizen's own dossiers: printed with the phone; each one opens at the lookup
grep -q "with the phone number 0901 234 567" "$T/first.out" || fail "the citizen's lookup is not explained: $(cat "$T/first.out")"
mapfile -t mine < <(awk '/follows these dossiers/ { on = 1; next } on && /^  [0-9]/ { print $1 } on && /^$/ { on = 0 }' "$T/first.out")
[ "${#mine[@]}" = 3 ] || fail "expected 3 citizen dossiers printed, got ${#mine[@]}: $(cat "$T/first.out")"
statuses=
for c in "${mine[@]}"; do
  req POST /api/lookup "{\"code\":\"$c\",\"phone\":\"0901 234 567\"}"
  expect 200 "the citizen's dossier $c"
  statuses="$statuses $(field .status)"
done
for st in returned processing supplement_requested; do
  [[ "$statuses" == *"$st"* ]] || fail "no citizen dossier in status $st:$statuses"
done

# PAR rounds: last year's published, this year's open for self-assessment
"$CCHC" par round list --db "$DEMO" >"$T/rounds.tsv"
y=$(TZ=Asia/Ho_Chi_Minh date +%Y)
grep -Pq "^XA-$y\t$y\t.*\tself\t" "$T/rounds.tsv" || fail "no open round of $y: $(cat "$T/rounds.tsv")"
grep -Pq "^XA-$((y - 1))\t$((y - 1))\t.*\tpublished\t" "$T/rounds.tsv" || fail "no published round of $((y - 1)): $(cat "$T/rounds.tsv")"

# CCHC plans of this year: the province's (tasks split down the tree, one overdue, one near
# due, progress rolled up), Mỹ Tho ward's and Thanh Bình commune's
"$CCHC" reform plan list --year "$y" --db "$DEMO" >"$T/plans.tsv"
[ "$(cut -f2 "$T/plans.tsv" | tr '\n' ' ')" = "DT DT.MYTHO DT.THANHBINH " ] || fail "demo plans: $(cat "$T/plans.tsv")"
"$CCHC" reform task list --unit DT --year "$y" --due overdue --db "$DEMO" | grep -q "DT.CAOLANH" ||
  fail "no overdue task of Cao Lãnh in the demo plan"
"$CCHC" reform task list --unit DT --year "$y" --due near --db "$DEMO" | grep -q . || fail "no near-due task in the demo plan"
"$CCHC" reform inspection list --year "$y" --db "$DEMO" | cut -f4,6,9 >"$T/insp.tsv"
# the inspection plan: Thanh Bình closed with its remedy, Mỹ Tho concluded with 2 of its 3
# remedies open (one overdue), Cao Lãnh planned
[ "$(cat "$T/insp.tsv")" = "$(printf 'DT.THANHBINH\tclosed\t0/1\nDT.MYTHO\tconcluded\t2/3\nDT.CAOLANH\tplanned\t0/0')" ] || fail "demo inspections: $(cat "$T/insp.tsv")"
# a SIPAS survey round of the twelve months up to today, answered (issue 19)
"$CCHC" survey round list --db "$DEMO" >"$T/surveys.tsv"
grep -Pq "^SIPAS-$y\tSIPAS-2023\t" "$T/surveys.tsv" || fail "no demo survey round: $(cat "$T/surveys.tsv")"
[ "$(cut -f8 "$T/surveys.tsv" | cut -d' ' -f1)" -gt 0 ] || fail "the demo survey has no responses: $(cat "$T/surveys.tsv")"

demo_login motcua.mytho first
demo_login motcua.caolanh first
demo_login lanhdao.mytho first
req -u motcua.mytho GET '/api/dossiers?limit=50'
expect 200 "the desk officer's list"
[ "$(field '.dossiers | length')" -ge 1 ] || fail "no seeded dossier in DT.MYTHO: $BODY_TEXT"
# one with a phone (a tenth of the seeded applicants give none)
code=$(field '[.dossiers[] | select(.applicant.phone != null)][0].code')
req -u motcua.mytho GET "/api/dossiers/$code"
expect 200 "one seeded dossier"
phone=$(field .applicant.phone)
[ "$(field .unit)" = DT.MYTHO ] || fail "listed a dossier of another unit: $BODY_TEXT"
req -u motcua.caolanh GET "/api/dossiers/$code"
expect 404 not_found "another ward's officer"
req POST /api/lookup "{\"code\":\"$code\",\"phone\":\"$phone\"}"
expect 200 "citizen lookup on the demo"
jq -e 'has("status") and has("due_at") and has("current_step")' "$T/body" >/dev/null ||
  fail "lookup answer: $BODY_TEXT"
# the seeded officers are colleagues with accounts: the dashboard names them
req -u lanhdao.mytho GET "/api/stats/officers?unit=DT.MYTHO&period=$(date -d "-1 year" +%F)..$(date +%F)"
expect 200 "officers of the seeded year"
[ "$(field '[.officers[] | select(.officer | test("^dt[.]mytho[.](desk|specialist|leader|clerk|other)[0-9]$"))] | length')" -ge 1 ] &&
  [ "$(field '[.officers[] | select(.officer != "" and .name == "")] | length')" = 0 ] ||
  fail "seeded officers without a name: $BODY_TEXT"
stop_server
grep -q "stopped" "$T/first.out" || fail "no clean stop message"
grep -q "accounts for the seeded officers" "$T/first.out" || fail "no accounts for the seeded officers: $(cat "$T/first.out")"
u1=$("$CCHC" user list --db "$DEMO" | wc -l)
[ "$u1" -gt 7 ] || fail "only $u1 accounts after seeding"

# --- second run: the same database, reused as it is ---
start_demo second --dossiers 50
grep -q -e "imported" -e "seeding" "$T/second.out" && fail "the second run filled the database again: $(cat "$T/second.out")"
grep -q "motcua.mytho" "$T/second.out" || fail "the second run does not print the users"
[ "$(dossiers_total)" = "$n1" ] || fail "dossiers changed on reuse"
demo_login motcua.mytho second
stop_server
[ "$("$CCHC" user list --db "$DEMO" | wc -l)" = "$u1" ] || fail "users added twice: $("$CCHC" user list --db "$DEMO")"
echo "ok t-demo"
