#!/usr/bin/env bash
# t-reform.sh — CCHC plans and tasks over HTTP against the real server (issue 15): the
# province's plan on the province set in force (Decision 876's areas), a province task split
# to ward P.A and commune P.B, each commune reporting its own part only, their progress rolling
# up to the province's task, overdue and near-due lists by scope, the completion rate with the
# tasks it counts, history and comments, evidence in the PAR evidence store, and refused
# requests (bad area, owner outside the tree, illegal transition, missing reason, a parent's own
# progress) answered in Vietnamese with their field, changing nothing. Dates are relative to
# today, so the due classes hold whenever the test runs.
source "$(dirname "$0")/lib.sh" "$1"
setup_db
"$CCHC" par import-set "${CCHC_DATA:-$DATA/../../../data}/par/moha-876-province-2022.csv" --db "$DB" >/dev/null
start_server
for u in admin_p leader_a leader_b specialist_a desk_a; do login "$u"; done

TODAY=$(TZ=Asia/Ho_Chi_Minh date +%F)
YEAR=${TODAY:0:4}
d() { date -d "$TODAY $1 days" +%F; }
START=$(d -40) PAST=$(d -3) NEAR=$(d +3) END=$(d +30)

# --- the province's plan: areas from the province set in force ----------------------------------
req -u admin_p POST /api/reform/plans "{\"unit\":\"P\",\"year\":$YEAR}"
expect 201 "create the province plan"
PLAN=$(field .id)
[ "$(field '.set')" = MOHA-876-TINH ] || fail "plan set: $BODY_TEXT"
req -u admin_p POST /api/reform/plans "{\"unit\":\"P\",\"year\":$YEAR}"
expect 409 conflict "a second plan for the year"
[ "$(field .error.field)" = year ] || fail "duplicate plan field: $BODY_TEXT"
req -u leader_a POST /api/reform/plans "{\"unit\":\"P\",\"year\":$YEAR}"
expect 404 not_found "a ward leader cannot create the province's plan"
req -u admin_p GET "/api/reform/plans/$PLAN"
expect 200 "plan detail"
[ "$(field '.areas | length')" = 8 ] || fail "8 areas of Decision 876: $BODY_TEXT"

# --- a task split to two communes ----------------------------------------------------------------
task() { # USER BODY -> id
  req -u "$1" POST /api/reform/tasks "$2"
  expect 201 "add task $2"
  field .id
}
TOP=$(task admin_p "{\"plan\":$PLAN,\"area\":\"3\",\"title\":\"Rà soát, đơn giản hóa thủ tục hành chính\",\"owner\":\"P\",\"lead\":\"Trần Văn Bình\",\"product\":\"Quyết định thông qua phương án đơn giản hóa\",\"start\":\"$START\",\"due\":\"$END\"}")
A=$(task admin_p "{\"parent\":$TOP,\"title\":\"Phường An Bình rà soát TTHC\",\"owner\":\"P.A\",\"start\":\"$START\",\"due\":\"$NEAR\"}")
B=$(task admin_p "{\"parent\":$TOP,\"title\":\"Xã Bình Minh rà soát TTHC\",\"owner\":\"P.B\",\"start\":\"$START\",\"due\":\"$PAST\",\"weight\":3}")
req -u admin_p GET "/api/reform/tasks/$A"
[ "$(field '.area + " " + .status + " " + .due_class')" = "3 planned near" ] || fail "child A: $BODY_TEXT"

