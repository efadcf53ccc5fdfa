#!/usr/bin/env bash
# t-preport.sh — `cchc report periodic` on Đồng Tháp's tree across the 1/7/2025 merger: a ward's
# yearly report includes the dossiers of the old wards merged into it, labelled; its figures
# freeze at submission (a later dossier changes nothing until the returned report is reopened
# and refreshed); the state machine's refusals exit 2 and change nothing; the province
# consolidates (the ward's figures listed, the other children missing); the .pdf and .xlsx
# carry the sections and the annex tables.
set -uo pipefail
export CCHC_BACKDATE_TOLERANCE=off # replays 2025 with --at
B=${1:?usage: t-preport.sh PATH_TO_cchc}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
source "$(dirname "$0")/../lib/testdb.sh"
CCHC_DB=$(testdb "$T/t.db")
export CCHC_DB
: "${CCHC_DATA:?}"
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
pr() { "$B" report periodic "$@" --actor cv.noivu --today 2025-12-20; }
# bad NAME FRAGMENT ARGS…: exit 2, one stderr line containing FRAGMENT, no stdout.
bad() {
  local name=$1 frag=$2
  shift 2
  pr "$@" >"$T/out" 2>"$T/err"
  local rc=$?
  if [ $rc -ne 2 ] || [ -s "$T/out" ] || ! grep -qF -- "$frag" "$T/err" || [ "$(wc -l <"$T/err")" -ne 1 ]; then
    fail "$name: rc=$rc stdout [$(cat "$T/out")] stderr [$(cat "$T/err")] want [$frag]"
  fi
}
jq_() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

"$B" init >/dev/null
"$B" import units "$CCHC_DATA/demo/units.csv" >/dev/null
"$B" import procedures "$CCHC_DATA/catalog/procedures.csv" >/dev/null
P=1.004873
recv() { "$B" dossier receive --unit "$1" --procedure $P --name "$2" --channel "$3" --at "$4" --actor cb | sed -n 's/^Mã hồ sơ:\t//p'; }
recv TG0.MYTHO.P1 "Lê Văn Cũ" direct 2025-05-05T08:00 >/dev/null # Phường 1 (Mỹ Tho), merged into DT.MYTHO
recv DT.MYTHO "Trần Thị Mới" online 2025-09-08T08:00 >/dev/null
recv DT.CAOLANH "Phạm Văn Ba" direct 2025-09-09T08:00 >/dev/null

bad "a period that is not a report's" "YYYY-CCHC-Q1" create --unit DT.MYTHO --period 2025-CCHC-Q2
bad "a calendar quarter" "YYYY-CCHC-Q1" create --unit DT.MYTHO --period 2025-Q1
bad "no unit" "needs --unit and --period" create --period 2025-CCHC-Y
bad "an unknown unit" "DT.NOWHERE" create --unit DT.NOWHERE --period 2025-CCHC-Y

ID=$(pr create --unit DT.MYTHO --period 2025-CCHC-Y) || fail "create"
[ "$ID" = 1 ] || fail "create printed [$ID]"
bad "the same report twice" "has the report 2025-CCHC-Y already" create --unit DT.MYTHO --period 2025-CCHC-Y
S1=$(pr show "$ID" --json)
[ "$(jq_ 'd["dossiers"]["received"]' <<<"$S1")" = 1 ] || fail "own dossiers: $S1"
[ "$(jq_ 'd["dossiers_all"]["received"]' <<<"$S1")" = 2 ] || fail "with the merged wards"
[ "$(jq_ '[m["unit"] for m in d["merged"] if m["dossiers"]["received"]]' <<<"$S1")" = "['TG0.MYTHO.P1']" ] ||
  fail "merged ward not labelled: $(jq_ 'd["merged"]' <<<"$S1")"
