#!/usr/bin/env bash
# t-units-admin.sh — units administered on the web (issue 13): POST /api/units creates a unit,
# PUT /api/units/{unit} edits one, POST /api/unit-mergers ends several units with one successor
# (existing or created in the same request), all or nothing; an administrator stays inside his
# unit's subtree; every refusal names field and rule, in Vietnamese and English, and changes
# nothing; the log says who did what; a merged unit's dossiers count under its successor.
source "$(dirname "$0")/lib.sh" "$1"
setup_db
start_server
for u in admin_a admin_p desk_a leader_a; do login "$u"; done

# units as of every period, one line per unit: code valid_to successor parent name
snapshot() {
  req -u admin_p GET "/api/units?as_of=all"
  expect 200 "units"
  field '.units[] | [.code, .valid_to, .successor, .parent, .name, .kind, .ident_code] | @tsv'
}
# refused METHOD PATH BODY STATUS CODE FIELD RULE WHAT: the answer, and nothing changed
refused() {
  local before
  before=$(snapshot)
  req -u "$USER_" "$1" "$2" "$3"
  expect "$4" "$5" "$8"
  [ "$(field .error.field)" = "$6" ] || fail "$8: field $(field .error.field), expected $6: $BODY_TEXT"
  [ "$(field .error.rule)" = "$7" ] || fail "$8: rule $(field .error.rule), expected $7: $BODY_TEXT"
  [ "$(snapshot)" = "$before" ] || fail "$8: a refused request changed the units"
}

# a dossier of P.A received before the merger: its figures follow P.A into the successor
req -u desk_a POST /api/dossiers '{"unit":"P.A","procedure":"9.000002","applicant_name":"Lê Văn Tư","at":"2025-09-08T08:00"}'
expect 201 "dossier of P.A"
field .code >"$T/dossier"

# --- only an administrator, with the token
req -u desk_a POST /api/units '{"code":"P.A.X","name":"Tổ X","kind":"agency","parent":"P.A"}'
expect 403 forbidden "a desk officer creates a unit"
req -n -u admin_a POST /api/units '{"code":"P.A.X","name":"Tổ X","kind":"agency","parent":"P.A"}'
expect 403 "without the CSRF token"

# --- create
req -u admin_a POST /api/units '{"code":"P.A.TN","name":"  Tổ tiếp nhận An Bình ","kind":"agency","parent":"P.A","valid_from":"2025-08-01"}'
expect 201 "admin_a creates a unit under P.A"
[ "$(field '[.code, .name, .kind, .parent, .valid_from, .valid_to] | @tsv')" = "$(printf 'P.A.TN\tTổ tiếp nhận An Bình\tagency\tP.A\t2025-08-01\t')" ] ||
  fail "created unit: $BODY_TEXT"
req GET /api/units/P.A.TN
expect 200 "the new unit is public"
req -u admin_a POST /api/units '{"code":"P.A.TN2","name":"Tổ hai","kind":"agency","parent":"P.A"}'
expect 201 "valid_from defaults to today"
[ "$(field .valid_from)" = "$(TZ=Asia/Ho_Chi_Minh date +%F)" ] || fail "valid_from default: $BODY_TEXT"

