#!/usr/bin/env bash
# t-lifecycle.sh — dossiers end to end over HTTP, each action by the role that does it:
# receive → advance → supplement request/received → advance → pause/resume → advance →
# finish → return (early); a late dossier with an apology; refusal, withdrawal, cancellation;
# illegal transitions refused; list filters (status, outcome, procedure, period, name without
# diacritics, paging); the citizen lookup with either second factor, its uniform 404 and its
# rate limit; rating only after return.
source "$(dirname "$0")/lib.sh" "$1"
setup_db
# --slow-ms 1: most requests are logged, so the log check at the end has lines to read.
start_server --lookup-max-failures 3 --slow-ms 1
for u in desk_a specialist_a leader_a; do login "$u"; done

# act USER ACTION CODE AT [EXTRA_JSON_FIELDS]: one action, expected to succeed; checks status.
act() {
  local body="{\"at\":\"$4\"${5:+,$5}}"
  req -u "$1" POST "/api/dossiers/$3/$2" "$body"
  expect 200 "$2 by $1 at $4"
}
status_is() {
  [ "$(field .status)" = "$1" ] || fail "after $2: status $(field .status), expected $1"
}

# --- the long path, finished early ---
req -u desk_a POST /api/dossiers '{"unit":"P.A","procedure":"9.000001","applicant_name":"Nguyễn Văn Đức",
  "applicant_idno":"079123456789","applicant_phone":"0912 345 678","documents":[1,2],"at":"2025-09-08T08:00"}'
expect 201 "receive (the phone written in groups, as people write it)"
A=$(field .code)
[[ $A == 000.00.31.H99-250908-0001 ]] || fail "dossier code $A (unit ident, date, sequence)"
# 10 working days from Monday 8/9/2025, the reception day not counted: Monday 22/9 at 17:00.
[ "$(field .due_at)" = 2025-09-22T17:00+07:00 ] || fail "due_at $(field .due_at)"
status_is received receive
act desk_a advance "$A" 2025-09-08T08:30
[ "$(field .step)/$(field .n_steps)" = 1/3 ] || fail "step after advance: $BODY_TEXT"
act desk_a request-supplement "$A" 2025-09-08T09:00 '"note":"Thiếu bản sao giấy tờ tùy thân"'
status_is supplement_requested request-supplement
act desk_a supplement-received "$A" 2025-09-09T08:00
status_is processing supplement-received
act desk_a advance "$A" 2025-09-09T10:00
act specialist_a pause "$A" 2025-09-10T08:00 '"note":"Chờ nghĩa vụ tài chính"'
status_is paused pause
act specialist_a resume "$A" 2025-09-11T08:00
act specialist_a advance "$A" 2025-09-12T09:00
[ "$(field .step)" = 3 ] || fail "step 3 expected: $BODY_TEXT"
req -u desk_a POST "/api/dossiers/$A/return" '{"at":"2025-09-12T10:00"}'
expect 409 conflict "return before the result is ready"
act leader_a finish "$A" 2025-09-15T09:00
status_is result_ready finish
act desk_a return "$A" 2025-09-15T10:00
status_is returned return
[ "$(field .outcome)" = early ] || fail "outcome $(field .outcome), expected early"
req -u desk_a POST "/api/dossiers/$A/advance" '{"at":"2025-09-15T11:00"}'
expect 409 conflict "advance a returned dossier"
req -u desk_a GET "/api/dossiers/$A/history"
expect 200 history
[ "$(field '[.events[].action] | join(",")')" = \
  receive,advance,request_supplement,supplement_received,advance,pause,resume,advance,finish,return ] ||
  fail "events: $(field '[.events[].action] | join(",")')"
[ "$(field '.events | map(.actor) | unique | join(",")')" = desk_a,leader_a,specialist_a ] ||
  fail "actors: $BODY_TEXT"
