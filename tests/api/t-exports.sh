#!/usr/bin/env bash
# t-exports.sh — "Xuất Excel" and "Xuất PDF" of the tables (src/http/export.c, issue 13) on a
# real server: each export downloads; the xlsx opens (python3 zipfile + the sheet XML) with
# Vietnamese headers, numbers as numbers and dates as date serials; the PDF is a PDF whose text
# (pdftotext) holds the Vietnamese title, the unit and 1.234,5-style figures; the file name
# names the table, unit and period; the page's filters hold; a unit's officer gets only the
# unit's rows, and a unit outside the scope is 404 as in JSON; a bad format is a 400.
source "$(dirname "$0")/lib.sh" "$1"
command -v pdftotext >/dev/null || fail "pdftotext missing (poppler-utils, scripts/deps.sh)"
setup_db
# the province's PAR criteria set, whose areas the reform plan's tasks use
"$CCHC" par import-set "${CCHC_DATA:-$DATA/../../../data}/par/moha-876-province-2022.csv" --db "$DB" >/dev/null
# the communes' set, whose areas an initiative of a ward takes
"$CCHC" par import-set "${CCHC_DATA:-$DATA/../../../data}/par/commune-ht-3396-2021.csv" --db "$DB" >/dev/null
# the queue's counters, and a procedure with a fee paid online through the built-in provider
"$CCHC" import counters "$DATA/counters.csv" --db "$DB" >/dev/null
cat >"$T/fee.csv" <<'CSV'
code,name,field,level,time_amount,time_unit,online,fee_vnd,fee_note,steps,documents
9.000016,Thủ tục thử nghiệm có lệ phí,Thử nghiệm,commune,3,wd,full,1250000,,"Tiếp nhận | desk | 20%
Giải quyết | leader | 80%",Đơn
CSV
"$CCHC" import procedures "$T/fee.csv" --db "$DB" >/dev/null
"$CCHC" testpay --port 0 --secret khoa-thu-nghiem >"$T/tp.out" 2>"$T/tp.err" &
TP_PID=$!
trap 'kill $TP_PID 2>/dev/null || true; cleanup' EXIT
for i in $(seq 100); do grep -q 127.0.0.1 "$T/tp.out" 2>/dev/null && break; sleep 0.05; done
TP=$(grep -o 'http://127.0.0.1:[0-9]*' "$T/tp.out") || fail "testpay did not start: $(cat "$T/tp.err")"
start_server --pay-provider-url "$TP" --pay-secret khoa-thu-nghiem --pay-sync-seconds 0
for u in desk_a leader_a desk_b leader_b admin_p admin_a specialist_a; do login "$u"; done

receive() { # DESK UNIT AT -> code
  req -u "$1" POST /api/dossiers "{\"unit\":\"$2\",\"procedure\":\"9.000002\",\"applicant_name\":\"Lê Văn Tư\",\"at\":\"$3\"}"
  expect 201 "receive in $2"
  field .code
}
step() { # USER CODE ACTION AT
  req -u "$1" POST "/api/dossiers/$2/$3" "{\"at\":\"$4\"}"
  expect 200 "$3 $2"
}
A1=$(receive desk_a P.A 2025-09-08T08:00)
A2=$(receive desk_a P.A 2025-09-08T09:00)
B1=$(receive desk_b P.B 2025-09-08T08:00)
step desk_a "$A1" advance 2025-09-08T08:10
step leader_a "$A1" finish 2025-09-08T16:00 # on time
step desk_a "$A2" advance 2025-09-08T09:10
step leader_a "$A2" finish 2025-09-09T09:00 # late
step desk_b "$B1" advance 2025-09-08T08:10
step leader_b "$B1" finish 2025-09-08T10:00

