#!/usr/bin/env bash
# t-stats.sh — `cchc stats` and `cchc report` on a ward's September 2025 worked out by hand:
# 6 dossiers at Phường Mỹ Tho (1 early, 1 on time, 1 late, 1 refused, 2 open of which 1 past its
# due day at 30/9) and 1 at Phường Cao Lãnh; figures, rates with their denominators, the
# drill-down lists, steps per officer and their dossiers, the dashboard, rebuild ==
# incremental, JSON/CSV/XLSX exports, bad input.
set -euo pipefail
export CCHC_BACKDATE_TOLERANCE=off # replays 2025 with --at: nothing is backdated (t-backdate.sh tests the rule)
B=${1:?usage: t-stats.sh PATH_TO_cchc}
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

P=1.004873 # Cấp Giấy xác nhận tình trạng hôn nhân: 3 working days
recv() { # UNIT AT CHANNEL NAME -> prints the code; checks the due instant
  local out
  out=$("$B" dossier receive --unit "$1" --procedure $P --name "$4" --channel "$3" --at "$2" --actor cb)
  grep -q "Hẹn trả kết quả:	$5" <<<"$out" || fail "due of $4 is not $5: $out"
  sed -n 's/^Mã hồ sơ:\t//p' <<<"$out"
}
act() { "$B" dossier "$@" --actor cv >/dev/null; }
finish() { # CODE AT: through the remaining steps of the template, then the result
  local i
  for ((i = 0; i < 12; i++)); do
    "$B" dossier finish "$1" --at "$2" --actor cv >/dev/null 2>&1 && return 0
    act advance "$1" --at "$2"
  done
  fail "could not finish $1"
}

D1=$(recv DT.MYTHO 2025-09-08T08:00 direct "Nguyễn Văn Một" 2025-09-11T17:00)
D2=$(recv DT.MYTHO 2025-09-08T09:00 online "Trần Thị Hai" 2025-09-11T17:00)
D3=$(recv DT.MYTHO 2025-09-09T08:00 direct "Lê Văn Ba" 2025-09-12T17:00)
D4=$(recv DT.MYTHO 2025-09-10T08:00 postal "Phạm Thị Bốn" 2025-09-15T17:00)
D5=$(recv DT.MYTHO 2025-09-25T08:00 direct "Hoàng Văn Năm" 2025-09-30T17:00)
D6=$(recv DT.MYTHO 2025-09-29T08:00 direct "Vũ Thị Sáu" 2025-10-02T17:00)
D7=$(recv DT.CAOLANH 2025-09-08T08:00 direct "Đặng Văn Bảy" 2025-09-11T17:00)
act advance "$D1" --at 2025-09-08T08:30
act advance "$D2" --at 2025-09-08T09:30
act advance "$D3" --at 2025-09-09T08:30
act advance "$D4" --at 2025-09-10T08:30
act advance "$D5" --at 2025-09-25T08:30
act advance "$D6" --at 2025-09-29T08:30
act advance "$D7" --at 2025-09-08T08:30
finish "$D1" 2025-09-09T10:00   # early: a day before the due day
act return "$D1" --at 2025-09-10T08:00
finish "$D2" 2025-09-11T16:00   # on time: the due day, before 17:00
finish "$D3" 2025-09-15T08:00   # late
act refuse "$D4" --reason "Không đủ điều kiện" --at 2025-09-11T08:00
finish "$D7" 2025-09-09T09:00   # early, at Cao Lãnh

show=$("$B" stats show --period 2025-09 --unit DT.MYTHO)
fig() { awk -F'\t' -v k="$1" '$1==k {print $3}' <<<"$show"; }
expect() { [ "$(fig "$1")" = "$2" ] || fail "$1 = $(fig "$1"), expected $2"; }
expect received 6
expect received_online 1
expect received_postal 1
expect solved_early 1
expect solved_on_time 1
expect solved_late 1
expect refused 1
expect returned 1
expect due 5
expect due_met 3
expect carried_over 0
expect received_total 6
expect finished 4
expect in_progress 2
expect in_progress_in_time 1
expect in_progress_overdue 1
grep -qx $'rate\tontime\tsolved\t2\t3\t66,7% (2/3 hồ sơ đã giải quyết)' <<<"$show" || fail "on-time rate: $show"
"$B" stats show --period 2025-09 --unit DT.MYTHO --denominator due |
  grep -qx $'rate\tontime\tdue\t3\t5\t60,0% (3/5 hồ sơ đến hạn trong kỳ)' || fail "rate over due"
"$B" stats show --period 2025-09 --unit DT.MYTHO --denominator handled |
  grep -qx $'rate\tontime\thandled\t4\t6\t66,7% (4/6 hồ sơ đã và đang xử lý)' || fail "rate 766"
# the province is the sum of its wards
"$B" stats show --period 2025-09 --unit DT | grep -qx $'received\tTiếp nhận mới trong kỳ\t7' || fail "province"

# drill-down: exactly the dossiers behind each number
[ "$("$B" stats dossiers --period 2025-09 --unit DT.MYTHO --figure solved_late | cut -f1)" = "$D3" ] || fail "drill late"
[ "$("$B" stats dossiers --period 2025-09 --unit DT.MYTHO --figure in_progress_overdue | cut -f1)" = "$D5" ] || fail "drill overdue"
[ "$("$B" stats dossiers --period 2025-09 --unit DT --figure solved_early | cut -f1 | sort | tr '\n' ' ')" = "$(printf '%s\n' "$D1" "$D7" | sort | tr '\n' ' ')" ] || fail "drill early"
# October: D5 and D6 carried over
"$B" stats show --period 2025-10 --unit DT.MYTHO | grep -qx $'carried_over\tTồn kỳ trước chuyển sang\t2' || fail "carried over"

