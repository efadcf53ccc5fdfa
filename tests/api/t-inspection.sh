#!/usr/bin/env bash
# t-inspection.sh — CCHC inspections over HTTP against the real server (issue 15): the
# province plans inspections of ward P.A (checklist from the commune PAR set plus written
# items) and commune P.B; P.A's users read their inspection but do not record it (403), P.B's
# do not see it (404); the team starts, answers the checklist, records a strength and a
# shortcoming with an evidence file (stored as PAR evidence) and concludes; remedies are tasks
# of P.A's plan, added by either side; the inspection closes by itself when the ward completes
# its last remedy over the task routes, and a reopened remedy reopens it; the share of units
# inspected with the units behind it. Every refusal answers in Vietnamese with its field and
# rule and changes nothing. Dates are relative to today.
source "$(dirname "$0")/lib.sh" "$1"
setup_db
"$CCHC" par import-set "${CCHC_DATA:-$DATA/../../../data}/par/commune-ht-3396-2021.csv" --db "$DB" >/dev/null
start_server
for u in admin_p leader_a specialist_a desk_a leader_b; do login "$u"; done
export ACCEPT_LANGUAGE=vi

TODAY=$(TZ=Asia/Ho_Chi_Minh date +%F)
YEAR=${TODAY:0:4}
# dates inside this year whatever today is: the inspection in the first days of the year's
# last quarter would not do in January, so from the year's start
J1=$YEAR-01-01 J5=$YEAR-01-05 D31=$YEAR-12-31

rule() { [ "$(field .error.rule)" = "$1" ] || fail "rule $1 expected: $BODY_TEXT"; }
count() { # USER QUERY -> number of inspections listed
  req -u "$1" GET "/api/reform/inspections?$2"
  expect 200 "list $2"
  field '.inspections | length'
}

# --- the plan: P.A (checklist from the commune set and two written items), P.B twice ------------
req -u admin_p POST /api/reform/plans "{\"unit\":\"P.A\",\"year\":$YEAR}"
expect 201 "P.A's plan, where its remedies go"
req -u admin_p POST /api/reform/inspections "{\"inspector\":\"P\",\"unit\":\"P.A\",\"year\":$YEAR,\"team\":\"Đoàn kiểm tra CCHC tỉnh\",\"from\":\"$J1\",\"to\":\"$J5\",\"set\":\"HT-XA-2021\",\"items\":[\"Niêm yết TTHC tại Bộ phận Một cửa\",\"Ký số văn bản 2 lớp\"]}"
expect 201 "plan the inspection of P.A"
IA=$(field .id)
NITEMS=$(field .items)
[ "$(field '.status + " " + .inspector + " " + .unit + " " + .from')" = "planned P P.A $J1" ] || fail "P.A's inspection: $BODY_TEXT"
[ "$NITEMS" -gt 10 ] || fail "the set's leaf criteria and 2 items: $BODY_TEXT"
req -u admin_p POST /api/reform/inspections "{\"inspector\":\"P\",\"unit\":\"P.B\",\"year\":$YEAR,\"from\":\"$D31\",\"to\":\"$D31\",\"items\":[\"Niêm yết TTHC\"]}"
expect 201 "plan the inspection of P.B"
IB=$(field .id)
req -u admin_p POST /api/reform/inspections "{\"inspector\":\"P\",\"unit\":\"P.B\",\"year\":$YEAR,\"from\":\"$J1\",\"to\":\"$J1\"}"
expect 201 "a second of P.B, to be cancelled"
IB2=$(field .id)

# refused, nothing added: an inspector outside the scope, a unit not below it, dates
req -u leader_a POST /api/reform/inspections "{\"inspector\":\"P\",\"unit\":\"P.A\",\"year\":$YEAR,\"from\":\"$J1\",\"to\":\"$J5\"}"
expect 404 not_found "a ward plans the province's inspection"
rule insp.inspector_scope
req -u admin_p POST /api/reform/inspections "{\"inspector\":\"P.A\",\"unit\":\"P.B\",\"year\":$YEAR,\"from\":\"$J1\",\"to\":\"$J5\"}"
expect 400 invalid "P.B is not below P.A"
rule insp.unit_below
field .error.message | grep -q "không trực thuộc đơn vị kiểm tra" || fail "unit message: $BODY_TEXT"
req -u admin_p POST /api/reform/inspections "{\"inspector\":\"P\",\"unit\":\"P.A\",\"year\":2020,\"from\":\"$J1\",\"to\":\"$J5\"}"
expect 400 invalid "dates outside the year"
rule insp.year_dates
req -u admin_p POST /api/reform/inspections "{\"inspector\":\"P\",\"unit\":\"P.A\",\"year\":$YEAR,\"from\":\"$J5\",\"to\":\"$J1\"}"
expect 400 invalid "ends before it starts"
req -u admin_p POST /api/reform/inspections "{\"inspector\":\"P\",\"unit\":\"P.A\",\"year\":$YEAR,\"from\":\"$J1\",\"to\":\"$J5\",\"items\":[\"\"]}"
expect 400 invalid "an empty checklist item"
[ "$(field .error.field)" = items ] || fail "items field: $BODY_TEXT"
[ "$(count admin_p "unit=P&year=$YEAR")" = 3 ] || fail "refused inspections were added"

