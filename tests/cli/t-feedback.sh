#!/usr/bin/env bash
# t-feedback.sh — `cchc feedback` and the Decision 766 satisfaction group computed from it:
# September 2025 at Phường Mỹ Tho worked out by hand — A answered on time and rated 5, B
# answered late and rated 4, C accepted on 29/9 and still in time at 30/9, D refused, plus a
# duplicate of A linked to it — gives 5.2 = (on time 1 + in time 1) / competent 3 and 5.3 =
# (3 − late 1) / 3, i.e. 4,00 points each; and bad input exits 2 with one line naming it.
set -euo pipefail
B=${1:?usage: t-feedback.sh PATH_TO_cchc}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
source "$(dirname "$0")/../lib/testdb.sh"
CCHC_DB=$(testdb "$T/t.db")
export CCHC_DB
: "${CCHC_DATA:?}"
fail() { echo "FAIL: $*" >&2; exit 1; }

"$B" init >/dev/null
"$B" import units "$CCHC_DATA/demo/units.csv" >/dev/null
sub() { # AT BODY [PHONE] -> the code
  "$B" feedback submit --unit DT.MYTHO --kind handling --body "$2" ${3:+--phone "$3"} --consent --at "$1" | cut -f1
}
A=$(sub 2025-09-03T09:00 "Cán bộ hẹn nhiều lần mới trả" 0912345678)
[ "$(sub 2025-09-03T15:00 "cán bộ HẸN nhiều lần mới trả" "+84 912 345 678")" = "$A" ] || fail "duplicate not linked"
Bc=$(sub 2025-09-04T09:00 "Phí sao y cao")
C=$(sub 2025-09-29T09:00 "Thiếu ghế chờ")
D=$(sub 2025-09-05T09:00 "Khiếu nại quyết định xử phạt")
f() { "$B" feedback "$@" --actor cb >/dev/null; }
f accept "$A" --at 2025-09-03T10:00
out=$("$B" feedback answer "$A" --answer "Đã nhắc nhở cán bộ." --at 2025-09-10T09:00 --actor cv)
[ "$(cut -f4,7 <<<"$out")" = $'answered\ton_time' ] || fail "answer A: $out"
f accept "$Bc" --at 2025-09-04T10:00
f start "$Bc" --at 2025-09-05T10:00
f answer "$Bc" --answer "Mức phí theo quy định." --at 2025-09-30T09:00
f accept "$C" --at 2025-09-29T10:00
f refuse "$D" --note "Là khiếu nại: giải quyết theo Luật Khiếu nại" --at 2025-09-05T10:00
"$B" feedback rate "$A" --score 5 --at 2025-09-11T09:00
"$B" feedback rate "$Bc" --score 4 --at 2025-09-30T10:00

st=$("$B" feedback stats --unit DT.MYTHO --from 2025-09-01 --to 2025-09-30 --at 2025-09-30T23:00)
for kv in items:4 on_time:1 late:1 in_time:1 refused:1 rated:2 satisfied:2; do
  grep -q "^${kv%%:*}	${kv#*:}$" <<<"$st" || fail "stats ${kv%%:*}: $st"
done
"$B" feedback show "$A" | grep -q "	duplicate	" || fail "the duplicate is not in A's events"
[ "$("$B" feedback list --unit DT --outcome late --at 2025-09-30T23:00 | cut -f1)" = "$Bc" ] || fail "list late"

idx=$("$B" stats index --period 2025-09 --parent DT)
row=$(grep $'^1\tDT.MYTHO\t' <<<"$idx") || fail "index: $idx"
hdr=$(head -1 <<<"$idx")
col() { awk -F'\t' -v h="$1" 'NR==1 { for (i = 1; i <= NF; i++) if ($i == h) c = i } NR==2 { print $c }' <<<"$hdr"$'\n'"$row"; }
[ "$(col 5.2)" = "4,00" ] || fail "5.2: $(col 5.2) in $row"
[ "$(col 5.3)" = "4,00" ] || fail "5.3: $(col 5.3) in $row"

