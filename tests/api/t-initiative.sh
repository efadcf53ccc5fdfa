#!/usr/bin/env bash
# t-initiative.sh — CCHC initiatives over HTTP against the real server (issue 15): a ward's
# initiative proposed in an area of the commune set in force, hidden from another commune until
# recognised, evaluated by the province's council (the ward cannot evaluate it), recognised by
# decision, applied by two communes, its evidence in the PAR evidence store; a rejected one
# resubmitted and withdrawn; the count PAR scores and the commune set's criterion 1.6 taking it
# with its drill-down; refused requests answered in Vietnamese with their field, changing
# nothing. Dates are relative to today.
source "$(dirname "$0")/lib.sh" "$1"
setup_db
"$CCHC" par import-set "${CCHC_DATA:-$DATA/../../../data}/par/commune-ht-3396-2021.csv" --db "$DB" >/dev/null
echo "$PASS" | "$CCHC" user add --db "$DB" --username leader_p --role leader --name "Lãnh đạo Sở Nội vụ" --unit P >/dev/null
start_server
for u in leader_p leader_a leader_b specialist_a desk_a; do login "$u"; done

TODAY=$(TZ=Asia/Ho_Chi_Minh date +%F)
YEAR=${TODAY:0:4}
d() { date -d "$TODAY $1 days" +%F; }
# a proposal in this year (early January: today)
PROP=$(d -20); [ "${PROP:0:4}" = "$YEAR" ] || PROP=$TODAY
count() { req -u leader_p GET "/api/reform/initiatives?unit=P"; field '.initiatives | length'; }

# --- the ward proposes; the areas come from the commune set in force ----------------------------
req -u leader_a GET "/api/reform/initiatives?unit=P.A"
expect 200 "the ward's list"
[ "$(field '[.areas[].code] | join(",")')" = "1,2,3,4,5,6,7,8" ] || fail "areas of the commune set: $BODY_TEXT"
BODY='"title":"Tổ công nghệ số cộng đồng hỗ trợ nộp hồ sơ trực tuyến","description":"Đoàn viên hướng dẫn người dân tại nhà văn hóa khu phố","authors":"Nguyễn Văn An, Lê Thị Bình","effect":"Tăng tỷ lệ hồ sơ trực tuyến"'
req -u specialist_a POST /api/reform/initiatives "{\"unit\":\"P.A\",\"evaluator\":\"P\",\"area\":\"3\",$BODY,\"proposed\":\"$PROP\"}"
expect 201 "propose"
I=$(field .id)
[ "$(field '[.status, .area, .area_title, .evaluator, .proposed] | join("|")')" = "proposed|3|Cải cách thủ tục hành chính|P|$PROP" ] || fail "proposal: $BODY_TEXT"

ACCEPT_LANGUAGE=vi req -u leader_a POST /api/reform/initiatives "{\"unit\":\"P.A\",\"evaluator\":\"P\",\"area\":\"9\",$BODY}"
expect 400 invalid "an area not of the set"
[ "$(field .error.field)" = area ] && field .error.message | grep -q "Lĩnh vực 9 không thuộc bộ tiêu chí HT-XA-2021" || fail "area: $BODY_TEXT"
ACCEPT_LANGUAGE=vi req -u leader_a POST /api/reform/initiatives "{\"unit\":\"P.A\",\"evaluator\":\"P.B\",\"area\":\"3\",$BODY}"
expect 400 invalid "an evaluator that is not above"
[ "$(field .error.field)" = evaluator ] && field .error.message | grep -q "Đơn vị đánh giá P.B phải là P.A hoặc đơn vị cấp trên" || fail "evaluator: $BODY_TEXT"
req -u leader_a POST /api/reform/initiatives "{\"unit\":\"P.B\",\"evaluator\":\"P\",\"area\":\"3\",$BODY}"
expect 404 not_found "a proposal for another commune"
req -u leader_a POST /api/reform/initiatives "{\"unit\":\"P.A\",\"evaluator\":\"P\",\"area\":\"3\",$BODY,\"proposed\":\"$(d +1)\"}"
expect 400 invalid "a proposal dated tomorrow"
[ "$(count)" = 1 ] || fail "refused proposals were added"

# --- hidden from another commune; the ward cannot evaluate its own --------------------------------
req -u leader_b GET "/api/reform/initiatives/$I"
expect 404 not_found "P.B does not see P.A's proposal"
req -u leader_b GET "/api/reform/initiatives?unit=P.B"
[ "$(field '.initiatives | length')" = 0 ] || fail "P.B's list shows P.A's proposal: $BODY_TEXT"
req -u leader_a POST "/api/reform/initiatives/$I/evaluate" '{"result":"accepted","score":90}'
expect 403 forbidden "the ward evaluates its own initiative"
req -u desk_a POST "/api/reform/initiatives/$I/evaluate" '{"result":"accepted","score":90}'
expect 403 forbidden "a desk officer evaluates"
req -u leader_a GET "/api/reform/initiatives/$I"
[ "$(field '[.may.evaluate, .may.withdraw, .may.apply] | map(tostring) | join(" ")')" = "false true true" ] || fail "ward's may: $BODY_TEXT"

