#!/usr/bin/env bash
# t-par.sh — the PAR index over HTTP against the real server, on a round of set T1 assessing
# ward P.A and commune P.B: a unit officer self-assesses their own unit only, the appraisal
# council re-scores in the appraisal phase only, results show only the caller's units before
# publication (all of them to assessors and admins), only an admin whose scope covers every
# unit publishes, and a published round answers every write with 409 and changes nothing.
source "$(dirname "$0")/lib.sh" "$1"
SET=$DATA/../par/t1-set.csv
setup_db
"$CCHC" par import-set "$SET" --db "$DB" >/dev/null
"$CCHC" par round create R25 --year 2025 --set T1 --units P.A,P.B --db "$DB" >/dev/null
start_server
for u in desk_a specialist_a leader_a par_assessor_a admin_a admin_p leader_b; do login "$u"; done
R=/api/par/rounds/R25

req -u desk_a GET /api/par/rounds
expect 200 "list rounds"
[ "$(field '.rounds[0].code + " " + .rounds[0].phase + " " + (.rounds[0].units|tostring)')" = "R25 self 2" ] ||
  fail "round list: $BODY_TEXT"

# --- self-assessment: own unit only, within the node's maximum ----------------------------------
req -u leader_a POST "$R/units/P.A/self" '{"node":"1.1","points":"3,5","comment":"Có kế hoạch"}'
expect 200 "self-assess own unit"
[ "$(field '.self + "|" + .self_comment')" = "3.50|Có kế hoạch" ] || fail "self cell: $BODY_TEXT"
req -u specialist_a POST "$R/units/P.A/self" '{"node":"2.2","points":"10"}'
expect 200 "a specialist self-assesses too"
req -u leader_a POST "$R/units/P.B/self" '{"node":"1.1","points":"1"}'
expect 404 not_found "self-assess another unit"
req -u leader_a POST "$R/units/P.A/self" '{"node":"1.1","points":"4.5"}'
expect 400 invalid "over the node's max"
echo "$BODY_TEXT" | grep -qF "self points 4.5 exceed the node's max 4" || fail "over-max message: $BODY_TEXT"
req -u leader_a POST "$R/units/P.A/self" '{"node":"1.1","points":3.5}'
expect 400 wrong_type "points as a JSON number"
req -u leader_a POST "$R/units/P.A/self" '{"node":"1.2","points":"1"}'
expect 400 invalid "an inner node"
req -u leader_a POST "/api/par/rounds/NOPE/units/P.A/self" '{"node":"1.1","points":"1"}'
expect 404 not_found "unknown round"
req -u leader_a POST "$R/units/P.A/appraisal" '{"node":"1.1","points":"1"}'
expect 403 forbidden "a unit officer cannot appraise"
req -u par_assessor_a POST "$R/units/P.A/appraisal" '{"node":"1.1","points":"3"}'
expect 409 conflict "appraisal during self-assessment"

# --- appraisal ------------------------------------------------------------------------------------
"$CCHC" par round close-phase R25 --phase self --db "$DB" --actor hoi.dong >/dev/null
req -u leader_a POST "$R/units/P.A/self" '{"node":"1.1","points":"4"}'
expect 409 conflict "self-assessment after its phase closed"
req -u par_assessor_a POST "$R/units/P.A/appraisal" '{"node":"1.1","points":"3"}'
expect 200 "appraise"
req -u par_assessor_a POST "$R/units/P.A/appraisal" '{"node":"1.1","points":"2.75","comment":"Kế hoạch ban hành muộn"}'
expect 200 "re-appraise"
[ "$(field '.self + "|" + .appraised + "|" + .appraisal_comment')" = "3.50|2.75|Kế hoạch ban hành muộn" ] ||
  fail "appraised cell: $BODY_TEXT"
req -u par_assessor_a POST "$R/units/P.B/appraisal" '{"node":"1.1","points":"3"}'
expect 404 not_found "appraise outside the assessor's scope"
"$CCHC" par history --round R25 --unit P.A --node 1.1 --db "$DB" | cut -f3- >"$T/hist"
printf 'kind\told\tnew\tactor\tcomment\nself\t—\t3.50\tleader_a\tCó kế hoạch\nappraised\t—\t3.00\tpar_assessor_a\t\nappraised\t3.00\t2.75\tpar_assessor_a\tKế hoạch ban hành muộn\n' >"$T/hist.want"
diff "$T/hist.want" "$T/hist" >/dev/null || fail "history: $(cat "$T/hist")"

# --- results: scope before publication ----------------------------------------------------------
# P.A: 1.1 appraised 2.75 + 2.2 self 10 = 12.75 of 50 (25.5 %); P.B: nothing, 0 — ranks 1, 2.
req -u leader_a GET "$R/results"
expect 200 "results for a unit officer"
[ "$(field '[.scope_only, (.results.units|length), .results.units[0].unit, .results.units[0].total] | map(tostring) | join(" ")')" = "true 1 P.A 12.75" ] ||
  fail "scoped results: $BODY_TEXT"
req -u par_assessor_a GET "$R/results"
expect 200 "results for the council"
[ "$(field '[.scope_only, (.results.units|length), .results.units[1].unit, .results.units[1].rank, .results.units[1].missing] | map(tostring) | join(" ")')" = "false 2 P.B 2 6" ] ||
  fail "full results: $BODY_TEXT"
req -u leader_a GET "$R/results?previous=NOPE"
expect 404 not_found "unknown previous round"
req -u leader_a GET "$R/results?x=1"
expect 400 "unknown query argument"

# --- publication ----------------------------------------------------------------------------------
req -u admin_a POST "$R/publish" '{}'
expect 403 forbidden "an admin of one unit of the round"
req -u admin_p POST "$R/publish" '{}'
expect 409 conflict "publish during appraisal"
"$CCHC" par round close-phase R25 --db "$DB" >/dev/null
req -u admin_p POST "$R/publish"
expect 200 "publish"
[ "$(field '.phase + " " + .closed.survey.by')" = "published admin_p" ] || fail "published round: $BODY_TEXT"
req -u admin_p POST "$R/publish" '{}'
expect 409 conflict "publish twice"
req -u leader_a POST "$R/units/P.A/self" '{"node":"1.2.1","points":"1"}'
expect 409 conflict "self-assess a published round"
echo "$BODY_TEXT" | grep -qF "round 'R25' is published: its scores are frozen" || fail "frozen message: $BODY_TEXT"
req -u par_assessor_a POST "$R/units/P.A/appraisal" '{"node":"1.1","points":"4"}'
expect 409 conflict "appraise a published round"
req -u leader_b GET "$R/results"
expect 200 "published results are whole for every officer"
[ "$(field '[.scope_only, (.results.units|length), .results.units[0].total] | map(tostring) | join(" ")')" = "false 2 12.75" ] ||
  fail "published results: $BODY_TEXT"
echo "ok t-par"
