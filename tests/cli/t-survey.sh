#!/usr/bin/env bash
# CLI tests of `cchc survey` (issue 19): the shipped instruments check; a broken one is refused
# with every problem on its own FILE:LINE line; a round samples returned dossiers by stratum,
# reproducibly from its seed; an answer through a one-time token is recorded anonymously (the
# invitation loses its dossier, no survey row names a dossier or applicant), a used or unknown
# token and a wrong value are refused and change nothing; paper forms typed twice are compared;
# results per unit with intervals; survey points flow into a PAR round's survey criteria.
set -u
CCHC=${1:?usage: t-survey.sh PATH_TO_cchc}
DATA=${CCHC_DATA:-$(cd "$(dirname "$0")/../../data" && pwd)}
fails=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/../lib/testdb.sh"
db=$(testdb "$tmp/t.db")
fail() { echo "FAIL $*"; fails=$((fails+1)); }
s() { "$CCHC" survey "$@" --db "$db" --data "$DATA" --actor cv.noivu; }
s2() { "$CCHC" survey "$@" --db "$db" --data "$DATA" --actor cv.thu2; } # a second officer
# bad NAME FRAGMENT ARGS…: exit 2, one stderr line containing FRAGMENT, no stdout.
bad() {
  local name=$1 frag=$2; shift 2
  s "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
  if [ $rc -ne 2 ] || [ -s "$tmp/out" ] || ! grep -qF -- "$frag" "$tmp/err" || [ "$(wc -l <"$tmp/err")" -ne 1 ]; then
    fail "$name: rc=$rc stdout [$(cat "$tmp/out")] stderr [$(cat "$tmp/err")] want [$frag]"
  fi
}
sql() { testdb_sql "$db" "$1"; }

# --- instruments -----------------------------------------------------------------------------
"$CCHC" survey check-set sipas-2023.tsv --data "$DATA" | tail -1 | grep -qF "5 thành phần, 19 câu hỏi, 2 thang đo; mẫu tối thiểu 30" \
  || fail "check-set sipas: $("$CCHC" survey check-set sipas-2023.tsv --data "$DATA" 2>&1 | tail -1)"
"$CCHC" survey check-set ddci-example-2024.tsv --data "$DATA" >/dev/null || fail "check-set ddci"
sed -e 's/^component\tTT\t\t20/component\tTT\t\t25/' -e 's/^question\tCC.1.1\tCC.1\t25\tDG5/question\tCC.1.1\tCC.1\t25\tXX/' \
  "$DATA/surveys/sipas-2023.tsv" >"$tmp/broken.tsv"
"$CCHC" survey check-set "$tmp/broken.tsv" >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] || fail "broken set: rc=$rc"
grep -qF "broken.tsv:61: scale: 'XX': no scale of that code above this line" "$tmp/err" || fail "broken scale: $(cat "$tmp/err")"
grep -qF "broken.tsv: weight: the weights under the index sum to 105.000, not 100" "$tmp/err" || fail "broken weights: $(cat "$tmp/err")"
[ "$("$CCHC" survey size --population 1000)" = 278 ] || fail "size 1000"
[ "$("$CCHC" survey size --population 1000 --margin 0.1)" = 88 ] || fail "size 1000 ±10"

# --- a round on seeded dossiers ----------------------------------------------------------------
"$CCHC" init --db "$db" >/dev/null
"$CCHC" seed --dossiers 800 --year 2025 --db "$db" --data "$DATA" >/dev/null || fail "seed"
U1=$(sql "SELECT unit_code FROM dossiers WHERE status = 'returned' GROUP BY unit_code ORDER BY count(*) DESC, unit_code LIMIT 1")
U2=$(sql "SELECT unit_code FROM dossiers WHERE status = 'returned' GROUP BY unit_code ORDER BY count(*) DESC, unit_code LIMIT 1 OFFSET 1")
N1=$(sql "SELECT count(*) FROM dossiers WHERE status = 'returned' AND unit_code = '$U1'")
bad "bad margin" "'0.9': a margin of error above 0 and at most 0.5" round create X --set sipas-2023.tsv --from 2025-01-01 --to 2025-12-31 --margin 0.9
bad "bad period" "'2025-01-01' is before from '2025-12-31'" round create X --set sipas-2023.tsv --from 2025-12-31 --to 2025-01-01
bad "bad unit" "'NOPE': no such unit" round create X --set sipas-2023.tsv --from 2025-01-01 --to 2025-12-31 --unit NOPE
[ "$(sql "SELECT count(*) FROM survey_rounds")" = 0 ] || fail "a refused round left rows"
s round create S1 --set sipas-2023.tsv --from 2025-01-01 --to 2025-12-31 --seed 42 --unit "$U1" --unit "$U2" \
  --tokens "$tmp/tok1.csv" --base http://x/ | grep -qF "hạt giống 42" || fail "round S1"
