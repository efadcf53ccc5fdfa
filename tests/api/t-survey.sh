#!/usr/bin/env bash
# t-survey.sh — surveys over HTTP against the real server (issue 19): a round samples the
# returned dossiers of P.A and P.B; the one-time link opens the questionnaire without an
# account, a wrong value is refused with its question and changes nothing, the answer is
# recorded once (409 after) and anonymously (the invitation's dossier is dropped, no survey row
# names the dossier); officers see invitations and results of their scope only; the public
# results carry no per-question figures.
source "$(dirname "$0")/lib.sh" "$1"
setup_db
start_server
for u in desk_a leader_a desk_b leader_b; do login "$u"; done
make_returned() { # DESK LEADER UNIT
  req -u "$1" POST /api/dossiers "{\"unit\":\"$3\",\"procedure\":\"9.000002\",\"applicant_name\":\"Trần Thị Khảo\",\"applicant_phone\":\"0912345678\",\"at\":\"2025-09-08T08:00\"}"
  expect 201 "receive in $3"
  local code
  code=$(field .code)
  req -u "$1" POST "/api/dossiers/$code/advance" '{"at":"2025-09-08T08:10"}'; expect 200 "advance"
  req -u "$2" POST "/api/dossiers/$code/finish" '{"at":"2025-09-08T09:00"}'; expect 200 "finish"
  req -u "$1" POST "/api/dossiers/$code/return" '{"at":"2025-09-08T10:00"}'; expect 200 "return"
  echo "$code"
}
A1=$(make_returned desk_a leader_a P.A)
A2=$(make_returned desk_a leader_a P.A)
B1=$(make_returned desk_b leader_b P.B)
"$CCHC" survey round create SV --set sipas-2023.tsv --from 2025-01-01 --to 2025-12-31 --seed 5 \
  --db "$DB" --tokens "$T/tok.csv" >/dev/null || fail "round create"
TA=$(awk -F, -v d="$A1" '$3 == d {print $4}' "$T/tok.csv")
[ -n "$TA" ] || fail "no token for $A1: $(cat "$T/tok.csv")"

req GET "/api/survey-form/$TA"
expect 200 "open the questionnaire"
[ "$(field .answered)" = false ] || fail "answered: $BODY_TEXT"
[ "$(field '[.nodes[] | select(.code == "TC.1.1") | .options[].value] | join(",")')" = "1,2,3,4,5,0" ] || fail "options: $BODY_TEXT"
req GET /api/survey-form/aaaaaaaaaaaaaaaaaaaaaaaaaa
expect 404 not_found "an unknown token"
req POST "/api/survey-form/$TA" '{"answers":{"TC.1.1":"9","TC.2.1":"5"}}'
expect 400 invalid "a value outside the scale"
[ "$(field .error.field)" = TC.1.1 ] || fail "field of the refusal: $BODY_TEXT"
req POST "/api/survey-form/$TA" '{"answers":{}}'
expect 400 invalid "no answer"
[ "$(testdb_sql "$DB" "SELECT count(*) FROM survey_responses")" = 0 ] || fail "a refused answer left a response"
req POST "/api/survey-form/$TA" '{"answers":{"TC.1.1":"4","TC.2.1":"5","TT.2.1":"4","CC.2.1":"5","KQ.2.1":"4","GY.2.1":"0"}}'
expect 201 "answer"
req POST "/api/survey-form/$TA" '{"answers":{"TC.1.1":"4"}}'
expect 409 conflict "the same link again"
req GET "/api/survey-form/$TA"
expect 200 "open a used link"
[ "$(field .answered)" = true ] || fail "used link not marked: $BODY_TEXT"
# anonymity: nothing in the survey tables leads back to A1 or its applicant
[ "$(testdb_sql "$DB" "SELECT count(*) FROM survey_invitations WHERE dossier_code = '$A1'")" = 0 ] || fail "invitation keeps $A1"
[ "$(testdb_sql "$DB" "SELECT count(*) FROM survey_invitations WHERE answered = 1 AND dossier_code IS NOT NULL")" = 0 ] || fail "answered invitation keeps a dossier"
[ "$(testdb_sql "$DB" "SELECT count(*) FROM survey_responses r JOIN survey_invitations i ON i.unit_code = r.unit_code AND i.stratum = r.stratum AND i.dossier_code IS NOT NULL AND i.answered = 1")" = 0 ] || fail "a join leads back"
# the round, its sample and the response written through the API carry the province of the
# round's units, P (migration 041), bound by the store at every insert
for t in survey_rounds survey_strata survey_invitations survey_responses survey_answers; do
  got=$(testdb_sql "$DB" "SELECT count(*) || ':' || count(CASE WHEN province = 'P' THEN 1 END) FROM $t")
  case $got in 0:*) fail "no $t row" ;; "${got%%:*}:${got%%:*}") ;; *) fail "$t rows without P: $got" ;; esac
done

# officers: invitations and results of their scope
req -u leader_a GET /api/surveys/SV/invitations
expect 200 "P.A's invitations"
[ "$(field '[.invitations[].unit] | unique | join(",")')" = P.A ] || fail "scope of invitations: $BODY_TEXT"
[ "$(field '[.invitations[] | select(.answered) | .dossier] | join(",")')" = "" ] || fail "answered invitation shows its dossier: $BODY_TEXT"
echo "$BODY_TEXT" | grep -q "$A1" && fail "A1 listed after answering"
echo "$BODY_TEXT" | grep -q "$A2" || fail "A2 (not answered) missing: $BODY_TEXT"
req -u leader_a GET /api/surveys/SV/results
expect 200 "P.A's results"
[ "$(field '[.units[].unit] | join(",")')" = P.A ] || fail "results scope: $BODY_TEXT"
[ "$(field '.units[0].responses')" = 1 ] || fail "responses: $BODY_TEXT"
[ "$(field '.units[0].below_min')" = true ] || fail "below-minimum flag: $BODY_TEXT"
[ "$(field '.units[0].questions["TC.2.1"].value')" = 100 ] || fail "TC.2.1: $BODY_TEXT"
[ "$(field '.units[0].questions["KQ.1.1"].n')" = 0 ] || fail "KQ.1.1 n: $BODY_TEXT"
req -u leader_a GET "/api/surveys/SV/results?previous=SV"
expect 200 "results against a previous round"
[ "$(field '.units[0].change')" = 0 ] && [ "$(field '.units[0].previous')" = 100 ] || fail "change: $BODY_TEXT"
req -u leader_a GET "/api/surveys/SV/results?previous=NOPE"
expect 400 invalid "an unknown previous round"
[ "$(field .error.field)" = previous ] || fail "previous field: $BODY_TEXT"
req -u leader_b GET /api/surveys/SV/results
expect 200 "P.B's results"
[ "$(field '[.units[].unit] | join(",")')" = P.B ] || fail "P.B sees: $BODY_TEXT"
req -u leader_a GET /api/surveys/NOPE/results
expect 404 not_found "an unknown round"
req GET /api/public/surveys/SV
expect 200 "public results"
[ "$(field '[.units[].unit] | join(",")')" = "P.A,P.B" ] || fail "public units: $BODY_TEXT"
[ "$(field '.units[0].questions')" = null ] || fail "public per-question figures: $BODY_TEXT"
req -u leader_a GET /api/surveys
expect 200 "rounds"
[ "$(field '.rounds[0].responses')" = 1 ] || fail "rounds: $BODY_TEXT"
echo "ok t-survey"
