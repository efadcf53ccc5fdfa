# t-procadmin.sh — the procedures catalogue changed over HTTP by a province's administrator
# (issue 13): attributes replaced with the import's rules, refusals naming the field, value and
# rule in Vietnamese, a refused request changing nothing; the steps set as a version taking
# effect after the last day a dossier of the procedure was received (never in the past), its
# log of who changed what; a ward's administrator and other roles refused.
source "$(dirname "$0")/lib.sh" "$1"
setup_db
start_server
for u in admin_p admin_a desk_a; do login $u; done
P=/api/procedures/9.000001
TODAY=$(TZ=Asia/Ho_Chi_Minh date +%F)
TOMORROW=$(TZ=Asia/Ho_Chi_Minh date -d tomorrow +%F)

# the versions before any change: the imported template, no dossier yet
req -u admin_p GET $P/steps
expect 200 "steps of a procedure"
jq -e --arg t "$TODAY" '.versions | length == 1 and .[0].effective_from == null
  and (.[0].steps | map(.share) | join(",")) == "10%,60%,30%"' "$T/body" >/dev/null || fail "versions: $BODY_TEXT"
[ "$(field .earliest)" = "$TODAY" ] && [ "$(field .last_received)" = null ] || fail "earliest: $BODY_TEXT"

# a ward's administrator may not change the province's catalogue; a desk officer has no right
ACCEPT_LANGUAGE=vi req -u admin_a PUT $P '{"name":"Tên khác"}'
expect 403 forbidden "ward admin"
field .error.message | grep -q "chỉ quản trị viên cấp tỉnh được sửa" || fail "ward admin message: $BODY_TEXT"
req -u desk_a PUT $P '{"name":"Tên khác"}'
expect 403 forbidden "desk officer"
req -u admin_a PUT $P/steps "{\"effective_from\":\"$TOMORROW\",\"steps\":[{\"name\":\"Giải quyết\",\"role\":\"leader\",\"share\":\"100%\"}]}"
expect 403 forbidden "ward admin steps"

# attributes: the fields given replace, the others stay
req -u admin_p PUT $P '{"name":"Thủ tục thử nghiệm ba bước (sửa đổi)","time_amount":12,"fee_vnd":50000,"documents":["Đơn đề nghị","","Giấy tờ tùy thân","Sổ hộ khẩu"]}'
expect 200 "change attributes"
jq -e '.name == "Thủ tục thử nghiệm ba bước (sửa đổi)" and .time_amount == 12 and .fee_vnd == 50000
  and (.documents | length) == 3 and .field == "Thử nghiệm" and .online == "partial"
  and (.steps | length) == 3' "$T/body" >/dev/null || fail "changed: $BODY_TEXT"

# refusals: field, rule, Vietnamese message; nothing changes
cp "$T/body" "$T/before.json"
export ACCEPT_LANGUAGE=vi
req -u admin_p PUT $P '{"level":"huyen","name":"Không được lưu"}'
expect 400 invalid "bad level"
[ "$(field .error.field)" = level ] || fail "bad level field: $BODY_TEXT"
grep -q "'huyen': not a level" "$T/body" || fail "bad level detail: $BODY_TEXT"
req -u admin_p PUT $P '{"decision":"12/QĐ-UBND"}'
expect 400 invalid "decision without a date"
[ "$(field .error.field)" = decision_date ] || fail "decision date field: $BODY_TEXT"
req -u admin_p PUT $P '{"decision":"12/QĐ-UBND","decision_date":"2025-02-30"}'
expect 400 invalid "bad date"
[ "$(field .error.field)" = decision_date ] || fail "bad date field: $BODY_TEXT"
req -u admin_p PUT $P '{"time_amount":-1}'
expect 400 invalid "negative time"
[ "$(field .error.field)" = time_amount ] || fail "negative time field: $BODY_TEXT"
req -u admin_p PUT $P '{"colour":"red"}'
expect 400 unknown_field "unknown field"
req -u admin_p GET $P
jq -e --slurpfile b "$T/before.json" '. == $b[0]' "$T/body" >/dev/null || fail "a refused change changed the procedure: $BODY_TEXT"

