#!/usr/bin/env bash
# t-backdate.sh — backdated actions (issue 12, finding 1) on a real server with the default
# tolerance (00:00 of the day of recording): an overdue dossier finished "on its due day" by a
# specialist (403) or a leader without a reason (400) changes nothing; by a leader with a
# reason it is flagged, keeps both times in its history and counts late (judged when
# recorded), while the same claim replayed without the rule would have counted on time; a
# claim within the tolerance is not flagged; GET /api/backdated lists it per unit and officer
# for leaders only; the statistics equal a rebuild; the CLI needs --reason for a backdated
# --at and flags it; the audit chain verifies, and stripping a recorded time breaks it.
source "$(dirname "$0")/lib.sh" "$1"
setup_db
now_day=$(TZ=Asia/Ho_Chi_Minh date +%F)
yesterday=$(TZ=Asia/Ho_Chi_Minh date -d yesterday +%F)
# a working weekday three weeks ago (holidays aside: the claims below are judged either way)
day=$(TZ=Asia/Ho_Chi_Minh date -d "21 days ago" +%F)
case $(date -d "$day" +%u) in 6) day=$(date -d "$day -1 day" +%F) ;; 7) day=$(date -d "$day -2 days" +%F) ;; esac

# History before the rule: two dossiers received on $day at 09:00 and at their only step
# (9.000002 is due 17:00 the same day), written by the CLI replaying the past (tolerance off).
recv() {
  "$CCHC" dossier receive --unit P.A --procedure 9.000002 --name "Lê Văn Tư" --at "${day}T09:00" \
    --actor desk_a --db "$DB" | awk -F'\t' '/^Mã hồ sơ:/ {print $2}'
}
D1=$(recv) && D2=$(recv) && D3=$(recv) || fail "setup: receive"
for c in $D1 $D2 $D3; do
  "$CCHC" dossier advance "$c" --at "${day}T09:10" --actor desk_a --db "$DB" >/dev/null || fail "setup: advance $c"
done
# D2: finished at the same claimed time without the rule: on time (what backdating used to buy)
"$CCHC" dossier finish "$D2" --at "${day}T10:00" --actor leader_a --db "$DB" >/dev/null || fail "setup: finish D2"

start_server --backdate-tolerance 0
for u in desk_a specialist_a leader_a leader_b admin_a; do login "$u"; done
history_len() { req -u leader_a GET "/api/dossiers/$1/history"; field '.events | length'; }
n0=$(history_len "$D1")

# a specialist may not backdate: 403, the field, the rule, both instants, in Vietnamese
ACCEPT_LANGUAGE=vi req -u specialist_a POST "/api/dossiers/$D1/finish" "{\"at\":\"${day}T10:00\",\"note\":\"quên bấm\"}"
expect 403 forbidden "specialist backdating"
[ "$(field .error.field)" = at ] && [ "$(field .error.rule)" = dossier.backdate_role ] || fail "role rule: $BODY_TEXT"
[[ "$(field .error.message)" == "Thời điểm ${day}T10:00 sớm hơn ${now_day}T00:00"*"Chỉ lãnh đạo hoặc quản trị"* ]] ||
  fail "role message: $(field .error.message)"
ACCEPT_LANGUAGE=en req -u specialist_a POST "/api/dossiers/$D1/finish" "{\"at\":\"${day}T10:00\",\"note\":\"x\"}"
[[ "$(field .error.message)" == *"Only a leader or an administrator may backdate"* ]] || fail "English: $BODY_TEXT"
# a leader without a reason: 400
req -u leader_a POST "/api/dossiers/$D1/finish" "{\"at\":\"${day}T10:00\"}"
expect 400 missing_field "leader backdating without a reason"
[ "$(field .error.field)" = note ] && [ "$(field .error.rule)" = dossier.backdate_reason ] || fail "reason rule: $BODY_TEXT"
# a desk officer's backdated reception: 403, and no dossier is created
req -u desk_a POST /api/dossiers "{\"unit\":\"P.A\",\"procedure\":\"9.000002\",\"applicant_name\":\"Mai Anh\",\"at\":\"${yesterday}T16:00\"}"
expect 403 forbidden "desk backdating a reception"
[ "$(history_len "$D1")" = "$n0" ] || fail "a refused request changed the history"
req -u leader_a GET "/api/dossiers/$D1"
[ "$(field .status)" = processing ] || fail "a refused request changed the dossier: $BODY_TEXT"
req -u leader_a GET "/api/dossiers?unit=P.A"
[ "$(field '.dossiers | length')" = 3 ] || fail "a refused reception created a dossier: $(field '.dossiers | length')"

