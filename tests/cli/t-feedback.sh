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
echo "t-feedback: ok"