s round create S2 --set sipas-2023.tsv --from 2025-01-01 --to 2025-12-31 --seed 42 --unit "$U1" --unit "$U2" >/dev/null || fail "round S2"
s round create S3 --set sipas-2023.tsv --from 2025-01-01 --to 2025-12-31 --seed 43 --unit "$U1" --unit "$U2" >/dev/null || fail "round S3"
bad "round twice" "survey round 'S1' exists already" round create S1 --set sipas-2023.tsv --from 2025-01-01 --to 2025-12-31
# a round's code is national: PostgreSQL keys it (code, province) for Citus, the store checks it
# free in every province (S1 is DT0's, by its least unit; TG0.MYTHO is under TG0)
P1=$(sql "SELECT province FROM survey_rounds WHERE code = 'S1'")
[ "$P1" = DT0 ] || fail "round S1's province: $P1"
bad "round twice, of a unit under another root" "survey round 'S1' exists already" round create S1 --set sipas-2023.tsv --from 2025-01-01 --to 2025-12-31 --unit TG0.MYTHO
[ "$(sql "SELECT count(*) FROM survey_rounds WHERE code = 'S1'")" = 1 ] || fail "round S1 twice: $(sql "SELECT count(*) FROM survey_rounds WHERE code = 'S1'")"
s invitations --round S1 | cut -f3 >"$tmp/i1"; s invitations --round S2 | cut -f3 >"$tmp/i2"; s invitations --round S3 | cut -f3 >"$tmp/i3"
cmp -s "$tmp/i1" "$tmp/i2" || fail "same seed, different sample"
cmp -s "$tmp/i1" "$tmp/i3" && fail "different seed, same sample"
# the sample size of U1 is Cochran's for its population, spread over its strata
want=$("$CCHC" survey size --population "$N1")
got=$(sql "SELECT sum(sample) FROM survey_strata WHERE round = 'S1' AND unit_code = '$U1'")
[ "$got" = "$want" ] || fail "U1 sample $got, want $want (population $N1)"
[ "$(wc -l <"$tmp/tok1.csv")" -gt 1 ] || fail "no tokens written"
grep -q "http://x/#/khao-sat/" "$tmp/tok1.csv" || fail "links"
[ "$(sql "SELECT count(*) FROM survey_invitations WHERE token_hash LIKE '%' || (SELECT 'x') || '%' AND length(token_hash) <> 64")" = 0 ] || fail "hash length"