# dashboard: one line per unit with dossiers
units=$("$B" stats units --period 2025-09)
[ "$(grep -c . <<<"$units")" = 3 ] || fail "dashboard: $units"
grep -q $'^DT.MYTHO\t6\t6\t3\t1\t1\t1\t2\t1\t66,7% (2/3 hồ sơ đã giải quyết)$' <<<"$units" || fail "dashboard row: $units"

# rebuild gives the same figures
# steps per officer: every dossier was advanced into step 1 at 08:30 (its step deadline ~3
# working hours later) and left it only on the day it finished or was refused, so at Mỹ Tho
# step 1 ended late 4 times (D1, D2, D3, D4); D1–D3 then went through steps 2–4 at once.
off=$("$B" stats officers --period 2025-09 --unit DT.MYTHO)
[ "$(tail -n +2 <<<"$off" | sort)" = "$(printf 'DT.MYTHO\tcv\t%s\n' '1	4	4' '2	3	0' '3	3	0' '4	3	0')" ] ||
  fail "officers: $off"
[ "$("$B" stats dossiers --period 2025-09 --unit DT.MYTHO --figure steps_late --officer cv --step 1 | cut -f1 | sort | tr '\n' ' ')" = \
  "$(printf '%s\n' "$D1" "$D2" "$D3" "$D4" | sort | tr '\n' ' ')" ] || fail "drill steps_late"
[ "$("$B" stats dossiers --period 2025-09 --unit DT --figure steps_done --officer cv --step 3 | grep -c .)" = 4 ] ||
  fail "drill steps_done at step 3 (3 at Mỹ Tho, 1 at Cao Lãnh)"
"$B" stats rebuild 2>/dev/null
[ "$("$B" stats show --period 2025-09 --unit DT.MYTHO)" = "$show" ] || fail "rebuild changed the figures"

# exports
"$B" report summary --period 2025-9M --unit DT --format json >"$T/s.json"
python3 - "$T/s.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
rows = {r["unit"]: r for r in d["rows"]}
assert rows["DT.MYTHO"]["solved_late"] == 1 and rows["DT.MYTHO"]["received"] == 6, rows
assert rows["DT.MYTHO"]["ontime_rate"] == 66.7, rows["DT.MYTHO"]
total = d["rows"][-1]
assert total["name"] == "Tổng cộng" and total["received"] == 7, total
assert any("Mẫu số: hồ sơ đã giải quyết" == c["header"] for c in d["columns"]), d["columns"]
PY
"$B" report book --period 2025-09 --unit DT.MYTHO --format csv >"$T/b.csv"
[ "$(grep -c . "$T/b.csv")" = 7 ] || fail "book rows"
grep -q "^\"1\",\"$D1\",\"Cấp Giấy xác nhận tình trạng hôn nhân\",\"1\",\"Nguyễn Văn Một\"" "$T/b.csv" || fail "book row: $(head -2 "$T/b.csv")"
"$B" report summary --period 2025 --format xlsx --out "$T/s.xlsx"
"$B" report book --period 2025 --format xlsx --out "$T/b.xlsx"
"$B" report index --period 2025-09 --parent DT --format xlsx --out "$T/i.xlsx"
for f in s b i; do
  python3 -c "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); assert 'xl/worksheets/sheet1.xml' in z.namelist()" "$T/$f.xlsx" || fail "$f.xlsx"
done
unzip -p "$T/b.xlsx" xl/sharedStrings.xml 2>/dev/null | grep -q "Sổ\|SỔ THEO DÕI" || unzip -p "$T/b.xlsx" xl/worksheets/sheet1.xml | grep -q "SỔ THEO DÕI" || fail "book title"
idx=$("$B" stats index --period 2025-09 --parent DT)
grep -q $'^1\tDT.CAOLANH\t' <<<"$idx" || fail "index: $idx"

# bad input: one line on stderr naming the value and the rule, exit 2, nothing on stdout
bad() {
  local out err st=0
  out=$("$B" "$@" 2>"$T/err") || st=$?
  [ $st = 2 ] || fail "$* exited $st"
  [ -z "$out" ] || fail "$* printed: $out"
  [ "$(grep -c . "$T/err")" = 1 ] || fail "$*: stderr $(cat "$T/err")"
}
bad stats show --period 2025-13
bad stats show --period 2025-09 --denominator processed
bad stats show --period 2025-09 --channel fax
bad stats show
bad stats show --period 2025-09 --unit NO.SUCH
bad stats dossiers --period 2025-09 --figure late
bad stats dossiers --period 2025-09
bad stats dossiers --period 2025-09 --figure steps_late --officer cv
bad stats dossiers --period 2025-09 --figure steps_late --officer cv --step 0
bad stats dossiers --period 2025-09 --figure received --step 1
bad stats frobnicate
bad report summary --period 2025 --format pdf
bad report summary --period 2025 --format xlsx
bad report summary --period 2025 --unit NO.SUCH
bad report index --period 2025 --parent NO.SUCH
bad report ledger --period 2025
bad stats index --period 2025 --set 766-1999x/..
echo "t-stats: ok"
