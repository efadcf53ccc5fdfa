#!/usr/bin/env bash
# t-action.sh — the action tracker and the leaders' page over HTTP (issue 15): a leader makes a
# task from a weak figure — a PAR criterion of ward P.A in a round, a Decision 766 indicator
# group of commune P.B, the late dossiers of P.B — and it goes into the leader's unit's plan
# (created on the set in force when missing), owned by the figure's unit, in the figure's area
# (the criterion's area; the administrative-procedure area for the others), linked to the figure;
# the figure's page lists the links with the task's progress; bad input (an unknown kind, a
# criterion not in the round, a group that is not one, a figure outside the scope, a desk
# officer) is refused naming the field and adds no task; GET /api/agenda gives the overdue
# tasks, the open remedies of inspections, the overdue feedback and the late dossiers of the
# caller's subtree, and nothing of another commune's.
source "$(dirname "$0")/lib.sh" "$1"
setup_db
PAR="${CCHC_DATA:-$DATA/../../../data}/par"
"$CCHC" par import-set "$PAR/moha-876-province-2022.csv" --db "$DB" >/dev/null
"$CCHC" par import-set "$PAR/commune-ht-3396-2021.csv" --db "$DB" >/dev/null
TODAY=$(TZ=Asia/Ho_Chi_Minh date +%F)
YEAR=${TODAY:0:4}
d() { date -d "$TODAY $1 days" +%F; }
"$CCHC" par round create RX --year "$YEAR" --set HT-XA-2021 --units P.A,P.B --db "$DB" >/dev/null
# two dossiers of P.B received three weeks ago on the one-day procedure: late now; one of P.A
recv() {
  "$CCHC" dossier receive --unit "$1" --procedure 9.000002 --name "Lê Văn Tư" --at "$(d -21)T09:00" \
    --actor desk_a --db "$DB" | awk -F'\t' '/^Mã hồ sơ:/ {print $2}'
}
LB1=$(recv P.B) && LB2=$(recv P.B) && LA1=$(recv P.A) || fail "setup: receive"
start_server
for u in admin_p leader_a leader_b desk_a specialist_a; do login "$u"; done
ntasks() { req -u admin_p GET "/api/reform/tasks?unit=P&year=$YEAR" && field '.tasks | length'; }

# --- refusals first: nothing is added -----------------------------------------------------------
ACCEPT_LANGUAGE=vi req -u admin_p POST /api/reform/actions "{\"kind\":\"weak\",\"unit\":\"P.B\",\"title\":\"X\",\"due\":\"$(d 30)\"}"
expect 400 invalid "an unknown kind"
[ "$(field .error.field)" = kind ] || fail "kind field: $BODY_TEXT"
req -u admin_p POST /api/reform/actions "{\"kind\":\"par\",\"unit\":\"P.A\",\"round\":\"RX\",\"ref\":\"9.9.9\",\"title\":\"X\",\"due\":\"$(d 30)\"}"
expect 404 not_found "a criterion not in the round"
[ "$(field .error.field)" = ref ] || fail "criterion field: $BODY_TEXT"
req -u admin_p POST /api/reform/actions "{\"kind\":\"par\",\"unit\":\"P.A\",\"round\":\"NO\",\"ref\":\"1.3\",\"title\":\"X\",\"due\":\"$(d 30)\"}"
expect 404 not_found "an unknown round"
req -u admin_p POST /api/reform/actions "{\"kind\":\"par\",\"unit\":\"P.A\",\"ref\":\"1.3\",\"title\":\"X\",\"due\":\"$(d 30)\"}"
expect 400 invalid "a PAR figure without its round"
[ "$(field .error.field)" = round ] || fail "round field: $BODY_TEXT"
req -u admin_p POST /api/reform/actions "{\"kind\":\"indicator\",\"unit\":\"P.B\",\"ref\":\"group_x\",\"title\":\"X\",\"due\":\"$(d 30)\"}"
expect 400 invalid "an indicator group that is not one"
[ "$(field .error.field)" = ref ] || fail "group field: $BODY_TEXT"
req -u admin_p POST /api/reform/actions "{\"kind\":\"late\",\"unit\":\"P.B\",\"title\":\"X\",\"due\":\"$(d -60)\",\"start\":\"$TODAY\"}"
expect 400 invalid "due before start"
req -u leader_a POST /api/reform/actions "{\"kind\":\"late\",\"unit\":\"P.B\",\"title\":\"X\",\"due\":\"$(d 30)\"}"
expect 404 not_found "a figure of another commune"
req -u desk_a POST /api/reform/actions "{\"kind\":\"late\",\"unit\":\"P.A\",\"title\":\"X\",\"due\":\"$(d 30)\"}"
expect 403 forbidden "a desk officer"
req -u admin_p POST /api/reform/plans "{\"unit\":\"P\",\"year\":$YEAR}" # the province's plan must not exist yet
expect 201 "plan" && PLAN=$(field .id)
[ "$(ntasks)" = 0 ] || fail "a refused request added a task"
req -u admin_p GET "/api/reform/actions?unit=P"
[ "$(field '.links | length')" = 0 ] || fail "a refused request added a link: $BODY_TEXT"

