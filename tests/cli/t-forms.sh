#!/usr/bin/env bash
# t-forms.sh — `cchc dossier form`: every form of a dossier as an A4 PDF whose Vietnamese text
# pdftotext reads back, with the form number, circular and decree of the document's own date
# (either side of 1/7/2025 and 15/9/2025), the procedure's name on the receipt, the 24/11
# holiday in the appointment, a QR code that zbarimg decodes from a pdftoppm rendering, and
# bad input refused with exit 2 and no file written.
set -u
export CCHC_BACKDATE_TOLERANCE=off # replays 2025 with --at: nothing is backdated (t-backdate.sh tests the rule)
CCHC=${1:?usage: t-forms.sh PATH_TO_cchc}
DATA=${CCHC_DATA:-$(cd "$(dirname "$0")/../../data" && pwd)}
FIX=${CCHC_TESTDATA:-$(cd "$(dirname "$0")/../data" && pwd)}/api
export CCHC_DATA=$DATA
unset CCHC_PUBLIC_URL
fails=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/../lib/testdb.sh"
db=$(testdb "$tmp/t.db")
KEYS=${CCHC_KEYS:-$db.keys} # beside the file; on PostgreSQL the directory of $CCHC_KEYS

fail() { echo "FAIL $*"; fails=$((fails+1)); }
run() { "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?; }
text() { pdftotext "$1" - 2>/dev/null | tr '\n' ' ' | tr -s ' '; }
# has PDF LABEL FRAGMENT…: the PDF's text contains every fragment.
has() {
  local pdf=$1 label=$2; shift 2
  text "$pdf" >"$tmp/txt"
  local f
  for f in "$@"; do
    grep -qF -- "$f" "$tmp/txt" || fail "$label: '$f' not in the PDF text: $(head -c 1500 "$tmp/txt")"
  done
}
hasnt() {
  local pdf=$1 label=$2; shift 2
  text "$pdf" >"$tmp/txt"
  local f
  for f in "$@"; do
    grep -qF -- "$f" "$tmp/txt" && fail "$label: '$f' should not be in the PDF text"
  done
  return 0
}
form() { # CODE NN OUT: writes the form, must succeed
  run "$CCHC" dossier form "$1" --form "$2" --out "$3" --db "$db"
  [ $rc -eq 0 ] || fail "form $2 of $1: rc=$rc $(cat "$tmp/err")"
  grep -q "wrote $3" "$tmp/out" || fail "form $2 of $1: does not say where it wrote: $(cat "$tmp/out")"
}
bad_form() { # LABEL FRAGMENT CODE NN: exit 2, the fragment on stderr, no file
  local label=$1 frag=$2
  rm -f "$tmp/bad.pdf"
  run "$CCHC" dossier form "$3" --form "$4" --out "$tmp/bad.pdf" --db "$db"
  [ $rc -eq 2 ] || fail "$label: rc=$rc (want 2) $(cat "$tmp/err")"
  grep -qF -- "$frag" "$tmp/err" || fail "$label: stderr [$(cat "$tmp/err")] lacks [$frag]"
  [ -s "$tmp/out" ] && fail "$label: wrote to stdout: $(cat "$tmp/out")"
  [ -e "$tmp/bad.pdf" ] && fail "$label: a file was written"
  ls "$tmp" | grep -q 'bad.pdf.tmp' && fail "$label: a temporary file was left"
  return 0
}
receive() { # UNIT AT [PROCEDURE]: prints the new code
  "$CCHC" dossier receive --db "$db" --unit "$1" --procedure "${3:-9.000001}" \
    --name "Nguyễn Thị Hồng Nhung" --idno 012345678901 --phone 0912345678 \
    --address "Số 5, đường Lê Lợi" --at "$2" | awk -F'\t' '/^Mã hồ sơ:/ {print $2}'
}

# The fixture units exist from 2019 here, so dossiers of the old period can be received.
sed 's/2025-07-01/2019-01-01/g' "$FIX/units.csv" >"$tmp/units.csv"
cat "$FIX/procedures.csv" >"$tmp/procs.csv"
printf '%s\n' '9.000003,Cấp bản sao trích lục hộ tịch (thử nghiệm),Hộ tịch,commune,3,wd,partial,,8000,,Tờ khai,Giải quyết | leader@commune | 100%,Dữ liệu kiểm thử' >>"$tmp/procs.csv"
run "$CCHC" init --db "$db"
grep -q "document-signing key .* (new, current)" "$tmp/out" || fail "init: no key made: $(cat "$tmp/out") $(cat "$tmp/err")"
[ "$(stat -c %a "$KEYS")" = 700 ] || fail "key directory mode $(stat -c %a "$KEYS"), want 700"
[ "$(stat -c %a "$KEYS"/*.sk)" = 600 ] || fail "key file mode, want 600"
run "$CCHC" init --db "$db"
grep -q "(new" "$tmp/out" && fail "a second init made a new key: $(cat "$tmp/out")"
"$CCHC" import units "$tmp/units.csv" --db "$db" >/dev/null || fail "import units"
"$CCHC" import procedures "$tmp/procs.csv" --db "$db" >/dev/null || fail "import procedures"

# 1. The receipt either side of 1/7/2025 (decree) and of 15/9/2025 (circular).
OLD=$(receive P.A 2025-06-30T09:00)
MID=$(receive P.A 2025-09-12T09:00)
NEW=$(receive P.A 2025-09-15T09:00)
form "$OLD" 01 "$tmp/old.pdf"
has "$tmp/old.pdf" "receipt 30/6/2025" "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" "Mẫu số 01 — Thông tư 01/2018/TT-VPCP" \
  "Nghị định 61/2018/NĐ-CP" "Thủ tục thử nghiệm ba bước" "Nguyễn Thị Hồng Nhung" "*********901" \
  "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" "Độc lập - Tự do - Hạnh phúc" "Thử Nghiệm, ngày 30 tháng 06 năm 2025" \
  "PHƯỜNG AN BÌNH" "Mã hồ sơ: $OLD" "NGƯỜI TIẾP NHẬN HỒ SƠ"
hasnt "$tmp/old.pdf" "receipt 30/6/2025" "012345678901" "0912345678" "Nghị định 118/2025" "verify"
form "$MID" 01 "$tmp/mid.pdf"
has "$tmp/mid.pdf" "receipt 12/9/2025" "Thông tư 01/2018/TT-VPCP" "Nghị định 118/2025/NĐ-CP"
form "$NEW" 1 "$tmp/new.pdf"
has "$tmp/new.pdf" "receipt 15/9/2025" "Mẫu số 01 — Thông tư 03/2025/TT-VPCP" "Nghị định 118/2025/NĐ-CP"
pdffonts "$tmp/new.pdf" | awk 'NR > 2 && $(NF-4) != "yes" {exit 1}' || fail "a font is not embedded: $(pdffonts "$tmp/new.pdf")"
pdfinfo "$tmp/new.pdf" | grep -q "Page size: *595.276 x 841.89" || fail "not A4: $(pdfinfo "$tmp/new.pdf")"

# 2. The appointment skips 24/11/2026 (Ngày Văn hóa Việt Nam): received Friday 20/11/2026,
# 3 working days, due Thursday 26/11/2026.
CUL=$(receive P.A 2026-11-20T10:00 9.000003)
form "$CUL" 01 "$tmp/cul.pdf"
has "$tmp/cul.pdf" "receipt 20/11/2026" "17 giờ 00 phút, ngày 26/11/2026" "Cấp bản sao trích lục hộ tịch (thử nghiệm)" "3 ngày làm việc"

# The text receipt of the CLI names the procedure too, not only its code.
"$CCHC" dossier show "$CUL" --db "$db" | grep -qxF "$(printf 'Thủ tục:\tCấp bản sao trích lục hộ tịch (thử nghiệm) (9.000003)')" ||
  fail "cchc dossier show: the receipt does not name the procedure: $("$CCHC" dossier show "$CUL" --db "$db" | grep Thủ)"

# 3. The QR code decodes to the verification address of this document.
pdftoppm -r 150 -png -f 1 -l 1 "$tmp/cul.pdf" "$tmp/cul" || fail "pdftoppm"
url=$(zbarimg -q --raw "$tmp"/cul-1.png 2>/dev/null)
case $url in
  "http://127.0.0.1:8080/verify/$CUL?f=01&i=202611201000&h=202611261700&t="*) ;;
  *) fail "QR code: '$url'" ;;
