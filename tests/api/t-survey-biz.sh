#!/usr/bin/env bash
# t-survey-biz.sh — DDCI's businesses over HTTP (issue 19, docs/surveys.md): a leader draws a
# unit's businesses for a business round from its business-registration dossiers (one
# invitation per business: two dossiers of one applicant count once) or from an uploaded CSV
# list; a list with problems is refused with every FILE:LINE: column: rule and a Vietnamese
# message, and nothing is written; a unit is sampled once; scope, roles and a citizen round
# are enforced; the links answer the DDCI questionnaire.
source "$(dirname "$0")/lib.sh" "$1"
setup_db
# the test procedure 9.000002 stands for a household-business registration here
testdb_sql "$DB" "UPDATE procedures SET field = 'Thành lập và hoạt động của hộ kinh doanh' WHERE code = '9.000002'" >/dev/null
start_server --public-url https://dvc.example
for u in desk_a leader_a desk_b leader_b; do login "$u"; done
make_returned() { # DESK LEADER UNIT IDNO
  req -u "$1" POST /api/dossiers "{\"unit\":\"$3\",\"procedure\":\"9.000002\",\"applicant_name\":\"Hộ kinh doanh Thử\",\"applicant_idno\":\"$4\",\"at\":\"2025-09-08T08:00\"}"
  expect 201 "receive in $3"
  local code
  code=$(field .code)
  req -u "$1" POST "/api/dossiers/$code/advance" '{"at":"2025-09-08T08:10"}'; expect 200 "advance"
  req -u "$2" POST "/api/dossiers/$code/finish" '{"at":"2025-09-08T09:00"}'; expect 200 "finish"
  req -u "$1" POST "/api/dossiers/$code/return" '{"at":"2025-09-08T10:00"}'; expect 200 "return"
  echo "$code"
}
A1=$(make_returned desk_a leader_a P.A 079123456781)
A2=$(make_returned desk_a leader_a P.A 079123456781) # the same business again
A3=$(make_returned desk_a leader_a P.A 079123456782)
B1=$(make_returned desk_b leader_b P.B 079123456783)
"$CCHC" survey round create DD --set ddci-example-2024.tsv --from 2025-01-01 --to 2025-12-31 --seed 3 \
  --unit P.B --db "$DB" >/dev/null || fail "round create"
"$CCHC" survey round create SS --set sipas-2023.tsv --from 2025-01-01 --to 2025-12-31 --seed 3 \
  --unit P.B --db "$DB" >/dev/null || fail "citizen round create"
n_inv() { testdb_sql "$DB" "SELECT count(*) FROM survey_invitations"; }

# --- from dossiers --------------------------------------------------------------------------------
req -u desk_a POST /api/surveys/DD/businesses '{"unit":"P.A","source":"dossiers"}'
expect 403 forbidden "a desk officer draws businesses"
req -u leader_a POST /api/surveys/DD/businesses '{"unit":"P.B","source":"dossiers"}'
expect 404 not_found "another unit's businesses"
req -u leader_a POST /api/surveys/DD/businesses '{"unit":"P.A","source":"nowhere"}'
expect 400 invalid "a bad source"
req -u leader_a POST /api/surveys/SS/businesses '{"unit":"P.A","source":"dossiers"}'
expect 409 conflict "businesses in a citizen round"
req -u leader_a POST /api/surveys/NOPE/businesses '{"unit":"P.A","source":"dossiers"}'
expect 404 not_found "an unknown round"
req -u leader_a POST /api/surveys/DD/businesses '{"unit":"P.A","source":"dossiers"}'
expect 201 "draw P.A's businesses"
[ "$(field .invited)" = 2 ] || fail "two businesses of three dossiers: $BODY_TEXT"
[ "$(field '[.invitations[].who] | sort | join(" ")')" = "$(printf '%s\n' "$A1" "$A3" | sort | tr '\n' ' ' | sed 's/ $//')" ] || fail "the business's first dossier: $BODY_TEXT"
field '.invitations[0].link' | grep -q '^https://dvc.example/#/khao-sat/[a-z2-7]\{26\}$' || fail "link: $BODY_TEXT"
TOK=$(field '.invitations[0].token')
req -u leader_a POST /api/surveys/DD/businesses '{"unit":"P.A","source":"dossiers"}'
expect 409 conflict "P.A sampled twice"
ACCEPT_LANGUAGE=vi req -u leader_a POST /api/surveys/DD/businesses '{"unit":"P.A","source":"dossiers"}'
[ "$(field .error.message)" = "Đơn vị P.A đã có mẫu trong đợt DD." ] || fail "Vietnamese conflict: $BODY_TEXT"
req GET "/api/survey-form/$TOK"
expect 200 "the business's questionnaire"