# refused: a bad area, an owner outside the parent's tree, dates outside the parent's — nothing added
ACCEPT_LANGUAGE=vi req -u admin_p POST /api/reform/tasks "{\"plan\":$PLAN,\"area\":\"3.TD\",\"title\":\"X\",\"owner\":\"P\",\"start\":\"$START\",\"due\":\"$END\"}"
expect 400 invalid "an area that is not an area"
[ "$(field .error.field)" = area ] || fail "area field: $BODY_TEXT"
field .error.message | grep -q "Lĩnh vực 3.TD không thuộc bộ tiêu chí" || fail "area message: $BODY_TEXT"
req -u leader_a POST /api/reform/tasks "{\"parent\":$A,\"title\":\"X\",\"owner\":\"P.B\",\"start\":\"$START\",\"due\":\"$NEAR\"}"
expect 400 invalid "P.A splits its task to P.B"
[ "$(field .error.field)" = owner ] || fail "owner field: $BODY_TEXT"
req -u admin_p POST /api/reform/tasks "{\"parent\":$A,\"title\":\"X\",\"owner\":\"P.A\",\"start\":\"$START\",\"due\":\"$END\"}"
expect 400 invalid "a child due after its parent"
req -u leader_b POST /api/reform/tasks "{\"parent\":$A,\"title\":\"X\",\"owner\":\"P.A\",\"start\":\"$START\",\"due\":\"$NEAR\"}"
expect 404 not_found "P.B cannot split P.A's task"
req -u admin_p GET "/api/reform/tasks?unit=P&plan=$PLAN"
[ "$(field '.tasks | length')" = 3 ] || fail "refused tasks were added: $BODY_TEXT"

# --- each commune reports its own part; the province's task rolls up ----------------------------
req -u leader_a POST "/api/reform/tasks/$A/report" '{"progress":40}'
expect 200 "P.A reports 40 %"
[ "$(field '.status + " " + (.progress|tostring)')" = "in_progress 40" ] || fail "A: $BODY_TEXT"
req -u leader_a POST "/api/reform/tasks/$B/report" '{"progress":90}'
expect 404 not_found "P.A cannot report for P.B"
req -u leader_b POST "/api/reform/tasks/$B/report" '{"progress":80}'
expect 200 "P.B reports 80 %"
req -u admin_p GET "/api/reform/tasks/$TOP"
# weights 1 and 3: (40 + 3 × 80) / 4 = 70
[ "$(field '(.progress|tostring) + " " + (.child_tasks|length|tostring)')" = "70 2" ] || fail "roll-up: $BODY_TEXT"
req -u leader_b POST "/api/reform/tasks/$B/complete" '{}'
expect 200 "P.B completes"
req -u admin_p GET "/api/reform/tasks/$TOP"
[ "$(field .progress)" = 85 ] || fail "roll-up after completion: $BODY_TEXT" # (40 + 300) / 4
# a parent's own progress is its children's
ACCEPT_LANGUAGE=vi req -u admin_p POST "/api/reform/tasks/$TOP/report" '{"progress":10}'
expect 400 invalid "report on a parent"
field .error.message | grep -q "tổng hợp tự động" || fail "roll-up message: $BODY_TEXT"
# an illegal pair, and a missing reason: 409 / 400 in Vietnamese, nothing changes
ACCEPT_LANGUAGE=vi req -u leader_b POST "/api/reform/tasks/$B/pause" '{"note":"x"}'
expect 409 conflict "pause a done task"
field .error.message | grep -q "Hoàn thành" || fail "transition message: $BODY_TEXT"
ACCEPT_LANGUAGE=vi req -u leader_b POST "/api/reform/tasks/$B/reopen" '{}'
expect 400 invalid "reopen without a reason"
[ "$(field .error.field)" = note ] || fail "reason field: $BODY_TEXT"
req -u leader_b POST "/api/reform/tasks/$B/comment" '{"note":"Đã gửi báo cáo kết quả rà soát"}'
expect 200 "comment"
req -u leader_b GET "/api/reform/tasks/$B"
[ "$(field '[.history[].action] | join(",")')" = "create,report,complete,comment" ] || fail "history: $BODY_TEXT"
# done today: the day the test started, or the next if it ran past midnight (UTC+7)
case "$(field '.status + " " + .due_class + " " + .done')" in
  "done closed $TODAY" | "done closed $(TZ=Asia/Ho_Chi_Minh date +%F)") ;;
  *) fail "B after all: $BODY_TEXT" ;;
esac