[ "$(field '.stops | map(.kind) | join(",")')" = supplement,pause ] || fail "stops: $BODY_TEXT"
[ "$(field '.documents | length')" = 2 ] || fail "documents: $BODY_TEXT"
# the accounts' full names beside the logins, for the page and a reprinted receipt
[ "$(field '.names | keys | join(",")')" = desk_a,leader_a,specialist_a ] || fail "names: $BODY_TEXT"
[ -n "$(field '.names.desk_a')" ] && [ "$(field '.names.desk_a')" != desk_a ] || fail "names.desk_a: $BODY_TEXT"
# a code typed in lower case is the same dossier
req -u desk_a GET "/api/dossiers/${A,,}"
expect 200 "the code in lower case"
[ "$(field .code)" = "$A" ] || fail "lower-case code answered $(field .code)"

# --- late, with an apology (Mẫu 04) ---
req -u desk_a POST /api/dossiers '{"unit":"P.A","procedure":"9.000002","applicant_name":"Lê Thị Hoa",
  "applicant_phone":"+84905111222","at":"2025-09-08T09:00"}'
expect 201 "receive the same-day dossier"
B=$(field .code)
[[ $B == *-250908-0002 ]] || fail "second code of the day: $B"
act desk_a advance "$B" 2025-09-08T09:10
req -u leader_a POST "/api/dossiers/$B/apologise" '{"at":"2025-09-09T08:00"}'
expect 400 missing_field "apology without the new appointment"
act leader_a apologise "$B" 2025-09-09T08:00 '"new_due_at":"2025-09-10T17:00+07:00","note":"Xin lỗi"'
[ "$(field .apology_due_at)" = 2025-09-10T17:00+07:00 ] || fail "apology_due_at: $BODY_TEXT"
act leader_a finish "$B" 2025-09-10T09:00
act desk_a return "$B" 2025-09-10T10:00
[ "$(field .outcome)" = late ] || fail "an apologised dossier stays late: $(field .outcome)"

# --- refusal, withdrawal, cancellation ---
for path in refuse withdraw cancel; do
  req -u desk_a POST /api/dossiers '{"unit":"P.A","procedure":"9.000001","applicant_name":"Phạm Minh","at":"2025-09-08T10:00"}'
  expect 201 "receive for $path"
  c=$(field .code)
  act desk_a "$path" "$c" 2025-09-08T11:00 '"note":"Lý do"'
done
status_is cancelled cancel
# An online submission waits for the desk's check.
req -u desk_a POST /api/dossiers '{"unit":"P.A.MC","procedure":"9.000001","applicant_name":"Đỗ Quang","channel":"online","receive":false,"at":"2025-09-08T07:00"}'
expect 201 "online submission"
status_is submitted "online submission"
S=$(field .code)
act desk_a receive "$S" 2025-09-08T08:00
status_is received "receive of a submission"

# --- list: filters and paging ---
req -u desk_a GET '/api/dossiers?unit=P.A'
[ "$(field '.dossiers | length')" = 6 ] || fail "P.A subtree holds 6 dossiers: $BODY_TEXT"
req -u desk_a GET '/api/dossiers?status=returned'
[ "$(field '[.dossiers[].code] | join(",")')" = "$A,$B" ] || fail "status filter: $BODY_TEXT"
req -u desk_a GET '/api/dossiers?outcome=late'
[ "$(field '[.dossiers[].code] | join(",")')" = "$B" ] || fail "outcome filter: $BODY_TEXT"
req -u desk_a GET '/api/dossiers?name=NGUYEN%20van%20duc'
[ "$(field '[.dossiers[].code] | join(",")')" = "$A" ] || fail "name without diacritics: $BODY_TEXT"
[ "$(field '.dossiers[0].applicant.phone')" = "*******678" ] || fail "list masks the phone: $BODY_TEXT"
req -u desk_a GET '/api/dossiers?procedure=9.000002'
[ "$(field '[.dossiers[].code] | join(",")')" = "$B" ] || fail "procedure filter: $BODY_TEXT"
req -u desk_a GET '/api/dossiers?from=2025-09-09&to=2025-12-31'
[ "$(field '.dossiers | length')" = 0 ] || fail "period filter: $BODY_TEXT"
req -u desk_a GET '/api/dossiers?period=2025-09'
[ "$(field '.dossiers | length')" = 6 ] || fail "period=2025-09: $BODY_TEXT"
req -u desk_a GET '/api/dossiers?period=2025-Q4'
[ "$(field '.dossiers | length')" = 0 ] || fail "period=2025-Q4: $BODY_TEXT"
req -u desk_a GET '/api/dossiers?period=2025-09-08..2025-09-08&status=returned&name=le%20thi'
[ "$(field '[.dossiers[].code] | join(",")')" = "$B" ] || fail "period, status and name together: $BODY_TEXT"
req -u desk_a GET '/api/dossiers?unit=P.A.MC'
[ "$(field '[.dossiers[].code] | join(",")')" = "$S" ] || fail "unit filter (desk): $BODY_TEXT"
req -u desk_a GET '/api/dossiers?limit=4'
[ "$(field '.dossiers | length')/$(field .next_offset)" = 4/4 ] || fail "page 1: $BODY_TEXT"
first=$(field '[.dossiers[].code] | join(",")')
req -u desk_a GET '/api/dossiers?limit=4&offset=4'
[ "$(field '.dossiers | length')/$(field .next_offset)" = 2/null ] || fail "page 2: $BODY_TEXT"
grep -q "$(field '.dossiers[0].code')" <<<"$first" && fail "pages overlap"
req -u desk_a GET "/api/dossiers/$A"
[ "$(field .step_name)" = "Phê duyệt" ] && [ "$(field .applicant.idno)" = 079123456789 ] ||
  fail "one dossier: $BODY_TEXT"