esac
run "$CCHC" dossier form "$CUL" --form 01 --out "$tmp/cul2.pdf" --db "$db" --base-url https://dvc.example.vn/
pdftoppm -r 150 -png -f 1 -l 1 "$tmp/cul2.pdf" "$tmp/cul2"
zbarimg -q --raw "$tmp"/cul2-1.png 2>/dev/null | grep -q "^https://dvc.example.vn/verify/$CUL?" ||
  fail "--base-url not in the QR code"

# 4. The other forms, each in its own period's numbering.
"$CCHC" dossier supplement "$NEW" --reason "Bổ sung bản sao giấy khai sinh có chứng thực" --at 2025-09-16T08:00 --db "$db" >/dev/null
form "$NEW" 02 "$tmp/sup.pdf"
has "$tmp/sup.pdf" "supplement" "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" "Bổ sung bản sao giấy khai sinh có chứng thực" "Mẫu số 02 — Thông tư 03/2025/TT-VPCP"
"$CCHC" dossier refuse "$MID" --reason "Hồ sơ không thuộc thẩm quyền giải quyết" --at 2025-09-12T10:00 --db "$db" >/dev/null
form "$MID" 03 "$tmp/ref.pdf"
has "$tmp/ref.pdf" "refusal" "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" "Hồ sơ không thuộc thẩm quyền giải quyết" "Thông tư 01/2018/TT-VPCP"
"$CCHC" dossier advance "$OLD" --at 2025-06-30T10:00 --db "$db" >/dev/null
"$CCHC" dossier apologise "$OLD" --new-due 2025-07-25T17:00 --reason "Cần xác minh thêm tại địa phương" --at 2025-07-18T09:00 --db "$db" >/dev/null
form "$OLD" 04 "$tmp/apo.pdf"
has "$tmp/apo.pdf" "apology under Circular 01/2018" "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" "Cần xác minh thêm tại địa phương" "17 giờ 00 phút, ngày 25/07/2025" "Nghị định 118/2025/NĐ-CP" \
  "văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"
