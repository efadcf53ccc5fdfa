#!/usr/bin/env bash
# t-survey-change.sh — survey results against last year (issue 19: "ranking with ties, change
# from last year"): a round is compared with the previous year's round of the same instrument
# (same kind of set; a later round of another instrument that year is not taken), each unit
# with its rank and index then, the index change and the places it moved; ?previous= compares
# with another round or none; the CSV export carries the same columns.
source "$(dirname "$0")/lib.sh" "$1"
setup_db
start_server
for u in desk_a leader_a desk_b leader_b; do login "$u"; done
make_returned() { # DESK LEADER UNIT YEAR
  req -u "$1" POST /api/dossiers "{\"unit\":\"$3\",\"procedure\":\"9.000002\",\"applicant_name\":\"Trần Thị Khảo\",\"at\":\"$4-09-08T08:00\"}"
  expect 201 "receive in $3"
  local code
  code=$(field .code)
  req -u "$1" POST "/api/dossiers/$code/advance" "{\"at\":\"$4-09-08T08:10\"}"; expect 200 "advance"
  req -u "$2" POST "/api/dossiers/$code/finish" "{\"at\":\"$4-09-08T09:00\"}"; expect 200 "finish"
  req -u "$1" POST "/api/dossiers/$code/return" "{\"at\":\"$4-09-08T10:00\"}"; expect 200 "return"
}
for y in 2025 2026; do make_returned desk_a leader_a P.A $y; make_returned desk_b leader_b P.B $y; done
Q=$(awk -F'\t' '$1 == "question" {print $2}' "$(dirname "$0")/../../data/surveys/sipas-2023.tsv")
all() { for q in $Q; do printf '%s=%s ' "$q" "$1"; done; }
round() { # CODE YEAR SCORE_A SCORE_B
  "$CCHC" survey round create "$1" --set sipas-2023.tsv --from "$2-01-01" --to "$2-12-31" --seed 1 \
    --db "$DB" --tokens "$T/$1.csv" >/dev/null || fail "round $1"
  local ta tb
  ta=$(awk -F, '$1 == "P.A" {print $4}' "$T/$1.csv"); tb=$(awk -F, '$1 == "P.B" {print $4}' "$T/$1.csv")
  # shellcheck disable=SC2046
  "$CCHC" survey answer "$ta" $(all "$3") --db "$DB" >/dev/null || fail "answer $1 P.A"
  # shellcheck disable=SC2046
  "$CCHC" survey answer "$tb" $(all "$4") --db "$DB" >/dev/null || fail "answer $1 P.B"
}
round S25 2025 5 1 # P.A first, P.B second
round S26 2026 2 4 # P.B first, P.A second
# a later 2025 round of another instrument (DDCI) must not be taken as S26's last year
"$CCHC" survey round create D25 --set ddci-example-2024.tsv --from 2025-01-01 --to 2025-12-31 --seed 1 \
  --db "$DB" >/dev/null || fail "round D25"
unit() { jq -r --arg u "$1" ".units[] | select(.unit == \$u) | $2" "$T/body"; }

req GET /api/public/surveys/S26
expect 200 "public results"
[ "$(field .previous_round)" = S25 ] || fail "compared with: $(field .previous_round)"
[ "$(unit P.B .rank)/$(unit P.B .previous_rank)/$(unit P.B .rank_change)" = "1/2/1" ] || fail "P.B moved up one place: $BODY_TEXT"
[ "$(unit P.A .rank)/$(unit P.A .previous_rank)/$(unit P.A .rank_change)" = "2/1/-1" ] || fail "P.A moved down: $BODY_TEXT"
awk -v c="$(unit P.A .change)" -v i="$(unit P.A .index)" -v p="$(unit P.A .previous)" \
  'BEGIN { d = i - p; exit !(c < 0 && (c - d) < 0.006 && (d - c) < 0.006) }' || fail "P.A's index change: $BODY_TEXT"
req -u leader_a GET /api/surveys/S26/results
expect 200 "staff results"
[ "$(field .previous_round)/$(unit P.A .rank_change)" = "S25/-1" ] || fail "staff view: $BODY_TEXT"
req GET "/api/public/surveys/S26?previous="
[ "$(field .previous_round)/$(unit P.A .rank_change)/$(unit P.A .previous_rank)" = "null/null/null" ] || fail "no comparison: $BODY_TEXT"
req GET "/api/public/surveys/S26?previous=NOPE"
expect 400 invalid "an unknown round to compare with"
req GET /api/public/surveys/S25
[ "$(field .previous_round)" = null ] || fail "S25 has no last year: $BODY_TEXT"
curl -s "$BASE/api/public/surveys/S26/export?format=csv" >"$T/s26.csv"
head -5 "$T/s26.csv" | grep -qF '"previous_rank","rank_change","previous_index","change"' || fail "export columns: $(head -5 "$T/s26.csv")"
grep -qF '"2","P.A","Phường An Bình","1","có","0.0000","0.0000","0.0000","1","-1","100.0000","-100.0000"' "$T/s26.csv" || fail "export: P.A's previous rank and change: $(cat "$T/s26.csv")"
curl -s -o "$T/s26.xlsx" -w '%{http_code}' "$BASE/api/public/surveys/S26/export?format=xlsx" | grep -q 200 || fail "xlsx"
curl -s -o "$T/s26.pdf" -w '%{http_code}' "$BASE/api/public/surveys/S26/export?format=pdf" | grep -q 200 || fail "pdf"
echo "ok t-survey-change"