# --- lists by scope and due class -----------------------------------------------------------------
req -u leader_a GET "/api/reform/tasks?due=near"
[ "$(field '[.tasks[].id] | map(tostring) | join(",")')" = "$A" ] || fail "P.A's near-due list: $BODY_TEXT"
req -u leader_b GET "/api/reform/tasks?unit=P.A"
expect 404 not_found "P.B lists P.A's tasks"
req -u admin_p GET "/api/reform/tasks?unit=P&open=1"
[ "$(field '.tasks | length')" = 2 ] || fail "open tasks of the province: $BODY_TEXT"
req -u admin_p GET "/api/reform/tasks?unit=P&due=soon"
expect 400 invalid "a due class that does not exist"

# --- the completion rate and its tasks -------------------------------------------------------------
req -u leader_b GET "/api/reform/rate?year=$YEAR"
expect 200 "P.B's rate"
[ "$(field '[.num, .den, .percent] | map(tostring) | join(" ")')" = "1 1 100.00" ] || fail "P.B rate: $BODY_TEXT"
req -u admin_p GET "/api/reform/rate?unit=P.A&year=$YEAR"
# A is not due yet and not done: nothing counts
[ "$(field '.den|tostring') $(field '.percent')" = "0 null" ] || fail "P.A rate: $BODY_TEXT"

# --- evidence: PAR's checks and blob store ---------------------------------------------------------
PDF=$(printf '%%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%%%EOF\n' | base64 -w0)
req -u leader_b POST "/api/reform/tasks/$B/evidence" "{\"name\":\"bao-cao-ra-soat.pdf\",\"content_base64\":\"$PDF\"}"
expect 201 "evidence"
URL=$(field .url)
[ "$(field .type)" = application/pdf ] || fail "sniffed type: $BODY_TEXT"
req -u leader_b POST "/api/reform/tasks/$B/evidence" "{\"name\":\"anh.png\",\"content_base64\":\"$PDF\"}"
expect 400 invalid "a PDF named .png"
req -u leader_b GET "$URL"
expect 200 "download"
req -u leader_a GET "$URL"
expect 404 not_found "P.A downloads P.B's evidence"
req -u desk_a POST "/api/reform/tasks/$A/comment" '{"note":"x"}'
expect 403 forbidden "a desk officer comments"

# --- the PAR criterion "plan completion" (commune set, 1.1.2 plan_done_pct) and its tasks ----------
"$CCHC" par import-set "${CCHC_DATA:-$DATA/../../../data}/par/commune-ht-3396-2021.csv" --db "$DB" >/dev/null
"$CCHC" par round create RX --year "$YEAR" --set HT-XA-2021 --units P.B --db "$DB" >/dev/null
req -u leader_b GET /api/par/rounds/RX/units/P.B
expect 200 "P.B in the PAR round"
[ "$(field '.leaves[] | select(.code == "1.1.2") | .metric | [.name, .percent, .num, .den, .points, .dossiers, .tasks] | map(tostring) | join(" ")')" = \
  "plan_done_pct 100.00 1 1 1.00 null /api/reform/rate?unit=P.B&round=RX" ] || fail "criterion 1.1.2: $BODY_TEXT"
req -u leader_b GET "/api/reform/rate?unit=P.B&round=RX"
expect 200 "the criterion's tasks"
[ "$(field '[.tasks[] | (.id|tostring) + ":" + (.in_numerator|tostring)] | join(" ")')" = "$B:true" ] ||
  fail "drill-down: $BODY_TEXT"
req -u leader_b GET "/api/reform/rate?unit=P.B&round=RX&year=2020"
expect 400 invalid "round with year"
# the rows written over the API carry their province (migration 039; the evidence's content in
# par_blobs, migration 044): P, the root of the fixture's units; an insert that stopped binding
# it would leave '' (SQLite) or fail (PostgreSQL)
for t in reform_plans reform_tasks reform_task_events reform_evidence par_blobs; do
  got=$(testdb_sql "$DB" "SELECT count(*) || ':' || sum(CASE WHEN province = 'P' THEN 1 ELSE 0 END) FROM $t")
  [ "${got%%:*}" -gt 0 ] && [ "${got%%:*}" = "${got#*:}" ] || fail "$t: rows:with province P = $got"
done
echo "ok t-reform"
