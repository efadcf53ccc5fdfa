#!/usr/bin/env bash
# t-preport.sh — the periodic CCHC reports over HTTP against the real server (issue 15): ward
# P.A's leader creates last year's report (figures frozen from the data), writes its sections
# and submits it to the province; edits after submission, the ward accepting its own report and
# a return without a reason are refused in Vietnamese with their rule and change nothing; the
# province returns it, the ward reopens, refreshes and submits again, the province accepts,
# lists its children (P.B missing) and creates its consolidated report, downloaded as PDF and
# .xlsx; another commune never sees the ward's report.
source "$(dirname "$0")/lib.sh" "$1"
setup_db
start_server
for u in admin_p leader_a leader_b specialist_a desk_a; do login "$u"; done
export ACCEPT_LANGUAGE=vi-VN,vi
YEAR=$(($(TZ=Asia/Ho_Chi_Minh date +%Y) - 1))
PER=$YEAR-CCHC-Y

# one dossier of P.A inside the period (the server counts from the data)
req -u desk_a POST /api/dossiers "{\"unit\":\"P.A\",\"procedure\":\"9.000001\",\"applicant_name\":\"Mai Anh\",\"at\":\"$YEAR-09-08T08:00\"}"
expect 201 "receive in P.A"

req -u leader_a POST /api/preports "{\"unit\":\"P.A\",\"period\":\"$YEAR-CCHC-Q2\"}"
expect 400 invalid "a period that is not a report's"
[ "$(field .error.rule)" = preport.period ] || fail "period rule: $BODY_TEXT"
[[ "$(field .error.message)" == "Kỳ báo cáo không hợp lệ"* ]] || fail "period in Vietnamese: $BODY_TEXT"
req -u leader_a POST /api/preports "{\"unit\":\"P.B\",\"period\":\"$PER\"}"
expect 404 not_found "a unit outside the scope"
req -u desk_a POST /api/preports "{\"unit\":\"P.A\",\"period\":\"$PER\"}"
expect 403 forbidden "a desk officer does not write reports"

req -u leader_a POST /api/preports "{\"unit\":\"P.A\",\"period\":\"$PER\"}"
expect 201 "create P.A's report"
ID=$(field .id)
[ "$(field .status)" = draft ] && [ "$(field .parent)" = P ] || fail "new report: $BODY_TEXT"
[ "$(field .figures.dossiers.received)" = 1 ] || fail "figures: $(field .figures.dossiers)"
[ "$(field .figures.period.from)" = "$((YEAR - 1))-12-15" ] || fail "data period: $(field .figures.period)"
[ "$(field .can.write)/$(field .can.decide)" = true/false ] || fail "can: $(field .can)"
req -u leader_a POST /api/preports "{\"unit\":\"P.A\",\"period\":\"$PER\"}"
expect 409 conflict "the same report twice"
[ "$(field .error.rule)" = preport.exists ] || fail "exists rule: $BODY_TEXT"

req -u specialist_a PUT "/api/preports/$ID/sections" '{"results":"Hoàn thành 90% kế hoạch CCHC.","next":"Đẩy mạnh dịch vụ công trực tuyến."}'
expect 200 "write sections"
[ "$(field .sections.results)" = "Hoàn thành 90% kế hoạch CCHC." ] || fail "sections: $(field .sections)"
req -u specialist_a PUT "/api/preports/$ID/sections" '{"summary":"x"}'
expect 400 "an unknown section"
req -u specialist_a POST "/api/preports/$ID/submit" '{}'
expect 403 forbidden "a specialist does not submit"
req -u leader_a POST "/api/preports/$ID/submit" '{}'
expect 200 "submit"
[ "$(field .status)" = submitted ] && [ "$(field .submitted_by)" = leader_a ] || fail "submitted: $BODY_TEXT"

req -u specialist_a PUT "/api/preports/$ID/sections" '{"results":"Sửa sau khi gửi"}'
expect 409 conflict "edit after submission"
[ "$(field .error.rule)" = preport.submitted ] || fail "submitted rule: $BODY_TEXT"
[[ "$(field .error.message)" == "Báo cáo số $ID đã gửi cấp trên"* ]] || fail "Vietnamese: $BODY_TEXT"
req -u leader_a POST "/api/preports/$ID/accept" '{}'
expect 403 forbidden "the ward accepts its own report"
[ "$(field .error.rule)" = preport.parent_only ] || fail "parent rule: $BODY_TEXT"
req -u leader_a POST "/api/preports/$ID/refresh" '{}'
expect 409 conflict "refresh after submission"
req -u leader_a GET "/api/preports/$ID"
[ "$(field .sections.results)" = "Hoàn thành 90% kế hoạch CCHC." ] && [ "$(field .status)" = submitted ] ||
  fail "a refused request changed the report: $BODY_TEXT"

# the province sees its children
req -u admin_p GET "/api/preports/children?unit=P&period=$PER"
expect 200 "children"
[ "$(jq -r '[.children[] | .unit + ":" + .status] | join(" ")' "$T/body")" = "P.A:submitted P.B:missing" ] ||
  fail "children: $BODY_TEXT"
