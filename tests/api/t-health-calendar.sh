# t-health-calendar.sh — a year without the government's holiday decision file: deadlines
# fall back to the statutory holidays, `cchc serve` logs a warning and GET /healthz says so;
# with every file present there is no warning.
source "$(dirname "$0")/lib.sh" "$1"
SRC_DATA=${CCHC_DATA:?run through ctest}
setup_db
year=$(TZ=Asia/Ho_Chi_Minh date +%Y)
month=$(TZ=Asia/Ho_Chi_Minh date +%-m)

# The shipped data, with this year's (and, from October, next year's) file written out: no
# warning. The statutory rules stand in for any year after the last decision file, so a
# stand-in file is a copy of statutory days only — enough for the check.
mkdir -p "$T/full/calendar"
cp "$SRC_DATA"/calendar/*.tsv "$T/full/calendar/"
for y in "$year" $([ "$month" -ge 10 ] && echo $((year + 1))); do
  [ -f "$T/full/calendar/$y.tsv" ] && continue
  printf '# stand-in decision file for the test\n%s-01-01\tholiday\tTết Dương lịch\tBộ luật Lao động 2019 Điều 112(1)(a)\n' "$y" >"$T/full/calendar/$y.tsv"
done
start_server --data "$T/full"
req GET /healthz
expect 200 "healthz with every decision file"
[ "$(field '.calendar.years_without_decision | length')" = 0 ] || fail "no year should lack a decision: $BODY_TEXT"
[ "$(field '.calendar | has("warning")')" = false ] || fail "no warning expected: $BODY_TEXT"
stop_server
grep -q "cảnh báo lịch" "$T/server.err" && fail "serve warned with every file present: $(cat "$T/server.err")"

# This year's decision file removed: the warning names the year, in the log and in /healthz.
rm "$T/full/calendar/$year.tsv"
start_server --data "$T/full"
req GET /healthz
expect 200 "healthz without this year's decision file"
[ "$(field '.status')" = ok ] || fail "a missing decision file is a warning, not a failure: $BODY_TEXT"
field '.calendar.years_without_decision' | jq -e --argjson y "$year" 'index($y) != null' >/dev/null ||
  fail "years_without_decision should list $year: $BODY_TEXT"
field '.calendar.warning' | grep -q "năm $year\|$year.tsv" || fail "warning should name $year: $BODY_TEXT"
field '.calendar.warning' | grep -q "luật định" || fail "warning should say statutory rules apply: $BODY_TEXT"
stop_server
grep -q "cảnh báo lịch.*$year" "$T/server.err" || fail "cchc serve did not log the warning: $(cat "$T/server.err")"
echo "ok: t-health-calendar"