# dl USER PATH: downloads into $T/dl (headers $T/dl.h), sets STATUS; USER "-" is anonymous.
dl() {
  local auth=()
  [ "$1" != - ] && auth=(-b "$T/$1.jar")
  STATUS=$(curl -s -o "$T/dl" -D "$T/dl.h" -w '%{http_code}' --max-time 20 "${auth[@]}" "$BASE$2") ||
    STATUS=000
}
header() { grep -i "^$1:" "$T/dl.h" | cut -d' ' -f2- | tr -d '\r'; }
XLSX_TYPE=application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
# cells: the first sheet of $T/dl as lines "ROW<TAB>REF<TAB>s|n<TAB>VALUE" (s: a string, n: a
# number), after checking the file is a zip with a workbook.
cells() {
  python3 - "$T/dl" <<'EOF'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
names = z.namelist()
assert "xl/workbook.xml" in names, names
shared = []
if "xl/sharedStrings.xml" in names:
    for si in re.findall(r"<si>(.*?)</si>", z.read("xl/sharedStrings.xml").decode(), re.S):
        shared.append("".join(re.findall(r"<t[^>]*>(.*?)</t>", si, re.S)))
sheet = z.read("xl/worksheets/sheet1.xml").decode()
for c in re.finditer(r'<c r="([A-Z]+)([0-9]+)"([^>]*?)(?:/>|>(.*?)</c>)', sheet, re.S):
    col, row, attrs, inner = c.groups()
    v = re.search(r"<v>(.*?)</v>", inner or "")
    t = re.search(r'\bt="(\w+)"', attrs)
    if not v:
        is_ = re.search(r"<t[^>]*>(.*?)</t>", inner or "", re.S)
        if is_: print(f"{row}\t{col}{row}\ts\t{is_.group(1)}")
        continue
    if t and t.group(1) == "s":
        print(f"{row}\t{col}{row}\ts\t{shared[int(v.group(1))]}")
    elif t:
        print(f"{row}\t{col}{row}\ts\t{v.group(1)}")
    else:
        print(f"{row}\t{col}{row}\tn\t{v.group(1)}")
EOF
}
is_pdf() { [ "$(head -c 5 "$T/dl")" = "%PDF-" ] && pdftotext -layout "$T/dl" "$T/dl.txt"; }

# --- the units table of the province's administrator: xlsx ----------------------------------------
dl admin_p "/api/stats/units?unit=P&period=2025-09&format=xlsx"
[ "$STATUS" = 200 ] || fail "units xlsx: status $STATUS: $(cat "$T/dl")"
[ "$(header Content-Type)" = "$XLSX_TYPE" ] || fail "units xlsx type: $(cat "$T/dl.h")"
header Content-Disposition | grep -q 'filename="ty-le-dung-han-P-2025-09.xlsx"' ||
  fail "units xlsx name: $(header Content-Disposition)"
cells >"$T/cells" || fail "units xlsx does not open"
grep -q $'\ts\tTỶ LỆ GIẢI QUYẾT HỒ SƠ ĐÚNG HẠN THEO ĐƠN VỊ' "$T/cells" || fail "xlsx title: $(head "$T/cells")"
grep -q $'\ts\tĐơn vị: .*(P) · Kỳ báo cáo: từ ngày 01/09/2025 đến ngày 30/09/2025' "$T/cells" ||
  fail "xlsx subtitle: $(head "$T/cells")"
grep -q $'\ts\tTỷ lệ đúng hạn$' "$T/cells" || fail "xlsx Vietnamese header: $(cat "$T/cells")"
row=$(awk -F'\t' '$3 == "s" && $4 == "P.A" {print $1}' "$T/cells")
[ -n "$row" ] || fail "no P.A row: $(cat "$T/cells")"
# P.A received 2 (column C), a number; the rate 1/2 = 500 permille as 0.5 in a percent cell
awk -F'\t' -v r="$row" '$1 == r' "$T/cells" >"$T/pa"
grep -q $'^'"$row"$'\tC'"$row"$'\tn\t2$' "$T/pa" || fail "received of P.A not the number 2: $(cat "$T/pa")"
grep -q $'\tK'"$row"$'\tn\t0.5$' "$T/pa" || fail "rate of P.A not the number 0.5: $(cat "$T/pa")"
grep -q $'\ts\tP.B$' "$T/cells" || fail "the administrator's export lacks P.B"