# --- refusals: field, rule, nothing changed
USER_=admin_a
refused POST /api/units '{"code":"P.B.X","name":"Tổ X","kind":"agency","parent":"P.B"}' 404 not_found parent unit.parent_scope "a parent outside the scope"
refused POST /api/units '{"code":"Q","name":"Tỉnh Q","kind":"province"}' 400 invalid parent unit.parent_required "a root unit by a commune's administrator"
refused POST /api/units '{"code":"P.A X","name":"Tổ X","kind":"agency","parent":"P.A"}' 400 invalid code unit.code_chars "a code with a space"
refused POST /api/units '{"code":"","name":"Tổ X","kind":"agency","parent":"P.A"}' 400 invalid code unit.code_required "no code"
refused POST /api/units '{"code":"P.A.X","name":"","kind":"agency","parent":"P.A"}' 400 invalid name unit.name_required "no name"
refused POST /api/units '{"code":"P.A.X","name":"Tổ X","kind":"village","parent":"P.A"}' 400 invalid kind unit.kind "an unknown kind"
refused POST /api/units '{"code":"P.A.X","name":"Tổ X","kind":"agency","parent":"P.A","ident_code":"12.H40"}' 400 invalid ident_code unit.ident "a malformed identifier code"
refused POST /api/units '{"code":"P.A.X","name":"Tổ X","kind":"agency","parent":"P.A","ident_code":"000.00.31.H99"}' 409 conflict ident_code unit.ident_taken "P.A's identifier code"
refused POST /api/units '{"code":"P.A.MC","name":"Tổ X","kind":"agency","parent":"P.A"}' 409 conflict code unit.code_taken "an existing code"
refused POST /api/units '{"code":"P.A.X","name":"Tổ X","kind":"agency","parent":"P.A","valid_from":"2025-02-30"}' 400 invalid valid_from calendar.date "no such day"
refused POST /api/units '{"code":"P.A.X","name":"Tổ X","kind":"agency","parent":"P.A","valid_from":"2025-01-01"}' 409 conflict parent unit.parent_period "the parent does not exist yet"
# the wording: Vietnamese or English as the request asks
ACCEPT_LANGUAGE=vi req -u admin_a POST /api/units '{"code":"P.A X","name":"Tổ X","kind":"agency","parent":"P.A"}'
[[ "$(field .error.message)" == "Mã đơn vị “P.A X” chỉ gồm chữ cái"* ]] || fail "Vietnamese message: $BODY_TEXT"
ACCEPT_LANGUAGE=en req -u admin_a POST /api/units '{"code":"P.A.X","name":"Tổ X","kind":"agency","parent":"P.A","ident_code":"000.00.31.H99"}'
[ "$(field .error.message)" = "The identifier code 000.00.31.H99 belongs to unit P.A in the same period; two units sharing it would issue the same dossier codes." ] ||
  fail "English message: $BODY_TEXT"

# --- edit: the code stays; the parent inside the scope; cycles refused
req -u admin_a PUT /api/units/P.A.TN '{"name":"Tổ tiếp nhận và trả kết quả","kind":"agency","parent":"P.A.MC"}'
expect 200 "edit P.A.TN"
[ "$(field '[.code, .name, .parent, .valid_from] | @tsv')" = "$(printf 'P.A.TN\tTổ tiếp nhận và trả kết quả\tP.A.MC\t2025-08-01')" ] || fail "edited: $BODY_TEXT"
refused PUT /api/units/P.B '{"name":"Xã B","kind":"commune","parent":"P"}' 404 not_found unit unit.not_found "editing a unit outside the scope"
refused PUT /api/units/P.A.MC '{"name":"Bộ phận Một cửa","kind":"desk","parent":"P.A.TN"}' 409 conflict parent unit.parent_cycle "a parent below the unit"
refused PUT /api/units/P.A.TN '{"name":"Tổ","kind":"agency","parent":"P.B"}' 404 not_found parent unit.parent_scope "moving it out of the scope"
refused PUT /api/units/P.A.TN '{"name":"Tổ","kind":"agency","parent":"P.A","code":"P.A.Y"}' 400 unknown_field code field.unknown "the code cannot change"
refused PUT /api/units/P.A '{"name":"Phường An Bình","kind":"ward","parent":"P.A.MC"}' 409 conflict parent unit.parent_cycle "the scope's own unit moved below itself"
refused PUT /api/units/P.A '{"name":"Phường An Bình","kind":"ward","parent":"P.B"}' 404 not_found parent unit.parent_scope "the scope's own unit moved out of it"
req -u admin_a PUT /api/units/P.A '{"name":"Phường An Bình","kind":"ward","parent":"P","ident_code":"000.00.31.H99"}'
expect 200 "the scope's own unit keeps its parent"

# the log: who, what
req -u admin_a GET /api/units/P.A.TN/changes
expect 200 "changes"
[ "$(field '[.changes[] | .what + ":" + .actor + ":" + .summary] | join("|")')" = "edit:admin_a:name,parent|create:admin_a:Tổ tiếp nhận An Bình" ] ||
  fail "log: $BODY_TEXT"