# --- an uploaded list ----------------------------------------------------------------------------
before=$(n_inv)
bad=$(jq -n --arg c $'tax_code,name,sector\n0101234567,Công ty A,Sản xuất\n0101,Công ty B,\n0101234567,Công ty C,Dịch vụ\n' '{unit: "P.A.MC", source: "list", file: "ds.csv", csv: $c}')
ACCEPT_LANGUAGE=vi req -u leader_a POST /api/surveys/DD/businesses "$bad"
expect 400 invalid "a bad list"
[ "$(field .error.field)" = csv ] || fail "field: $BODY_TEXT"
[ "$(field .error.message)" = "Danh sách doanh nghiệp có lỗi, không doanh nghiệp nào được thêm; xem từng dòng." ] || fail "Vietnamese: $BODY_TEXT"
[ "$(field '.problems | length')" = 3 ] || fail "three problems: $BODY_TEXT"
field '.problems[]' | grep -qF "ds.csv:3: tax_code: '0101': 10 digits" || fail "tax code problem: $BODY_TEXT"
field '.problems[]' | grep -qF "ds.csv:3: sector: '': is required" || fail "sector problem: $BODY_TEXT"
field '.problems[]' | grep -qF "ds.csv:4: tax_code: '0101234567': already on line 2" || fail "duplicate: $BODY_TEXT"
[ "$(n_inv)" = "$before" ] || fail "a refused list wrote invitations"
req -u leader_a POST /api/surveys/DD/businesses '{"unit":"P.A.MC","source":"list"}'
expect 400 invalid "a list without its CSV"
csv=$'tax_code,name,contact,sector\n'
for i in $(seq 10 49); do csv+="01000000$i,Công ty $i,,$([ $((i % 2)) = 0 ] && echo 'Sản xuất' || echo 'Dịch vụ')"$'\n'; done
good=$(jq -n --arg c "$csv" '{unit: "P.A.MC", source: "list", file: "ds.csv", csv: $c}')
req -u leader_a POST /api/surveys/DD/businesses "$good"
expect 201 "import a list"
want=$("$CCHC" survey size --population 40)
[ "$(field .invited)" = "$want" ] || fail "sample of 40: $BODY_TEXT"
field '.invitations[0].who' | grep -q '^01000000[1-4][0-9]$' || fail "who is the tax code: $BODY_TEXT"
[ "$(testdb_sql "$DB" "SELECT count(DISTINCT stratum) FROM survey_strata WHERE round = 'DD' AND unit_code = 'P.A.MC'")" = 2 ] || fail "strata by sector"
req -u leader_b POST /api/surveys/DD/businesses "$good"
expect 404 not_found "P.B's leader imports for P.A.MC"
# the imported list's strata and invitations carry their round's province, P (migration 041)
for t in survey_strata survey_invitations; do
  got=$(testdb_sql "$DB" "SELECT count(*) || ':' || count(CASE WHEN province = 'P' THEN 1 END) FROM $t WHERE round = 'DD' AND unit_code = 'P.A.MC'")
  case $got in 0:*) fail "no $t row of P.A.MC" ;; "${got%%:*}:${got%%:*}") ;; *) fail "$t rows without P: $got" ;; esac
done
echo "ok t-survey-biz"
