# t-payment.sh — online payment end to end over real HTTP (issue 16, docs/payment.md): the
# built-in test provider (`cchc testpay`, its own process, so the server can be restarted
# while the provider keeps its payments), a citizen paying by dossier code + phone, the
# provider's signed callback settling the payment with a numbered receipt and the dossier's
# fee_paid_online; a cancelled payment; a tampered callback refused (401, nothing changes); a
# replayed callback that changes nothing; a lost callback settled by `cchc payment sync` and
# another by the server's reconciler; an amount mismatch recorded as such (no receipt); a fee
# the province sets, entered by the desk; the daily reconciliation; the 766 figure paid_online.
source "$(dirname "$0")/lib.sh" "$1"
setup_db
SECRET=khoa-bi-mat-thu-nghiem
cat >"$T/list.csv" <<'CSV'
code,name,field,level,time_amount,time_unit,online,fee_vnd,fee_note,steps,documents
9.000016,Thủ tục thử nghiệm có lệ phí,Thử nghiệm,commune,3,wd,full,50000,,"Tiếp nhận | desk | 20%
Giải quyết | leader | 80%",Đơn
9.000017,Thủ tục thử nghiệm lệ phí theo mức HĐND tỉnh,Thử nghiệm,commune,3,wd,full,,Theo mức HĐND tỉnh,"Tiếp nhận | desk | 20%
Giải quyết | leader | 80%",Đơn
CSV
"$CCHC" import procedures "$T/list.csv" --db "$DB" >/dev/null

# the provider, on its own
"$CCHC" testpay --port 0 --secret "$SECRET" >"$T/tp.out" 2>"$T/tp.err" &
TP_PID=$!
trap 'kill $TP_PID 2>/dev/null || true; cleanup' EXIT
for i in $(seq 100); do grep -q 127.0.0.1 "$T/tp.out" 2>/dev/null && break; sleep 0.05; done
TP=$(grep -o 'http://127.0.0.1:[0-9]*' "$T/tp.out") || fail "testpay did not start: $(cat "$T/tp.err")"
PAYFLAGS=(--pay-provider-url "$TP" --pay-secret "$SECRET")
start_server "${PAYFLAGS[@]}" --pay-sync-seconds 0
login desk_a
login desk_b
login leader_a

new_dossier() { # PROCEDURE -> code
  req -u desk_a POST /api/dossiers "{\"unit\":\"P.A\",\"procedure\":\"$1\",\"applicant_name\":\"Trần Thị Thu\",\"applicant_phone\":\"0912345678\",\"at\":\"2026-11-20T09:00\"}"
  expect 201 "receive $1"
  field .code
}
who() { printf '{"code":"%s","phone":"0912 345 678"}' "$1"; }
# sign BODY: the hex HMAC-SHA256 of BODY under the shared secret (what the provider sends)
sign() { printf '%s' "$1" | openssl dgst -sha256 -hmac "$SECRET" -r | cut -d' ' -f1; }
callback() { # BODY SIGNATURE
  STATUS=$(curl -s -o "$T/body" -w '%{http_code}' -H 'Content-Type: application/json' \
    -H "X-Signature: $2" --data-binary "$1" "$BASE/api/pay/callback")
  BODY_TEXT=$(cat "$T/body")
}
status_of() { # REF -> status, without the provider query the public route makes while pending
  "$CCHC" payment report --day "$(TZ=Asia/Ho_Chi_Minh date +%F)" --db "$DB" | awk -v r="$1" '$1 == r {print $3}'
}
provider() { # PAY_URL FORM -> the provider's page after the payer's choice in $T/tp.html
  curl -s -o "$T/tp.html" -w '%{http_code}' --data "$2" "$1"
}

