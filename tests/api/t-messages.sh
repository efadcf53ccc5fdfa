#!/usr/bin/env bash
# t-messages.sh — error answers in the request's language (src/http/messages.c): with
# Accept-Language vi the message is Vietnamese with its limits in Vietnamese forms, with en
# English, without either the server's own English text; every answer keeps its machine code
# and the catalogue's rule beside the text, and the English detail.
source "$(dirname "$0")/lib.sh" "$1"
setup_db
start_server
login desk_a

# a phone the desk refuses: the rule and a Vietnamese message naming the expected form
ACCEPT_LANGUAGE=vi-VN,vi
req -u desk_a POST /api/dossiers '{"unit":"P.A","procedure":"9.000001","applicant_name":"Lê Văn Tám","applicant_phone":"09123"}'
expect 400 invalid "a short phone"
[ "$(field .error.field)" = phone ] && [ "$(field .error.rule)" = applicant.phone ] || fail "phone: $BODY_TEXT"
[[ "$(field .error.message)" == "Số điện thoại không hợp lệ"* ]] || fail "phone in Vietnamese: $BODY_TEXT"
[[ "$(field .error.detail)" == *"applicant phone"* ]] || fail "the English detail stays: $BODY_TEXT"

# a missing field, by its name
req -u desk_a POST /api/dossiers '{"unit":"P.A","procedure":"9.000001"}'
expect 400 missing_field "no applicant"
[ "$(field .error.message)" = "Vui lòng nhập họ tên người nộp." ] || fail "missing name: $BODY_TEXT"

# an action the state does not allow
req -u desk_a POST /api/dossiers '{"unit":"P.A","procedure":"9.000001","applicant_name":"Lê Văn Tám"}'
expect 201 "receive"
code=$(field .code)
req -u desk_a POST "/api/dossiers/$code/return"
expect 409 conflict "return before the result"
[ "$(field .error.rule)" = dossier.transition ] || fail "transition rule: $BODY_TEXT"
[[ "$(field .error.message)" == *"trả kết quả"*"Đã tiếp nhận"* ]] || fail "transition in Vietnamese: $BODY_TEXT"

# English when asked; the server's own text without a language
ACCEPT_LANGUAGE=en
req -u desk_a POST "/api/dossiers/$code/return"
[[ "$(field .error.message)" == "Not possible to return the result while the dossier is “Received”." ]] || fail "transition in English: $BODY_TEXT"
ACCEPT_LANGUAGE=
req -u desk_a POST "/api/dossiers/$code/return"
[[ "$(field .error.message)" == "cannot 'return' a dossier in state 'received'"* ]] || fail "no language: $BODY_TEXT"
[ "$(field .error.rule)" = dossier.transition ] && [ "$(field '.error | has("detail")')" = false ] || fail "no language, rule without detail: $BODY_TEXT"

# the sign-in's wait in minutes
ACCEPT_LANGUAGE=vi
for i in 1 2 3 4 5 6; do req POST /api/session '{"username":"desk_a","password":"sai-mat-khau"}'; done
expect 429 rate_limited "too many wrong passwords"
[[ "$(field .error.message)" == *"thử lại sau khoảng "*" phút"* ]] || fail "wait in minutes: $BODY_TEXT"
[ "$(field .error.params.seconds)" -gt 60 ] || fail "the wait in params: $BODY_TEXT"
echo "ok t-messages"
