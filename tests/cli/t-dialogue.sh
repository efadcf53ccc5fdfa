#!/usr/bin/env bash
# t-dialogue.sh — `cchc dialogue`: a ward's dialogue with market traders, two commitments with
# owner and due day, one closed in time, one left open past its day (overdue), closing twice
# refused; the list of open commitments across the province; bad input exits 2.
set -euo pipefail
B=${1:?usage: t-dialogue.sh PATH_TO_cchc}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
source "$(dirname "$0")/../lib/testdb.sh"
CCHC_DB=$(testdb "$T/t.db")
export CCHC_DB
: "${CCHC_DATA:?}"
fail() { echo "FAIL: $*" >&2; exit 1; }
"$B" init >/dev/null
"$B" import units "$CCHC_DATA/demo/units.csv" >/dev/null
D=$("$B" dialogue add --unit DT.MYTHO --day 2025-09-10 --title "Đối thoại với hộ kinh doanh chợ" --questions "Giờ thu gom rác")
C1=$("$B" dialogue commit "$D" --text "Thu gom rác trước 6 giờ" --owner cb.moitruong --due 2025-09-30)
C2=$("$B" dialogue commit "$D" --text "Sửa mái che" --owner cb.xaydung --due 2025-09-20)
"$B" dialogue close "$C1" --day 2025-09-25 --result "Đã đổi lịch thu gom"
out=$("$B" dialogue list --unit DT --at 2025-10-01)
[ "$(cut -f1,6 <<<"$out")" = "$C2	overdue
$C1	on_time" ] || fail "list: $out"
[ "$("$B" dialogue list --unit DT --open --at 2025-10-01 | cut -f1)" = "$C2" ] || fail "open list"
st=0; "$B" dialogue close "$C1" --day 2025-09-26 --result "lần hai" 2>"$T/err" || st=$?
[ $st = 2 ] && grep -q "already closed" "$T/err" || fail "closing twice: $st $(cat "$T/err")"
st=0; "$B" dialogue commit "$D" --text "x" --owner y --due 2025-09-01 2>"$T/err" || st=$?
[ $st = 2 ] && grep -q "before the dialogue's day" "$T/err" || fail "due before the dialogue: $st"
st=0; "$B" dialogue add --unit DT.NOPE --day 2025-09-10 --title x 2>"$T/err" || st=$?
[ $st = 2 ] || fail "unknown unit: $st"
echo "t-dialogue: ok"