# the leader, with a reason: accepted, flagged, judged when recorded: late
req -u leader_a POST "/api/dossiers/$D1/finish" "{\"at\":\"${day}T10:00\",\"note\":\"Kết quả đã ký ngày ${day}, nhập bù\"}"
expect 200 "leader backdating with a reason"
[ "$(field .outcome)" = late ] || fail "a backdated finish of an overdue dossier counts $(field .outcome), not late"
[[ "$(field .result_at)" == "$now_day"T* ]] || fail "the clock takes the finish when recorded: $(field .result_at)"
req -u leader_a GET "/api/dossiers/$D2"
[ "$(field .outcome)" != late ] || fail "control: the same claim without the rule should count on time"
req -u leader_a GET "/api/dossiers/$D1/history"
ev=$(field '.events[-1] | [.action, .at, .backdated, .note] | map(tostring) | join("|")')
[ "$ev" = "finish|${day}T10:00+07:00|true|Kết quả đã ký ngày ${day}, nhập bù" ] || fail "history event: $ev"
[[ "$(field '.events[-1].recorded_at')" == "$now_day"T* ]] || fail "recorded_at: $(field '.events[-1]')"
[ "$(field '.events[0].backdated')" = false ] || fail "the replayed reception is not backdated"

# within the tolerance (today 00:00 or later): a desk officer, no reason, not flagged
req -u desk_a POST /api/dossiers "{\"unit\":\"P.A\",\"procedure\":\"9.000002\",\"applicant_name\":\"Mai Anh\",\"at\":\"${now_day}T00:00\"}"
expect 201 "reception within the tolerance"
D4=$(field .code)
req -u desk_a GET "/api/dossiers/$D4/history"
[ "$(field '.events[0].backdated')" = false ] || fail "a claim within the tolerance was flagged"

# the list, per unit and officer: leaders and administrators of the scope only
req -u leader_a GET "/api/backdated?period=${now_day}..${now_day}"
expect 200 "backdated list"
[ "$(field '[.by_officer[] | "\(.unit):\(.officer):\(.count)"] | join(",")')" = "P.A:leader_a:1" ] || fail "by officer: $BODY_TEXT"
[ "$(field '.events[0] | [.code, .action, .at, .reason] | join("|")')" = "$D1|finish|${day}T10:00+07:00|Kết quả đã ký ngày ${day}, nhập bù" ] ||
  fail "events: $BODY_TEXT"
req -u admin_a GET "/api/backdated?period=${now_day}..${now_day}&unit=P.A"
expect 200 "backdated list for the administrator"
req -u desk_a GET "/api/backdated?period=${now_day}..${now_day}"
expect 403 forbidden "the desk may not read the list"
req -u leader_b GET "/api/backdated?period=${now_day}..${now_day}&unit=P.A"
expect 404 not_found "another unit's list"
req -u leader_b GET "/api/backdated?period=${now_day}..${now_day}"
[ "$(field '.total')" = 0 ] || fail "P.B sees P.A's events: $BODY_TEXT"
req -u leader_a GET "/api/backdated"
expect 400 missing_field "no period"

# statistics: D1 solved late on the day it was recorded, not on the claimed day; = rebuild
req -u leader_a GET "/api/stats?unit=P.A&period=${day}..${day}"
[ "$(field '.figures | [.solved_early + .solved_on_time, .solved_late] | map(tostring) | join(",")')" = 1,0 ] ||
  fail "the claimed day counts only D2: $(field .figures)"