# --- answering -----------------------------------------------------------------------------------
T1=$(sed -n 2p "$tmp/tok1.csv" | awk -F, '{print $(NF-1)}')
D1=$(sed -n 2p "$tmp/tok1.csv" | awk -F, '{print $(NF-2)}')
[ "$(sql "SELECT count(*) FROM survey_invitations WHERE token_hash = '$T1'")" = 0 ] || fail "plain token stored"
bad "a wrong value" "TC.1.1: '9': not an answer of scale DG5 (1, 2, 3, 4, 5, 0)" answer "$T1" TC.1.1=9 TC.2.1=5
bad "not a question" "'ZZ': not a question of set SIPAS-2023" answer "$T1" ZZ=1
bad "unknown token" "this survey link is not valid" answer aaaaaaaaaaaaaaaaaaaaaaaaaa TC.1.1=4
[ "$(sql "SELECT count(*) FROM survey_responses")" = 0 ] || fail "a refused answer left a response"
answers="TC.1.1=4 TC.1.2=5 TC.2.1=4 TT.1.1=4 TT.1.2=4 TT.1.3=5 TT.1.4=4 TT.2.1=5 CC.1.1=5 CC.1.2=4 CC.1.3=4 CC.1.4=5 CC.2.1=5 KQ.1.1=4 KQ.1.2=2 KQ.2.1=3 GY.1.1=0 GY.1.2=0 GY.2.1=0"
s answer "$T1" $answers --day 2026-01-10 | grep -qF "Đã ghi nhận" || fail "answer"
bad "used token" "this survey link was used already" answer "$T1" TC.1.1=4
# anonymity: the invitation lost its dossier; no survey row names it, or any applicant
[ "$(sql "SELECT count(*) FROM survey_invitations WHERE answered = 1 AND dossier_code IS NOT NULL")" = 0 ] || fail "answered invitation keeps its dossier"
[ "$(sql "SELECT count(*) FROM survey_invitations WHERE dossier_code = '$D1' AND round = 'S1'")" = 0 ] || fail "dossier $D1 still linked"
if testdb_is_pg; then
  cols=$(sql "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'survey_responses'")
else
  cols=$(sql "SELECT group_concat(name, ',') FROM pragma_table_info('survey_responses')")
fi
# (province: the round's, the same on every response of the round; migration 041)
[ "$cols" = "id,round,unit_code,stratum,mode,day,province" ] || fail "survey_responses columns: $cols"
for t in survey_responses survey_answers; do
  hits=$(sql "SELECT count(*) FROM $t r, dossiers d WHERE d.code = '$D1' AND (CAST(r.$( [ $t = survey_answers ] && echo value || echo stratum) AS TEXT) LIKE '%' || d.code || '%' OR CAST(r.$( [ $t = survey_answers ] && echo value || echo stratum) AS TEXT) LIKE '%' || d.applicant_name || '%')")
  [ "$hits" = 0 ] || fail "$t names the dossier or applicant"
done
s answers --round S1 | grep -q "$D1" && fail "drill-down shows the dossier"
# each response: 1 of U1's or U2's strata, day only
[ "$(sql "SELECT day FROM survey_responses")" = 2026-01-10 ] || fail "day"

# more answers so the unit has a result
tail -n +3 "$tmp/tok1.csv" | head -12 | awk -F, '{print $(NF-1)}' | while read -r t; do
  s answer "$t" TC.2.1=5 TT.2.1=4 CC.2.1=2 KQ.2.1=4 GY.2.1=1 >/dev/null || echo "FAIL answer $t"
done >"$tmp/more"; [ -s "$tmp/more" ] && fail "$(cat "$tmp/more")"

