#!/usr/bin/env bash
# t-errors.sh — the server's front door: health, metrics, configuration errors, sign-in and
# CSRF, and every error path of a request body (413, bad UTF-8, bad JSON, wrong type, unknown
# field, missing field, 415, 404, 405), each answered with {"error": {code, field, message}};
# failed requests change nothing; SIGTERM stops the server cleanly.
source "$(dirname "$0")/lib.sh" "$1"
setup_db

# --- configuration, before any server runs ---
set +e
"$CCHC" serve --db "$DB" --listen 0.0.0.0 --port 0 2>"$T/err"; rc=$?
set -e
[ $rc = 2 ] || fail "non-loopback listen: exit $rc, expected 2"
grep -q "not a loopback address" "$T/err" || fail "non-loopback listen message: $(cat "$T/err")"
set +e
"$CCHC" serve --db "$DB" --threads 0 2>"$T/err"; rc=$?
set -e
[ $rc = 2 ] && grep -q "threads '0': must be a whole number from 1 to 64" "$T/err" ||
  fail "--threads 0: exit $rc: $(cat "$T/err")"
# the list entry cache and the read cache (0: off), the SQLite page cache per connection (1 MiB
# at least), and how often the read cache reads SQLite's data version (at most every second)
for c in "list-cache-mb|0|-1 65537 64k|65536" "read-cache-mb|0|-1 65537 32m|65536" \
  "db-cache-mb|1|0 65537|65536" "read-cache-check-ms|0|-1 1001 1ms|1000"; do
  IFS='|' read -r opt min vals max <<<"$c"
  for v in $vals; do
    set +e
    "$CCHC" serve --db "$DB" "--$opt" "$v" 2>"$T/err"; rc=$?
    set -e
    [ $rc = 2 ] && grep -q "${opt//-/_} '$v': must be a whole number from $min to $max" "$T/err" ||
      fail "--$opt $v: exit $rc: $(cat "$T/err")"
  done
done
printf '[server]\nport = 0\nbogus = 1\n' >"$T/bad.ini"
set +e
"$CCHC" serve --db "$DB" --config "$T/bad.ini" 2>"$T/err"; rc=$?
set -e
[ $rc = 2 ] && grep -q "bad.ini:3: option: unknown option 'bogus'" "$T/err" ||
  fail "bad ini: exit $rc: $(cat "$T/err")"
set +e
"$CCHC" serve --db "$T/missing.db" --port 0 2>"$T/err"; rc=$?
set -e
[ $rc = 2 ] && grep -q "does not exist" "$T/err" || fail "missing db: exit $rc: $(cat "$T/err")"
"$CCHC" serve --help >"$T/help"
grep -q -- "--body-limit N" "$T/help" || fail "--help lacks the option table"

# The ini file drives the same options as the flags (body_limit checked below).
printf 'body_limit = 4096\n[server]\nlogin_max_failures = 3\n' >"$T/cchc.ini"
start_server --config "$T/cchc.ini"

# --- health and metrics ---
req GET /healthz
expect 200 "healthz"
[ "$(field .status)" = ok ] || fail "healthz body: $BODY_TEXT"
req GET /nope
expect 404 not_found "unknown path"
req DELETE /healthz
expect 405 method_not_allowed "wrong method"
curl -s -D "$T/h" -o /dev/null -X DELETE "$BASE/healthz"
grep -qi '^Allow: GET' "$T/h" || fail "405 without Allow header"

# --- sign-in, session, CSRF ---
req GET /api/session
expect 401 unauthorized "no session"
req POST /api/session '{"username":"desk_a","password":"wrong-password-1"}'
expect 401 invalid_credentials "wrong password"
req POST /api/session '{"username":"nobody","password":"wrong-password-1"}'
expect 401 invalid_credentials "unknown user (same answer as a wrong password)"
login desk_a
login admin_a
curl -s -D "$T/h" -o /dev/null -H 'Content-Type: application/json' \
  -d "{\"username\":\"leader_a\",\"password\":\"$PASS\"}" "$BASE/api/session"
grep -i '^Set-Cookie: cchc_session=' "$T/h" | grep -q 'HttpOnly; SameSite=Strict; Path=/' ||
  fail "session cookie attributes: $(grep -i set-cookie "$T/h")"
grep -i '^Set-Cookie: cchc_session=' "$T/h" | grep -q 'Secure' && fail "Secure without cookie_secure"
req -u desk_a GET /api/session
expect 200 "whoami"
[ "$(field .user.role)/$(field .user.unit)" = desk_officer/P.A ] || fail "whoami: $BODY_TEXT"