# 1. the fee, the payment, the provider's page
D1=$(new_dossier 9.000016)
req POST /api/lookup/payments "$(who "$D1")"
expect 200 "fee of D1"
[ "$(jq -c '[.amount_vnd, .amount_source, .paid, .payable, .online]' "$T/body")" = '[50000,"catalogue",false,true,true]' ] || fail "fee: $BODY_TEXT"
req POST /api/lookup/payments "{\"code\":\"$D1\",\"phone\":\"0987654321\"}"
expect 404 not_found "wrong second factor"
req POST /api/lookup/payment "$(who "$D1")"
expect 201 "start D1"
R1=$(field .ref)
URL1=$(field .pay_url)
[ "$(field .amount_vnd)/$(field .status)" = 50000/pending ] || fail "start: $BODY_TEXT"
req POST /api/lookup/payment "$(who "$D1")"
expect 200 "second click: the same payment"
[ "$(field .ref)" = "$R1" ] || fail "a second payment for one click: $BODY_TEXT"
curl -s "$URL1" >"$T/page.html"
grep -q 'Cổng thanh toán thử nghiệm' "$T/page.html" || fail "provider page: $(cat "$T/page.html")"
grep -q '50.000 đồng' "$T/page.html" || fail "amount on the page"

# 2. pay: the callback settles it, receipt 1, the dossier paid
[ "$(provider "$URL1" action=pay)" = 200 ] || fail "pay at the provider"
grep -q 'Đã gửi thông báo kết quả' "$T/tp.html" || fail "callback not sent: $(cat "$T/tp.html")"
req GET "/api/public/payments/$R1"
expect 200 "status D1"
YEAR=$(TZ=Asia/Ho_Chi_Minh date +%Y)
[ "$(jq -c '[.status, .settled_by, .receipt_no, .paid_amount_vnd]' "$T/body")" = "[\"paid\",\"callback\",\"BL-$YEAR-0000001\",50000]" ] || fail "paid: $BODY_TEXT"
req -u desk_a GET "/api/dossiers/$D1"
[ "$(field .fee_paid_online)" = true ] || fail "fee_paid_online not set from the payment: $BODY_TEXT"
# the settling transaction wrote the citizen's "payment confirmed" message into the outbox
"$CCHC" notify list --db "$DB" >"$T/outbox.txt" 2>&1 || fail "notify list: $(cat "$T/outbox.txt")"
[ "$(awk -F'\t' -v d="$D1" '$3 == "payment_confirmed" && $8 == d' "$T/outbox.txt" | wc -l)" = 1 ] ||
  fail "no payment_confirmed message for $D1: $(cat "$T/outbox.txt")"
req POST /api/lookup/payment "$(who "$D1")"
expect 409 conflict "paying twice"
req GET "/api/public/payments/$R1/receipt"
expect 200 "receipt"
grep -q "BL-$YEAR-0000001" "$T/body" && grep -q 'BIÊN LAI THU PHÍ, LỆ PHÍ ĐIỆN TỬ' "$T/body" || fail "receipt page: $BODY_TEXT"

# 3. replay the provider's callback: OK, nothing changes
PREF1=$(grep -o 'TP[0-9]*' <<<"$URL1")
B="{\"ref\":\"$R1\",\"provider_ref\":\"$PREF1\",\"status\":\"paid\",\"amount_vnd\":50000}"
callback "$B" "$(sign "$B")"
expect 200 "replayed callback"
[ "$(field .changed)/$(field .status)" = false/paid ] || fail "replay changed something: $BODY_TEXT"
B2="{\"ref\":\"$R1\",\"provider_ref\":\"$PREF1\",\"status\":\"failed\",\"amount_vnd\":50000}"
callback "$B2" "$(sign "$B2")"
expect 200 "a late failure after paid"
[ "$(field .changed)/$(field .status)" = false/paid ] || fail "late failure changed a paid payment: $BODY_TEXT"

# 4. cancel; a tampered callback (paid, not signed by the provider) changes nothing
D2=$(new_dossier 9.000016)
req POST /api/lookup/payment "$(who "$D2")"
expect 201 "start D2"
R2=$(field .ref)
URL2=$(field .pay_url)
B="{\"ref\":\"$R2\",\"status\":\"paid\",\"amount_vnd\":50000}"
callback "$B" "$(sign "${B/50000/5}")"
expect 401 bad_signature "tampered callback"
callback "$B" ""
expect 401 bad_signature "unsigned callback"
[ "$(status_of "$R2")" = pending ] || fail "a tampered callback changed the payment"
[ "$(provider "$URL2" action=cancel)" = 200 ] || fail "cancel at the provider"
grep -q 'Giao dịch đã bị hủy' "$T/tp.html" || fail "cancel page"
[ "$(status_of "$R2")" = cancelled ] || fail "cancelled: $(status_of "$R2")"
req POST /api/lookup/payments "$(who "$D2")"
[ "$(jq -c '[.paid, .payable, (.payments | map(.status))]' "$T/body")" = '[false,true,["cancelled"]]' ] || fail "after cancel: $BODY_TEXT"

