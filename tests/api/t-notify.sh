#!/usr/bin/env bash
# t-notify.sh — the notification outbox end to end (issue 16, docs/notify.md): dossier changes
# and a feedback answer enqueue their message in their own transaction, the delivery thread of
# cchc serve renders the Vietnamese template and appends it to the loopback sink, a dossier
# without a phone gets a 'skipped' row saying why, the lost-code request answers the same for
# every contact and sends the codes to that contact only, opt-out by a message's token, the
# SMS gateway (tests/api/gateway.py) with retries and dead letters, replay by API and CLI.
source "$(dirname "$0")/lib.sh" "$1"
setup_db
SINK=$T/sink.jsonl
start_server --notify-sink "$SINK" --notify-interval 1 --public-url https://dvc.example.vn
login desk_a
login leader_a
login admin_a

# wait_sink N: until the sink holds N lines (10 s at most)
wait_sink() {
  local i
  for i in $(seq 100); do
    [ "$( (cat "$SINK" 2>/dev/null || true) | wc -l)" -ge "$1" ] && return 0
    sleep 0.1
  done
  fail "the sink holds $( (cat "$SINK" 2>/dev/null || true) | wc -l) lines, expected $1"
}
q() { testdb_sql "$DB" "$1"; }

req -u desk_a POST /api/dossiers '{"unit":"P.A","procedure":"9.000001","applicant_name":"Lê Văn Tám",
  "applicant_phone":"+84 912 345 678","at":"2025-09-08T08:00"}'
expect 201 "receive with a phone"
A=$(field .code)
req -u desk_a POST /api/dossiers '{"unit":"P.A","procedure":"9.000001","applicant_name":"Phạm Minh","at":"2025-09-08T08:10"}'
expect 201 "receive without a phone"
B=$(field .code)
wait_sink 1
line=$(head -1 "$SINK")
[ "$(jq -r .event <<<"$line")" = received ] && [ "$(jq -r .to <<<"$line")" = 0912345678 ] &&
  [ "$(jq -r .dossier <<<"$line")" = "$A" ] || fail "received message: $line"
body=$(jq -r .body <<<"$line")
[[ "$body" == "Hồ sơ $A (Thủ tục thử nghiệm ba bước) đã được "*" tiếp nhận. Ngày hẹn trả kết quả: "[0-9][0-9]/[0-9][0-9]/2025". Tra cứu: https://dvc.example.vn/#/tra-cuu?code=$A" ]] ||
  fail "received text: $body"
[[ "$(jq -r .msg_id <<<"$line")" =~ ^m-[0-9a-f]{32}$ ]] || fail "msg_id: $line"
[ "$(q "SELECT state FROM outbox WHERE dossier_code = '$A'")" = sent ] || fail "A's message not sent"
[ "$(q "SELECT state || '|' || reason FROM outbox WHERE dossier_code = '$B'")" = "skipped|no contact: the applicant gave no phone number" ] ||
  fail "B's skipped row: $(q "SELECT state, reason FROM outbox WHERE dossier_code = '$B'")"

# supplement requested, then the apology with its new date (dd/mm/yyyy)
req -u desk_a POST "/api/dossiers/$A/request-supplement" '{"at":"2025-09-08T09:00","note":"Thiếu bản sao giấy tờ tùy thân"}'
expect 200 "request supplement"
wait_sink 2
[ "$(tail -1 "$SINK" | jq -r .event)" = supplement_requested ] || fail "supplement message: $(tail -1 "$SINK")"
req -u desk_a POST "/api/dossiers/$A/supplement-received" '{"at":"2025-09-09T08:00"}'
expect 200 "supplement received"
req -u leader_a POST "/api/dossiers/$A/apologise" '{"at":"2025-09-09T09:00","note":"Cần xác minh thêm","new_due_at":"2025-10-20T17:00"}'
expect 200 "apologise"
wait_sink 3
[[ "$(tail -1 "$SINK" | jq -r .body)" == *"Ngày hẹn mới: 20/10/2025"* ]] || fail "apology text: $(tail -1 "$SINK")"
# a failed change enqueues nothing (same transaction)
n=$(q "SELECT count(*) FROM outbox")
req -u desk_a POST "/api/dossiers/$A/request-supplement" '{"at":"2025-09-09T10:00"}'
expect 400 missing_field "a supplement without its reason"
[ "$(q "SELECT count(*) FROM outbox")" = "$n" ] || fail "a refused change wrote to the outbox"