# --- scope: the inspected unit reads, a foreign unit does not see ---------------------------------
req -u leader_a GET "/api/reform/inspections/$IA"
expect 200 "P.A reads its inspection"
[ "$(field '(.checklist | length | tostring) + " " + (.may_record | tostring) + " " + (.remedy_plan.areas | length | tostring)')" = "$NITEMS false 8" ] ||
  fail "P.A's view: $BODY_TEXT"
req -u desk_a GET "/api/reform/inspections/$IA"
expect 200 "a desk officer reads it"
req -u leader_b GET "/api/reform/inspections/$IA"
expect 404 not_found "P.B does not see P.A's inspection"
rule insp.not_found
req -u leader_a GET "/api/reform/inspections/$IB"
expect 404 not_found "P.A does not see P.B's"
[ "$(count leader_a "year=$YEAR")" = 1 ] || fail "P.A lists only its inspection"
req -u leader_b GET "/api/reform/inspections?unit=P.A"
expect 404 not_found "P.B lists P.A's"
req -u admin_p GET "/api/reform/inspections?status=done"
expect 400 invalid "a status that is not an inspection's"

# --- the inspected unit does not record; the state machine refuses in Vietnamese -------------------
req -u leader_a POST "/api/reform/inspections/$IA/start" '{}'
expect 403 forbidden "P.A starts its own inspection"
rule insp.inspector_only
req -u desk_a POST "/api/reform/inspections/$IA/start" '{}'
expect 403 forbidden "a desk officer"
req -u admin_p POST "/api/reform/inspections/$IA/conclude" '{}'
expect 409 conflict "conclude a planned inspection"
rule insp.transition.conclude
field .error.message | grep -q "Chưa triển khai" || fail "state in Vietnamese: $BODY_TEXT"
req -u admin_p POST "/api/reform/inspections/$IA/findings" '{"kind":"strength","text":"x"}'
expect 409 conflict "a finding before the start"
rule insp.state
req -u admin_p GET "/api/reform/inspections/$IA"
[ "$(field '.status + " " + (.findings|tostring)')" = "planned 0" ] || fail "refusals changed it: $BODY_TEXT"

req -u admin_p POST "/api/reform/inspections/$IA/start" '{}'
expect 200 "the team starts"
[ "$(field .status)" = in_progress ] || fail "start: $BODY_TEXT"
req -u admin_p POST "/api/reform/inspections/$IA/conclude" '{}'
expect 409 conflict "conclude without findings"
rule insp.no_findings

# --- the checklist ---------------------------------------------------------------------------------
req -u specialist_a PUT "/api/reform/inspections/$IA/checklist/1" '{"result":"met"}'
expect 403 forbidden "P.A answers its own checklist"
req -u admin_p PUT "/api/reform/inspections/$IA/checklist/1" '{"result":"met","note":"Đầy đủ"}'
expect 200 "item 1 met"
req -u admin_p PUT "/api/reform/inspections/$IA/checklist/$NITEMS" '{"result":"not_met","note":"Còn văn bản ký 1 lớp"}'
expect 200 "the last item not met"
req -u admin_p PUT "/api/reform/inspections/$IA/checklist/$((NITEMS + 1))" '{"result":"met"}'
expect 404 not_found "an item that does not exist"
rule insp.item
req -u admin_p PUT "/api/reform/inspections/$IA/checklist/2" '{"result":"ok"}'
expect 400 invalid "a result that is not one"
rule insp.result
req -u admin_p GET "/api/reform/inspections/$IA"
[ "$(field '[.checklist[] | .result // "-"] | map(select(. != "-")) | join(",")')" = "met,not_met" ] ||
  fail "checklist answers: $BODY_TEXT"
[ "$(field ".checklist[-1] | .item + \" / \" + .note")" = "Ký số văn bản 2 lớp / Còn văn bản ký 1 lớp" ] ||
  fail "the written item last: $BODY_TEXT"