# --- citizen lookup, no account ---
req POST /api/lookup "{\"code\":\"$A\",\"phone\":\"0912 345 678\"}"
expect 200 "lookup by phone"
# The stops moved the due instant by the working time they held (office hours 07:30-11:30,
# 13:30-17:00): supplement 8/9 09:00 -> 9/9 08:00 = 150 + 210 + 30 = 390 min; pause 10/9 08:00
# -> 11/9 08:00 = 420 + 30 = 450 min; 840 min after 22/9 17:00 = 23/9 (450) + 390 -> 24/9 16:00.
[ "$(field .status)/$(field .due_at)/$(field .can_rate)" = returned/2025-09-24T16:00+07:00/true ] ||
  fail "lookup answer: $BODY_TEXT"
jq -e 'has("applicant") | not' "$T/body" >/dev/null || fail "lookup shows the applicant"
# where to go: nothing until the desks' addresses are imported, then the receiving ward's desk
[ "$(field .desk)" = null ] || fail "a desk contact before any was imported: $BODY_TEXT"
printf 'unit,address,phone,hours\nP.A.MC,"Số 5 đường Trưng Trắc, phường An Bình",0277 3 811 222,Thứ Hai – thứ Sáu\nP,Trung tâm Phục vụ hành chính công tỉnh,0277 3 800 100,\n' >"$T/contacts.csv"
"$CCHC" import contacts "$T/contacts.csv" --db "$DB" >/dev/null || fail "import contacts"
req POST /api/lookup "{\"code\":\"$A\",\"phone\":\"0912 345 678\"}"
[ "$(field '.desk | [.name, .address, .phone, .hours] | join("|")')" = \
  "Bộ phận Một cửa phường An Bình|Số 5 đường Trưng Trắc, phường An Bình|0277 3 811 222|Thứ Hai – thứ Sáu" ] ||
  fail "the lookup names the receiving ward's desk: $BODY_TEXT"