[ "$(jq_ 'd["period"]["from"], d["period"]["to"]' <<<"$S1")" = "2024-12-15 2025-12-14" ] || fail "data period"
[ "$(jq_ 'd["index"]["set"]' <<<"$S1")" = "766-2022" ] || fail "index"

# a period wholly after the merger reports the new tree alone
Q1=$(pr create --unit DT.MYTHO --period 2026-CCHC-Q1) || fail "2026 Q1"
[ "$(pr show "$Q1" --json | jq_ 'len(d["merged"])')" = 0 ] || fail "2026 Q1 lists merged units"
Q3=$(pr create --unit DT.MYTHO --period 2025-CCHC-Q3) || fail "Q3" # 15/6-14/9/2025 spans 1/7
[ "$(pr show "$Q3" --json | jq_ 'd["dossiers_all"]["received"]')" = 1 ] || fail "Q3: Mỹ Tho's September dossier alone"

# sections; bad text refused without a change
pr edit "$ID" --results "Hoàn thành 95% nhiệm vụ cải cách hành chính năm 2025." --causes "Thiếu nhân lực một cửa." >/dev/null || fail "edit"
bad "a control character" "control character" edit "$ID" --shortcomings "$(printf 'a\001b')"
bad "edit nothing" "at least one section" edit "$ID"
printf 'Triển khai dịch vụ công trực tuyến toàn trình.\nSố hóa hồ sơ.\n' >"$T/next.txt"
pr edit "$ID" --next "@$T/next.txt" >/dev/null || fail "edit from a file"
pr show "$ID" | grep -q "^section	next	Triển khai dịch vụ công" || fail "section from file: $(pr show "$ID")"
pr show "$ID" | grep -q "^section	shortcomings	$" || fail "a refused edit changed shortcomings"

# the parent acts only on a submitted report
bad "accept a draft" "is draft: 'accept' is not allowed" accept "$ID"
pr submit "$ID" >/dev/null || fail "submit"
bad "edit after submission" "is submitted: 'edit' is not allowed" edit "$ID" --results x
bad "refresh after submission" "is submitted: 'refresh' is not allowed" refresh "$ID"
bad "return without a reason" "needs a reason" return "$ID"

# figures are frozen: a dossier received later does not move the submitted report
recv DT.MYTHO "Đỗ Văn Sau" direct 2025-10-01T08:00 >/dev/null
[ "$(pr show "$ID" --json)" = "$S1" ] || fail "a submitted report's snapshot changed"

pr return "$ID" --note "Bổ sung số liệu tháng 10" >/dev/null || fail "return"
pr show "$ID" | grep -q "^return_reason	Bổ sung số liệu tháng 10" || fail "reason"
bad "submit a returned report" "is returned: 'submit' is not allowed" submit "$ID"
pr reopen "$ID" >/dev/null || fail "reopen"
pr refresh "$ID" >/dev/null || fail "refresh"
[ "$(pr show "$ID" --json | jq_ 'd["dossiers"]["received"]')" = 2 ] || fail "refresh did not take the new dossier"
pr submit "$ID" >/dev/null && pr accept "$ID" >/dev/null || fail "submit, accept"
bad "accept twice" "is accepted: 'accept' is not allowed" accept "$ID"
[ "$(pr history "$ID" | cut -f3 | tr '\n' ' ')" = "create edit edit submit return reopen refresh submit accept " ] ||
  fail "history: $(pr history "$ID")"

