#!/usr/bin/env bash
# CLI tests of DDCI's businesses (`cchc survey businesses`, issue 19): a round of a business set
# samples each unit's business-registration dossiers only, one invitation per business (two
# dossiers of one applicant count once), reproducibly from the seed; an imported list
# (tax_code,name,contact,sector) is sampled by sector; a bad list is refused with every
# problem as FILE:LINE: column: rule and nothing written; a unit sampled twice, a citizen round
# and an unknown unit are refused; an answer drops the business's tax code, name and contact.
set -u
CCHC=${1:?usage: t-survey-biz.sh PATH_TO_cchc}
DATA=${CCHC_DATA:-$(cd "$(dirname "$0")/../../data" && pwd)}
fails=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/../lib/testdb.sh"
db=$(testdb "$tmp/t.db")
fail() { echo "FAIL $*"; fails=$((fails+1)); }
s() { "$CCHC" survey "$@" --db "$db" --data "$DATA"; }
sql() { testdb_sql "$db" "$1"; }
BIZ="('Thành lập và hoạt động doanh nghiệp', 'Thành lập và hoạt động của hộ kinh doanh')"

"$CCHC" init --db "$db" >/dev/null
"$CCHC" seed --dossiers 800 --year 2025 --db "$db" --data "$DATA" >/dev/null || fail "seed"
U1=$(sql "SELECT d.unit_code FROM dossiers d JOIN procedures p ON p.code = d.procedure_code WHERE d.status = 'returned' AND p.field IN $BIZ GROUP BY d.unit_code ORDER BY count(*) DESC, d.unit_code LIMIT 1")
[ -n "$U1" ] || fail "no unit with business dossiers"
# two of U1's business dossiers belong to one business (same applicant ID number)
read -r A B <<<"$(sql "SELECT d.code FROM dossiers d JOIN procedures p ON p.code = d.procedure_code WHERE d.unit_code = '$U1' AND d.status = 'returned' AND p.field IN $BIZ ORDER BY d.code LIMIT 2" | tr '\n' ' ')"
sql "UPDATE dossiers SET applicant_idno = (SELECT applicant_idno FROM dossiers WHERE code = '$A') WHERE code = '$B'" >/dev/null
NB=$(sql "SELECT count(DISTINCT d.applicant_idno) FROM dossiers d JOIN procedures p ON p.code = d.procedure_code WHERE d.unit_code = '$U1' AND d.status = 'returned' AND p.field IN $BIZ")
ND=$(sql "SELECT count(*) FROM dossiers d JOIN procedures p ON p.code = d.procedure_code WHERE d.unit_code = '$U1' AND d.status = 'returned' AND p.field IN $BIZ")
[ "$NB" -lt "$ND" ] || fail "setup: $NB businesses of $ND dossiers"

# --- from dossiers, at round creation ------------------------------------------------------------
s round create D1 --set ddci-example-2024.tsv --from 2025-01-01 --to 2025-12-31 --seed 5 --unit "$U1" --tokens "$tmp/d1.csv" --base http://x/ >/dev/null || fail "round D1"
s round create D2 --set ddci-example-2024.tsv --from 2025-01-01 --to 2025-12-31 --seed 5 --unit "$U1" >/dev/null || fail "round D2"
[ "$(sql "SELECT sum(population) FROM survey_strata WHERE round = 'D1'")" = "$NB" ] || fail "population counts businesses: $(sql "SELECT sum(population) FROM survey_strata WHERE round = 'D1'") want $NB"
want=$("$CCHC" survey size --population "$NB")
[ "$(sql "SELECT count(*) FROM survey_invitations WHERE round = 'D1'")" = "$want" ] || fail "sample size, want $want"
[ "$(sql "SELECT count(*) FROM survey_invitations WHERE round = 'D1' AND dossier_code = '$B'")" = 0 ] || fail "the business's second dossier was invited"
[ "$(sql "SELECT count(*) FROM survey_invitations i JOIN dossiers d ON d.code = i.dossier_code JOIN procedures p ON p.code = d.procedure_code WHERE i.round = 'D1' AND p.field NOT IN $BIZ")" = 0 ] || fail "a non-business dossier sampled"
[ "$(sql "SELECT count(*) FROM survey_invitations WHERE round = 'D1' AND business IS NULL")" = 0 ] || fail "invitation without business"
d1=$(sql "SELECT dossier_code FROM survey_invitations WHERE round = 'D1' ORDER BY dossier_code" | tr '\n' ' ')
d2=$(sql "SELECT dossier_code FROM survey_invitations WHERE round = 'D2' ORDER BY dossier_code" | tr '\n' ' ')
[ "$d1" = "$d2" ] || fail "same seed, different businesses"

# --- a unit of an existing round, from its dossiers ----------------------------------------------
U2=$(sql "SELECT d.unit_code FROM dossiers d JOIN procedures p ON p.code = d.procedure_code WHERE d.status = 'returned' AND p.field IN $BIZ AND d.unit_code <> '$U1' GROUP BY d.unit_code ORDER BY count(*) DESC, d.unit_code LIMIT 1")
s businesses --round D1 --unit "$U2" --tokens "$tmp/u2.csv" | grep -qF "Đã mời" || fail "businesses from dossiers"
head -1 "$tmp/u2.csv" | grep -qF "unit,stratum,dossier,token,link" || fail "tokens header: $(head -1 "$tmp/u2.csv")"
s businesses --round D1 --unit "$U2" >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -qF "'$U2' has a sample in round 'D1' already" "$tmp/err" || fail "twice: rc=$rc $(cat "$tmp/err")"
s businesses --round D1 --unit NOPE >/dev/null 2>"$tmp/err" && fail "unknown unit accepted"
grep -qF "'NOPE': no such unit" "$tmp/err" || fail "unknown unit: $(cat "$tmp/err")"
s round create S1 --set sipas-2023.tsv --from 2025-01-01 --to 2025-12-31 --seed 5 --unit "$U1" >/dev/null || fail "round S1"
s businesses --round S1 --unit "$U2" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -qF "round 'S1' surveys citizens" "$tmp/err" || fail "citizen round: rc=$rc $(cat "$tmp/err")"