req -u leader_b GET "/api/preports/$ID"
expect 404 not_found "another commune's report"
req -u leader_b GET "/api/preports/children?unit=P&period=$PER"
expect 404 not_found "the province's children from a commune"

req -u admin_p POST "/api/preports/$ID/return" '{}'
expect 400 invalid "return without a reason"
[ "$(field .error.rule)" = preport.reason ] || fail "reason rule: $BODY_TEXT"
req -u admin_p POST "/api/preports/$ID/return" '{"note":"Bổ sung số liệu kiểm tra"}'
expect 200 "return"
[ "$(field .status)/$(field .return_reason)" = "returned/Bổ sung số liệu kiểm tra" ] || fail "returned: $BODY_TEXT"
req -u leader_a POST "/api/preports/$ID/submit" '{}'
expect 409 conflict "submit a returned report"
[ "$(field .error.rule)" = preport.returned ] || fail "returned rule: $BODY_TEXT"

# a second dossier; the ward reopens, refreshes and submits again
req -u desk_a POST /api/dossiers "{\"unit\":\"P.A\",\"procedure\":\"9.000001\",\"applicant_name\":\"Lê Bình\",\"at\":\"$YEAR-10-06T08:00\"}"
expect 201 "a later dossier"
req -u leader_a GET "/api/preports/$ID"
[ "$(field .figures.dossiers.received)" = 1 ] || fail "frozen figures moved: $(field .figures.dossiers.received)"
req -u specialist_a POST "/api/preports/$ID/reopen" '{}'
expect 200 "reopen"
req -u specialist_a POST "/api/preports/$ID/refresh" '{}'
expect 200 "refresh"
[ "$(field .figures.dossiers.received)" = 2 ] || fail "refresh: $(field .figures.dossiers.received)"
req -u leader_a POST "/api/preports/$ID/submit" '{}'
expect 200 "submit again"
req -u admin_p POST "/api/preports/$ID/accept" '{}'
expect 200 "accept"
[ "$(field .status)/$(field .decided_by)" = accepted/admin_p ] || fail "accepted: $BODY_TEXT"
[ "$(jq -r '[.history[].action] | join(" ")' "$T/body")" = "create edit submit return reopen refresh submit accept" ] ||
  fail "history: $(field .history)"

# the province's consolidated report
req -u admin_p POST /api/preports "{\"unit\":\"P\",\"period\":\"$PER\",\"consolidate\":true}"
expect 201 "the province consolidates"
PV=$(field .id)
[ "$(field .consolidated)" = true ] || fail "consolidated flag"
[ "$(field .figures.children.submitted)/$(field .figures.children.missing)" = 1/1 ] || fail "children: $(field .figures.children)"
[ "$(jq -r '.figures.children.units[] | select(.unit=="P.A") | .dossiers.received' "$T/body")" = 2 ] || fail "P.A's frozen figures"
[ "$(field .figures.children.total.dossiers.received)" = 2 ] || fail "total"
req -u admin_p GET "/api/preports?unit=P&period=$PER"
expect 200 "list"
[ "$(jq -r '[.reports[] | .unit + ":" + .status] | join(" ")' "$T/body")" = "P:draft P.A:accepted" ] || fail "list: $BODY_TEXT"
req -u leader_a GET "/api/preports?unit=P.A"
[ "$(jq -r '[.reports[].unit] | join(" ")' "$T/body")" = "P.A" ] || fail "P.A's list: $BODY_TEXT"

curl -s -b "$T/admin_p.jar" -o "$T/p.pdf" -D "$T/h" "$BASE/api/preports/$PV/pdf"
grep -qi "content-type: application/pdf" "$T/h" || fail "pdf type: $(cat "$T/h")"
grep -qi "filename=\"bao-cao-cchc-P-$YEAR-Y.pdf\"" "$T/h" || fail "pdf name: $(cat "$T/h")"
pdftotext -layout "$T/p.pdf" "$T/p.txt"
for want in "BÁO CÁO CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM $YEAR (TỔNG HỢP)" "Biểu số 07" "Phường An Bình" "Đã tiếp nhận" "Chưa có báo cáo"; do
  grep -qF "$want" "$T/p.txt" || fail "pdf lacks [$want]"
done
curl -s -b "$T/leader_a.jar" -o "$T/a.xlsx" "$BASE/api/preports/$ID/xlsx"
unzip -p "$T/a.xlsx" xl/sharedStrings.xml | grep -qF "Hoàn thành 90% kế hoạch CCHC." || fail "xlsx sections"
req -u leader_b GET "/api/preports/$ID/pdf"
expect 404 not_found "another commune's pdf"
# the province (migration 038): every report carries its unit's root, P; its history rows too
for t in periodic_reports periodic_report_events; do
  got=$(testdb_sql "$DB" "SELECT count(*) || ':' || sum(CASE WHEN province = 'P' THEN 0 ELSE 1 END) FROM $t")
  [ "${got%%:*}" -ge 2 ] && [ "${got#*:}" = 0 ] || fail "$t rows without the province P (rows:bad): $got"
done
echo "ok t-preport"
