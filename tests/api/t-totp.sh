#!/usr/bin/env bash
# t-totp.sh — issue 12, finding 4: a second factor (TOTP, RFC 6238) for accounts. Enrolment
# over HTTP (secret, otpauth URI, QR code), confirmed by a first code, which answers ten
# recovery codes once; sign-in then asks for a code (401 totp_required, in Vietnamese), takes
# the app's code once per step (a replay is refused) or a recovery code once; a username locked
# for new devices lets its owner in with password and code; `cchc user totp reset` removes the
# factor; with totp_admin_required an administrator without one is refused until enrolled with
# `cchc user totp enrol|confirm` (URI and a terminal QR code). Codes come from oathtool.
source "$(dirname "$0")/lib.sh" "$1"
command -v oathtool >/dev/null || fail "oathtool is missing (scripts/deps.sh)"
setup_db
start_server --login-max-failures 3 --login-max-failures-user 6
# sign_in USER PASSWORD [CODE] [ADDRESS]: one sign-in with no cookie jar (a new device)
sign_in() {
  local body
  body=$(jq -nc --arg u "$1" --arg p "$2" --arg c "${3-}" '{username:$u,password:$p} + (if $c == "" then {} else {code:$c} end)')
  STATUS=$(curl -s -o "$T/body" -w '%{http_code}' --interface "${4:-127.0.0.1}" \
    -H 'Content-Type: application/json' ${ACCEPT_LANGUAGE:+-H "Accept-Language: $ACCEPT_LANGUAGE"} \
    -d "$body" "$BASE/api/session")
  BODY_TEXT=$(cat "$T/body")
}
code_at() { oathtool --totp -b "$1" --now "@$(($(date +%s) + ${2:-0}))"; }

login desk_a
req -u desk_a GET /api/session/totp
expect 200 "second-factor state"
[ "$(field .enrolled)/$(field .pending)" = false/false ] || fail "a new account's state: $BODY_TEXT"
req -u desk_a -n POST /api/session/totp
expect 403 csrf "enrolment without the CSRF token"
req -u desk_a POST /api/session/totp
expect 200 "start enrolment"
secret=$(field .secret)
[[ "$(field .uri)" == "otpauth://totp/cchc:desk_a?secret=$secret&issuer=cchc"* ]] || fail "the URI: $BODY_TEXT"
[[ "$(field .qr_svg)" == "<svg"* ]] || fail "the QR code: $BODY_TEXT"
sign_in desk_a "$PASS"
[ "$STATUS" = 200 ] || fail "a pending factor asks for nothing yet: $STATUS $BODY_TEXT"
req -u desk_a POST /api/session/totp/confirm '{"code":"12345"}'
expect 400 totp_invalid "a 5-digit code"
code=$(code_at "$secret")
req -u desk_a POST /api/session/totp/confirm "{\"code\":\"$code\"}"
expect 200 "confirm with the app's code"
[ "$(field '.recovery_codes | length')" = 10 ] || fail "ten recovery codes: $BODY_TEXT"
rc1=$(field '.recovery_codes[0]')
req -u desk_a POST /api/session/totp/confirm "{\"code\":\"$code\"}"
expect 409 conflict "confirming twice"
req -u desk_a POST /api/session/totp
expect 409 conflict "re-enrolling over a confirmed factor"

ACCEPT_LANGUAGE=vi
sign_in desk_a "$PASS"
[ "$STATUS" = 401 ] && [ "$(field .error.code)" = totp_required ] || fail "password alone: $STATUS $BODY_TEXT"
[[ "$(field .error.message)" == *"mã 6 chữ số"* ]] || fail "the Vietnamese message: $BODY_TEXT"
sign_in desk_a "$PASS" "$code" 127.0.2.11
[ "$STATUS" = 401 ] && [ "$(field .error.rule)" = auth.totp_replay ] || fail "the confirming code again: $STATUS $BODY_TEXT"
sign_in desk_a "$PASS" 000000 127.0.2.12
[ "$STATUS" = 401 ] && [ "$(field .error.rule)" = auth.totp_invalid ] || fail "a wrong code: $STATUS $BODY_TEXT"
sign_in desk_a wrong-password-x "$(code_at "$secret" 30)" 127.0.2.13
[ "$STATUS" = 401 ] && [ "$(field .error.code)" = invalid_credentials ] || fail "a wrong password with a code: $STATUS $BODY_TEXT"
unset ACCEPT_LANGUAGE
sign_in desk_a "$PASS" "${rc1^^}"
[ "$STATUS" = 200 ] || fail "a recovery code (in capitals): $STATUS $BODY_TEXT"
sign_in desk_a "$PASS" "$rc1"
[ "$STATUS" = 401 ] || fail "a recovery code twice: $STATUS $BODY_TEXT"
"$CCHC" user totp status desk_a --db "$DB" | grep -qx "user 'desk_a': second factor enrolled, 9 recovery codes left" ||
  fail "cchc user totp status: $("$CCHC" user totp status desk_a --db "$DB")"