# the lost dossier code: one neutral answer; the codes go to the contact only
req POST /api/public/lost-code '{"contact":"0912.345.678"}'
expect 202 "lost code, known contact"
known=$BODY_TEXT
req POST /api/public/lost-code '{"contact":"0987654321"}'
expect 202 "lost code, unknown contact"
[ "$BODY_TEXT" = "$known" ] || fail "the answers differ: $known / $BODY_TEXT"
req POST /api/public/lost-code '{"contact":"12345"}'
expect 400 invalid "lost code, bad contact"
wait_sink 4
lost=$(grep '"event":"lost_code"' "$SINK")
[ "$(jq -r .to <<<"$lost")" = 0912345678 ] && [[ "$(jq -r .body <<<"$lost")" == *"$A"* ]] || fail "lost code message: $lost"
[ "$(grep -c 0987654321 "$SINK" || true)" = 0 ] || fail "a message to an unknown contact"

# opt-out by the token of a message: later dossier news is skipped, asked-for codes still go
tok=$(q "SELECT unsub_token FROM outbox WHERE dossier_code = '$A' AND event = 'received'")
[[ "$(head -1 "$SINK" | jq -r .body)" != *"$tok"* ]] || fail "an SMS carries the unsubscribe link"
req POST /api/public/optout '{"token":"ffffffffffffffffffffffffffffffff"}'
expect 404 not_found "an unknown token"
req POST /api/public/optout
expect 401 unauthorized "no token, no session"
req POST /api/public/optout "{\"token\":\"$tok\"}"
expect 200 "opt out"
[ "$(field .contact)" = "09******78" ] || fail "opt-out answer: $BODY_TEXT"
req -u leader_a POST "/api/dossiers/$A/advance" '{"at":"2025-09-10T08:00","officer":"specialist_a"}' || true
req -u desk_a POST /api/dossiers '{"unit":"P.A","procedure":"9.000001","applicant_name":"Lê Văn Tám",
  "applicant_phone":"0912345678","at":"2025-09-10T08:00"}'
expect 201 "receive after opting out"
C=$(field .code)
[ "$(q "SELECT state || '|' || reason FROM outbox WHERE dossier_code = '$C'")" = "skipped|opted out" ] || fail "opted-out row"

# feedback answered goes to the sender's e-mail
req POST /api/public/feedback '{"unit":"P.A","kind":"suggestion","body":"Đề nghị niêm yết thêm","email":"Dan@Example.VN"}'
expect 201 "feedback"
F=$(field .code)
req -u desk_a POST "/api/feedback/$F/accept" '{}'
req -u leader_a POST "/api/feedback/$F/answer" '{"answer":"Đã niêm yết tại bộ phận một cửa."}'
expect 200 "answer feedback"
wait_sink 5
fb=$(grep '"event":"feedback_answered"' "$SINK")
[ "$(jq -r .to <<<"$fb")" = dan@example.vn ] && [ "$(jq -r .channel <<<"$fb")" = email ] || fail "feedback message: $fb"
[[ "$(jq -r .body <<<"$fb")" == *"https://dvc.example.vn/#/phan-anh?code=$F"*"ngừng nhận thông báo: https://dvc.example.vn/#/huy-thong-bao?token="* ]] ||
  fail "feedback text: $fb"

# every row carries its province (migration 048), bound by the store: a dossier's messages
# their dossier's (the tree's root, P), the feedback answer its item's, the lost codes none ('')
got=$(q "SELECT count(*) || ':' || sum(CASE WHEN o.province = d.province AND o.province = 'P' THEN 1 ELSE 0 END) FROM outbox o JOIN dossiers d ON d.code = o.dossier_code")
[ "${got%%:*}" -gt 0 ] && [ "${got%%:*}" = "${got#*:}" ] || fail "the dossiers' messages' province (rows:right): $got"
got=$(q "SELECT o.province || ':' || f.province FROM outbox o, feedback f WHERE o.event = 'feedback_answered' AND f.code = '$F'")
[ "$got" = "P:P" ] || fail "the feedback answer's province: $got"
got=$(q "SELECT event || '=[' || province || ']' FROM outbox WHERE event = 'lost_code'")
[ "$got" = "lost_code=[]" ] || fail "the lost codes' province: $got"