# a dossier received today: the new steps take effect tomorrow at the earliest
req -u desk_a POST /api/dossiers '{"unit":"P.A","procedure":"9.000001","applicant_name":"Mai Anh","applicant_phone":"0912345678"}'
expect 201 "receive today"
CODE=$(field .code)
S4='[{"name":"Tiếp nhận","role":"desk","unit_kind":"desk","share":"10%"},{"name":"Thẩm định","role":"specialist","unit_kind":"commune","share":"50%"},{"name":"Trình ký","role":"specialist","unit_kind":"commune","share":"10%"},{"name":"Phê duyệt","role":"leader","unit_kind":"commune","share":"30%"}]'
req -u admin_p PUT $P/steps "{\"effective_from\":\"$TODAY\",\"steps\":$S4}"
expect 409 conflict "steps from today after a dossier today"
[ "$(field .error.field)" = effective_from ] || fail "today field: $BODY_TEXT"
grep -q "from $TOMORROW at the earliest" "$T/body" || fail "today detail: $BODY_TEXT"
TOMORROW_VN=$(TZ=Asia/Ho_Chi_Minh date -d tomorrow +%d/%m/%Y)
[ "$(field .error.rule)" = procedure.steps_received ] || fail "today rule: $BODY_TEXT"
field .error.message | grep -q "quy trình mới áp dụng sớm nhất từ ngày $TOMORROW_VN, để hồ sơ đã nhận không bị thay đổi." || fail "today message: $BODY_TEXT"
req -u admin_p PUT $P/steps "{\"effective_from\":\"2025-01-01\",\"steps\":$S4}"
expect 409 conflict "steps in the past"
grep -q "in the past" "$T/body" || fail "past detail: $BODY_TEXT"
# the template's rules, each refusal naming the step's field
req -u admin_p PUT $P/steps "{\"effective_from\":\"$TOMORROW\",\"steps\":[{\"name\":\"A\",\"role\":\"desk\",\"share\":\"40%\"},{\"name\":\"B\",\"role\":\"leader\",\"share\":\"50%\"}]}"
expect 400 invalid "shares not 100"
[ "$(field .error.field)" = steps ] || fail "shares field: $BODY_TEXT"
grep -q "add up to 90%" "$T/body" || fail "shares detail: $BODY_TEXT"
[ "$(field .error.message)" = "Tổng tỷ lệ thời gian của các bước là 90%, phải đúng 100%." ] || fail "shares message: $BODY_TEXT"
req -u admin_p PUT $P/steps "{\"effective_from\":\"$TOMORROW\",\"steps\":[{\"name\":\"A\",\"role\":\"boss\",\"share\":\"100%\"}]}"
expect 400 invalid "bad role"
[ "$(field .error.field)" = 'steps[0].role' ] || fail "role field: $BODY_TEXT"
[ "$(field .error.message)" = "Bước 1: vai trò “boss” không hợp lệ." ] || fail "role message: $BODY_TEXT"
req -u admin_p PUT $P/steps "{\"effective_from\":\"$TOMORROW\",\"steps\":[{\"name\":\"A\",\"role\":\"leader\",\"unit_kind\":\"village\",\"share\":\"100%\"}]}"
expect 400 invalid "bad unit kind"
[ "$(field .error.field)" = 'steps[0].unit_kind' ] || fail "unit kind field: $BODY_TEXT"
req -u admin_p PUT $P/steps "{\"effective_from\":\"$TOMORROW\",\"steps\":[{\"name\":\"A\",\"role\":\"leader\",\"share\":\"100\"}]}"
expect 400 invalid "bad share"
[ "$(field .error.field)" = 'steps[0].share' ] || fail "share field: $BODY_TEXT"
req -u admin_p PUT $P/steps "{\"effective_from\":\"$TOMORROW\",\"steps\":[{\"name\":\"A\",\"role\":\"leader\",\"share\":\"100h\"}]}"
expect 400 invalid "hours over the legal time"
grep -q "more than the legal time (96h at most)" "$T/body" || fail "hours detail: $BODY_TEXT"
req -u admin_p PUT $P/steps "{\"effective_from\":\"$TOMORROW\",\"steps\":[]}"
expect 400 invalid "no steps"
unset ACCEPT_LANGUAGE
req -u admin_p GET $P/steps
[ "$(field '.versions | length')" = 1 ] || fail "a refused version was written: $BODY_TEXT"

# the version from tomorrow: planned; today's dossier keeps its three steps
req -u admin_p PUT $P/steps "{\"effective_from\":\"$TOMORROW\",\"steps\":$S4}"
expect 200 "steps from tomorrow"
jq -e --arg d "$TOMORROW" '.versions | length == 2 and .[1].effective_from == $d and .[1].planned
  and (.[1].steps | map(.name) | join("/")) == "Tiếp nhận/Thẩm định/Trình ký/Phê duyệt"' "$T/body" >/dev/null || fail "version: $BODY_TEXT"
jq -e '.changes | length == 2 and .[0].what == "steps" and .[0].actor == "admin_p"
  and .[1].what == "attributes" and (.[1].summary | test("name, time, fee_vnd, documents"))' "$T/body" >/dev/null || fail "log: $BODY_TEXT"
# a planned version may be replaced (no dossier used it)
req -u admin_p PUT $P/steps "{\"effective_from\":\"$TOMORROW\",\"steps\":[{\"name\":\"Giải quyết\",\"role\":\"leader\",\"share\":\"100%\"}]}"
expect 200 "replace the planned version"
[ "$(field '.versions | length')/$(field '.versions[1].steps | length')" = 2/1 ] || fail "replaced: $BODY_TEXT"
req -u desk_a POST "/api/dossiers/$CODE/advance" '{}'
expect 200 "advance today's dossier"
[ "$(field .step)/$(field .n_steps)" = 1/3 ] || fail "today's dossier changed: $BODY_TEXT"
req -u desk_a GET "/api/dossiers/$CODE"
[ "$(field .step_name)" = "Tiếp nhận" ] || fail "step name: $BODY_TEXT"
req -u admin_p PUT /api/procedures/9.999999/steps "{\"effective_from\":\"$TOMORROW\",\"steps\":$S4}"
expect 404 not_found "unknown procedure"
echo "ok t-procadmin"