# --- an imported list ------------------------------------------------------------------------------
U3=$(sql "SELECT code FROM units WHERE code NOT IN ('$U1', '$U2') ORDER BY code LIMIT 1")
before=$(sql "SELECT count(*) FROM survey_invitations")
printf 'name,tax_code,sector,foo\nCông ty A,0101234567,Sản xuất,1\n"Công ty B, chi nhánh",12,\n,0101234567,Dịch vụ,1\n' >"$tmp/bad.csv"
s businesses --round D1 --unit "$U3" --import "$tmp/bad.csv" >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] || fail "bad list: rc=$rc"
[ -s "$tmp/out" ] && fail "bad list printed tokens: $(cat "$tmp/out")"
for want in "bad.csv:1: header: 'foo': unknown column" "bad.csv:3: tax_code: '12': 10 digits, 10 digits-3 digits (a branch) or 12 digits" \
    "bad.csv:3: sector: '': is required" "bad.csv:4: name: '': is required" "bad.csv:4: tax_code: '0101234567': already on line 2"; do
  grep -qF "$want" "$tmp/err" || fail "bad list: want [$want] in [$(cat "$tmp/err")]"
done
[ "$(sql "SELECT count(*) FROM survey_invitations")" = "$before" ] || fail "a refused list wrote invitations"
{ echo "tax_code,name,contact,sector"
  for i in $(seq 100 399); do
    sec=$([ $((i % 3)) = 0 ] && echo "Sản xuất" || echo "Dịch vụ, thương mại")
    echo "0100000$i,\"Công ty số $i\",09000000$((i % 10))$((i % 10)),\"$sec\""
  done
  echo "0100000100-001,Chi nhánh Công ty số 100,,Sản xuất"
  echo "079123456789,Hộ kinh doanh Lê Văn Tám,tam@example.vn,Hộ kinh doanh"
} >"$tmp/list.csv"
s businesses --round D1 --unit "$U3" --import "$tmp/list.csv" --tokens "$tmp/u3.csv" | grep -qF "Đã mời" || fail "import"
want=$("$CCHC" survey size --population 302)
[ "$(sql "SELECT count(*) FROM survey_invitations WHERE round = 'D1' AND unit_code = '$U3'")" = "$want" ] || fail "import sample size, want $want"
[ "$(sql "SELECT sum(population) FROM survey_strata WHERE round = 'D1' AND unit_code = '$U3'")" = 302 ] || fail "import population"
[ "$(sql "SELECT count(*) FROM survey_strata WHERE round = 'D1' AND unit_code = '$U3'")" = 3 ] || fail "import strata by sector"
sql "SELECT stratum FROM survey_strata WHERE round = 'D1' AND unit_code = '$U3'" | grep -qxF "Dịch vụ, thương mại" || fail "sector stratum"
[ "$(sql "SELECT count(*) FROM survey_invitations WHERE round = 'D1' AND unit_code = '$U3' AND (dossier_code IS NOT NULL OR business_name IS NULL)")" = 0 ] || fail "imported invitations"
# reproducible: the same list in another order into another round with the same seed
s round create D3 --set ddci-example-2024.tsv --from 2025-01-01 --to 2025-12-31 --seed 5 --unit "$U1" >/dev/null || fail "round D3"
{ head -1 "$tmp/list.csv"; tail -n +2 "$tmp/list.csv" | tac; } >"$tmp/list2.csv"
s businesses --round D3 --unit "$U3" --import "$tmp/list2.csv" >/dev/null 2>&1 || fail "import D3"
x1=$(sql "SELECT business FROM survey_invitations WHERE round = 'D1' AND unit_code = '$U3' ORDER BY business" | tr '\n' ' ')
x3=$(sql "SELECT business FROM survey_invitations WHERE round = 'D3' AND unit_code = '$U3' ORDER BY business" | tr '\n' ' ')
[ "$x1" = "$x3" ] || fail "same seed and list, different sample"

# --- answering drops the business ----------------------------------------------------------------
T=$(sed -n 2p "$tmp/u3.csv" | awk -F, '{print $(NF-1)}'); X=$(sed -n 2p "$tmp/u3.csv" | awk -F, '{print $(NF-2)}')
s answer "$T" MB.1.1=4 MB.1.2=5 TG.1.1=3 >/dev/null || fail "answer"
[ "$(sql "SELECT count(*) FROM survey_invitations WHERE answered = 1 AND (business IS NOT NULL OR business_name IS NOT NULL OR contact IS NOT NULL)")" = 0 ] || fail "answered invitation keeps its business"
[ "$(sql "SELECT count(*) FROM survey_invitations WHERE business = '$X'")" -le 1 ] || fail "business $X"
s results --round D1 --format csv | grep -q "^$U3," || fail "results of the imported unit"

[ $fails -eq 0 ] && echo "ok t-survey-biz" || { echo "$fails failure(s)"; exit 1; }