body='{"unit":"P.A","procedure":"9.000001","applicant_name":"Trần Thị Bình","applicant_phone":"0987654321"}'
req -u desk_a -n POST /api/dossiers "$body"
expect 403 csrf "receive without X-CSRF-Token"
curl -s -o "$T/body" -w '%{http_code}' -b "$T/desk_a.jar" -H 'X-CSRF-Token: forged' \
  -H 'Content-Type: application/json' -d "$body" "$BASE/api/dossiers" >"$T/st"
[ "$(cat "$T/st")" = 403 ] || fail "forged CSRF token: $(cat "$T/st")"
req -u desk_a GET '/api/dossiers?unit=P.A'
[ "$(field '.dossiers | length')" = 0 ] || fail "a refused request created a dossier: $BODY_TEXT"

# --- body errors: each 4xx with the error object, and nothing created ---
head -c 5000 /dev/zero | tr '\0' ' ' >"$T/big"
STATUS=$(curl -s -o "$T/body" -w '%{http_code}' -b "$T/desk_a.jar" \
  -H "X-CSRF-Token: $(cat "$T/desk_a.csrf")" -H 'Content-Type: application/json' \
  --data-binary @"$T/big" "$BASE/api/dossiers")
BODY_TEXT=$(cat "$T/body")
expect 413 too_large "body over body_limit (4096, from cchc.ini)"
# A chunked body is refused before it is read (411): bodies come with Content-Length.
STATUS=$(curl -s -o "$T/body" -w '%{http_code}' -b "$T/desk_a.jar" \
  -H "X-CSRF-Token: $(cat "$T/desk_a.csrf")" -H 'Content-Type: application/json' \
  -H 'Transfer-Encoding: chunked' --data-binary @"$T/big" "$BASE/api/dossiers")
BODY_TEXT=$(cat "$T/body")
expect 411 length_required "chunked body"
req -u desk_a POST /api/dossiers $'{"unit":"P.A","procedure":"9.000001","applicant_name":"Tr\xe1n"}'
expect 400 bad_utf8 "bad UTF-8"
req -u desk_a POST /api/dossiers '{"unit":"P.A",'
expect 400 bad_json "truncated JSON"
req -u desk_a POST /api/dossiers '["unit"]'
expect 400 bad_json "an array, not an object"
req -u desk_a POST /api/dossiers '{"unit":"P.A","unit":"P.B"}'
expect 400 bad_json "duplicate key"
req -u desk_a POST /api/dossiers '{"unit":"P.A","procedure":9000001,"applicant_name":"Bình"}'
expect 400 wrong_type "number for a string"
[ "$(field .error.field)" = procedure ] || fail "wrong_type names the field: $BODY_TEXT"
req -u desk_a POST /api/dossiers '{"unit":"P.A","procedure":"9.000001","applicant_name":"Bình","receive":"yes"}'
expect 400 wrong_type "string for a boolean"
req -u desk_a POST /api/dossiers '{"unit":"P.A","procedure":"9.000001","applicant_name":"Bình","colour":"red"}'
expect 400 unknown_field "unknown field"
[ "$(field .error.field)" = colour ] || fail "unknown_field names the field: $BODY_TEXT"
req -u desk_a POST /api/dossiers '{"unit":"P.A","applicant_name":"Bình"}'
expect 400 missing_field "missing procedure"
[ "$(field .error.field)" = procedure ] || fail "missing_field names the field: $BODY_TEXT"
req -u desk_a POST /api/dossiers '{"unit":"P.A","procedure":"9.000001","applicant_name":"Bình","applicant_phone":"12"}'
expect 400 invalid "bad phone (core rule)"
grep -q '12' <<<"$(field .error.message)" && fail "the error message quotes the phone number"
req -u desk_a POST /api/dossiers '{"unit":"P.A","procedure":"9.999999","applicant_name":"Bình"}'
expect 404 not_found "unknown procedure"
req -u desk_a POST /api/dossiers '{"unit":"P.A","procedure":"9.000001","applicant_name":"Bình","at":"2099-01-01T08:00"}'
expect 400 invalid "receipt in the future"
curl -s -o "$T/body" -w '%{http_code}' -b "$T/desk_a.jar" -H "X-CSRF-Token: $(cat "$T/desk_a.csrf")" \
  -H 'Content-Type: text/plain' -d "$body" "$BASE/api/dossiers" >"$T/st"