# --- the same table as PDF: the Vietnamese title, the unit, 50,0% --------------------------------
dl admin_p "/api/stats/units?unit=P&period=2025-09&format=pdf"
[ "$STATUS" = 200 ] && [ "$(header Content-Type)" = application/pdf ] || fail "units pdf: $STATUS $(cat "$T/dl.h")"
header Content-Disposition | grep -q 'filename="ty-le-dung-han-P-2025-09.pdf"' || fail "pdf name"
is_pdf || fail "units pdf is not a PDF"
grep -q 'TỶ LỆ GIẢI QUYẾT HỒ SƠ ĐÚNG HẠN THEO ĐƠN VỊ' "$T/dl.txt" || fail "pdf title: $(head -5 "$T/dl.txt")"
grep -q 'từ ngày 01/09/2025 đến ngày 30/09/2025' "$T/dl.txt" || fail "pdf period"
grep -q '50,0%' "$T/dl.txt" || fail "pdf rate 50,0%: $(cat "$T/dl.txt")"

# --- a unit's officer: only the unit's scope, as in JSON ------------------------------------------
dl leader_a "/api/dossiers?format=xlsx"
[ "$STATUS" = 200 ] || fail "dossiers xlsx of leader_a: $STATUS $(cat "$T/dl")"
cells >"$T/cells" || fail "dossiers xlsx does not open"
grep -q $'\ts\t'"$A1"'$' "$T/cells" && grep -q $'\ts\t'"$A2"'$' "$T/cells" || fail "leader_a's dossiers missing"
! grep -q "$B1" "$T/cells" || fail "leader_a's export holds P.B's dossier $B1"
grep -q $'\ts\t9.000002 — ' "$T/cells" || fail "procedure names: $(cat "$T/cells")"
# the reception instant 08/09/2025 08:00 as a date serial (45908 + 8/24)
grep -Eq $'\tn\t45908\\.33' "$T/cells" || fail "reception not a date serial: $(cat "$T/cells")"
dl leader_a "/api/dossiers?format=pdf"
is_pdf && grep -q 'DANH SÁCH HỒ SƠ' "$T/dl.txt" && grep -q "$A1" "$T/dl.txt" && ! grep -q "$B1" "$T/dl.txt" ||
  fail "leader_a's dossier PDF: $(cat "$T/dl.txt")"
dl leader_a "/api/stats/units?unit=P&period=2025-09&format=xlsx"
[ "$STATUS" = 404 ] || fail "leader_a's export of P: status $STATUS, expected 404 as in JSON"
dl leader_a "/api/stats/units?unit=P.B&period=2025-09&format=pdf"
[ "$STATUS" = 404 ] || fail "leader_a's export of P.B: status $STATUS"
dl - "/api/stats/units?unit=P.A&period=2025-09&format=xlsx"
[ "$STATUS" = 401 ] || fail "anonymous export: status $STATUS"

# --- the page's filter: the late drill-down holds A2 only -----------------------------------------
dl leader_a "/api/stats/dossiers?unit=P.A&period=2025-09&figure=solved_late&format=xlsx"
[ "$STATUS" = 200 ] || fail "drill-down xlsx: $STATUS $(cat "$T/dl")"
header Content-Disposition | grep -q 'filename="ho-so-chi-tiet-P.A-2025-09.xlsx"' || fail "drill name"
cells >"$T/cells"
grep -q "$A2" "$T/cells" && ! grep -q "$A1" "$T/cells" || fail "drill-down filter lost: $(cat "$T/cells")"

# --- officers, the public page (no sign-in), the 766 index as PDF ---------------------------------
dl leader_a "/api/stats/officers?unit=P.A&period=2025-09&format=pdf"
is_pdf && grep -q 'KẾT QUẢ XỬ LÝ THEO CÔNG CHỨC VÀ BƯỚC' "$T/dl.txt" || fail "officers pdf"
dl leader_a "/api/stats?unit=P.A&period=2025-09&format=pdf"
is_pdf && grep -q 'CÁC TỶ LỆ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH' "$T/dl.txt" || fail "rates pdf: $(head -5 "$T/dl.txt")"
grep -q 'Tỷ lệ giải quyết đúng hạn (gồm trước hạn) *50,0%' "$T/dl.txt" || fail "rates pdf: the on-time rate by name: $(cat "$T/dl.txt")"
header Content-Disposition | grep -q 'filename="cac-ty-le-P.A-2025-09.pdf"' || fail "rates name"
dl - "/api/public/stats?unit=P&period=2025-09&format=xlsx"
[ "$STATUS" = 200 ] && cells >"$T/cells" || fail "public stats xlsx: $STATUS"
grep -q $'\ts\tCÔNG KHAI KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH' "$T/cells" || fail "public title"
dl admin_p "/api/reports/index?parent=P&period=2025-09&format=pdf"
[ "$STATUS" = 200 ] && is_pdf || fail "766 index pdf: status $STATUS $(head -c 300 "$T/dl")"
grep -q 'CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP' "$T/dl.txt" || fail "766 pdf title"
# the developers' "(verify …)" notes of the indicator set stay out of documents for people
! grep -qi 'verify' "$T/dl.txt" || fail "a (verify) note in the 766 pdf: $(grep -i verify "$T/dl.txt")"
dl admin_p "/api/reports/index?parent=P&period=2025-09&format=xlsx"
[ "$STATUS" = 200 ] || fail "766 index xlsx: status $STATUS"
cells >"$T/cells" || fail "766 xlsx does not open"
grep -q 'Tỷ lệ' "$T/cells" && ! grep -qi 'verify' "$T/cells" ||
  fail "a (verify) note in the 766 xlsx: $(grep -i verify "$T/cells" | head -3)"