# every message in the sink once, each with its own id
[ "$(jq -r .msg_id "$SINK" | sort | uniq -d | wc -l)" = 0 ] || fail "a message sent twice"

# the operators' view: counts, masked recipients; refused to others
req -u admin_a GET /api/notify
expect 200 "outbox"
[ "$(field .counts.sent)" = 5 ] && [ "$(field .counts.skipped)" = 2 ] || fail "counts: $BODY_TEXT"
[ "$(grep -c 0912345678 "$T/body" || true)" = 0 ] || fail "a phone number in clear in the outbox list"
req -u admin_a GET '/api/notify?state=lost'
expect 400 invalid "an unknown state"
[ "$(field .error.field)" = state ] || fail "state field"
req -u desk_a GET /api/notify
expect 403 forbidden "a desk officer"
stop_server

# the SMS gateway: a refused recipient is dead at once, a failing one is retried later,
# a good one is sent; replay by the CLI and the API
GW=$T/gw.log
python3 "$(dirname "$0")/gateway.py" "$T/gw.port" "$GW" secret-token &
GW_PID=$!
trap 'kill $GW_PID 2>/dev/null || true; cleanup' EXIT
for i in $(seq 50); do [ -s "$T/gw.port" ] && break; sleep 0.1; done
GWURL=http://127.0.0.1:$(cat "$T/gw.port")/sms
for ph in 0912000100 0912000199 0912000123; do
  "$CCHC" dossier receive --unit P.A --procedure 9.000001 --name "Trần Thị Mai" --phone "$ph" \
    --at 2025-09-11T08:00 --db "$DB" >/dev/null
done
"$CCHC" notify run --once --db "$DB" --sms-url "$GWURL" --sms-token wrong >"$T/run.out"
grep -q "^3 claimed, 0 sent, 3 failed (to retry), 0 dead$" "$T/run.out" || fail "wrong token: $(cat "$T/run.out")"
[ "$(q "SELECT count(*) FROM outbox WHERE state = 'failed' AND next_at >= created_at + 60")" = 3 ] || fail "retry after the backoff"
# failed rows wait for their backoff; make them due now
q "UPDATE outbox SET next_at = 0 WHERE state = 'failed'" >/dev/null
"$CCHC" notify run --once --db "$DB" --sms-url "$GWURL" --sms-token secret-token >"$T/run.out"
grep -q '^3 claimed, 1 sent, 1 failed (to retry), 1 dead$' "$T/run.out" || fail "right token: $(cat "$T/run.out")"
jq -e 'select(.to == "0912000123") | .msg_id and (.text | contains("đã được"))' "$GW" >/dev/null || fail "gateway log: $(cat "$GW")"
"$CCHC" notify dead --db "$DB" >"$T/dead.out"
[ "$(wc -l <"$T/dead.out")" = 1 ] && grep -q 'gateway answered HTTP 400' "$T/dead.out" || fail "dead list: $(cat "$T/dead.out")"
dead_id=$(cut -f1 "$T/dead.out")
"$CCHC" notify replay 999999 --db "$DB" 2>"$T/err" && fail "replaying an unknown message"
rc=0; "$CCHC" notify replay x --db "$DB" 2>"$T/err" || rc=$?
[ $rc = 2 ] || fail "a bad id: exit $rc, expected 2"
start_server --notify-worker=false
login admin_a
req -u admin_a GET /api/notify/dead
expect 200 "dead letters"
[ "$(field '.items | length')" = 1 ] && [ "$(field '.items[0].id')" = "$dead_id" ] || fail "dead letters: $BODY_TEXT"
req -u admin_a POST "/api/notify/$dead_id/replay"
expect 200 "replay"
req -u admin_a POST "/api/notify/$dead_id/replay"
expect 409 conflict "replay of a message no longer dead"
[ "$(q "SELECT state || attempts FROM outbox WHERE id = $dead_id")" = pending0 ] || fail "replayed row"
echo "ok t-notify"