# 5. a lost callback: the payer paid, no callback came; `cchc payment sync` settles it
D3=$(new_dossier 9.000016)
req POST /api/lookup/payment "$(who "$D3")"
R3=$(field .ref)
[ "$(provider "$(field .pay_url)" 'action=pay&lose_callback=1')" = 200 ] || fail "pay, losing the callback"
grep -q 'Không gửi thông báo kết quả' "$T/tp.html" || fail "lost callback page"
[ "$(status_of "$R3")" = pending ] || fail "lost callback: $(status_of "$R3")"
"$CCHC" payment sync --db "$DB" "${PAYFLAGS[@]}" --pay-sync-after 0 >"$T/sync.out" || fail "payment sync: $(cat "$T/sync.out")"
grep -q 'queried 1: paid 1,' "$T/sync.out" || fail "sync: $(cat "$T/sync.out")"
req GET "/api/public/payments/$R3"
[ "$(jq -c '[.status, .settled_by, .receipt_no]' "$T/body")" = "[\"paid\",\"query\",\"BL-$YEAR-0000002\"]" ] || fail "settled by query: $BODY_TEXT"
"$CCHC" payment sync --db "$DB" "${PAYFLAGS[@]}" --pay-sync-after 0 >"$T/sync.out"
grep -q 'queried 0:' "$T/sync.out" || fail "second sync: $(cat "$T/sync.out")"

# 5b. another lost callback, settled when the payer comes back (the return page's check)
D6=$(new_dossier 9.000016)
req POST /api/lookup/payment "$(who "$D6")"
R6=$(field .ref)
provider "$(field .pay_url)" 'action=pay&lose_callback=1' >/dev/null
req GET "/api/public/payments/$R6"
[ "$(field .status)" = pending ] || fail "GET must not settle: $BODY_TEXT"
req POST "/api/public/payments/$R6/check"
expect 200 "check on return"
[ "$(jq -c '[.status, .settled_by, .receipt_no]' "$T/body")" = "[\"paid\",\"query\",\"BL-$YEAR-0000003\"]" ] || fail "settled on return: $BODY_TEXT"
req POST "/api/public/payments/$R6/check"
[ "$(field .receipt_no)" = "BL-$YEAR-0000003" ] || fail "a second check changed the receipt: $BODY_TEXT"
req POST "/api/public/payments/0123456789abcdef0123456789abcdef/check"
expect 404 not_found "unknown payment"

# 6. amount mismatch: recorded, no receipt number taken, the dossier not paid
D4=$(new_dossier 9.000016)
req POST /api/lookup/payment "$(who "$D4")"
R4=$(field .ref)
provider "$(field .pay_url)" 'action=pay&amount_vnd=40000' >/dev/null
req GET "/api/public/payments/$R4"
[ "$(jq -c '[.status, .paid_amount_vnd, .receipt_no]' "$T/body")" = '["mismatched",40000,null]' ] || fail "mismatch: $BODY_TEXT"
req -u desk_a GET "/api/dossiers/$D4"
[ "$(field .fee_paid_online)" = false ] || fail "a mismatched payment marked the dossier paid"

# 7. a fee the province sets: the desk enters it, in its scope only
D5=$(new_dossier 9.000017)
req POST /api/lookup/payments "$(who "$D5")"
[ "$(jq -c '[.amount_vnd, .payable]' "$T/body")" = '[null,false]' ] || fail "no amount yet: $BODY_TEXT"
req POST /api/lookup/payment "$(who "$D5")"
expect 409 conflict "no amount to pay"
req -u desk_b PUT "/api/dossiers/$D5/fee" '{"amount_vnd":120000}'
expect 404 not_found "another unit's dossier"
req -u desk_a PUT "/api/dossiers/$D5/fee" '{"amount_vnd":0}'
expect 400 invalid "amount 0"
req -u desk_a PUT "/api/dossiers/$D1/fee" '{"amount_vnd":1000}'
expect 409 conflict "the catalogue fixes it"
req -u desk_a PUT "/api/dossiers/$D5/fee" '{"amount_vnd":120000}'
expect 200 "set the amount"
req POST /api/lookup/payment "$(who "$D5")"
expect 201 "start D5"
R5=$(field .ref)
[ "$(field .amount_vnd)" = 120000 ] || fail "officer's amount: $BODY_TEXT"

