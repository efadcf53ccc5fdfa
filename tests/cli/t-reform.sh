#!/usr/bin/env bash
# CLI tests of `cchc reform`: a province plan on the set in force, a task split to two wards
# whose progress rolls up, the completion rate with its tasks, and an inspection of a ward by
# the province whose remedy is a task of the ward's plan: the inspection closes when the remedy
# does. Each bad input exits 2 with one line naming the rule and changes nothing.
set -u
CCHC=${1:?usage: t-reform.sh PATH_TO_cchc}
TESTDATA=${CCHC_TESTDATA:-$(cd "$(dirname "$0")/../data" && pwd)}
DATA=${CCHC_DATA:-$(cd "$(dirname "$0")/../../data" && pwd)}
fails=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/../lib/testdb.sh"
db=$(testdb "$tmp/t.db")
fail() { echo "FAIL $*"; fails=$((fails+1)); }
r() { "$CCHC" reform "$@" --db "$db" --actor cv.noivu; }
# bad NAME FRAGMENT ARGS…: exit 2, one stderr line containing FRAGMENT, no stdout.
bad() {
  local name=$1 frag=$2; shift 2
  r "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
  if [ $rc -ne 2 ] || [ -s "$tmp/out" ] || ! grep -qF -- "$frag" "$tmp/err" || [ "$(wc -l <"$tmp/err")" -ne 1 ]; then
    fail "$name: rc=$rc stdout [$(cat "$tmp/out")] stderr [$(cat "$tmp/err")] want [$frag]"
  fi
}

"$CCHC" init --db "$db" >/dev/null
"$CCHC" import units "$TESTDATA/api/units.csv" --db "$db" >/dev/null
"$CCHC" par import-set "$DATA/par/moha-876-province-2022.csv" --db "$db" >/dev/null
"$CCHC" par import-set "$DATA/par/commune-ht-3396-2021.csv" --db "$db" >/dev/null

[ "$(r plan create --unit P --year 2026 | cut -f1,2,4)" = "$(printf '1\tP\tMOHA-876-TINH@876/2022')" ] || fail "plan create"
bad "a second plan" "has a CCHC plan for 2026 already" plan create --unit P --year 2026
bad "no year" "needs --unit and --year" plan create --unit P
TOP=$(r task add --plan 1 --area 3 --title "Rà soát TTHC" --owner P --start 2026-01-05 --due 2026-11-30 | cut -f1)
A=$(r task add --parent "$TOP" --title "Phường An Bình" --owner P.A --start 2026-02-01 --due 2026-10-31 | cut -f1)
B=$(r task add --parent "$TOP" --title "Xã Bình Minh" --owner P.B --start 2026-02-01 --due 2026-10-31 | cut -f1)
bad "an area not of the set" "not a reform area of criteria set 'MOHA-876-TINH'" task add --plan 1 --area 9 --title X --owner P --start 2026-01-05 --due 2026-02-01
bad "owner outside the parent's" "not unit 'P.A' or a unit below it" task add --parent "$A" --title X --owner P.B --start 2026-02-01 --due 2026-03-01
bad "progress 100" "outside 0..99" task report "$A" --progress 100
bad "progress of a parent" "rolled up" task report "$TOP" --progress 10
r task report "$A" --progress 50 >/dev/null || fail "report A"
r task complete "$B" --day 2026-06-01 >/dev/null || fail "complete B"
[ "$(r task show "$TOP" | head -1 | cut -f8)" = "75%" ] || fail "roll-up: $(r task show "$TOP")"
bad "pause a done task" "is done: 'pause' is not allowed" task pause "$B" --note x
[ "$(r task list --unit P --as-of 2026-11-05 --due overdue | cut -f1)" = "$A" ] || fail "overdue list"
r rate --unit P.B --year 2026 --as-of 2026-12-14 | tail -1 | grep -q "1/1" || fail "rate of P.B"

# an inspection of P.A by the province, with a remedy in P.A's own plan
I=$(r inspection create --inspector P --unit P.A --year 2026 --from 2026-09-01 --to 2026-09-05 \
  --team "Đoàn kiểm tra CCHC tỉnh" --set HT-XA-2021 --item "Niêm yết TTHC" | cut -f1)
[ "$I" = 1 ] || fail "inspection create: $I"
bad "inspect oneself" "not a unit below inspector" inspection create --inspector P.A --unit P.A --year 2026 --from 2026-09-01 --to 2026-09-05
bad "conclude before the start" "is planned: 'conclude' is not allowed" inspection conclude "$I"
r inspection start "$I" >/dev/null || fail "start"
F=$(r inspection finding "$I" --kind shortcoming --text "TTHC niêm yết chưa kịp thời")
bad "a kind that is not one" "strength or a shortcoming" inspection finding "$I" --kind weakness --text x
bad "a remedy without the unit's plan" "has no CCHC plan for 2026" inspection remedy --finding "$F" --area 1 --title "Khắc phục" --owner P.A --start 2026-09-10 --due 2026-10-31
r plan create --unit P.A --year 2026 >/dev/null || fail "P.A's plan"
REM=$(r inspection remedy --finding "$F" --area 1 --title "Khắc phục niêm yết" --owner P.A --start 2026-09-10 --due 2026-10-31 | cut -f1)
r inspection conclude "$I" >/dev/null || fail "conclude"
bad "close with an open remedy" "1 open remedies" inspection close "$I"
r task complete "$REM" >/dev/null || fail "remedy done"
[ "$(r inspection list --year 2026 | cut -f6)" = closed ] || fail "the inspection closes with its remedy: $(r inspection list --year 2026)"
r inspection share --unit P --year 2026 | grep -q "1/2" || fail "share: $(r inspection share --unit P --year 2026)"

[ $fails -eq 0 ] && echo "ok t-reform" || { echo "$fails failure(s)"; exit 1; }
