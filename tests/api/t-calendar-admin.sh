# t-calendar-admin.sh — the Government's decisions on days off recorded over HTTP (issue 13):
# a province administrator records a decision, and deadlines counted from then on use it, on
# this server and on a second server on the same database (it reads the decisions' version
# and rebuilds its calendar); an appointment already given is not moved; the year view names
# the decision behind a day; refusals name the field (403 for anyone but a province
# administrator, 400 for a bad date, a weekday "worked instead", a weekend "day off", a past
# day, 409 for a day or a citation already recorded) and change nothing; a decision not yet in
# effect can be deleted, one in effect cannot; `cchc calendar YEAR --db` and `cchc calendar
# decisions` show them.
source "$(dirname "$0")/lib.sh" "$1"
setup_db
start_server
A=$BASE A_PID=$SERVER_PID
start_server
B=$BASE
SERVER_PID_B=$SERVER_PID SERVER_PID=$A_PID
trap 'kill "$SERVER_PID_B" 2>/dev/null; cleanup' EXIT
BASE=$A
for u in admin_p admin_a desk_a; do login $u; done
TODAY=$(TZ=Asia/Ho_Chi_Minh date +%F)
TOMORROW=$(TZ=Asia/Ho_Chi_Minh date -d tomorrow +%F)
YEAR=${TODAY:0:4}

# the working days after today, from the calendar as the server counts (this year and next)
req GET /api/calendar/$YEAR
expect 200 "year view"
cp "$T/body" "$T/y1.json"
req GET /api/calendar/$((YEAR + 1))
expect 200 "next year view"
jq -s --arg t "$TODAY" '[.[].days[] | select(.date > $t)]' "$T/y1.json" "$T/body" >"$T/after.json"
W=($(jq -r '.[] | select(.kind == "work") | .date' "$T/after.json"))
X=${W[0]}  # the first working day after today: made a holiday by decision 1
X2=${W[25]} # a later working day: swapped off by decision 2
Y=$(jq -r --arg d "${W[30]}" '[.[] | select(.date > $d and .kind == "weekend")][0].date' "$T/after.json")
WEEKDAY_AFTER=${W[31]}
[ "$(field .days[0].date)" = "$((YEAR + 1))-01-01" ] || fail "year days: $BODY_TEXT"

# a dossier received before the decision: 10 working days, due on the 10th working day after today
receive() { # receive SERVER → prints the due date
  BASE=$1 req -u desk_a POST /api/dossiers '{"unit":"P.A","procedure":"9.000001","applicant_name":"Mai Anh","documents":[1]}'
  [ "$STATUS" = 201 ] || fail "receive on $1: $STATUS $BODY_TEXT"
}
BASE=$A receive "$A"
CODE1=$(field .code) DUE1=$(field .due_at)
[ "${DUE1:0:10}" = "${W[9]}" ] || fail "due before the decision: $DUE1, expected ${W[9]}"
BASE=$B receive "$B" # server B has built its calendar now
[ "$(field .due_at)" = "$DUE1" ] || fail "server B: $(field .due_at), expected $DUE1"

# refusals: who may record, then the rules, each naming its field; nothing is recorded
D1="{\"citation\":\"Thông báo 9999/TB-BNV ngày $TODAY\",\"issuer\":\"Bộ Nội vụ\",\"signed_on\":\"$TODAY\",\"changes\":[{\"kind\":\"holiday\",\"day\":\"$X\",\"name\":\"Nghỉ thêm theo quyết định\"}]}"
req -u desk_a POST /api/calendar/decisions "$D1"
expect 403 forbidden "desk officer"
ACCEPT_LANGUAGE=vi req -u admin_a POST /api/calendar/decisions "$D1"
expect 403 forbidden "a ward's administrator"
[ "$(field .error.field)" = calendar ] || fail "ward admin field: $BODY_TEXT"
field .error.message | grep -q "quản trị viên cấp tỉnh" || fail "ward admin message: $BODY_TEXT"
req -u admin_a GET /api/calendar/decisions
expect 200 "a ward's administrator reads the decisions"
export ACCEPT_LANGUAGE=vi
bad() { # bad STATUS FIELD WHAT BODY
  req -u admin_p POST /api/calendar/decisions "$4"
  expect "$1" "$3"
  [ "$(field .error.field)" = "$2" ] || fail "$3: field $(field .error.field), expected $2: $BODY_TEXT"
  field .error.message | grep -q '[ạảấầẩậắằẳặẹẻẽếềểễệịọỏốồổỗộớờởỡợụủứừửữựỳỷỹđ]' || fail "$3: not Vietnamese: $BODY_TEXT"
}
bad 400 signed_on "bad date" "${D1/\"signed_on\":\"$TODAY\"/\"signed_on\":\"2026-02-30\"}"
bad 400 citation "no citation" "${D1/Thông báo 9999\/TB-BNV ngày $TODAY/ }"
bad 400 'changes[0].day' "a weekend day off" "${D1/\"day\":\"$X\"/\"day\":\"$Y\"}"
bad 400 'changes[0].day' "a past day" "${D1/\"day\":\"$X\"/\"day\":\"$((YEAR - 1))-03-03\"}"
bad 400 'changes[0].work_day' "a weekday worked instead" "${D1/\"kind\":\"holiday\",/\"kind\":\"swap\",\"work_day\":\"$WEEKDAY_AFTER\",}"
bad 400 'changes[0].kind' "bad kind" "${D1/\"kind\":\"holiday\"/\"kind\":\"nghỉ\"}"
bad 400 effective "effective before signed" "${D1/\"signed_on\"/\"effective\":\"$((YEAR - 1))-01-01\",\"signed_on\"}"
bad 400 changes "a day twice" "{\"citation\":\"TB 1\",\"issuer\":\"Bộ Nội vụ\",\"signed_on\":\"$TODAY\",\"changes\":[{\"kind\":\"holiday\",\"day\":\"$X\",\"name\":\"Lặp\"},{\"kind\":\"holiday\",\"day\":\"$X\",\"name\":\"Lặp\"}]}"
req -u admin_p GET /api/calendar/decisions
[ "$(field '.decisions | length')" = 0 ] || fail "a refused decision was recorded: $BODY_TEXT"