# --- the province's council ----------------------------------------------------------------------
ACCEPT_LANGUAGE=vi req -u leader_p POST "/api/reform/initiatives/$I/evaluate" '{"result":"accepted"}'
expect 400 missing_field "accepted without a score"
ACCEPT_LANGUAGE=vi req -u leader_p POST "/api/reform/initiatives/$I/recognize" "{\"decision_no\":\"125/QĐ-UBND\",\"decision_day\":\"$TODAY\",\"level\":\"province\"}"
expect 409 conflict "recognised before the evaluation"
field .error.message | grep -q "không cho phép thao tác này" || fail "transition message: $BODY_TEXT"
req -u leader_p POST "/api/reform/initiatives/$I/evaluate" "{\"result\":\"accepted\",\"score\":85,\"opinion\":\"Có tính mới, hiệu quả rõ\",\"day\":\"$PROP\"}"
expect 200 "accepted"
[ "$(field '[.status, (.score|tostring), .evaluated, .opinion] | join("|")')" = "accepted|85|$PROP|Có tính mới, hiệu quả rõ" ] || fail "accepted: $BODY_TEXT"
ACCEPT_LANGUAGE=vi req -u leader_p POST "/api/reform/initiatives/$I/recognize" "{\"decision_no\":\"125/QĐ-UBND\",\"decision_day\":\"$TODAY\",\"level\":\"national\"}"
expect 400 invalid "a level that is not one"
[ "$(field .error.field)" = level ] && field .error.message | grep -q "cấp cơ sở, cấp huyện hoặc cấp tỉnh" || fail "level: $BODY_TEXT"
req -u leader_p POST "/api/reform/initiatives/$I/recognize" "{\"decision_no\":\"125/QĐ-UBND\",\"decision_day\":\"$(d +1)\",\"level\":\"province\"}"
expect 400 invalid "a decision dated tomorrow"
req -u leader_p GET "/api/reform/initiatives/$I"
[ "$(field .status)" = accepted ] || fail "refused recognitions changed it: $BODY_TEXT"
req -u leader_p POST "/api/reform/initiatives/$I/recognize" "{\"decision_no\":\"125/QĐ-UBND\",\"decision_day\":\"$TODAY\",\"level\":\"province\"}"
expect 200 "recognised"
[ "$(field '[.status, .decision_no, .decision_day, .level] | join("|")')" = "recognized|125/QĐ-UBND|$TODAY|province" ] || fail "recognised: $BODY_TEXT"

# --- recognised: every commune sees it and may apply it -------------------------------------------
req -u leader_b GET "/api/reform/initiatives/$I"
expect 200 "P.B sees the recognised initiative"
req -u leader_b POST "/api/reform/initiatives/$I/units" "{\"unit\":\"P.B\",\"from\":\"$TODAY\",\"result\":\"Bắt đầu triển khai ở 3 thôn\"}"
expect 201 "P.B applies it"
req -u leader_a POST "/api/reform/initiatives/$I/units" "{\"unit\":\"P.A\",\"from\":\"$PROP\",\"result\":\"Tỷ lệ trực tuyến tăng 20%\"}"
expect 201 "P.A applies it"
ACCEPT_LANGUAGE=vi req -u leader_b POST "/api/reform/initiatives/$I/units" "{\"unit\":\"P.B\",\"from\":\"$TODAY\"}"
expect 409 conflict "P.B applies it twice"
field .error.message | grep -q "Đơn vị P.B đã đăng ký áp dụng" || fail "applied twice: $BODY_TEXT"
req -u leader_b POST "/api/reform/initiatives/$I/units" "{\"unit\":\"P.A\",\"from\":\"$TODAY\"}"
expect 404 not_found "P.B applies it for P.A"
req -u leader_b GET "/api/reform/initiatives/$I"
[ "$(field '[.applied, (.units|length)] | map(tostring) | join(" ")') $(field '[.units[].unit] | join(",")')" = "2 2 P.A,P.B" ] || fail "applying units: $BODY_TEXT"
[ "$(field '[.history[].action] | join(",")')" = "propose,accept,recognize,apply,apply" ] || fail "history: $BODY_TEXT"

# --- evidence: PAR's checks and blob store ------------------------------------------------------
PDF=$(printf '%%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%%%EOF\n' | base64 -w0)
req -u leader_a POST "/api/reform/initiatives/$I/evidence" "{\"name\":\"qd-cong-nhan.pdf\",\"content_base64\":\"$PDF\"}"
expect 201 "evidence"
URL=$(field .url)
[ "$(field .type)" = application/pdf ] || fail "sniffed type: $BODY_TEXT"
req -u leader_a POST "/api/reform/initiatives/$I/evidence" "{\"name\":\"anh.png\",\"content_base64\":\"$PDF\"}"
expect 400 invalid "a PDF named .png"
req -u leader_b POST "/api/reform/initiatives/$I/evidence" "{\"name\":\"x.pdf\",\"content_base64\":\"$PDF\"}"
expect 403 forbidden "an applying commune attaches to another's initiative"
req -u leader_b GET "$URL"
expect 200 "download"