# per officer, for feedback about officers (another ward, so the figures above stay)
for o in cb.an cb.an cb.binh; do
  "$B" feedback submit --unit DT.CAOLANH --kind handling --officer "$o" --body "Thái độ $o $RANDOM" --at 2025-09-10T09:00 >/dev/null
done
po=$("$B" feedback stats --unit DT.CAOLANH --by-officer --at 2025-09-10T10:00)
[ "$(cut -f1,2 <<<"$po" | tail -n +2)" = $'cb.an\t2\ncb.binh\t1' ] || fail "per officer: $po"

# bad input: exit 2, one line naming the value, nothing changed
bad() {
  local out st=0
  out=$("$B" feedback "$@" 2>"$T/err") || st=$?
  [ $st = 2 ] || fail "$* exited $st: $(cat "$T/err")"
  [ -z "$out" ] || fail "$* printed: $out"
  [ "$(grep -c . "$T/err")" = 1 ] || fail "$*: stderr $(cat "$T/err")"
}
bad submit --unit DT.MYTHO --kind complaint --body x
bad submit --unit DT.NOPE --kind suggestion --body x
bad submit --unit DT.MYTHO --kind suggestion --body x --phone 12345
grep -q 12345 "$T/err" && fail "the phone is quoted in the error"
bad refuse "$C" --at 2025-09-30T10:00
bad publish "$C"
bad rate "$A" --score 4
bad frobnicate
[ "$("$B" feedback stats --unit DT.MYTHO --from 2025-09-01 --to 2025-09-30 --at 2025-09-30T23:00)" = "$st" ] ||
  fail "a refused command changed the figures"

# the province (migration 038): the root of the receiving unit's tree, kept when the item is
# forwarded to a unit under another root (TG0.MYTHO, the pre-merger city); events carry it
E=$(sub 2025-10-01T09:00 "Chuyển sang thành phố cũ")
"$B" feedback forward "$E" --to-unit TG0.MYTHO --note "Thẩm quyền thành phố" --at 2025-10-01T10:00 --actor cb >/dev/null
[ "$(testdb_sql "$CCHC_DB" "SELECT unit_code || ' ' || province FROM feedback WHERE code = '$E'")" = "TG0.MYTHO DT" ] ||
  fail "the forwarded item's province: $(testdb_sql "$CCHC_DB" "SELECT unit_code, province FROM feedback WHERE code = '$E'")"
got=$(testdb_sql "$CCHC_DB" "SELECT count(*) || ':' || sum(CASE WHEN province = 'DT' THEN 0 ELSE 1 END) FROM feedback")
[ "$got" = "8:0" ] || fail "feedback rows' provinces (rows:bad): $got"
got=$(testdb_sql "$CCHC_DB" "SELECT count(*) || ':' || sum(CASE WHEN e.province = f.province THEN 0 ELSE 1 END) FROM feedback_events e JOIN feedback f ON f.id = e.feedback_id")
[ "${got%%:*}" -ge 14 ] && [ "${got#*:}" = 0 ] || fail "feedback events' provinces (rows:bad): $got"

# the index reads the feedback of every ranked unit in one statement over all of them
# (store_feedback_summary_units): each child's 5.2 and 5.3, with a set scoring them linearly,
# must be what the unit's own summary (`feedback stats`, store_feedback_summary) gives, with
# items at a merged ward and its desk (TG0.MYTHO.P4, .MC: under DT.MYTHO after 1/7/2025), at
# a desk, refused and late ones, under several children of DT
x=$(sub2() { "$B" feedback submit --unit "$1" --kind handling --body "$3 $RANDOM" --at "$2" | cut -f1; }
  P4=$(sub2 TG0.MYTHO.P4 2025-06-10T09:00 "Phường 4 cũ")
  f accept "$P4" --at 2025-06-10T10:00
  f answer "$P4" --answer "Đã xử lý." --at 2025-08-20T09:00
  "$B" feedback rate "$P4" --score 2 --at 2025-08-21T09:00
  sub2 TG0.MYTHO.P4.MC 2025-06-12T09:00 "Một cửa Phường 4 cũ" >/dev/null
  M=$(sub2 DT.MYTHO.MC 2025-08-05T09:00 "Một cửa Mỹ Tho")
  f accept "$M" --at 2025-08-05T10:00
  R=$(sub2 DT.CAOLANH 2025-07-15T09:00 "Không thuộc thẩm quyền")
  f refuse "$R" --note "Là khiếu nại" --at 2025-07-15T10:00
  L=$(sub2 DT.LAIVUNG 2025-11-03T09:00 "Lai Vung")
  f accept "$L" --at 2025-11-03T10:00
  f answer "$L" --answer "Đã xử lý." --at 2025-11-05T09:00
  "$B" feedback rate "$L" --score 5 --at 2025-11-06T09:00
  echo ok) && [ "$x" = ok ] || fail "feedback for the index: $x"