req -u admin_a GET /api/units/P.B/changes
expect 404 not_found "another unit's log"

# --- mergers
USER_=admin_a
refused POST /api/unit-mergers '{"units":["P.B"],"effective":"2026-01-01","successor":"P.A"}' 404 not_found units unit.scope "ending a unit outside the scope"
refused POST /api/unit-mergers '{"units":["P.A"],"effective":"2026-01-01","successor":"P.A.MC"}' 403 forbidden units unit.merge_own_scope "ending one's own scope"
USER_=admin_p
refused POST /api/unit-mergers '{"units":["P.A","P.B"],"effective":"2026-01-01","successor":"P"}' 409 conflict units unit.merge_child "a unit below one that ends stays"
refused POST /api/unit-mergers '{"units":[],"effective":"2026-01-01","successor":"P"}' 400 invalid units unit.merge_count "no unit"
refused POST /api/unit-mergers '{"units":["P.B.MC","P.B.MC"],"effective":"2026-01-01","successor":"P.A.MC"}' 400 invalid units unit.merge_twice "a unit twice"
refused POST /api/unit-mergers '{"units":["P.B.MC"],"effective":"2026-01-01"}' 400 invalid successor unit.successor_one "no successor"
refused POST /api/unit-mergers '{"units":["P.B.MC"],"effective":"2026-01-01","successor":"P.A.MC","successor_new":{"code":"P.N"}}' 400 invalid successor unit.successor_one "both successors"
refused POST /api/unit-mergers '{"units":["P.B.MC"],"effective":"2026-01-01","successor":"P.B.MC"}' 400 invalid successor unit.successor_ends "the successor ends too"
refused POST /api/unit-mergers '{"units":["P.B.MC"],"effective":"2025-07-01","successor":"P.A.MC"}' 409 conflict units unit.merge_start "before the unit starts"
refused POST /api/unit-mergers '{"units":["P.B.MC"],"effective":"2026-01-01","successor":"P.A.TN2"}' 409 conflict successor unit.successor_period "a successor that does not exist yet"
refused POST /api/unit-mergers '{"units":["P.B.MC"],"effective":"","successor":"P.A.MC"}' 400 invalid effective calendar.date_required "no date"
refused POST /api/unit-mergers '{"units":["P.B.MC"],"effective":"2026-01-01","successor_new":{"code":"P.N","name":"Mới","kind":"hamlet","parent":"P"}}' 400 invalid successor_new.kind unit.kind "a new successor of no kind"
# a unit starting after the merger's day still hangs under a unit that ends: named
refused POST /api/unit-mergers '{"units":["P.A","P.A.MC","P.A.TN","P.B","P.B.MC"],"effective":"2026-01-01","successor":"P"}' 409 conflict units unit.merge_child "a unit below that starts later"
ACCEPT_LANGUAGE=vi req -u admin_p POST /api/unit-mergers '{"units":["P.A","P.A.MC","P.A.TN","P.B","P.B.MC"],"effective":"2026-01-01","successor":"P"}'
[[ "$(field .error.message)" == "Đơn vị P.A.TN2 trực thuộc P.A vẫn hoạt động từ ngày 01/01/2026"* ]] || fail "child named: $BODY_TEXT"
req -u admin_p PUT /api/units/P.A.TN2 '{"name":"Tổ hai","kind":"agency","parent":"P"}'
expect 200 "moving it under the province"
MERGED='"units":["P.A","P.A.MC","P.A.TN","P.B","P.B.MC"],"effective":"2026-01-01"'
# all or nothing: the units end first, then the new successor is refused (P's identifier code)
refused POST /api/unit-mergers "{$MERGED,\"successor_new\":{\"code\":\"P.C\",\"name\":\"Phường An Bình Minh\",\"kind\":\"ward\",\"parent\":\"P\",\"ident_code\":\"000.00.00.H99\"}}" 409 conflict successor_new.ident_code unit.ident_taken "the new successor refused after the ends"
refused POST /api/unit-mergers "{$MERGED,\"successor_new\":{\"code\":\"P.C\",\"name\":\"Phường An Bình Minh\",\"kind\":\"ward\",\"parent\":\"P.A\"}}" 409 conflict successor_new.parent unit.parent_period "a new successor under a unit that ends"

