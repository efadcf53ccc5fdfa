#!/usr/bin/env bash
# t-remind.sh — reminders and escalations over HTTP (docs/reminders.md, issues 14 and 15). The
# server's own sweep (remind_worker.c), at start and then every --remind-interval seconds:
# a feedback item of ward P.A whose decision deadline passed weeks ago is reminded to P.A's
# leader and escalated to the province's leader; commune P.B's plan task due today is reminded
# to P.B's leader only. Each officer sees only their own reminders, marks them read, and sets
# an e-mail for them; a task added after that reaches the leader's mailbox (the notification
# sink) through the outbox. Bad input is refused naming the field and changes nothing.
source "$(dirname "$0")/lib.sh" "$1"
setup_db
PAR="${CCHC_DATA:-$DATA/../../../data}/par"
"$CCHC" par import-set "$PAR/commune-ht-3396-2021.csv" --db "$DB" >/dev/null
echo "$PASS" | "$CCHC" user add --db "$DB" --username leader_p --role leader --unit P >/dev/null
TODAY=$(TZ=Asia/Ho_Chi_Minh date +%F)
YEAR=${TODAY:0:4}
d() { date -d "$TODAY $1 days" +%F; }
FB=$("$CCHC" feedback submit --db "$DB" --unit P.A --kind suggestion --body "Đề nghị niêm yết lịch làm việc" \
  --at "$(d -40)T09:00" | cut -f1)
[ -n "$FB" ] || fail "setup: feedback"
"$CCHC" reform plan create --unit P.B --year "$YEAR" --db "$DB" --actor leader_b >/dev/null || fail "setup: plan"
PLAN=$("$CCHC" reform plan list --unit P.B --db "$DB" | cut -f1 | head -1)
TB=$("$CCHC" reform task add --plan "$PLAN" --area 1 --title "Số hoá hồ sơ tồn" --owner P.B --start "$(d -30)" \
  --due "$TODAY" --db "$DB" --actor leader_b | cut -f1)
SINK="$T/sink.jsonl"
start_server --notify-sink "$SINK" --notify-interval 1 --remind-interval 5
for u in leader_a leader_b leader_p desk_a admin_p admin_a; do login "$u"; done

# the sweep at start (a thread: wait for it, at most 10 s)
for i in $(seq 50); do
  req -u leader_p GET /api/reminders
  [ "$(field .unread)" = 1 ] && break
  sleep 0.2
done
expect 200 "the province leader's reminders"
[ "$(field '.reminders[0] | [.kind, .item, .stage, .unit, .escalated, .read, .sent] | @tsv')" = \
  "$(printf 'feedback\t%s\toverdue\tP.A\ttrue\tfalse\tfalse' "$FB")" ] || fail "escalation to the province: $BODY_TEXT"
req -u leader_a GET /api/reminders
[ "$(field '.reminders | map(.kind + ":" + .stage + ":" + (.escalated|tostring)) | join(",")')" = "feedback:overdue:false" ] ||
  fail "the ward leader's reminder: $BODY_TEXT"
req -u leader_b GET /api/reminders
[ "$(field '.reminders | map(.kind + ":" + .item + ":" + .stage) | join(",")')" = "task:$TB:due_soon" ] ||
  fail "the commune leader's reminder: $BODY_TEXT"
[ "$(field '.reminders[0].title')" = "Số hoá hồ sơ tồn" ] && [ "$(field '.reminders[0].due')" = "$TODAY" ] ||
  fail "title and due: $BODY_TEXT"
req -u desk_a GET /api/reminders
[ "$(field '.reminders | length')" = 0 ] || fail "a desk officer is not on these rules: $BODY_TEXT"
grep -q feedback "$SINK" 2>/dev/null && fail "no contact set: nothing goes to the outbox"