# the province consolidates: Mỹ Tho's figures, the other children missing
pr children --unit DT --period 2025-CCHC-Y >"$T/kids"
grep -q "^DT.MYTHO	Phường Mỹ Tho	accepted	$ID$" "$T/kids" || fail "children: $(cat "$T/kids")"
grep -q "^DT.CAOLANH	Phường Cao Lãnh	missing	-$" "$T/kids" || fail "missing child"
grep -q "^DT.MYTHO.MC" "$T/kids" && fail "a desk listed as a child"
PV=$(pr create --unit DT --period 2025-CCHC-Y --consolidate) || fail "province"
SP=$(pr show "$PV" --json)
[ "$(jq_ 'd["children"]["submitted"]' <<<"$SP")" = 1 ] || fail "submitted children"
[ "$(jq_ '[k["status"] for k in d["children"]["units"] if k["unit"]=="DT.CAOLANH"][0]' <<<"$SP")" = missing ] || fail "Cao Lãnh missing"
[ "$(jq_ 'd["children"]["total"]["dossiers"]["received"]' <<<"$SP")" = 3 ] ||
  fail "children's total is Mỹ Tho's frozen 2 + 1 merged: $(jq_ 'd["children"]["total"]' <<<"$SP")"
# the province's own figures include the old provinces merged into it
[ "$(jq_ 'sorted(m["unit"] for m in d["merged"])' <<<"$SP")" = "['DT0', 'TG0']" ] || fail "province merged: $(jq_ '[m["unit"] for m in d["merged"]]' <<<"$SP")"
[ "$(jq_ 'd["dossiers_all"]["received"]' <<<"$SP")" = 4 ] || fail "province all dossiers"
[ "$(pr list --unit DT --period 2025-CCHC-Y | cut -f2,4 | tr '\n' ' ')" = "DT	draft DT.MYTHO	accepted " ] || fail "list: $(pr list --unit DT --period 2025-CCHC-Y)"
[ "$(pr list --parent DT | cut -f2 | sort -u)" = DT.MYTHO ] || fail "list --parent"

# the documents
pr export "$ID" --format pdf --out "$T/w.pdf" || fail "pdf"
pdftotext -layout "$T/w.pdf" "$T/w.txt"
for want in "BÁO CÁO CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM 2025" "Phường Mỹ Tho" "Đã tiếp nhận" \
  "I. Kết quả đạt được" "Hoàn thành 95% nhiệm vụ" "IV. Nhiệm vụ trọng tâm thời gian tới" \
  "Biểu số 01. Kết quả giải quyết thủ tục hành chính" "Phường 1 (thành phố Mỹ Tho)" \
  "Tổng cộng (gồm đơn vị đã sáp nhập)" "Biểu số 02. Chỉ số phục vụ" "Biểu số 04" "Biểu số 06"; do
  grep -qF "$want" "$T/w.txt" || fail "pdf lacks [$want]"
done
pr export "$PV" --format pdf --out "$T/p.pdf" || fail "province pdf"
pdftotext -layout "$T/p.pdf" "$T/p.txt"
grep -q "Biểu số 07. Tổng hợp báo cáo của các đơn vị trực thuộc" "$T/p.txt" || fail "consolidated table"
grep -q "Chưa có báo cáo" "$T/p.txt" || fail "missing child in the pdf"
grep -q "(TỔNG HỢP)" "$T/p.txt" || fail "consolidated title"
pr export "$ID" --format xlsx --out "$T/w.xlsx" || fail "xlsx"
unzip -p "$T/w.xlsx" xl/sharedStrings.xml >"$T/ss.xml"
for want in "Kết quả đạt được" "Hoàn thành 95% nhiệm vụ" "Biểu số 01. Kết quả giải quyết thủ tục hành chính" \
  "Phường 1 (thành phố Mỹ Tho) (đã sáp nhập, đến 30/06/2025)"; do
  grep -qF "$want" "$T/ss.xml" || fail "xlsx lacks [$want]"
done
[ "$(unzip -l "$T/w.xlsx" | grep -c 'xl/worksheets/sheet')" -ge 7 ] || fail "xlsx sheets"
bad "export without a format" "must be xlsx or pdf" export "$ID" --out "$T/x"
bad "export to csv" "must be xlsx or pdf" export "$ID" --format csv --out "$T/x"
bad "an unknown report" "report #99 does not exist" show 99

[ $fails -eq 0 ] && echo "t-preport: ok"
exit $((fails > 0))