[ "$(cat "$T/st")" = 415 ] || fail "text/plain body: $(cat "$T/st")"
req -u desk_a GET '/api/dossiers?colour=red'
expect 400 unknown_field "unknown query argument"
req -u desk_a GET '/api/dossiers?limit=0'
expect 400 invalid "limit 0"
req -u desk_a GET '/api/dossiers?status=lost'
expect 400 invalid "unknown status"
req -u desk_a GET '/api/dossiers?limit=ten'
expect 400 invalid "limit not a number"
[ "$(field .error.field)" = limit ] || fail "invalid names the query argument: $BODY_TEXT"
req -u desk_a GET '/api/dossiers?status=received&status=returned'
expect 400 invalid "a query argument given twice"
[ "$(field .error.field)" = status ] || fail "the repeated argument is named: $BODY_TEXT"
req -u desk_a GET '/api/dossiers?from=2025-02-30'
expect 400 invalid "no such day"
req -u desk_a GET '/api/dossiers?period=2025-13'
expect 400 invalid "bad period"
req -u desk_a GET '/api/dossiers?period=2025&from=2025-01-01'
expect 400 invalid "period with from"
req -u desk_a GET '/api/dossiers?name=%FF'
expect 400 bad_utf8 "query value not UTF-8"
req GET '/api/procedures?q%FE=1'
expect 400 bad_utf8 "query name not UTF-8"
req GET '/api/units/%C3%28'
expect 400 bad_utf8 "path not UTF-8"
[ "$(field .error.field)" = path ] || fail "bad_utf8 names the path: $BODY_TEXT"
req GET '/api/procedures/9.999999'
expect 404 not_found "unknown procedure"
req GET '/api/units/NOPE'
expect 404 not_found "unknown unit"
req -u desk_a POST /api/dossiers '{"unit":"P.A","procedure":"9.000001","applicant_name":"B\u0000nh"}'
expect 400 bad_json "NUL as a JSON escape"
printf '{"unit":"P.A",\0"procedure":"9.000001"}' >"$T/nul.bin"
STATUS=$(curl -s -o "$T/body" -w '%{http_code}' -b "$T/desk_a.jar" \
  -H "X-CSRF-Token: $(cat "$T/desk_a.csrf")" -H 'Content-Type: application/json' \
  --data-binary @"$T/nul.bin" "$BASE/api/dossiers")
BODY_TEXT=$(cat "$T/body")
expect 400 bad_json "a raw NUL byte in the body"
req -u desk_a POST /api/dossiers '{"unit":"P.A","procedure":"9.000001","applicant_name":"Bình","documents":["1"]}'
expect 400 wrong_type "a string in the documents array"
req -u desk_a POST /api/dossiers '{"unit":"P.A","procedure":"9.000001","applicant_name":"Bình","documents":1}'
expect 400 wrong_type "a number for an array"
req -u desk_a POST /api/dossiers '{"unit":"P.A","procedure":"9.000001","applicant_name":"Bình","receive":null,"channel":"pigeon"}'
expect 400 invalid "unknown channel"
req -u desk_a POST /api/dossiers '{"unit":"P.A","procedure":"9.000001","applicant_name":"Bình","at":"2025-09-08T25:00"}'
expect 400 invalid "bad instant"
req -u desk_a POST /api/dossiers '{"unit":"P.A","procedure":"9.000001","applicant_name":99999999999999999999999}'
expect 400 bad_json "an integer too big for JSON"
req -u desk_a POST /api/dossiers '"P.A"'
expect 400 bad_json "a string, not an object"
req -u desk_a POST /api/dossiers ''
expect 400 bad_json "no body"
req -u desk_a POST '/api/dossiers?unit=P.A' '{"unit":"P.A","procedure":"9.000001","applicant_name":"Bình"}'
expect 400 unknown_field "a query argument on a POST"
req -u admin_a POST /api/users '{"username":"moi.a","role":"boss","unit":"P.A","password":"mat-khau-moi-1"}'
expect 400 invalid "unknown role"
req -u admin_a POST /api/users '{"username":"moi.a","role":"leader","unit":"P.A","password":"short"}'
expect 400 invalid "short password"
req -u admin_a POST /api/users '{"username":"moi.a","role":"leader","password":"mat-khau-moi-1"}'
expect 400 invalid "an officer without a unit"
req -u admin_a POST /api/users '{"username":"desk_a","role":"leader","unit":"P.A","password":"mat-khau-moi-1"}'
expect 409 conflict "an existing username"
req -u admin_a POST /api/users '{"username":"moi.b","role":"leader","unit":"P.B","password":"mat-khau-moi-1"}'
expect 404 not_found "a unit outside the admin's scope"
req -u admin_a GET /api/users
[ "$(field '[.users[].username] | map(select(startswith("moi"))) | length')" = 0 ] ||
  fail "a refused user creation added a user: $BODY_TEXT"