# --- paper forms, typed twice ---------------------------------------------------------------------
ST=$(sql "SELECT stratum FROM survey_strata WHERE round = 'S1' AND unit_code = '$U1' ORDER BY population DESC LIMIT 1")
s paper --round S1 --form P-001 --pass 1 --unit "$U1" --stratum "$ST" TC.2.1=5 TT.2.1=4 | grep -qF "chờ lần nhập thứ hai" || fail "paper 1"
bad "one officer types both entries" "form P-001: the other entry was typed by cv.noivu; a second officer types this one" paper --round S1 --form P-001 --pass 2 --unit "$U1" --stratum "$ST" TC.2.1=5 TT.2.1=4
s2 paper --round S1 --form P-001 --pass 2 --unit "$U1" --stratum "$ST" TC.2.1=5 TT.2.1=3 | grep -qF "KHÁC" || fail "paper 2 differs"
bad "pass twice" "form P-001: pass 2 was entered already" paper --round S1 --form P-001 --pass 2 --unit "$U1" --stratum "$ST" TC.2.1=5
[ "$(s mismatches --round S1)" = "$(printf 'P-001\tTT.2.1\t4\t3')" ] || fail "mismatches: $(s mismatches --round S1)"
s paper --round S1 --form P-002 --pass 1 --unit "$U1" --stratum "$ST" TC.2.1=4 KQ.2.1=5 >/dev/null
s2 paper --round S1 --form P-002 --pass 2 --unit "$U1" --stratum "$ST" KQ.2.1=5 TC.2.1=4 | grep -qF "khớp" || fail "paper match"
[ "$(sql "SELECT count(*) FROM survey_responses WHERE mode = 'paper'")" = 1 ] || fail "paper responses"
# resolving P-001: a decision for each differing field and for no other; then it counts, once
bad "resolve without the differing field" "form P-001: TT.2.1: the entries differ (4, 3)" resolve --round S1 --form P-001
bad "resolve an agreeing field" "form P-001: 'TC.2.1' is not a field the two entries differ on" resolve --round S1 --form P-001 TT.2.1=3 TC.2.1=4
bad "resolve a matched form" "form P-002: the two entries agree" resolve --round S1 --form P-002 TC.2.1=4
bad "resolve an unknown form" "form P-404 was not entered in round S1" resolve --round S1 --form P-404 TC.2.1=4
[ "$(sql "SELECT count(*) FROM survey_responses WHERE mode = 'paper'")" = 1 ] || fail "a refused resolution counted"
s resolve --round S1 --form P-001 TT.2.1=3 | grep -qF "Đã đối chiếu phiếu P-001" || fail "resolve"
bad "resolve twice" "form P-001 was resolved already" resolve --round S1 --form P-001 TT.2.1=3
[ "$(sql "SELECT count(*) FROM survey_responses WHERE mode = 'paper'")" = 2 ] || fail "resolved form not counted"
[ "$(sql "SELECT a.value FROM survey_answers a JOIN survey_responses r ON r.id = a.response_id WHERE r.mode = 'paper' AND a.question = 'TT.2.1'")" = 3 ] || fail "the resolved value"
s mismatches --round S1 | grep -qF "Không có phiếu nào lệch" || fail "resolved form still listed: $(s mismatches --round S1)"
s forms --round S1 | grep -qF "$(printf 'P-001\t%s\tđã đối chiếu, đã tính\tcv.noivu\tcv.thu2\tcv.noivu' "$U1")" || fail "forms: $(s forms --round S1)"

# --- the result slip and invitations through the outbox ------------------------------------------
D2=$(sql "SELECT dossier_code FROM survey_invitations WHERE round = 'S1' AND answered = 0 AND dossier_code IN (SELECT dossier_code FROM survey_invitations WHERE round = 'S3' AND dossier_code IS NOT NULL) ORDER BY id LIMIT 1")
# the slip reissues the token of the dossier's latest round (S3 samples the same dossiers)
hashes() { sql "SELECT round || token_hash FROM survey_invitations WHERE dossier_code = '$D2' ORDER BY round"; }
old_hash=$(hashes)
s slip --dossier "$D2" --out "$tmp/slip.pdf" --base https://dvc.example/ >"$tmp/slip.out" || fail "slip"
grep -qF "https://dvc.example/#/khao-sat/" "$tmp/slip.out" || fail "slip link: $(cat "$tmp/slip.out")"
[ "$(head -c 5 "$tmp/slip.pdf")" = "%PDF-" ] || fail "slip is not a PDF"
[ "$(hashes | grep -c "^S3")" = 1 ] && [ "$(hashes | grep -v "^S3")" = "$(echo "$old_hash" | grep -v "^S3")" ] && [ "$(hashes)" != "$old_hash" ] || fail "slip did not reissue the S3 token only"
grep -qF "(đợt S3)" "$tmp/slip.out" || fail "slip round: $(cat "$tmp/slip.out")"
TS=$(awk -F'#/khao-sat/' '{print $2}' "$tmp/slip.out")
s answer "$TS" TC.2.1=5 >/dev/null || fail "the slip's link does not answer"
DN=$(sql "SELECT code FROM dossiers WHERE status = 'returned' AND code NOT IN (SELECT dossier_code FROM survey_invitations WHERE dossier_code IS NOT NULL) ORDER BY code LIMIT 1")
s slip --dossier "$DN" --out "$tmp/slip2.pdf" | grep -qF "không có lời mời" || fail "slip without invitation"
DP=$(sql "SELECT code FROM dossiers WHERE status = 'processing' ORDER BY code LIMIT 1")
bad "slip before the result" "has no result to hand over" slip --dossier "$DP" --out "$tmp/slip3.pdf"
before=$(sql "SELECT count(*) FROM outbox WHERE event = 'survey_invitation'")
[ "$before" = 0 ] || fail "outbox before notify: $before"
s notify --round S1 --unit "$U1" | grep -qF "lời mời vào hàng gửi" || fail "notify"
want=$(sql "SELECT count(*) FROM survey_invitations WHERE round = 'S1' AND unit_code = '$U1' AND answered = 0")
[ "$(sql "SELECT count(*) FROM outbox WHERE event = 'survey_invitation'")" = "$want" ] || fail "outbox rows: want $want"
[ "$(sql "SELECT count(*) FROM outbox WHERE event = 'survey_invitation' AND dossier_code IS NOT NULL")" = 0 ] || fail "an invitation message names its dossier"
[ "$(sql "SELECT count(*) FROM survey_invitations WHERE round = 'S1' AND unit_code = '$U2' AND notified_at IS NOT NULL")" = 0 ] || fail "notify went past --unit"
s notify --round S1 --unit "$U1" | grep -qF "Đã xếp 0 lời mời" || fail "notify twice sends again"
# the message's token opens the questionnaire
TN=$(sql "SELECT vars FROM outbox WHERE event = 'survey_invitation' AND state = 'pending' ORDER BY id LIMIT 1" | sed -n 's/^token\t//p')
[ -n "$TN" ] && s answer "$TN" TC.2.1=4 >/dev/null || fail "the outbox token does not answer"