req -u leader_a GET "/api/stats?unit=P.A&period=${now_day}..${now_day}"
[ "$(field .figures.solved_late)" = 1 ] || fail "D1 is not late on the day it was recorded: $(field .figures)"
month=${day%-*}
req -u leader_a GET "/api/stats?unit=P.A&period=${day}..${now_day}"
before=$(field .figures)
stop_server
"$CCHC" stats rebuild --db "$DB" >/dev/null 2>&1 || fail "stats rebuild"
start_server --backdate-tolerance 0
login leader_a
req -u leader_a GET "/api/stats?unit=P.A&period=${day}..${now_day}"
[ "$(field .figures)" = "$before" ] || fail "the counters differ from a rebuild: $before / $(field .figures)"
stop_server

# the CLI: the operator's tool has no roles, but a backdated --at needs --reason and is flagged
set +e # (exit statuses are checked one by one below)
unset CCHC_BACKDATE_TOLERANCE
"$CCHC" dossier finish "$D3" --at "${day}T10:00" --actor ops --db "$DB" >"$T/out" 2>"$T/err"; rc=$?
[ $rc -eq 2 ] && grep -q -- "--at ${day}T10:00: earlier than ${now_day}T00:00.*needs --reason" "$T/err" ||
  fail "CLI backdating without --reason: rc=$rc $(cat "$T/err")"
[ -s "$T/out" ] && fail "a refused CLI action printed a result"
"$CCHC" dossier show "$D3" --db "$DB" | grep -q "Có kết quả" && fail "a refused CLI action changed the dossier"
"$CCHC" dossier finish "$D3" --at "${day}T10:00" --reason "Nhập bù từ sổ giấy" --actor ops --db "$DB" >/dev/null ||
  fail "CLI backdating with --reason"
"$CCHC" dossier show "$D3" --db "$DB" >"$T/show"
grep -q "finish.*Nhập bù từ sổ giấy.*\[ghi lùi thời gian: ghi nhận lúc ${now_day}T" "$T/show" ||
  fail "CLI history mark: $(cat "$T/show")"
"$CCHC" report backdated --period "${now_day}..${now_day}" --unit P.A --format csv --db "$DB" >"$T/csv" || fail "report backdated"
grep -q "^\"1\",\"P.A\",\"leader_a\",\"1\",\"$D1\",\"finish\",\"${day}T10:00\",\"${now_day}T" "$T/csv" &&
  grep -q "^\"2\",\"P.A\",\"ops\",\"1\",\"$D3\",\"finish\",.*\"Nhập bù từ sổ giấy\"$" "$T/csv" || fail "report rows: $(cat "$T/csv")"
"$CCHC" dossier advance "$D4" --bad-tolerance 2>/dev/null && fail "unknown option accepted"
CCHC_BACKDATE_TOLERANCE=soon "$CCHC" dossier advance "$D4" --db "$DB" 2>"$T/err"; rc=$?
[ $rc -eq 2 ] && grep -q "CCHC_BACKDATE_TOLERANCE 'soon': must be a number of working days from 0 to 30, or off" "$T/err" ||
  fail "bad tolerance: rc=$rc $(cat "$T/err")"
"$CCHC" serve --db "$DB" --port 0 --backdate-tolerance 31 2>"$T/err"; rc=$?
[ $rc -eq 2 ] && grep -q "backdate_tolerance '31'" "$T/err" || fail "serve with a bad tolerance: rc=$rc $(cat "$T/err")"

# the chain holds both times: it verifies, and a stripped recorded time or flag shows
"$CCHC" audit verify --db "$DB" >/dev/null || fail "audit verify: $("$CCHC" audit verify --db "$DB" 2>&1)"
testdb_sql "$DB" "UPDATE events SET backdated = 0 WHERE backdated = 1 AND actor = 'ops'"
"$CCHC" audit verify --db "$DB" >/dev/null 2>&1 && fail "an unflagged backdated event verifies"
testdb_sql "$DB" "UPDATE events SET backdated = 1, recorded_at = NULL WHERE actor = 'ops' AND action = 'finish'"
"$CCHC" audit verify --db "$DB" >/dev/null 2>&1 && fail "an event without its recorded time verifies"
echo "ok t-backdate"