# --- a task from each figure ------------------------------------------------------------------
req -u admin_p POST /api/reform/actions "{\"kind\":\"par\",\"unit\":\"P.A\",\"round\":\"RX\",\"ref\":\"1.3\",\"value\":\"0/1\",\"title\":\"Xây dựng kế hoạch kiểm tra CCHC\",\"due\":\"$(d 20)\",\"lead\":\"Trần Văn Bình\"}"
expect 201 "a task from a PAR criterion"
T1=$(field .task.id)
[ "$(field '[.kind, .unit, .round, .ref, .value, .plan_unit, .task.area, .task.owner, .task.status] | join(" ")')" = "par P.A RX 1.3 0/1 P 1 P.A planned" ] ||
  fail "PAR action: $BODY_TEXT"
[ "$(field .task.plan)" = "$PLAN" ] || fail "the task is in the province's plan: $BODY_TEXT"
req -u admin_p POST /api/reform/actions "{\"kind\":\"indicator\",\"unit\":\"P.B\",\"ref\":\"group_2\",\"value\":\"12,5/20\",\"title\":\"Rút ngắn thời gian giải quyết hồ sơ\",\"due\":\"$(d 40)\"}"
expect 201 "a task from an indicator group"
T2=$(field .task.id)
[ "$(field .task.area)" = 3 ] || fail "an indicator's task goes to the TTHC area (3): $BODY_TEXT"
req -u admin_p POST /api/reform/actions "{\"kind\":\"late\",\"unit\":\"P.B\",\"title\":\"Xử lý dứt điểm hồ sơ trễ hạn\",\"due\":\"$(d -2)\",\"start\":\"$(d -10)\",\"area\":\"1\"}"
expect 201 "a task from late dossiers, its area named, already overdue"
T3=$(field .task.id)
[ "$(field '.task.area + " " + .task.due_class')" = "1 overdue" ] || fail "late action: $BODY_TEXT"
req -u admin_p POST /api/reform/actions "{\"kind\":\"late\",\"unit\":\"P.B\",\"title\":\"X\",\"due\":\"$(d 30)\",\"area\":\"3.TD\"}"
expect 400 invalid "an area the plan does not have"
[ "$(field .error.field)" = area ] || fail "area field: $BODY_TEXT"
# a ward leader: the task goes into the ward's own plan, created on the commune set in force
req -u leader_a POST /api/reform/actions "{\"kind\":\"late\",\"unit\":\"P.A\",\"title\":\"Rà soát hồ sơ trễ hạn của phường\",\"due\":\"$(d 15)\"}"
expect 201 "a ward leader's task"
T4=$(field .task.id)
[ "$(field '.plan_unit + " " + .task.area')" = "P.A 3" ] || fail "ward plan: $BODY_TEXT"
req -u leader_a GET "/api/reform/plans?unit=P.A&year=$YEAR"
[ "$(field '.plans[0].set')" = HT-XA-2021 ] || fail "the ward's plan on the commune set: $BODY_TEXT"

# --- the figures show their tasks, and progress follows -----------------------------------------
req -u leader_b POST "/api/reform/tasks/$T2/report" '{"progress":40}'
expect 200 "the commune reports progress on its task"
req -u admin_p GET "/api/reform/actions?unit=P&kind=indicator"
[ "$(field '[.links[] | "\(.unit):\(.ref):\(.task.id):\(.task.progress):\(.task.status)"] | join(" ")')" = "P.B:group_2:$T2:40:in_progress" ] ||
  fail "indicator links: $BODY_TEXT"