# the merger: P.A and P.B (with the units below them) end on 31/12/2025, P.C from 1/1/2026,
# taking over P.A's identifier code (P.A's period ends the day before)
req -u admin_p POST /api/unit-mergers "{$MERGED,\"successor_new\":{\"code\":\"P.C\",\"name\":\"Phường An Bình Minh\",\"kind\":\"ward\",\"parent\":\"P\",\"ident_code\":\"000.00.31.H99\"}}"
expect 201 "the merger"
[ "$(field '[.effective, .successor.code, .successor.valid_from, (.ended | length)] | @tsv')" = "$(printf '2026-01-01\tP.C\t2026-01-01\t5')" ] ||
  fail "merger answer: $BODY_TEXT"
req GET "/api/units?as_of=all"
[ "$(field '[.units[] | select(.successor == "P.C") | .code + "@" + .valid_to] | join(",")')" = "P.A@2025-12-31,P.A.MC@2025-12-31,P.A.TN@2025-12-31,P.B@2025-12-31,P.B.MC@2025-12-31" ] ||
  fail "merged units with their successor: $BODY_TEXT"
req GET /api/units
[ "$(field '[.units[].code] | join(",")')" = "P,P.A.TN2,P.C" ] || fail "units today: $BODY_TEXT"
req GET /api/units/P.C
[ "$(field '[.predecessors[].code] | join(",")')" = "P.A,P.A.MC,P.A.TN,P.B,P.B.MC" ] || fail "predecessors: $BODY_TEXT"
req GET "/api/units?as_of=2025-12-31"
[ "$(field '[.units[].code] | join(",")')" = "P,P.A,P.A.MC,P.A.TN,P.B,P.B.MC" ] || fail "the tree the day before: $BODY_TEXT"
# a merger again is refused; the existing successor form
req -u admin_p POST /api/unit-mergers '{"units":["P.B"],"effective":"2026-02-01","successor":"P.C"}'
expect 409 conflict "a unit merged twice"
[ "$(field .error.rule)" = unit.merge_ended ] || fail "merged twice: $BODY_TEXT"
# (P.A.TN2 began today, UTC+7: a merger of it takes effect tomorrow at the earliest)
TOMORROW=$(TZ=Asia/Ho_Chi_Minh date -d tomorrow +%F)
req -u admin_p POST /api/unit-mergers '{"units":["P.A.TN2"],"effective":"'"$TOMORROW"'","successor":"P.C"}'
expect 201 "a merger into an existing unit"
[ "$(field '.ended[0] | .valid_to + " " + .successor')" = "$(TZ=Asia/Ho_Chi_Minh date +%F) P.C" ] || fail "into P.C: $BODY_TEXT"
req -u admin_p GET /api/units/P.C/changes
[ "$(field '[.changes[] | .what + ":" + .summary] | join("|")')" = "merge:from=P.A.TN2;effective=$TOMORROW|merge:from=P.A,P.A.MC,P.A.TN,P.B,P.B.MC;effective=2026-01-01|create:Phường An Bình Minh" ] ||
  fail "successor's log: $BODY_TEXT"
req -u admin_p GET /api/units/P.A/changes
[ "$(field '.changes[0] | .what + ":" + .actor + ":" + .summary')" = "merge:admin_p:successor=P.C;effective=2026-01-01" ] || fail "P.A's log: $BODY_TEXT"

# the successor's lists follow the chain: P.A's dossier of 2025 is listed under P.C
DOSSIER=$(cat "$T/dossier")
req -u admin_p GET "/api/dossiers?unit=P.C"
expect 200 "dossiers of the successor"
[ "$(field '[.dossiers[].code] | join(",")')" = "$DOSSIER" ] || fail "P.A's dossier under P.C: $BODY_TEXT"
echo "ok"