# --- the reform tasks: the status by its Vietnamese name, dates as dates, the scope held --------
TODAY=$(TZ=Asia/Ho_Chi_Minh date +%F)
YEAR=${TODAY:0:4}
req -u admin_p POST /api/reform/plans "{\"unit\":\"P\",\"year\":$YEAR}"
expect 201 "the province's plan"
PLAN=$(field .id)
req -u admin_p POST /api/reform/tasks "{\"plan\":$PLAN,\"area\":\"3\",\"title\":\"Rà soát thủ tục hành chính\",\"owner\":\"P\",\"lead\":\"Trần Văn Bình\",\"start\":\"$YEAR-01-05\",\"due\":\"$YEAR-12-30\"}"
expect 201 "a province task"
TOP=$(field .id)
req -u admin_p POST /api/reform/tasks "{\"parent\":$TOP,\"title\":\"Phường An Bình rà soát\",\"owner\":\"P.A\",\"start\":\"$YEAR-01-05\",\"due\":\"$YEAR-12-30\"}"
expect 201 "P.A's part"
dl admin_p "/api/reform/tasks?unit=P&year=$YEAR&format=xlsx"
[ "$STATUS" = 200 ] || fail "tasks xlsx: status $STATUS: $(cat "$T/dl")"
header Content-Disposition | grep -q "filename=\"nhiem-vu-cchc-P-$YEAR.xlsx\"" || fail "tasks xlsx name: $(header Content-Disposition)"
cells >"$T/cells" || fail "tasks xlsx does not open"
grep -q $'\ts\tChưa triển khai$' "$T/cells" && ! grep -q $'\ts\tplanned$' "$T/cells" ||
  fail "the task status by its Vietnamese name: $(cat "$T/cells")"
grep -q $'\ts\tPhường An Bình rà soát$' "$T/cells" || fail "P.A's task in the province's export: $(cat "$T/cells")"
# the start day (YEAR-01-05) as a date serial (days since 30/12/1899), not text
SERIAL=$(python3 -c "import datetime; print((datetime.date($YEAR, 1, 5) - datetime.date(1899, 12, 30)).days)")
grep -Eq $'\tn\t'"$SERIAL"'(\\.0+)?$' "$T/cells" ||
  fail "the start day is not a date serial: $(cat "$T/cells")"
dl leader_b "/api/reform/tasks?unit=P.B&year=$YEAR&format=pdf"
[ "$STATUS" = 200 ] && is_pdf || fail "P.B's tasks pdf: status $STATUS $(head -c 300 "$T/dl")"
grep -q 'NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH' "$T/dl.txt" && ! grep -q 'An Bình' "$T/dl.txt" ||
  fail "P.B's export holds only P.B's tasks: $(cat "$T/dl.txt")"
dl leader_b "/api/reform/tasks?unit=P.A&year=$YEAR&format=xlsx"
[ "$STATUS" = 404 ] || fail "P.B exports P.A's tasks: status $STATUS"

# --- the accounts: roles and units by their Vietnamese names, only the admin's scope ----------
dl admin_p "/api/users?format=xlsx"
[ "$STATUS" = 200 ] || fail "users xlsx: status $STATUS: $(cat "$T/dl")"
header Content-Disposition | grep -q 'filename="tai-khoan-' || fail "users xlsx name: $(header Content-Disposition)"
cells >"$T/cells" || fail "users xlsx does not open"
grep -q $'\ts\tdesk_b$' "$T/cells" && grep -q $'\ts\tĐang hoạt động$' "$T/cells" &&
  ! grep -Eq $'\ts\t(desk_officer|leader|admin)$' "$T/cells" ||
  fail "the accounts with their Vietnamese roles: $(cat "$T/cells")"