# --- findings, with an evidence file ---------------------------------------------------------------
PDF=$(printf '%%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%%%EOF\n' | base64 -w0)
req -u admin_p POST "/api/reform/inspections/$IA/findings" '{"kind":"strength","text":"Bộ phận Một cửa niêm yết đầy đủ"}'
expect 201 "a strength"
GOOD=$(field .id)
req -u admin_p POST "/api/reform/inspections/$IA/findings" "{\"kind\":\"shortcoming\",\"text\":\"Chưa ký số văn bản 2 lớp\",\"file_name\":\"Biên bản kiểm tra.pdf\",\"content_base64\":\"$PDF\"}"
expect 201 "a shortcoming with its evidence"
BAD=$(field .id)
URL=$(field .evidence.url)
[ "$(field .evidence.name)" = "Biên bản kiểm tra.pdf" ] || fail "the evidence keeps its name: $BODY_TEXT"
req -u admin_p POST "/api/reform/inspections/$IA/findings" "{\"kind\":\"shortcoming\",\"text\":\"X\",\"file_name\":\"anh.png\",\"content_base64\":\"$PDF\"}"
expect 400 invalid "a PDF named .png"
req -u admin_p POST "/api/reform/inspections/$IA/findings" "{\"kind\":\"shortcoming\",\"text\":\"X\",\"file_name\":\"a.pdf\"}"
expect 400 missing_field "a file name without the file"
req -u admin_p POST "/api/reform/inspections/$IA/findings" '{"kind":"weakness","text":"X"}'
expect 400 invalid "a kind that is not one"
rule insp.kind
req -u admin_p GET "/api/reform/inspections/$IA"
[ "$(field '[.finding_list[].kind] | join(",")')" = "strength,shortcoming" ] || fail "refused findings were added: $BODY_TEXT"
curl -s -o "$T/ev.pdf" -D "$T/ev.h" -b "$T/leader_a.jar" "$BASE$URL"
grep -qi '^content-type: application/pdf' "$T/ev.h" || fail "evidence type: $(cat "$T/ev.h")"
grep -qi "^content-disposition: .*filename\*=UTF-8''Bi%C3%AAn%20b%E1%BA%A3n%20ki%E1%BB%83m%20tra.pdf" "$T/ev.h" ||
  fail "downloaded under its name: $(grep -i disposition "$T/ev.h")"
cmp -s "$T/ev.pdf" <(echo "$PDF" | base64 -d) || fail "evidence bytes differ"
req -u leader_b GET "$URL"
expect 404 not_found "P.B downloads P.A's evidence"
req -u admin_p GET "/api/reform/inspections/$IA/findings/$GOOD/evidence"
expect 404 not_found "a finding without a file"
rule insp.no_file

# --- remedies: tasks of P.A's plan, by either side ----------------------------------------------------
remedy() { # USER FINDING BODY
  req -u "$1" POST "/api/reform/inspections/$IA/findings/$2/remedies" "$3"
}
remedy admin_p "$GOOD" "{\"area\":\"1\",\"title\":\"X\",\"start\":\"$J1\",\"due\":\"$D31\"}"
expect 400 invalid "a remedy of a strength"
rule insp.remedy_strength
remedy admin_p "$BAD" "{\"area\":\"1\",\"title\":\"X\",\"owner\":\"P.B\",\"start\":\"$J1\",\"due\":\"$D31\"}"
expect 400 invalid "a remedy owned outside the inspected unit"
[ "$(field .error.field)" = owner ] || fail "owner field: $BODY_TEXT"
remedy leader_b "$BAD" "{\"area\":\"1\",\"title\":\"X\",\"start\":\"$J1\",\"due\":\"$D31\"}"
expect 404 not_found "P.B adds a remedy to P.A's inspection"
remedy admin_p "$BAD" "{\"area\":\"1\",\"title\":\"Ban hành quy chế ký số văn bản 2 lớp\",\"lead\":\"Nguyễn Thị Thu\",\"start\":\"$J1\",\"due\":\"$D31\"}"
expect 201 "the province assigns a remedy"
R1=$(field .id)
[ "$(field '.owner + " " + .status + " " + (.finding|tostring)')" = "P.A planned $BAD" ] || fail "remedy 1: $BODY_TEXT"
remedy leader_a "$BAD" "{\"area\":\"1\",\"title\":\"Tập huấn ký số cho công chức\",\"owner\":\"P.A.MC\",\"start\":\"$J1\",\"due\":\"$D31\"}"
expect 201 "the ward adds its own remedy"
R2=$(field .id)
req -u admin_p GET "/api/reform/tasks?unit=P.A&year=$YEAR"
[ "$(field '[.tasks[].id] | map(tostring) | join(",")')" = "$R1,$R2" ] || fail "the remedies are P.A's tasks: $BODY_TEXT"