# --- results ----------------------------------------------------------------------------------------
s results --round S1 --format csv >"$tmp/res.csv" || fail "results"
head -1 "$tmp/res.csv" | grep -qF "unit,responses,below_min,index,ci_low,ci_high,rank,previous,change,TC,TT,CC,KQ,GY" || fail "results header"
n=$(awk -F, 'NR > 1 {s += $2} END {print s}' "$tmp/res.csv")
[ "$n" = 16 ] || fail "results count $n, want 16"
awk -F, 'NR > 1 && $2 > 0 && ($3 != 1 || $4 == "") {bad=1} END {exit bad}' "$tmp/res.csv" || fail "below-minimum flag"
s results --round S1 --previous S3 --format json | grep -q '"units":\[{"unit":"' || fail "results json"
bad "bad format" "'xml': table, csv or json" results --round S1 --format xml

# --- into a PAR round's survey criteria ----------------------------------------------------------------
"$CCHC" par import-set "$DATA/par/commune-ht-3396-2021.csv" --db "$db" >/dev/null
"$CCHC" par round create P25 --year 2025 --set HT-XA-2021 --units "$U1,$U2" --db "$db" >/dev/null
bad "PAR round not in survey phase" "survey" to-par --round S1 --par-round P25 8.1=TT
"$CCHC" par round close-phase P25 --phase self --db "$db" >/dev/null
"$CCHC" par round close-phase P25 --phase appraisal --db "$db" >/dev/null
bad "not a survey criterion" "'1.1': not a survey criterion of PAR set HT-XA-2021" to-par --round S1 --par-round P25 1.1=TT
bad "not a component" "'TT.1.1': not a component or criterion of survey set SIPAS-2023 (or 'index')" to-par --round S1 --par-round P25 8.1=TT.1.1
s to-par --round S1 --par-round P25 8.1=TT 8.2=CC 8.3=KQ | grep -qF "Đã chuyển" || fail "to-par"
# 8.1 (max 10, 2 decimals) = TT % x 10 / 100, in thousandths of a point
tt=$(awk -F, -v u="$U1" '$1 == u {print $11}' "$tmp/res.csv")
want=$(awk -v v="$tt" 'BEGIN {printf "%d", int(v / 10 * 100 + 0.5) * 10}')
got=$(sql "SELECT survey_pts FROM par_scores WHERE unit_code = '$U1' AND node_code = '8.1'")
[ "$got" = "$want" ] || fail "PAR 8.1 of $U1: $got, want $want (TT $tt %)"
[ $fails -eq 0 ] && echo "ok t-survey" || { echo "$fails failure(s)"; exit 1; }
