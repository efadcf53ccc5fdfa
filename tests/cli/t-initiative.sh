#!/usr/bin/env bash
# CLI tests of `cchc reform initiative`: a ward's initiative proposed in an area of the commune
# set in force, accepted by the province's council, recognised by decision, applied by two
# wards; a rejected one resubmitted; the PAR count (initiatives_count) and the commune set's
# criterion 1.6 taking it. Each bad input exits 2 with one line naming the rule and changes
# nothing.
set -u
CCHC=${1:?usage: t-initiative.sh PATH_TO_cchc}
TESTDATA=${CCHC_TESTDATA:-$(cd "$(dirname "$0")/../data" && pwd)}
DATA=${CCHC_DATA:-$(cd "$(dirname "$0")/../../data" && pwd)}
fails=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/../lib/testdb.sh"
db=$(testdb "$tmp/t.db")
fail() { echo "FAIL $*"; fails=$((fails+1)); }
r() { "$CCHC" reform initiative "$@" --db "$db" --actor cv.noivu; }
bad() {
  local name=$1 frag=$2; shift 2
  r "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
  if [ $rc -ne 2 ] || [ -s "$tmp/out" ] || ! grep -qF -- "$frag" "$tmp/err" || [ "$(wc -l <"$tmp/err")" -ne 1 ]; then
    fail "$name: rc=$rc stdout [$(cat "$tmp/out")] stderr [$(cat "$tmp/err")] want [$frag]"
  fi
}

"$CCHC" init --db "$db" >/dev/null
"$CCHC" import units "$TESTDATA/api/units.csv" --db "$db" >/dev/null
"$CCHC" par import-set "$DATA/par/moha-876-province-2022.csv" --db "$db" >/dev/null
"$CCHC" par import-set "$DATA/par/commune-ht-3396-2021.csv" --db "$db" >/dev/null

prop() { r propose --unit P.A --evaluator P --area 3 --title "$1" --authors "Nguyễn Văn An, Lê Thị Bình" \
  --description "Tổ công nghệ số cộng đồng hướng dẫn người dân nộp hồ sơ trực tuyến" --effect "Tăng tỷ lệ hồ sơ trực tuyến" --day "$2"; }
I=$(prop "Tổ công nghệ số cộng đồng" 2026-03-02 | cut -f1)
[ "$I" = 1 ] || fail "propose: $I"
[ "$(r show "$I" | head -1 | cut -f3,4,5,6)" = "$(printf 'P.A\tP\t3\tproposed')" ] || fail "show: $(r show "$I")"
bad "an area not of the set" "area '9': not a reform area of set 'HT-XA-2021'" propose --unit P.A --evaluator P --area 9 --title X --authors A --description D --day 2026-03-02
bad "an evaluator below" "evaluator 'P.B': not 'P.A' or a unit above it" propose --unit P.A --evaluator P.B --area 3 --title X --authors A --description D --day 2026-03-02
bad "no authors" "authors: must not be empty" propose --unit P.A --evaluator P --area 3 --title X --description D --day 2026-03-02
bad "recognise before the evaluation" "is proposed: 'recognize' is not allowed" recognize "$I" --decision 12/QĐ-UBND --day 2026-04-01 --level province
bad "accept without a score" "score: the council's score is 0 to 100" accept "$I"
bad "a score of 101" "--score '101'" accept "$I" --score 101
bad "the council before the proposal" "the council's day is before the proposal" accept "$I" --score 80 --day 2026-03-01
r accept "$I" --score 85 --note "Có tính mới, hiệu quả rõ" --day 2026-04-01 >/dev/null || fail "accept"
bad "a decision before the proposal" "decision_day: before the initiative's proposal" recognize "$I" --decision 12/QĐ-UBND --day 2026-03-01 --level province
bad "a level that is not one" "a level is unit, district or province" recognize "$I" --decision 12/QĐ-UBND --day 2026-04-01 --level national
[ "$(r show "$I" | head -1 | cut -f6,7)" = "$(printf 'accepted\t85')" ] || fail "a refused recognition changes nothing: $(r show "$I" | head -1)"
r recognize "$I" --decision 125/QĐ-UBND --day 2026-04-10 --level province >/dev/null || fail "recognize"
[ "$(r show "$I" | head -1 | cut -f6,8,9,10)" = "$(printf 'recognized\t125/QĐ-UBND\t2026-04-10\tprovince')" ] || fail "recognized: $(r show "$I" | head -1)"
r apply "$I" --unit P.A --from 2026-03-01 --result "Tỷ lệ trực tuyến tăng 20%" >/dev/null || fail "apply P.A"
r apply "$I" --unit P.B --from 2026-05-01 >/dev/null || fail "apply P.B"
bad "applied twice" "unit 'P.B' applies initiative #1 already" apply "$I" --unit P.B --from 2026-05-02
[ "$(r show "$I" | grep -c '^  applied')" = 2 ] || fail "two applying units: $(r show "$I")"
bad "withdraw a recognised one" "is recognized: 'withdraw' is not allowed" withdraw "$I" --note x

# a rejected initiative, resubmitted; a withdrawn one
J=$(prop "Số hóa sổ hộ tịch" 2026-06-01 | cut -f1)
bad "reject without a reason" "needs a reason" reject "$J"
r reject "$J" --note "Chưa có tính mới trong phạm vi tỉnh" --day 2026-06-10 >/dev/null || fail "reject"
bad "apply a rejected one" "is rejected: 'apply' is not allowed" apply "$J" --unit P.B --from 2026-06-02
r resubmit "$J" --note "Bổ sung kết quả áp dụng thử" >/dev/null || fail "resubmit"
[ "$(r show "$J" | head -1 | cut -f6,7)" = "$(printf 'proposed\t-')" ] || fail "resubmit clears the evaluation: $(r show "$J" | head -1)"
[ "$(r show "$J" | grep -c '^  history')" = 3 ] || fail "history of J: $(r show "$J")"
K=$(prop "Mô hình khác" 2026-07-01 | cut -f1)
r withdraw "$K" --note "Trùng với sáng kiến 1" >/dev/null || fail "withdraw"

[ "$(r list --unit P.B --status recognized | cut -f1)" = 1 ] || fail "P.B sees the one it applies: $(r list --unit P.B)"
[ "$(r list --year 2026 | wc -l)" = 3 ] || fail "list: $(r list --year 2026)"

# the PAR count: recognised in 2026 (1), listed: 1 and 2 (3 was withdrawn)
r count --unit P.A --year 2026 >"$tmp/count"
tail -1 "$tmp/count" | grep -qF "1 (trong 2 sáng kiến)" || fail "count: $(cat "$tmp/count")"
r count --unit P.A --year 2027 | tail -1 | grep -qF "0 (trong 0 sáng kiến)" || fail "count 2027"

# the commune set's criterion 1.6 takes it in a round of 2026
"$CCHC" par round create R26 --set HT-XA-2021 --year 2026 --units P.A,P.B --db "$db" >/dev/null 2>"$tmp/err" || fail "round: $(cat "$tmp/err")"
"$CCHC" par metrics --round R26 --db "$db" >"$tmp/m" || fail "metrics"
[ "$(awk -F'\t' '$3 == "initiatives_count" {print $1, $4, $5, $6, $7}' "$tmp/m" | tr '\n' ';')" = "P.A 1.0 1 2 initiatives;P.B 0.0 0 0 initiatives;" ] ||
  fail "criterion 1.6: $(cat "$tmp/m")"

[ $fails -eq 0 ] && echo "ok t-initiative" || { echo "$fails failure(s)"; exit 1; }