# the administrator of the ward sets the ward's own contact, which then comes first
login admin_a
req -u admin_a PUT /api/units/P.A/contact '{"address":"Số 1 đường Lê Lợi","phone":"0277 abc"}'
expect 400 invalid "a phone with letters"
[ "$(field .error.field)" = phone ] || fail "the refusal names the phone: $BODY_TEXT"
req -u admin_a PUT /api/units/P.B/contact '{"address":"Số 1","phone":"0277 3 811 333"}'
expect 404 not_found "another commune's contact"
req -u admin_a PUT /api/units/P.A/contact '{"address":"Số 1 đường Lê Lợi","phone":"0277 3 811 444","hours":"Thứ Hai – thứ Bảy"}'
expect 200 "set the ward's contact"
req GET /api/units/P.A
[ "$(field '.contact | [.unit, .phone, .own] | map(tostring) | join(",")')" = "P.A,0277 3 811 444,true" ] || fail "the unit's contact: $BODY_TEXT"
req GET /api/units/P.A.MC
[ "$(field '.contact | [.unit, .own] | map(tostring) | join(",")')" = "P.A.MC,true" ] || fail "the desk keeps its own: $BODY_TEXT"
req POST /api/lookup "{\"code\":\"$A\",\"phone\":\"0912 345 678\"}"
[ "$(field .desk.phone)" = "0277 3 811 444" ] || fail "the lookup takes the ward's own contact first: $BODY_TEXT"
req POST /api/lookup "{\"code\":\"$B\",\"phone\":\"0905111222\"}"
expect 200 "+84 and 0 forms of a phone agree"
req POST /api/lookup "{\"code\":\"$A\",\"id_suffix\":\"6789\"}"
expect 200 "lookup by ID suffix"
req POST /api/lookup "{\"code\":\"$A\",\"id_suffix\":\"6789\",\"phone\":\"0912345678\"}"
expect 400 invalid "two factors"
req POST /api/lookup "{\"code\":\"$A\",\"id_suffix\":\"789\"}"
expect 400 invalid "ID suffix shorter than 4 digits"
req POST /api/lookup "{\"code\":\"$A\",\"score\":5,\"phone\":\"0912345678\"}"
expect 400 unknown_field "score in a lookup"
req POST /api/lookup/rating "{\"code\":\"$S\",\"phone\":\"0912345678\",\"score\":5}"
expect 404 not_found "rating with a wrong factor"
wrong=$BODY_TEXT
req POST /api/lookup "{\"code\":\"000.00.31.H99-250101-0009\",\"phone\":\"0912345678\"}"
expect 404 not_found "unknown code"
[ "$BODY_TEXT" = "$wrong" ] || fail "unknown code and wrong factor must answer alike"
req POST /api/lookup/rating "{\"code\":\"$B\",\"phone\":\"0905111222\"}"
expect 400 missing_field "rating without a score"
req POST /api/lookup/rating "{\"code\":\"$B\",\"phone\":\"0905111222\",\"score\":6}"
expect 400 invalid "score 6"
req POST /api/lookup/rating "{\"code\":\"$B\",\"phone\":\"0905111222\",\"score\":4,\"comment\":\"Cán bộ nhiệt tình\"}"
expect 201 "rating a returned dossier"
req POST /api/lookup/rating "{\"code\":\"$B\",\"phone\":\"0905111222\",\"score\":5}"
expect 409 conflict "a second rating"
req POST /api/lookup "{\"code\":\"$B\",\"phone\":\"0905111222\"}"
[ "$(field .rated)/$(field .can_rate)" = true/false ] || fail "lookup after rating: $BODY_TEXT"
req -u desk_a POST /api/dossiers '{"unit":"P.A","procedure":"9.000001","applicant_name":"Vũ Lan","applicant_phone":"0977000111","at":"2025-09-08T10:00"}'
expect 201 "receive a dossier to rate too early"
V=$(field .code)
req POST /api/lookup "{\"code\":\"$V\",\"phone\":\"0977000111\"}"
expect 200 "lookup of a dossier at reception"
[ "$(field .current_step)/$(field .can_rate)" = null/false ] || fail "lookup at reception: $BODY_TEXT"
act desk_a advance "$V" 2025-09-08T10:30
req POST /api/lookup "{\"code\":\"$V\",\"phone\":\"0977000111\"}"
[ "$(field .status)/$(field .current_step.seq)/$(field .current_step.of)/$(field .current_step.name)" = \
  "processing/1/3/Tiếp nhận" ] || fail "lookup names the current step: $BODY_TEXT"
[ "$(field .due_at)" = 2025-09-22T17:00+07:00 ] || fail "lookup due date: $BODY_TEXT"
req POST /api/lookup/rating "{\"code\":\"$V\",\"phone\":\"0977000111\",\"score\":5}"
expect 409 conflict "rating before the return"
# Rate limit: lookup_max_failures = 3 per code.
for i in 1 2 3; do
  req POST /api/lookup "{\"code\":\"$A\",\"phone\":\"0900000000\"}"
  expect 404 not_found "wrong phone $i"