req -u admin_p POST "/api/reform/inspections/$IA/conclude" '{}'
expect 200 "conclude"
[ "$(field '.status + " " + (.open_remedies|tostring) + " " + .concluded')" = "concluded 2 $TODAY" ] || fail "concluded: $BODY_TEXT"
req -u admin_p POST "/api/reform/inspections/$IA/close" '{}'
expect 409 conflict "close with open remedies"
rule insp.open_remedies
field .error.message | grep -q "Còn 2 nhiệm vụ khắc phục" || fail "open remedies message: $BODY_TEXT"
req -u admin_p POST "/api/reform/inspections/$IA/findings" '{"kind":"strength","text":"x"}'
expect 409 conflict "a finding after the conclusion"

# --- the inspection closes when the ward's remedies do (the task routes) ---------------------------
req -u leader_a POST "/api/reform/tasks/$R1/report" '{"progress":50}'
expect 200 "P.A reports on a remedy"
req -u leader_a POST "/api/reform/tasks/$R1/complete" '{}'
expect 200 "the first remedy done"
req -u leader_a GET "/api/reform/inspections/$IA"
[ "$(field '.status + " " + (.open_remedies|tostring)')" = "concluded 1" ] || fail "one open: $BODY_TEXT"
[ "$(field "[.finding_list[] | .remedies[] | .status + \":\" + (.progress|tostring)] | join(\",\")")" = "done:100,planned:0" ] ||
  fail "remedies with their progress: $BODY_TEXT"
req -u leader_a POST "/api/reform/tasks/$R2/complete" '{}'
expect 200 "the last remedy done"
req -u leader_a GET "/api/reform/inspections/$IA"
[ "$(field .status)" = closed ] || fail "the inspection did not close with its remedies: $BODY_TEXT"
req -u leader_a POST "/api/reform/tasks/$R2/reopen" '{"note":"Chưa tập huấn đủ"}'
expect 200 "a remedy reopened"
req -u admin_p GET "/api/reform/inspections/$IA"
[ "$(field '.status + " " + (.open_remedies|tostring)')" = "concluded 1" ] || fail "reopened with its remedy: $BODY_TEXT"
req -u leader_a POST "/api/reform/tasks/$R2/complete" '{}'
expect 200 "done again"
req -u admin_p POST "/api/reform/inspections/$IA/reopen" '{}'
expect 400 invalid "reopen without a reason"
rule insp.reason
req -u admin_p GET "/api/reform/inspections/$IA"
[ "$(field .status)" = closed ] || fail "closed again: $BODY_TEXT"

# --- cancel; the share of units inspected -------------------------------------------------------------
req -u admin_p POST "/api/reform/inspections/$IB2/cancel" '{}'
expect 400 invalid "cancel without a reason"
rule insp.reason.cancel
req -u admin_p POST "/api/reform/inspections/$IB2/cancel" '{"note":"Gộp vào đợt kiểm tra cuối năm"}'
expect 200 "cancel"
req -u admin_p POST "/api/reform/inspections/$IB2/start" '{}'
expect 409 conflict "start a cancelled inspection"
rule insp.transition.start
[ "$(count admin_p "unit=P&year=$YEAR&status=closed")" = 1 ] || fail "status filter"

req -u admin_p GET "/api/reform/inspection-share?unit=P&year=$YEAR"
expect 200 "the share"
[ "$(field '[.num, .den, .percent] | map(tostring) | join(" ")')" = "1 2 50.00" ] || fail "share: $BODY_TEXT"
[ "$(field '[.units[] | .code + ":" + (.inspected|tostring) + ":" + ([.inspections[].status] | join("/"))] | join(" ")')" = \
  "P.A:true:closed P.B:false:cancelled/planned" ] || fail "drill-down: $BODY_TEXT"
req -u leader_a GET "/api/reform/inspection-share?unit=P"
expect 404 not_found "the province's share from a ward"
req -u leader_a GET "/api/reform/inspection-share?year=$YEAR"
expect 200 "the ward's own share (no units below it inspected)"
[ "$(field '[.num, .den] | map(tostring) | join(" ")')" = "0 1" ] || fail "P.A's share: $BODY_TEXT"
# the rows written over the API carry their province (migration 039): P, the root of the
# fixture's units; an insert that stopped binding it would leave '' (SQLite) or fail (PostgreSQL)
for t in inspections inspection_checklist inspection_findings inspection_remedies reform_plans reform_tasks reform_task_events; do
  got=$(testdb_sql "$DB" "SELECT count(*) || ':' || sum(CASE WHEN province = 'P' THEN 1 ELSE 0 END) FROM $t")
  [ "${got%%:*}" -gt 0 ] && [ "${got%%:*}" = "${got#*:}" ] || fail "$t: rows:with province P = $got"
done
echo "ok t-inspection"