# --- a rejected initiative: resubmitted, then withdrawn --------------------------------------------
req -u leader_a POST /api/reform/initiatives "{\"unit\":\"P.A\",\"evaluator\":\"P\",\"area\":\"7\",\"title\":\"Số hóa sổ hộ tịch\",\"description\":\"Số hóa\",\"authors\":\"Trần Văn Cường\"}"
expect 201 "a second proposal"
J=$(field .id)
ACCEPT_LANGUAGE=vi req -u leader_p POST "/api/reform/initiatives/$J/evaluate" '{"result":"rejected"}'
expect 400 invalid "rejected without a reason"
[ "$(field .error.field)" = note ] && field .error.message | grep -q "Vui lòng ghi lý do" || fail "reason: $BODY_TEXT"
req -u leader_p POST "/api/reform/initiatives/$J/evaluate" '{"result":"rejected","reason":"Chưa có tính mới trong phạm vi tỉnh"}'
expect 200 "rejected"
req -u leader_b POST "/api/reform/initiatives/$J/units" "{\"unit\":\"P.B\",\"from\":\"$TODAY\"}"
expect 404 not_found "P.B cannot see a rejected initiative of P.A"
req -u leader_a POST "/api/reform/initiatives/$J/resubmit" '{"note":"Bổ sung kết quả áp dụng thử"}'
expect 200 "resubmitted"
[ "$(field '[.status, (.score|tostring), .reason] | join("|")')" = "proposed|null|" ] || fail "resubmitted: $BODY_TEXT"
req -u leader_b POST "/api/reform/initiatives/$J/withdraw" '{"note":"x"}'
expect 404 not_found "another commune withdraws the ward's proposal"
req -u leader_a POST "/api/reform/initiatives/$J/withdraw" '{}'
expect 400 invalid "withdrawn without a reason"
req -u leader_a POST "/api/reform/initiatives/$J/withdraw" '{"note":"Trùng sáng kiến khác"}'
expect 200 "withdrawn"
req -u leader_a GET "/api/reform/initiatives?unit=P.A&status=withdrawn"
[ "$(field '[.initiatives[].id] | map(tostring) | join(",")')" = "$J" ] || fail "filter by status: $BODY_TEXT"
req -u leader_b GET "/api/reform/initiatives?unit=P.B"
[ "$(field '[.initiatives[].id] | map(tostring) | join(",")')" = "$I" ] || fail "P.B's list holds the recognised one: $BODY_TEXT"

# --- the count PAR scores, and criterion 1.6 of the commune set ---------------------------------------
req -u leader_a GET "/api/reform/initiative-count?unit=P.A&year=$YEAR"
expect 200 "count"
[ "$(field '[.num, .den] | map(tostring) | join("/")') $(field '[.initiatives[] | [.id, .in_numerator] | map(tostring) | join(":")] | join(",")')" = "1/1 $I:true" ] ||
  fail "count (the withdrawn one is not listed): $BODY_TEXT"
"$CCHC" par round create RI --year "$YEAR" --set HT-XA-2021 --units P.A,P.B --db "$DB" >/dev/null
req -u leader_a GET /api/par/rounds/RI/units/P.A
expect 200 "the ward's PAR cells"
[ "$(field '.leaves[] | select(.code == "1.6") | [.method, .points, .metric.name, .metric.count, .metric.percent, .metric.points, .metric.dossiers, .metric.initiatives] | map(tostring) | join(" ")')" = \
  "computed 1.00 initiatives_count 1 null 1.00 null /api/reform/initiative-count?unit=P.A&round=RI" ] || fail "criterion 1.6: $BODY_TEXT"
req -u leader_b GET /api/par/rounds/RI/units/P.B
[ "$(field '.leaves[] | select(.code == "1.6") | [.points, .metric.count] | map(tostring) | join(" ")')" = "0.00 0" ] ||
  fail "P.B applies it but did not propose it: $BODY_TEXT"
req -u leader_a GET "/api/reform/initiative-count?unit=P.A&round=RI"
[ "$(field .num)" = 1 ] || fail "count of the round: $BODY_TEXT"
req -u leader_a GET "/api/reform/initiative-count?unit=P.B"
expect 404 not_found "P.A asks P.B's count"

# the province (migration 040): every initiative carries its proposing unit's root, P; its
# history, evidence and applying units the initiative's
for t in initiatives initiative_events initiative_evidence initiative_units; do
  got=$(testdb_sql "$DB" "SELECT count(*) || ':' || sum(CASE WHEN province = 'P' THEN 0 ELSE 1 END) FROM $t")
  [ "${got%%:*}" -ge 1 ] && [ "${got#*:}" = 0 ] || fail "$t rows without the province P (rows:bad): $got"
done
echo "ok t-initiative"