req -u admin_p GET "/api/reform/actions?unit=P&round=RX"
[ "$(field '[.links[].task.id] | join(" ")')" = "$T1" ] || fail "round links: $BODY_TEXT"
req -u leader_b GET "/api/reform/actions"
[ "$(field '[.links[].task.id] | map(tostring) | join(" ")')" = "$T2 $T3" ] || fail "P.B sees its figures only: $BODY_TEXT"
req -u leader_a GET "/api/reform/actions?unit=P.B"
expect 404 not_found "another commune's figures"
req -u leader_b GET "/api/reform/actions?task=$T3"
[ "$(field '[.links[] | "\(.kind):\(.unit):\(.task.id)"] | join(" ")')" = "late:P.B:$T3" ] || fail "one task's figure: $BODY_TEXT"
req -u admin_p GET "/api/reform/actions?kind=x"
expect 400 invalid "kind filter"
req -u admin_p POST "/api/reform/tasks/$T1/complete" '{}'
req -u admin_p GET "/api/reform/actions?unit=P&open=1"
[ "$(field '[.links[].task.id] | map(tostring) | join(" ")')" = "$T4 $T2 $T3" ] || fail "open links: $BODY_TEXT"

# --- the leaders' page ----------------------------------------------------------------------------
req -u admin_p GET "/api/agenda"
expect 200 "the province's agenda"
[ "$(field '.tasks.count')" = 1 ] && [ "$(field '.tasks.items[0].id')" = "$T3" ] || fail "overdue tasks: $BODY_TEXT"
[ "$(field '.dossiers.count')" = 3 ] || fail "three late dossiers: $BODY_TEXT"
[ "$(field '[.dossiers.units[] | "\(.unit):\(.count)"] | join(" ")')" = "P.B:2 P.A:1" ] || fail "late by unit: $BODY_TEXT"
[ "$(field '[.dossiers.items[].code] | sort | join(" ")')" = "$(printf '%s\n' "$LB1" "$LB2" "$LA1" | sort | paste -sd' ')" ] ||
  fail "late dossier codes: $BODY_TEXT"
[ "$(field '.remedies.count + .feedback.count')" = 0 ] || fail "no remedy, no feedback yet: $BODY_TEXT"
req -u leader_a GET "/api/agenda"
[ "$(field '.dossiers.count') $(field '.tasks.count')" = "1 0" ] || fail "the ward's agenda: $BODY_TEXT"
req -u leader_a GET "/api/agenda?unit=P.B"
expect 404 not_found "another commune's agenda"

# an inspection of P.B with a shortcoming whose remedy is open: on the province's and P.B's page
"$CCHC" reform plan create --unit P.B --year "$YEAR" --db "$DB" >/dev/null
I=$("$CCHC" reform inspection create --inspector P --unit P.B --year "$YEAR" --team "Đoàn kiểm tra tỉnh" \
  --from "$(d -5)" --to "$(d -4)" --item "Niêm yết TTHC" --db "$DB" | cut -f1)
[ -n "$I" ] || fail "setup: inspection"
"$CCHC" reform inspection start "$I" --db "$DB" >/dev/null || fail "setup: start"
F=$("$CCHC" reform inspection finding "$I" --kind shortcoming --text "Chưa niêm yết đủ TTHC" --db "$DB")
"$CCHC" reform inspection remedy --finding "$F" --title "Niêm yết đủ TTHC" --area 3 --owner P.B --start "$(d -4)" --due "$(d 10)" --db "$DB" >/dev/null ||
  fail "setup: remedy"
req -u leader_b GET "/api/agenda"
[ "$(field '.remedies.count')" = 1 ] && [ "$(field '.remedies.items[0].finding')" = "Chưa niêm yết đủ TTHC" ] ||
  fail "P.B's open remedy: $BODY_TEXT"
req -u leader_a GET "/api/agenda"
[ "$(field '.remedies.count')" = 0 ] || fail "P.A sees P.B's remedy: $BODY_TEXT"
# the rows written over the API carry their province (migration 039): P, the root of the
# fixture's units; an insert that stopped binding it would leave '' (SQLite) or fail (PostgreSQL)
for t in reform_task_links reform_tasks; do
  got=$(testdb_sql "$DB" "SELECT count(*) || ':' || sum(CASE WHEN province = 'P' THEN 1 ELSE 0 END) FROM $t")
  [ "${got%%:*}" -gt 0 ] && [ "${got%%:*}" = "${got#*:}" ] || fail "$t: rows:with province P = $got"
done
echo "ok t-action"