# 8. the server's reconciler settles a lost callback by itself
provider "$(field .pay_url)" 'action=pay&lose_callback=1' >/dev/null
stop_server
start_server "${PAYFLAGS[@]}" --pay-sync-seconds 1 --pay-sync-after 0
for i in $(seq 100); do [ "$(status_of "$R5")" = paid ] && break; sleep 0.1; done
[ "$(status_of "$R5")" = paid ] || fail "the reconciler did not settle the lost callback"
login leader_a

# 9. the daily reconciliation
DAY=$(TZ=Asia/Ho_Chi_Minh date +%F)
req -u leader_a GET "/api/payments/reconciliation?day=$DAY"
expect 200 "reconciliation"
[ "$(jq -c '[.totals.paid.count, .totals.paid.amount_vnd, .totals.pending.count, .totals.failed.count, .totals.mismatched.count, .totals.mismatched.amount_vnd]' "$T/body")" = '[4,270000,0,1,1,40000]' ] ||
  fail "reconciliation: $(jq -c .totals "$T/body")"
[ "$(jq -c '[.payments[] | select(.status == "paid") | .receipt_no] | sort' "$T/body")" = "[\"BL-$YEAR-0000001\",\"BL-$YEAR-0000002\",\"BL-$YEAR-0000003\",\"BL-$YEAR-0000004\"]" ] ||
  fail "receipt numbers not gap-free: $BODY_TEXT"
req -u leader_a GET "/api/payments/reconciliation"
expect 400 missing_field "day required"
req -u leader_a GET "/api/payments/reconciliation?day=2026-02-30"
expect 400 invalid "bad day"
req -u desk_b GET "/api/payments/reconciliation?day=$DAY"
[ "$(jq '.payments | length' "$T/body")" = 0 ] || fail "P.B sees P.A's payments: $BODY_TEXT"
"$CCHC" payment report --day "$DAY" --db "$DB" >"$T/report.txt"
grep -q '^paid: 4, 270000 VND' "$T/report.txt" || fail "report: $(cat "$T/report.txt")"
"$CCHC" payment report --day "$DAY" --db "$DB" --format xlsx --out "$T/r.xlsx"
[ -s "$T/r.xlsx" ] || fail "xlsx report"
"$CCHC" payment report --day 2026-13-01 --db "$DB" 2>"$T/err" && fail "bad day accepted"
grep -q day "$T/err" || fail "bad day message: $(cat "$T/err")"

# 10. Decision 766 paid_online from the payments; the audit chain holds the 'pay' events
"$CCHC" stats show --period 2026-11 --unit P.A --db "$DB" >"$T/stats.txt"
grep -E '^paid_online\b' "$T/stats.txt" | grep -qw 4 || fail "paid_online: $(grep -i paid "$T/stats.txt")"
"$CCHC" audit verify --db "$DB" >/dev/null || fail "audit chain after payments"
# 11. payments and fees due carry their dossier's province (migration 037, docs/scale.md)
got=$(testdb_sql "$DB" "SELECT count(*) FROM payments p JOIN dossiers d ON d.id = p.dossier_id WHERE p.province = d.province AND d.province <> ''")
[ "$got" -ge 4 ] && [ "$(testdb_sql "$DB" "SELECT count(*) FROM payments")" = "$got" ] || fail "payments' province: $got match"
got=$(testdb_sql "$DB" "SELECT count(*) FROM payment_dues p JOIN dossiers d ON d.id = p.dossier_id WHERE p.province = d.province AND d.province <> ''")
[ "$got" -ge 1 ] && [ "$(testdb_sql "$DB" "SELECT count(*) FROM payment_dues")" = "$got" ] || fail "fees due's province: $got match"
echo "ok"