dl admin_a "/api/users?format=pdf"
[ "$STATUS" = 200 ] && is_pdf || fail "P.A's accounts pdf: status $STATUS $(head -c 300 "$T/dl")"
grep -q 'DANH SÁCH TÀI KHOẢN' "$T/dl.txt" && grep -q 'leader_a' "$T/dl.txt" && ! grep -q 'desk_b' "$T/dl.txt" ||
  fail "P.A's administrator exports only P.A's accounts: $(cat "$T/dl.txt")"

# --- the unit tree (public): kinds and parents by their Vietnamese names ----------------------------
dl - "/api/units?under=P&format=xlsx"
[ "$STATUS" = 200 ] || fail "units tree xlsx: status $STATUS: $(cat "$T/dl")"
header Content-Disposition | grep -q 'filename="don-vi-P-' || fail "units tree xlsx name: $(header Content-Disposition)"
cells >"$T/cells" || fail "units tree xlsx does not open"
grep -q $'\ts\tPhường An Bình$' "$T/cells" && grep -q $'\ts\tPhường$' "$T/cells" &&
  grep -q $'\ts\tTỉnh Thử Nghiệm$' "$T/cells" && ! grep -Eq $'\ts\t(ward|province)$' "$T/cells" ||
  fail "the unit tree with Vietnamese kinds and parents by name: $(cat "$T/cells")"
dl - "/api/units?under=P.A&format=pdf"
[ "$STATUS" = 200 ] && is_pdf || fail "P.A's units pdf: status $STATUS $(head -c 300 "$T/dl")"
grep -q 'DANH SÁCH ĐƠN VỊ HÀNH CHÍNH' "$T/dl.txt" && grep -q 'Phường An Bình' "$T/dl.txt" && ! grep -q 'P.B' "$T/dl.txt" ||
  fail "P.A's unit tree pdf holds P.A's subtree only: $(cat "$T/dl.txt")"

# --- the payments' reconciliation: the state in Vietnamese, the amount as a number / 1.250.000 ---
req -u desk_a POST /api/dossiers '{"unit":"P.A","procedure":"9.000016","applicant_name":"Trần Thị Thu","applicant_phone":"0912345678"}'
expect 201 "a dossier with a fee"
FEE=$(field .code)
req POST /api/lookup/payment "{\"code\":\"$FEE\",\"phone\":\"0912345678\"}"
expect 201 "a payment started"
dl leader_a "/api/payments/reconciliation?day=$TODAY&format=xlsx"
[ "$STATUS" = 200 ] || fail "reconciliation xlsx: status $STATUS: $(cat "$T/dl")"
header Content-Disposition | grep -q "filename=\"doi-soat-thanh-toan-P.A-$TODAY.xlsx\"" || fail "reconciliation name: $(header Content-Disposition)"
cells >"$T/cells" || fail "reconciliation xlsx does not open"
grep -q $'\ts\t'"$FEE"'$' "$T/cells" && grep -q $'\ts\tĐang chờ thanh toán$' "$T/cells" &&
  grep -q $'\tn\t1250000$' "$T/cells" && grep -q $'\ts\tPhường An Bình$' "$T/cells" ||
  fail "the payment with its Vietnamese state, amount and unit name: $(cat "$T/cells")"
dl leader_a "/api/payments/reconciliation?day=$TODAY&format=pdf"
is_pdf && grep -q 'ĐỐI SOÁT THANH TOÁN TRỰC TUYẾN' "$T/dl.txt" && grep -q '1\.250\.000' "$T/dl.txt" &&
  grep -q "Ngày $(TZ=Asia/Ho_Chi_Minh date +%d/%m/%Y)" "$T/dl.txt" || fail "reconciliation pdf: $(cat "$T/dl.txt")"
dl leader_a "/api/payments?status=pending&format=pdf"
is_pdf && grep -q 'THANH TOÁN TRỰC TUYẾN' "$T/dl.txt" && grep -q "$FEE" "$T/dl.txt" && grep -q 'Đang chờ thanh toán' "$T/dl.txt" ||
  fail "payments pdf: $(cat "$T/dl.txt")"