# --- refusals: nothing changes ------------------------------------------------------------------
req -u leader_a GET "/api/reminders?limit=0"
expect 400 invalid "limit 0"
[ "$(field .error.field)" = limit ] || fail "limit field: $BODY_TEXT"
req -u leader_a GET "/api/reminders?unread=yes"
expect 400 invalid "unread yes"
req -u leader_p GET /api/reminders && RP=$(field '.reminders[0].id')
req -u leader_a POST /api/reminders/read "{\"id\":$RP}"
expect 404 not_found "reading another officer's reminder"
req -u leader_a POST /api/reminders/read '{"id":"x"}'
expect 400 wrong_type "an id that is not a number"
req -u leader_a -n POST /api/reminders/read '{}'
expect 403 csrf "no CSRF token"
req -u leader_b PUT /api/session/contact '{"email":"0912345678"}'
expect 400 invalid "a phone as the e-mail"
[ "$(field .error.field)" = email ] || fail "email field: $BODY_TEXT"
req -u leader_b PUT /api/session/contact '{"phone":"12345"}'
expect 400 invalid "a phone that is not one"
req -u admin_a PUT /api/users/leader_b/contact '{"email":"b@example.vn"}'
expect 404 not_found "an administrator of another ward"
req -u leader_a PUT /api/users/leader_b/contact '{"email":"b@example.vn"}'
expect 403 forbidden "a leader setting another's contact"
req -u leader_b GET /api/session/contact
[ "$(field '.email + "|" + .phone')" = "|" ] || fail "a refused contact changed it: $BODY_TEXT"
req -u leader_p GET /api/reminders
[ "$(field .unread)" = 1 ] || fail "a refused read changed it: $BODY_TEXT"

# --- read, and contacts ---------------------------------------------------------------------------
req -u leader_p POST /api/reminders/read "{\"id\":$RP}"
expect 200 "read one" && [ "$(field .read)" = 1 ] || fail "read one: $BODY_TEXT"
req -u leader_p GET "/api/reminders?unread=1"
[ "$(field '.unread')" = 0 ] && [ "$(field '.reminders | length')" = 0 ] || fail "unread after reading: $BODY_TEXT"
req -u leader_a POST /api/reminders/read '{}'
expect 200 "read all"
req -u admin_p PUT /api/users/leader_b/contact '{"email":"LeaderB@Example.vn"}'
expect 200 "the administrator sets an e-mail"
[ "$(field .email)" = leaderb@example.vn ] || fail "normalised e-mail: $BODY_TEXT"
req -u leader_b PUT /api/session/contact '{"phone":"0912 345 678"}'
expect 200 "the officer adds a phone"
[ "$(field '.email + "|" + .phone')" = "leaderb@example.vn|0912345678" ] || fail "both kept: $BODY_TEXT"

# a task added now reaches leader_b's mailbox at the next sweep (5 s) through the outbox
T2=$("$CCHC" reform task add --plan "$PLAN" --area 1 --title "Niêm yết số điện thoại đường dây nóng" --owner P.B \
  --start "$(d -3)" --due "$TODAY" --db "$DB" --actor leader_b | cut -f1)
for i in $(seq 60); do
  grep -q "Niêm yết số điện thoại đường dây nóng" "$SINK" 2>/dev/null && break
  sleep 0.25
done
grep "Niêm yết số điện thoại đường dây nóng" "$SINK" | jq -e 'select(.to == "leaderb@example.vn" and .event == "reminder_due")' >/dev/null ||
  fail "the reminder e-mail in the sink: $(tail -c 600 "$SINK" 2>/dev/null)"
req -u leader_b GET /api/reminders
[ "$(field "[.reminders[] | select(.item == \"$T2\")][0].sent")" = true ] || fail "sent flag: $BODY_TEXT"
[ "$(grep -c "Số hoá hồ sơ tồn" "$SINK")" = 0 ] || fail "the earlier reminder is not sent again"
# the sweep's reminders carry their province (migration 044): P, the root of the fixture's
# units (P.A's feedback, P.B's tasks); an insert that stopped binding it would leave ''
# (SQLite) or fail (PostgreSQL)
got=$(testdb_sql "$DB" "SELECT count(*) || ':' || sum(CASE WHEN province = 'P' THEN 1 ELSE 0 END) FROM reminders")
[ "${got%%:*}" -ge 2 ] && [ "${got%%:*}" = "${got#*:}" ] || fail "reminders: rows:with province P = $got"
stop_server
echo "ok t-remind"