mkdir -p "$T/ixdata/indicators"
{
  printf 'version\tgroup\tgroup_name\tgroup_max\tid\tname\tmax\trule\ttarget_pct\tmetric\tnumerator\tdenominator\tsource\tverify\n'
  printf 't-fb\t1\tPhản ánh\t100\tf.%s\t%s\t%s\tlinear\t100\t%s\tn\td\tt-feedback\tno\n' \
    1 "Đúng hạn" 50 feedback_ontime_766 2 "Hài lòng" 50 feedback_satisfaction_766
} >"$T/ixdata/indicators/t-fb.tsv"
# (`feedback stats` prints no unsatisfied count: with no rating of 3 it is rated - satisfied)
[ "$(testdb_sql "$CCHC_DB" "SELECT count(*) FROM feedback WHERE rating = 3")" = 0 ] || fail "a rating of 3"
seen=0
for pp in 2025:2025-01-01:2025-12-31:2026-01-01T00:00 2025-Q3:2025-07-01:2025-09-30:2025-10-01T00:00 \
  2025-06:2025-06-01:2025-06-30:2025-07-01T00:00; do
  IFS=: read -r per from to at <<<"$pp"
  "$B" report index --period "$per" --parent DT --set t-fb --data "$T/ixdata" --format json >"$T/ix.json" 2>"$T/ixerr" ||
    fail "index of DT's children (t-fb, $per): $(cat "$T/ixerr")"
  for u in $(jq -r '.rows[].unit' "$T/ix.json"); do
    got=$(jq -r --arg u "$u" '.rows[] | select(.unit == $u) | "\(."ind_f.1") \(."ind_f.2")"' "$T/ix.json")
    st=$("$B" feedback stats --unit "$u" --from "$from" --to "$to" --at "$at") || fail "feedback stats $u"
    want=$(awk -F'\t' '{ v[$1] = $2 } END {
      d = v["items"] - v["refused"]
      if (d <= 0) { print "null null"; exit }
      s = d - (v["rated"] - v["satisfied"]) - v["late"] - v["overdue"]
      printf "%.4f %.4f\n", 50 * (v["on_time"] + v["in_time"] + v["waiting"]) / d, 50 * (s < 0 ? 0 : s) / d }' <<<"$st")
    got=$(awk '{ for (i = 1; i <= NF; i++) $i = $i == "null" ? $i : sprintf("%.4f", $i); print }' <<<"$got")
    [ "$got" = "$want" ] || fail "$u in DT's index for $per: 5.2 5.3 $got, its own summary gives $want ($st)"
    [ "$want" = "null null" ] || seen=$((seen + 1))
  done
done
# DT.MYTHO's year: its five (A, its duplicate linked, B, C, D; E forwarded away), the merged
# ward's two and the desk's one
st=$("$B" feedback stats --unit DT.MYTHO --from 2025-01-01 --to 2025-12-31 --at 2026-01-01T00:00)
grep -q $'^items\t7$' <<<"$st" || fail "DT.MYTHO's items in 2025: $st"
[ "$seen" -ge 6 ] || fail "only $seen units with feedback figures in the indexes"
echo "t-feedback: ok"
