#!/usr/bin/env bash
# t-book-pdf.sh — the tracking book (Sổ theo dõi hồ sơ; Mẫu 07 of Circular 03/2025/TT-VPCP
# from 15/9/2025, Mẫu 06 of Circular 01/2018/TT-VPCP before) as a PDF register from `cchc
# report book --format pdf`: landscape A4, fonts embedded, the title of the period's form, the
# column headers on every page, the dossiers in Vietnamese dates; bad requests write nothing.
set -euo pipefail
B=${1:?usage: t-book-pdf.sh PATH_TO_cchc}
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
"$B" seed --dossiers 300 --year 2025 >/dev/null

"$B" report book --period 2025-Q4 --format pdf --out "$T/q4.pdf" 2>/dev/null || fail "book pdf"
pdfinfo "$T/q4.pdf" >"$T/info"
grep -q 'Page size: *841.89 x 595.276 pts (A4)' "$T/info" || fail "not landscape A4: $(cat "$T/info")"
pages=$(awk '/^Pages:/ { print $2 }' "$T/info")
[ "$pages" -ge 2 ] || fail "a quarter's book on $pages page(s)"
pdffonts "$T/q4.pdf" | awk 'NR > 2 && $(NF-4) != "yes" { bad = 1 } END { exit bad }' || fail "a font not embedded: $(pdffonts "$T/q4.pdf")"
pdftotext -f 1 -l 1 "$T/q4.pdf" - | tr '\n' ' ' >"$T/p1.txt"
for s in "SỔ THEO DÕI HỒ SƠ (Mẫu số 07, Thông tư 03/2025/TT-VPCP)" "Kỳ báo cáo: từ ngày 01/10/2025 đến ngày 31/12/2025" \
         "Mã hồ sơ" "Tên thủ tục hành chính" "Hẹn trả kết quả" "Trang 1"; do
  grep -qF "$s" "$T/p1.txt" || fail "page 1 lacks '$s': $(head -c 600 "$T/p1.txt")"
done
grep -qE '[0-9]{2}:[0-9]{2} [0-9]{2}/1[0-2]/2025' "$T/p1.txt" || fail "no Vietnamese instant on page 1"
pdftotext -f 2 -l 2 "$T/q4.pdf" - | tr '\n' ' ' >"$T/p2.txt"
grep -qF "Mã hồ sơ" "$T/p2.txt" && grep -qF "Trang 2" "$T/p2.txt" || fail "page 2 lacks the headers or its number"
# every dossier of the JSON book is in the PDF
"$B" report book --period 2025-Q4 --format json >"$T/q4.json" 2>/dev/null
n=$(jq '.rows | length' "$T/q4.json")
pdftotext "$T/q4.pdf" - | tr -d '\n ' >"$T/all.txt"
missing=0
for c in $(jq -r '.rows[].code' "$T/q4.json"); do grep -qF "${c//[ ]/}" "$T/all.txt" || missing=$((missing+1)); done
[ "$missing" = 0 ] || fail "$missing of $n dossiers missing from the PDF"

# before 15/9/2025 the book is Mẫu 06 of Circular 01/2018
"$B" report book --period 2025-03 --format pdf --out "$T/m3.pdf" 2>/dev/null
pdftotext -l 1 "$T/m3.pdf" - | tr '\n' ' ' | grep -qF "(Mẫu số 06, Thông tư 01/2018/TT-VPCP)" || fail "March 2025 book title"

# bad requests: exit 2, nothing written
set +e
msg=$("$B" report book --period 2025-Q4 --format pdf 2>&1); rc=$?
set -e
[ $rc = 2 ] && grep -q "an .pdf report needs --out FILE" <<<"$msg" || fail "pdf without --out: $rc $msg"
set +e
msg=$("$B" report book --period 2025-Q4 --format pdfx --out "$T/x.pdf" 2>&1); rc=$?
set -e
[ $rc = 2 ] && grep -q "'pdfx': must be json, csv, xlsx or pdf" <<<"$msg" && [ ! -e "$T/x.pdf" ] || fail "bad format: $rc $msg"
set +e
msg=$("$B" report index --period 2025 --format pdf --out "$T/ix.pdf" 2>&1); rc=$?
set -e
# the index's PDF prints the rank, the total and the group points (an indicator's points stay
# in json/csv/xlsx: more columns than a landscape page holds)
[ $rc = 0 ] && [ "$(head -c 5 "$T/ix.pdf")" = "%PDF-" ] || fail "index as pdf: $rc $msg"
if command -v pdftotext >/dev/null; then
  # into a file first: grep -q would close the pipe early and pipefail fail the writer
  pdftotext "$T/ix.pdf" "$T/ix.txt"
  grep -q "CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP" "$T/ix.txt" || fail "index pdf title: $(head -3 "$T/ix.txt")"
fi
echo "ok t-book-pdf"