dl leader_b "/api/payments/reconciliation?day=$TODAY&format=xlsx"
cells >"$T/cells" && ! grep -q "$FEE" "$T/cells" || fail "P.B's reconciliation holds P.A's payment"

# --- the queue's waiting times: a row a counter and the unit's total, minutes with one decimal ---
req -u desk_a POST /api/queue/P.A/tickets '{"counter":1}'
expect 201 "a number at counter 1"
req -u desk_a POST /api/queue/P.A/tickets '{"counter":2}'
expect 201 "a number at counter 2"
req -u desk_a POST /api/queue/P.A/counters/1/call
expect 200 "call at counter 1"
dl desk_a "/api/queue/stats?unit=P.A&format=xlsx"
[ "$STATUS" = 200 ] || fail "queue stats xlsx: status $STATUS: $(cat "$T/dl")"
header Content-Disposition | grep -q "filename=\"thoi-gian-cho-P.A-$TODAY.xlsx\"" || fail "queue stats name: $(header Content-Disposition)"
cells >"$T/cells" || fail "queue stats xlsx does not open"
row=$(awk -F'\t' '$3 == "s" && $4 == "Toàn đơn vị" {print $1}' "$T/cells")
[ -n "$row" ] && grep -q $'\ts\tQuầy số 2$' "$T/cells" && grep -q $'\ts\tChờ TB (phút)$' "$T/cells" ||
  fail "queue stats rows: $(cat "$T/cells")"
# the unit took 2 numbers (column C); one waits (column F)
grep -q $'^'"$row"$'\tC'"$row"$'\tn\t2$' "$T/cells" && grep -q $'^'"$row"$'\tF'"$row"$'\tn\t1$' "$T/cells" ||
  fail "the unit's total row: $(awk -F'\t' -v r="$row" '$1 == r' "$T/cells")"
dl desk_a "/api/queue/stats?unit=P.A&format=pdf"
is_pdf && grep -q 'THỜI GIAN CHỜ TẠI BỘ PHẬN MỘT CỬA' "$T/dl.txt" && grep -Eq 'Toàn đơn vị +2 +0 +0 +1 +[0-9]+,[0-9] ' "$T/dl.txt" ||
  fail "queue stats pdf: $(cat "$T/dl.txt")"
dl desk_a "/api/queue/stats?unit=P.B&format=xlsx"
[ "$STATUS" = 404 ] || fail "P.A's desk exports P.B's queue: status $STATUS"

# --- the initiatives: the state and the area by their names -------------------------------------
req -u specialist_a POST /api/reform/initiatives "{\"unit\":\"P.A\",\"evaluator\":\"P\",\"area\":\"3\",\"title\":\"Tổ công nghệ số cộng đồng\",\"description\":\"Hướng dẫn nộp hồ sơ trực tuyến\",\"authors\":\"Nguyễn Văn An\"}"
expect 201 "an initiative"
dl admin_p "/api/reform/initiatives?unit=P&format=xlsx"
[ "$STATUS" = 200 ] || fail "initiatives xlsx: status $STATUS: $(cat "$T/dl")"
header Content-Disposition | grep -q 'filename="sang-kien-cchc-P-' || fail "initiatives name: $(header Content-Disposition)"
cells >"$T/cells" || fail "initiatives xlsx does not open"
grep -q $'\ts\tTổ công nghệ số cộng đồng$' "$T/cells" && grep -q $'\ts\tĐã đề xuất$' "$T/cells" &&
  grep -q $'\ts\t3\. ' "$T/cells" && ! grep -q $'\ts\tproposed$' "$T/cells" ||
  fail "the initiative with its Vietnamese state and area: $(cat "$T/cells")"
dl leader_b "/api/reform/initiatives?unit=P.B&format=pdf"
is_pdf && grep -q 'SÁNG KIẾN, MÔ HÌNH CẢI CÁCH HÀNH CHÍNH' "$T/dl.txt" && ! grep -q 'Tổ công nghệ' "$T/dl.txt" ||
  fail "P.B's initiatives pdf: $(cat "$T/dl.txt")"