# failures from several addresses lock desk_a for new devices: the password alone is refused,
# the password and a code let the owner in
for a in 31 32 33; do for i in 1 2; do sign_in desk_a wrong-password-$i "" 127.0.2.$a; done; done
sign_in desk_a "$PASS" "" 127.0.2.50
[ "$STATUS" = 429 ] || fail "a new device while desk_a is locked: $STATUS $BODY_TEXT"
grep -q "second-factor code" "$T/body" || fail "the lock message names the code: $BODY_TEXT"
sign_in desk_a "$PASS" 000000 127.0.2.50
[ "$STATUS" = 429 ] || fail "a wrong code while locked: $STATUS $BODY_TEXT"
sign_in desk_a "$PASS" "$(code_at "$secret" 30)" 127.0.2.51
[ "$STATUS" = 200 ] || fail "password and code while locked: $STATUS $BODY_TEXT"
sign_in desk_a "$PASS" "" 127.0.2.52
[ "$STATUS" = 401 ] && [ "$(field .error.code)" = totp_required ] || fail "the lock ends with the owner's sign-in: $STATUS $BODY_TEXT"

# the administrator's reset: the password alone again
"$CCHC" user totp reset desk_a --db "$DB" | grep -qx "user 'desk_a': second factor removed" || fail "cchc user totp reset"
sign_in desk_a "$PASS" "" 127.0.2.53
[ "$STATUS" = 200 ] || fail "after the reset: $STATUS $BODY_TEXT"
set +e
"$CCHC" user totp reset nobody --db "$DB" 2>"$T/err"; st=$?
"$CCHC" user totp confirm admin_p --code 123456 --db "$DB" 2>>"$T/err"; st2=$?
set -e
[ $st = 2 ] && grep -q "user 'nobody' does not exist" "$T/err" || fail "reset nobody: exit $st $(cat "$T/err")"
[ $st2 = 2 ] && grep -q "no second factor waiting" "$T/err" || fail "confirm without enrolment: exit $st2 $(cat "$T/err")"

# administrators required to have one
stop_server
start_server --totp-admin-required=true
sign_in admin_p "$PASS"
[ "$STATUS" = 403 ] && [ "$(field .error.code)" = totp_enrol_required ] || fail "an admin without a factor: $STATUS $BODY_TEXT"
sign_in desk_b "$PASS"
[ "$STATUS" = 200 ] || fail "other roles are not asked: $STATUS $BODY_TEXT"
"$CCHC" user totp enrol admin_p --db "$DB" >"$T/enrol"
asecret=$(sed -n 's/^secret: //p' "$T/enrol")
grep -q "^otpauth://totp/cchc:admin_p?secret=$asecret&" "$T/enrol" || fail "enrol prints the URI: $(cat "$T/enrol")"
grep -q "▀" "$T/enrol" && [ "$(grep -c '█' "$T/enrol")" -ge 20 ] || fail "enrol draws a QR code"
"$CCHC" user totp confirm admin_p --code "$(code_at "$asecret")" --db "$DB" >"$T/confirm"
[ "$(grep -cE '^[a-z2-9]{5}-[a-z2-9]{5}$' "$T/confirm")" = 10 ] || fail "confirm prints 10 recovery codes: $(cat "$T/confirm")"
sign_in admin_p "$PASS" "$(code_at "$asecret" 30)"
[ "$STATUS" = 200 ] || fail "the admin with a code: $STATUS $BODY_TEXT"
echo "t-totp: all passed"