# A session cookie of the right shape that the server never issued.
STATUS=$(curl -s -o "$T/body" -w '%{http_code}' \
  -b 'cchc_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' "$BASE/api/session")
BODY_TEXT=$(cat "$T/body")
expect 401 unauthorized "a forged session cookie"
req -u desk_a GET '/api/dossiers?unit=P.A'
[ "$(field '.dossiers | length')" = 0 ] || fail "a failed request created a dossier: $BODY_TEXT"

# A failed action changes nothing: the history is the same before and after.
req -u desk_a POST /api/dossiers "$body"
expect 201 "receive"
code=$(field .code)
req -u desk_a GET "/api/dossiers/$code/history"
before=$BODY_TEXT
req -u desk_a POST "/api/dossiers/$code/return" '{}'
expect 409 conflict "return before the result"
req -u desk_a POST "/api/dossiers/$code/advance" '{"note":5}'
expect 400 wrong_type "note of the wrong type"
for a in request-supplement refuse withdraw cancel; do
  req -u desk_a POST "/api/dossiers/$code/$a" '{"note":""}'
  expect 400 missing_field "$a without a reason"
  [ "$(field .error.field)" = note ] || fail "$a without a reason names the field: $BODY_TEXT"
done
# a field the action does not take (the actions' table, dossier.h) is refused, not ignored
req -u desk_a POST "/api/dossiers/$code/refuse" '{"note":"x","officer":"ai.do"}'
expect 400 invalid "officer on a refusal"
[ "$(field .error.field)" = officer ] || fail "officer on a refusal names the field: $BODY_TEXT"
req -u desk_a POST "/api/dossiers/$code/advance" '{"new_due_at":"2030-01-01T08:00"}'
expect 400 invalid "new_due_at on an advance"
req -u desk_a POST "/api/dossiers/$code/withdraw" '{"note":"x","supplement_rule":"restart"}'
expect 400 invalid "supplement_rule on a withdrawal"
req -u desk_a GET "/api/dossiers/$code/history"
[ "$BODY_TEXT" = "$before" ] || fail "a refused action changed the history"

# --- login rate limit (login_max_failures = 3 from cchc.ini) ---
for i in 1 2 3; do
  req POST /api/session '{"username":"specialist_a","password":"wrong-password-1"}'
  expect 401 invalid_credentials "failure $i"
done
req POST /api/session "{\"username\":\"specialist_a\",\"password\":\"$PASS\"}"
expect 429 rate_limited "4th attempt, even with the right password"
curl -s -D "$T/h" -o /dev/null -H 'Content-Type: application/json' \
  -d '{"username":"specialist_a","password":"x-wrong-pass"}' "$BASE/api/session"
grep -qi '^Retry-After: [1-9]' "$T/h" || fail "429 without Retry-After"

# --- sign-out ---
req -u desk_a DELETE /api/session
expect 200 "sign out"
req -u desk_a GET /api/session
expect 401 unauthorized "the session ended"

# --- metrics count what happened, and the logs hold no personal data ---
req GET /metrics
expect 200 "metrics"
grep -q 'cchc_http_requests_total{method="POST",route="/api/dossiers",status="201"} 1' "$T/body" ||
  fail "metrics lack the receive: $(grep api/dossiers "$T/body" | head -5)"
grep -q 'cchc_http_request_duration_seconds_count{method="GET",route="/healthz"} 1' "$T/body" ||
  fail "metrics lack the health latency"
grep -q '^cchc_dossiers{status="received"} 1$' "$T/body" &&
  grep -q '^cchc_dossiers{status="returned"} 0$' "$T/body" ||
  fail "metrics: dossiers by state: $(grep cchc_dossiers "$T/body")"
stop_server
grep -q "stopped" "$T/server.out" || fail "no clean stop message"
! grep -q -e 0987654321 -e "$PASS" -e "Trần" "$T/server.out" "$T/server.err" ||
  fail "personal data or a password in the server's output"
echo "ok t-errors"