done
req POST /api/lookup "{\"code\":\"$A\",\"phone\":\"0912345678\"}"
expect 429 rate_limited "4th lookup of the code, even with the right phone"
req POST /api/lookup "{\"code\":\"$B\",\"phone\":\"0905111222\"}"
expect 200 "another code is not limited"
# ID numbers and phones never reach the server's log (requests, slow-request lines, errors).
for secret in 079123456789 0912345678 905111222 0977000111; do
  if grep -q "$secret" "$T/server.out" "$T/server.err"; then fail "the server log shows $secret"; fi
done
grep -q 'slow request: POST /api/lookup' "$T/server.err" || fail "no request was logged (the check above read nothing)"

# --- the list entry cache (list_cache_mb) changes no byte of any page ---
# Pages read twice (the second from the cache, after the changes above), then with the
# cache off; V moves on between the two reads, so its entry must be rendered anew.
LISTS=('/api/dossiers?unit=P.A' '/api/dossiers?status=returned' '/api/dossiers?outcome=overdue'
  '/api/dossiers?name=le%20thi' '/api/dossiers?procedure=9.000001' '/api/dossiers?limit=4&offset=2')
for round in 1 2; do
  [ "$round" = 2 ] && act desk_a advance "$V" 2025-09-08T11:00
  for i in "${!LISTS[@]}"; do
    req -u desk_a GET "${LISTS[$i]}"
    expect 200 "list ${LISTS[$i]}"
    cp "$T/body" "$T/cached.$i"
  done
done
[ "$(jq -r --arg v "$V" '.dossiers[] | select(.code == $v) | .step' "$T/cached.0")" = 2 ] ||
  fail "V's advance does not show in the cached list: $(cat "$T/cached.0")"
stop_server
start_server --list-cache-mb 0
login desk_a
for i in "${!LISTS[@]}"; do
  req -u desk_a GET "${LISTS[$i]}"
  cmp -s "$T/body" "$T/cached.$i" || fail "list ${LISTS[$i]} differs without the cache:
$(cat "$T/cached.$i")
$BODY_TEXT"
done
# The officer for the next step: the picker lists who can take it (role of the step, units of
# the dossier, closest first); advance refuses an officer who is no officer of those units, and
# a refused advance changes nothing.
login specialist_a
login desk_b
req -u desk_a POST /api/dossiers '{"unit":"P.A","procedure":"9.000001","applicant_name":"Phan Thị Mai","at":"2025-09-09T08:00"}'
expect 201 "receive for the picker"
W=$(field .code)
req -u desk_a GET "/api/dossiers/$W/assignees"
expect 200 "assignees of the first step"
[ "$(field '[.step, .step_role, ([.officers[].username] | join(","))] | map(tostring) | join(";")')" = "1;desk;desk_a" ] ||
  fail "assignees of step 1: $BODY_TEXT"
for bad in desk_b citizen admin_p nobody; do
  req -u desk_a POST "/api/dossiers/$W/advance" "{\"at\":\"2025-09-09T08:10\",\"officer\":\"$bad\"}"
  expect 400 invalid "advance to officer $bad"
  [ "$(field .error.field)" = officer ] || fail "the refusal names the officer field: $BODY_TEXT"
done
req -u desk_a GET "/api/dossiers/$W"
[ "$(field '[.status, .step, .n_events // .events] | map(tostring) | join(",")' | cut -d, -f1,2)" = "received,0" ] ||
  fail "a refused advance changed the dossier: $BODY_TEXT"
act desk_a advance "$W" 2025-09-09T08:10 '"officer":"desk_a"'
req -u desk_a GET "/api/dossiers/$W/assignees"
[ "$(field '[.step, .step_role, ([.officers[].username] | join(","))] | map(tostring) | join(";")')" = "2;specialist;specialist_a" ] ||
  fail "assignees of step 2: $BODY_TEXT"
act desk_a advance "$W" 2025-09-09T09:00 '"officer":"specialist_a"'
[ "$(field .officer)" = specialist_a ] || fail "the picked officer holds the step: $BODY_TEXT"
req -u specialist_a GET "/api/dossiers/$W/assignees"
[ "$(field '[.step, ([.officers[].username] | join(","))] | map(tostring) | join(";")')" = "3;leader_a" ] ||
  fail "assignees of step 3: $BODY_TEXT"
req -u desk_b GET "/api/dossiers/$W/assignees"
expect 404 not_found "another commune's dossier has no assignees for desk_b"
echo "ok t-lifecycle"
