#!/usr/bin/env bash
# t-catalog.sh — the published catalogue from the CLI (issue 20, part 4): `cchc procedure
# show` prints the publishing decision, the posting dates and where the procedure may be
# received; `cchc stats index` computes Decision 766's publicity indicators 1.1–1.3 from the
# catalogue (data/catalog/procedures.csv, worked out by hand below) and refuses them as
# external input; a procedures file whose catalogue fields are wrong imports nothing.
set -euo pipefail
B=${1:?usage: t-catalog.sh PATH_TO_cchc}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
source "$(dirname "$0")/../lib/testdb.sh"
CCHC_DB=$(testdb "$T/t.db")
export CCHC_DB
: "${CCHC_DATA:?}"
fail() { echo "FAIL: $*" >&2; exit 1; }

"$B" init >/dev/null
"$B" import units "$CCHC_DATA/demo/units.csv" >/dev/null
"$B" import procedures "$CCHC_DATA/catalog/procedures.csv" >/dev/null

out=$("$B" procedure show 2.000815)
for s in $'Quyết định công bố:\t851/QĐ-UBND ngày 2/6/2025' $'Công khai trên CSDL quốc gia:\t16/6/2025' \
         $'Niêm yết tại Bộ phận Một cửa:\t4/6/2025' $'Nơi tiếp nhận:\tKhông phụ thuộc địa giới hành chính trên toàn quốc'; do
  grep -qF "$s" <<<"$out" || fail "procedure show lacks '$s': $out"
done

# 2025's dossiers, so that units have rows in the index
"$B" seed --dossiers 200 --year 2025 >/dev/null
"$B" stats index --period 2025 >"$T/ix"
col() { # UNIT COLUMN: one cell of the index
  awk -F'\t' -v u="$1" -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next }
    $2 == u { print $k }' "$T/ix"
}
# The commune level's 25 procedures, published in 2025 (data/catalog/procedures.csv):
#  1.1 on time (decision ≥ 20 working days before the basis takes effect): Hộ tịch 11 and
#      Chứng thực 2 (2/6 → 1/7: 21), construction and land 2 (15/7 → 15/8: 23); late: residence
#      6 (20/6 → 1/7: 7) and household business 4 (15/7, after 1/7): 15/25 = 60 % of 6 = 3,60
#  1.2 on the national database within 5 working days: 19/25 (Chứng thực 2 after 10, household
#      business 4 not yet) = 76 % of 4 = 3,04
#  1.3 complete among those on the database: 19/19 = 2,00
desk=$(awk -F'\t' 'NR > 1 && $2 ~ /\.MC$/ { print $2; exit }' "$T/ix")
[ -n "$desk" ] || fail "no commune desk in the index: $(head -3 "$T/ix")"
[ "$(col "$desk" 1.1)/$(col "$desk" 1.2)/$(col "$desk" 1.3)" = "3,60/3,04/2,00" ] ||
  fail "$desk publicity: $(col "$desk" 1.1)/$(col "$desk" 1.2)/$(col "$desk" 1.3)"

# a year with no publishing decision: nothing to judge
"$B" stats index --period 2026 >"$T/ix" 2>/dev/null || true
if [ -s "$T/ix" ] && [ "$(wc -l <"$T/ix")" -gt 1 ]; then
  u=$(awk -F'\t' 'NR == 2 { print $2 }' "$T/ix")
  [ "$(col "$u" 1.1)" = - ] || fail "2026 1.1 for $u: $(col "$u" 1.1)"
fi

# computed indicators are not external input
printf '%s\t1.1\t1\t1\n' "$desk" >"$T/ext.tsv"
set +e
msg=$("$B" stats index --period 2025 --external "$T/ext.tsv" 2>&1 >/dev/null); rc=$?
set -e
[ $rc = 2 ] || fail "external 1.1: exit $rc"
grep -q "'1.1' is computed by cchc (metric catalog_published), not external input" <<<"$msg" ||
  fail "external 1.1: $msg"

# bad catalogue fields: one problem per row, nothing imported
before=$("$B" procedure show 1.001193)
printf 'code,name,field,level,time_amount,time_unit,online,decision,decision_date,posted_portal\n1.001193,Đăng ký khai sinh,Hộ tịch,commune,0,wd,full,850/QĐ-UBND,2025-06-02,2025-05-30\n' >"$T/bad.csv"
set +e
msg=$("$B" import procedures "$T/bad.csv" 2>&1); rc=$?
set -e
[ $rc = 2 ] || fail "bad catalogue import: exit $rc"
grep -qF "bad.csv:2: posted_portal: '2025-05-30' is before the decision's date 2025-06-02" <<<"$msg" ||
  fail "bad catalogue import: $msg"
[ "$("$B" procedure show 1.001193)" = "$before" ] || fail "the failed import changed the procedure"
echo "ok t-catalog"
