#!/usr/bin/env bash
# t-citizen.sh — the citizen's identity by one-time code (issue 16, docs/notify.md): a code
# goes into the outbox (never stored in clear in citizen_otp), the right code sets the
# HttpOnly SameSite=Strict cookie cchc_citizen and GET /api/public/citizen answers the contact
# in normal form; wrong, expired-by-use and too-often-tried codes are refused naming the
# field; contacts are validated precisely; codes are rate-limited per contact.
source "$(dirname "$0")/lib.sh" "$1"
setup_db
start_server

# otp_of CONTACT: the latest code put in the outbox for CONTACT (the delivery worker would send it)
otp_of() {
  testdb_sql "$DB" "SELECT vars FROM outbox WHERE event = 'otp' AND recipient = '$1' ORDER BY id DESC LIMIT 1" |
    sed -n 's/^otp\t//p'
}

# bad contacts: field, rule, and nothing written
for bad in '"0912 34"' '"+1 202 555 0100"' '"0212345678"' '"a@b"' '"a..b@example.vn"' '"x@-bad.vn"' '"@example.vn"' '""'; do
  req POST /api/public/otp "{\"contact\":$bad}"
  expect 400 invalid "bad contact $bad"
  [ "$(field .error.field)" = contact ] || fail "contact $bad: field: $BODY_TEXT"
done
[ "$(testdb_sql "$DB" "SELECT count(*) FROM outbox")" = 0 ] || fail "a refused contact wrote to the outbox"
req POST /api/public/otp '{"contact":"0912345678","extra":1}'
expect 400 unknown_field "an unknown field"

# a phone written with spaces and +84 is the same citizen
req POST /api/public/otp '{"contact":"+84 912.345.678"}'
expect 202 "code requested"
[ "$(field .expires_in)" = 600 ] || fail "expiry: $BODY_TEXT"
code=$(otp_of 0912345678)
[[ "$code" =~ ^[0-9]{6}$ ]] || fail "the outbox holds no code: '$code'"
[ "$(testdb_sql "$DB" "SELECT count(*) FROM citizen_otp WHERE code_hash LIKE '%$code%' OR salt LIKE '%$code%'")" = 0 ] ||
  fail "the code is stored in clear"
[ "$(testdb_sql "$DB" "SELECT state || ' ' || channel FROM outbox WHERE event = 'otp'")" = "pending sms" ] ||
  fail "otp message state"
# a citizen's own message belongs to no province: the national '' (store_notify.h, OUTBOX_NATIONAL)
[ "$(testdb_sql "$DB" "SELECT '[' || province || ']' FROM outbox WHERE event = 'otp'")" = "[]" ] ||
  fail "otp message province: $(testdb_sql "$DB" "SELECT province FROM outbox WHERE event = 'otp'")"

# a wrong code counts a try; the right one signs in
wrong=$(printf '%06d' $(( (10#$code + 1) % 1000000 )))
req POST /api/public/otp/verify "{\"contact\":\"0912345678\",\"code\":\"$wrong\"}"
expect 400 invalid "wrong code"
[ "$(field .error.field)" = code ] || fail "wrong code field: $BODY_TEXT"
req POST /api/public/otp/verify '{"contact":"0912345678","code":"12ab"}'
expect 400 invalid "a code that is not 6 digits"
curl -s -D "$T/h" -c "$T/cit.jar" -o "$T/body" -H 'Content-Type: application/json' \
  -d "{\"contact\":\"0912 345 678\",\"code\":\"$code\"}" "$BASE/api/public/otp/verify"
grep -qi '^set-cookie: cchc_citizen=[0-9a-f]\{64\}; HttpOnly; SameSite=Strict; Path=/' "$T/h" || fail "cookie: $(cat "$T/h")"
[ "$(jq -r .contact "$T/body")" = 0912345678 ] || fail "verify answer: $(cat "$T/body")"
[ "$(curl -s -b "$T/cit.jar" "$BASE/api/public/citizen" | jq -r .contact)" = 0912345678 ] || fail "whoami"
req GET /api/public/citizen
expect 401 unauthorized "no cookie"
[ "$(curl -s -o /dev/null -w '%{http_code}' -b 'cchc_citizen=0000000000000000000000000000000000000000000000000000000000000000' "$BASE/api/public/citizen")" = 401 ] ||
  fail "a made-up token"
# the session row holds the token's hash, not the token
tok=$(awk '$6 == "cchc_citizen" {print $7}' "$T/cit.jar")
[ "$(testdb_sql "$DB" "SELECT count(*) FROM citizen_sessions WHERE token_hash = '$tok'")" = 0 ] || fail "token in clear"

# a used code does not work twice
req POST /api/public/otp/verify "{\"contact\":\"0912345678\",\"code\":\"$code\"}"
expect 400 invalid "used code"

# five wrong tries void a code
req POST /api/public/otp '{"contact":"Nguoi.Dan@Example.VN"}'
expect 202 "e-mail code"
code=$(otp_of nguoi.dan@example.vn)
[ -n "$code" ] || fail "e-mail lower-cased in the outbox"
[ "$(testdb_sql "$DB" "SELECT channel FROM outbox WHERE recipient = 'nguoi.dan@example.vn'")" = email ] || fail "email channel"
wrong=$(printf '%06d' $(( (10#$code + 1) % 1000000 )))
for i in 1 2 3 4 5; do
  req POST /api/public/otp/verify "{\"contact\":\"nguoi.dan@example.vn\",\"code\":\"$wrong\"}"
  expect 400 invalid "wrong try $i"
done
req POST /api/public/otp/verify "{\"contact\":\"nguoi.dan@example.vn\",\"code\":\"$code\"}"
expect 400 invalid "the right code after five wrong tries"
[[ "$(field .error.message)" == *"ask for a new code"* ]] || fail "locked message: $BODY_TEXT"

# at most 5 codes an hour per contact (the 6th is refused and writes nothing)
for i in 2 3 4 5; do
  req POST /api/public/otp '{"contact":"nguoi.dan@example.vn"}'
  expect 202 "code $i"
done
req POST /api/public/otp '{"contact":"nguoi.dan@example.vn"}'
expect 429 rate_limited "sixth code"
[ "$(testdb_sql "$DB" "SELECT count(*) FROM outbox WHERE recipient = 'nguoi.dan@example.vn'")" = 5 ] || fail "sixth code written"
echo "ok t-citizen"
