#!/usr/bin/env bash
# t-notify-smtp.sh — e-mail through SMTP (libcurl) to a fake SMTP server on 127.0.0.1
# (tests/api/smtpd.py, Debian's python3-aiosmtpd): the one-time code and a feedback answer
# arrive with their Vietnamese subject and body decoded, the message id in Message-ID and
# X-Cchc-Message-Id, the unsubscribe link in the answer; the otp's code is wiped from the
# outbox once sent.
source "$(dirname "$0")/lib.sh" "$1"
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3 # Debian's, with python3-aiosmtpd
"$PY" -c 'import aiosmtpd' 2>/dev/null || fail "python3-aiosmtpd missing (scripts/deps.sh installs it)"
setup_db
MAIL=$T/mail.jsonl
"$PY" "$(dirname "$0")/smtpd.py" "$T/smtp.port" "$MAIL" &
SMTP_PID=$!
trap 'kill $SMTP_PID 2>/dev/null || true; cleanup' EXIT
for i in $(seq 100); do [ -s "$T/smtp.port" ] && break; sleep 0.1; done
[ -s "$T/smtp.port" ] || fail "the fake SMTP server did not start"
start_server --notify-interval 1 --smtp-url "smtp://127.0.0.1:$(cat "$T/smtp.port")" \
  --smtp-from no-reply@dvc.example.vn --public-url https://dvc.example.vn
login leader_a

wait_mail() {
  local i
  for i in $(seq 100); do
    [ "$( (cat "$MAIL" 2>/dev/null || true) | wc -l)" -ge "$1" ] && return 0
    sleep 0.1
  done
  fail "the SMTP server received $( (cat "$MAIL" 2>/dev/null || true) | wc -l) messages, expected $1"
}

req POST /api/public/otp '{"contact":"Cong.Dan@Example.VN"}'
expect 202 "code by e-mail"
wait_mail 1
m=$(head -1 "$MAIL")
[ "$(jq -r '.to[0]' <<<"$m")" = cong.dan@example.vn ] && [ "$(jq -r .from <<<"$m")" = no-reply@dvc.example.vn ] ||
  fail "envelope: $m"
[ "$(jq -r .subject <<<"$m")" = "Mã xác nhận cchc" ] || fail "subject: $m"
code=$(jq -r .body <<<"$m" | grep -o '[0-9]\{6\}')
id=$(testdb_sql "$DB" "SELECT msg_id FROM outbox WHERE event = 'otp'")
[ "$(jq -r .cchc_id <<<"$m")" = "$id" ] && [ "$(jq -r .message_id <<<"$m")" = "<$id@cchc>" ] || fail "message id: $m"
[ "$(testdb_sql "$DB" "SELECT state || '|' || vars FROM outbox WHERE event = 'otp'")" = "sent|" ] || fail "the code stays in the outbox"
curl -s -c "$T/cit.jar" -o "$T/body" -H 'Content-Type: application/json' \
  -d "{\"contact\":\"cong.dan@example.vn\",\"code\":\"$code\"}" "$BASE/api/public/otp/verify"
[ "$(jq -r .contact "$T/body")" = cong.dan@example.vn ] || fail "the mailed code signs in: $(cat "$T/body")"

req POST /api/public/feedback '{"unit":"P.A","kind":"suggestion","body":"Đề nghị bố trí thêm ghế chờ","email":"cong.dan@example.vn"}'
expect 201 "feedback"
F=$(field .code)
req -u leader_a POST "/api/feedback/$F/accept" '{}'
req -u leader_a POST "/api/feedback/$F/answer" '{"answer":"Đã bố trí thêm 10 ghế."}'
expect 200 "answer"
wait_mail 2
m=$(tail -1 "$MAIL")
[ "$(jq -r .subject <<<"$m")" = "Phản ánh, kiến nghị $F đã được trả lời" ] || fail "answer subject: $m"
[[ "$(jq -r .body <<<"$m")" == "Kính gửi Ông/Bà,"*"https://dvc.example.vn/#/phan-anh?code=$F"*"#/huy-thong-bao?token="* ]] || fail "answer body: $m"

# the confirmed citizen opts out with the session: later news is skipped
curl -s -b "$T/cit.jar" -o "$T/body" -X POST "$BASE/api/public/optout"
[ "$(jq -r .opted_out "$T/body")" = true ] || fail "opt-out by session: $(cat "$T/body")"
req POST /api/public/feedback '{"unit":"P.A","kind":"suggestion","body":"Góp ý thứ hai","email":"cong.dan@example.vn"}'
F2=$(field .code)
req -u leader_a POST "/api/feedback/$F2/accept" '{}'
req -u leader_a POST "/api/feedback/$F2/answer" '{"answer":"Cảm ơn."}'
expect 200 "second answer"
[ "$(testdb_sql "$DB" "SELECT state || '|' || reason FROM outbox WHERE vars LIKE '%$F2%'")" = "skipped|opted out" ] || fail "opted out"
echo "ok t-notify-smtp"