hasnt "$tmp/apo.pdf" "apology" "verify"
form "$OLD" 05 "$tmp/ctl-old.pdf"
has "$tmp/ctl-old.pdf" "control sheet, old numbering" "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" "Mẫu số 05 — Thông tư 01/2018/TT-VPCP" "Bước 1"
CAN=$(receive P.A 2026-03-02T08:00)
"$CCHC" dossier cancel "$CAN" --reason "Nhập trùng hồ sơ" --at 2026-03-02T09:00 --db "$db" >/dev/null
form "$CAN" 05 "$tmp/stop.pdf"
has "$tmp/stop.pdf" "stop notice" "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" "Nhập trùng hồ sơ" "Mẫu số 05 — Thông tư 03/2025/TT-VPCP"
form "$CAN" 06 "$tmp/ctl.pdf"
has "$tmp/ctl.pdf" "control sheet" "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" "Mẫu số 06 — Thông tư 03/2025/TT-VPCP"

# The tracking book (a register, xlsx/CSV/JSON through cchc report book) cites the form of the
# period's last day: Mẫu 06 of Circular 01/2018 before 15/9/2025, Mẫu 07 of Circular 03/2025 after.
"$CCHC" report book --period 2025-08 --db "$db" --format json | jq -r .title >"$tmp/t1"
grep -qxF "SỔ THEO DÕI HỒ SƠ (Mẫu số 06, Thông tư 01/2018/TT-VPCP)" "$tmp/t1" || fail "book 2025-08: $(cat "$tmp/t1")"
"$CCHC" report book --period 2026-11 --db "$db" --format json | jq -r .title >"$tmp/t2"
grep -qxF "SỔ THEO DÕI HỒ SƠ (Mẫu số 07, Thông tư 03/2025/TT-VPCP)" "$tmp/t2" || fail "book 2026-11: $(cat "$tmp/t2")"

# The control sheets of a period as one table (JSON, CSV, xlsx), the form of the period's last day.
"$CCHC" report control --period 2025-06 --db "$db" --format json >"$tmp/c1.json" || fail "report control 2025-06"
jq -e --arg c "$OLD" '.title == "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ (Mẫu số 05, Thông tư 01/2018/TT-VPCP)"
  and (.rows | map(select(.code == $c and .step == 1)) | length == 1)' "$tmp/c1.json" >/dev/null ||
  fail "report control 2025-06: $(head -c 600 "$tmp/c1.json")"
"$CCHC" report control --period 2026 --db "$db" --format xlsx --out "$tmp/c2.xlsx" || fail "report control xlsx"
python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); sys.stdout.write("".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()))' "$tmp/c2.xlsx" |
  grep -q "Mẫu số 06, Thông tư 03/2025/TT-VPCP" ||
  fail "report control xlsx: title"
run "$CCHC" report controls --period 2026 --db "$db"
[ $rc -eq 2 ] && grep -q "control" "$tmp/err" || fail "unknown report: rc=$rc $(cat "$tmp/err")"

# 5. Bad input: exit 2, the reason, nothing written.
bad_form "unknown form" "form '09': no circular" "$NEW" 09
bad_form "malformed form" "expected a form number" "$NEW" abc
bad_form "refusal of a dossier not refused" "does not apply to a dossier in state 'supplement_requested'" "$NEW" 03
bad_form "stop notice of a processing dossier" "neither cancelled nor paused" "$CUL" 05
bad_form "tracking book" "cchc report book" "$CUL" 07
bad_form "form 07 before 15/9/2025" "not in force" "$OLD" 07
bad_form "unknown dossier" "no such dossier" "000.00.31.H99-991231-0001" 01
run "$CCHC" dossier form "$NEW" --form 01 --db "$db"
[ $rc -eq 2 ] && grep -q -- "--out" "$tmp/err" || fail "missing --out: rc=$rc $(cat "$tmp/err")"
mkdir -p "$tmp/nokeys"
run "$CCHC" dossier form "$NEW" --form 01 --out "$tmp/nk.pdf" --db "$db" --keys "$tmp/nokeys"
[ $rc -ne 0 ] && grep -q "cchc init" "$tmp/err" && [ ! -e "$tmp/nk.pdf" ] || fail "no key: rc=$rc $(cat "$tmp/err")"

[ $fails -eq 0 ] && echo "ok t-forms" || { echo "$fails failure(s)"; exit 1; }