# decision 1 on server A: a dossier received after it on server B is due one working day later
req -u admin_p POST /api/calendar/decisions "$D1"
expect 201 "record decision 1"
ID1=$(field .id)
[ "$(field .effective)" = "$TODAY" ] && [ "$(field .deletable)" = false ] || fail "decision 1: $BODY_TEXT"
BASE=$B receive "$B"
DUE2=$(field .due_at)
[ "${DUE2:0:10}" = "${W[10]}" ] || fail "server B after the decision: due $DUE2, expected ${W[10]} (before: $DUE1)"
BASE=$A receive "$A"
[ "$(field .due_at)" = "$DUE2" ] || fail "server A after the decision: $(field .due_at), expected $DUE2"
# the appointment already given is not moved
BASE=$A req -u desk_a GET /api/dossiers/$CODE1
[ "$(field .due_at)" = "$DUE1" ] || fail "dossier received before the decision moved: $(field .due_at), was $DUE1"
# the year view on server B names the decision
BASE=$B req GET /api/calendar/${X:0:4}
jq -e --arg x "$X" --argjson id "$ID1" '.days[] | select(.date == $x) | .kind == "holiday" and .working == false
  and .decision == $id and (.source | startswith("Thông báo 9999/TB-BNV")) and .name == "Nghỉ thêm theo quyết định"' \
  "$T/body" >/dev/null || fail "year view of $X: $(jq -c --arg x "$X" '.days[] | select(.date == $x)' "$T/body")"
# the CLI on the same database sees it too; without the database, the data files alone
"$CCHC" calendar "${X:0:4}" --db "$DB" >"$T/cli.txt" 2>/dev/null || fail "cchc calendar --db"
grep -q "^$X	holiday	Nghỉ thêm theo quyết định$" "$T/cli.txt" || fail "cchc calendar --db lacks $X: $(head -3 "$T/cli.txt")"
"$CCHC" calendar "${X:0:4}" 2>/dev/null | grep -q "^$X	" && fail "cchc calendar without --db shows $X"
"$CCHC" calendar decisions --db "$DB" >"$T/cli.txt" || fail "cchc calendar decisions"
grep -q "^$ID1	Thông báo 9999/TB-BNV ngày $TODAY	Bộ Nội vụ	$TODAY	$TODAY	holiday	$X	-	Nghỉ thêm theo quyết định$" "$T/cli.txt" ||
  fail "cchc calendar decisions: $(cat "$T/cli.txt")"
# the same day twice, and the same citation: 409
bad 409 changes "a day already changed" "${D1/9999/9998}"
bad 409 citation "a citation already recorded" "${D1/\"day\":\"$X\"/\"day\":\"${W[3]}\"}"

# decision 2: a swap taking effect tomorrow; listed, shown, then deleted (not yet in effect)
D2="{\"citation\":\"Thông báo 9000/TB-BNV\",\"issuer\":\"Bộ Nội vụ\",\"signed_on\":\"$TODAY\",\"effective\":\"$TOMORROW\",\"changes\":[{\"kind\":\"swap\",\"day\":\"$X2\",\"work_day\":\"$Y\",\"name\":\"Nghỉ hoán đổi\"}]}"
req -u admin_p POST /api/calendar/decisions "$D2"
expect 201 "record decision 2"
ID2=$(field .id)
[ "$(field .deletable)" = true ] && [ "$(field .changes[0].work_day)" = "$Y" ] || fail "decision 2: $BODY_TEXT"
BASE=$B req GET /api/calendar/${Y:0:4}
jq -e --arg y "$Y" '.days[] | select(.date == $y) | .kind == "workday" and .working' "$T/body" >/dev/null ||
  fail "worked Saturday $Y: $(jq -c --arg y "$Y" '.days[] | select(.date == $y)' "$T/body")"
BASE=$B req GET /api/calendar/${X2:0:4}
jq -e --arg x "$X2" '.days[] | select(.date == $x) | .kind == "swap" and (.working | not)' "$T/body" >/dev/null ||
  fail "swapped day $X2"
req -u admin_p GET /api/calendar/decisions
jq -e --argjson a "$ID1" --argjson b "$ID2" '[.decisions[].id] == [$b, $a]' "$T/body" >/dev/null || fail "list: $BODY_TEXT"
req -u admin_p DELETE /api/calendar/decisions/$ID1
expect 409 conflict "delete a decision in effect"
[ "$(field .error.field)" = effective ] || fail "delete in effect field: $BODY_TEXT"
req -u admin_a DELETE /api/calendar/decisions/$ID2
expect 403 forbidden "a ward's administrator deletes"
req -u admin_p DELETE /api/calendar/decisions/$ID2
expect 200 "delete decision 2"
BASE=$B req GET /api/calendar/${X2:0:4}
jq -e --arg x "$X2" '.days[] | select(.date == $x) | .kind == "work"' "$T/body" >/dev/null || fail "deleted swap still seen on B"
req -u admin_p DELETE /api/calendar/decisions/$ID2
expect 404 not_found "delete twice"
req GET /api/calendar/1800
expect 400 invalid "a year outside the calendar"
echo "ok"