# --- the dialogues' commitments: the outcome in Vietnamese, dates as dates ----------------------
HELD=$(TZ=Asia/Ho_Chi_Minh date -d '-10 days' +%F)
req -u leader_a POST /api/dialogues "{\"unit\":\"P.A\",\"day\":\"$HELD\",\"title\":\"Đối thoại với hộ kinh doanh\"}"
expect 201 "a dialogue"
DLG=$(field .id)
req -u leader_a POST "/api/dialogues/$DLG/commitments" "{\"text\":\"Rút thời gian cấp phép\",\"owner\":\"Phó Chủ tịch UBND phường\",\"due\":\"$(TZ=Asia/Ho_Chi_Minh date -d '-1 day' +%F)\"}"
expect 201 "an overdue commitment"
dl leader_a "/api/commitments?format=xlsx"
[ "$STATUS" = 200 ] || fail "commitments xlsx: status $STATUS: $(cat "$T/dl")"
header Content-Disposition | grep -q 'filename="cam-ket-doi-thoai-P.A-' || fail "commitments name: $(header Content-Disposition)"
cells >"$T/cells" || fail "commitments xlsx does not open"
SERIAL=$(python3 -c "import datetime; print((datetime.date.fromisoformat('$HELD') - datetime.date(1899, 12, 30)).days)")
grep -q $'\ts\tRút thời gian cấp phép$' "$T/cells" && grep -q $'\ts\tQuá hạn$' "$T/cells" &&
  grep -Eq $'\tn\t'"$SERIAL"'(\\.0+)?$' "$T/cells" && ! grep -q $'\ts\toverdue$' "$T/cells" ||
  fail "the commitment with its Vietnamese outcome and the dialogue's day: $(cat "$T/cells")"
dl leader_a "/api/commitments?format=pdf"
is_pdf && grep -q 'CAM KẾT SAU ĐỐI THOẠI' "$T/dl.txt" && grep -q "$(TZ=Asia/Ho_Chi_Minh date -d '-10 days' +%d/%m/%Y)" "$T/dl.txt" ||
  fail "commitments pdf: $(cat "$T/dl.txt")"
dl leader_b "/api/commitments?format=xlsx"
cells >"$T/cells" && ! grep -q 'Rút thời gian' "$T/cells" || fail "P.B's export holds P.A's commitment"

# --- the procedures (no sign-in needed, as the catalogue) and the desk's online dossiers ---------
dl - "/api/procedures?q=9.000016&format=xlsx"
[ "$STATUS" = 200 ] || fail "procedures xlsx: status $STATUS: $(cat "$T/dl")"
header Content-Disposition | grep -q "filename=\"thu-tuc-hanh-chinh-$TODAY.xlsx\"" || fail "procedures name: $(header Content-Disposition)"
cells >"$T/cells" || fail "procedures xlsx does not open"
grep -q $'\ts\tThủ tục thử nghiệm có lệ phí$' "$T/cells" && grep -q $'\ts\tThời hạn giải quyết$' "$T/cells" &&
  ! grep -q $'\ts\t9.000002$' "$T/cells" || fail "the searched procedure only: $(cat "$T/cells")"
dl desk_a "/api/efile?format=pdf"
is_pdf && grep -q 'HỒ SƠ NỘP TRỰC TUYẾN CHỜ KIỂM TRA' "$T/dl.txt" && grep -q 'Người nộp' "$T/dl.txt" ||
  fail "the online dossiers pdf (none yet): $(cat "$T/dl.txt")"

# --- bad input: the format is named; JSON unchanged --------------------------------------------
req -u leader_a GET "/api/dossiers?format=doc"
expect 400 invalid "an unknown export format"
[ "$(field .error.field)" = format ] || fail "bad format field: $BODY_TEXT"
ACCEPT_LANGUAGE=vi req -u leader_a GET "/api/dossiers?format=doc"
[ "$(field .error.rule)" = export.format ] && [ "$(field .error.message)" = "Không xuất được bảng theo định dạng 'doc': chọn xlsx (Excel) hoặc pdf." ] ||
  fail "the bad format in Vietnamese: $BODY_TEXT"
req -u leader_a GET "/api/dossiers?format=json"
expect 200 "format=json"
[ "$(field '.dossiers | length')" = 3 ] || fail "format=json list (A1, A2 and the fee's): $BODY_TEXT"
echo "t-exports: ok"
