# t-forms.sh — the printed forms over HTTP and the public verification of their QR code:
# GET /api/dossiers/{code}/forms/{form} returns application/pdf whose text pdftotext reads and
# whose QR code zbarimg decodes from a pdftoppm rendering; that address verifies without an
# account (JSON and the Vietnamese page) with the applicant reduced to initials; a token, date
# or form altered by one character does not; after a key rotation old documents still verify;
# an unknown form, a form that does not apply and a foreign dossier are refused.
source "$(dirname "$0")/lib.sh" "$1"
setup_db
KEYS=${CCHC_KEYS:-$DB.keys} # beside the file; on PostgreSQL the directory of $CCHC_KEYS
[ -d "$KEYS" ] || fail "cchc init made no key directory"
start_server
login desk_a

req -u desk_a POST /api/dossiers '{"unit":"P.A","procedure":"9.000001","applicant_name":"Trần Thị Ánh Tuyết","applicant_phone":"0912345678","at":"2026-11-20T10:00"}'
expect 201 "receive"
CODE=$(field .code)

pdf() { # PATH OUT: GET a PDF, keeps the headers
  curl -s -D "$T/h" -o "$2" -w '%{http_code}' -b "$T/desk_a.jar" "$BASE$1"
}
st=$(pdf "/api/dossiers/$CODE/forms/01" "$T/r.pdf")
[ "$st" = 200 ] || fail "form 01: status $st $(cat "$T/r.pdf")"
grep -qi '^content-type: application/pdf' "$T/h" || fail "form 01: $(cat "$T/h")"
grep -qi "^content-disposition: attachment.*mau-01-$CODE.pdf" "$T/h" || fail "form 01 disposition: $(cat "$T/h")"
pdftotext "$T/r.pdf" - | tr '\n' ' ' >"$T/r.txt"
for s in "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" "Trần Thị Ánh Tuyết" "Thủ tục thử nghiệm ba bước" \
         "Thông tư 03/2025/TT-VPCP" "Nghị định 118/2025/NĐ-CP" "ngày 07/12/2026"; do
  grep -qF "$s" "$T/r.txt" || fail "form 01 text lacks '$s': $(head -c 800 "$T/r.txt")"
done

pdftoppm -r 150 -png -f 1 -l 1 "$T/r.pdf" "$T/r"
URL=$(zbarimg -q --raw "$T/r-1.png" 2>/dev/null)
case $URL in "$BASE/verify/$CODE?f=01&"*) ;; *) fail "QR address '$URL' (base $BASE)" ;; esac
API=${URL/\/verify\//\/api\/verify\/}

verify() { # ADDRESS: JSON verification, sets STATUS and the body
  STATUS=$(curl -s -o "$T/body" -w '%{http_code}' "$1")
  BODY_TEXT=$(cat "$T/body")
}
verify "$API"
expect 200 "verify"
[ "$(field .authentic)" = true ] || fail "the printed address does not verify: $BODY_TEXT"
[ "$(field .applicant)" = "T. T. Á. T." ] || fail "applicant not reduced to initials: $BODY_TEXT"
[ "$(field .form.number)" = 01 ] && [ "$(field .procedure)" = "Thủ tục thử nghiệm ba bước" ] ||
  fail "key data: $BODY_TEXT"
[ "$(field .appointment)" = "17:00 ngày 07/12/2026" ] || fail "appointment: $BODY_TEXT"
grep -q "0912345678\|Tuyết" "$T/body" && fail "personal data on the verification: $BODY_TEXT"
STATUS=$(curl -s -o "$T/page" -w '%{http_code}' "$URL")
[ "$STATUS" = 200 ] && grep -q "Văn bản xác thực" "$T/page" && grep -q "Thủ tục thử nghiệm ba bước" "$T/page" ||
  fail "verification page: $STATUS $(cat "$T/page")"

# One character changed in the token, the date, the appointment or the form: not authentic.
tok=${URL##*&t=}
mid=$(( ${#tok} / 2 ))
c=${tok:$mid:1}; [ "$c" = A ] && r=B || r=A
bad_tok=${tok:0:$mid}$r${tok:$((mid + 1))}
for bad in "${API%&t=*}&t=$bad_tok" "${API/&i=202611201000/&i=202611201001}" \
           "${API/&h=202612071700/&h=202612081700}" "${API/f=01/f=02}"; do
  verify "$bad"
  expect 200 "verify altered"
  [ "$(field .authentic)" = false ] || fail "an altered address verifies: $bad $BODY_TEXT"
done
STATUS=$(curl -s -o "$T/page" -w '%{http_code}' "${URL%&t=*}&t=$bad_tok")
grep -q "KHÔNG xác thực" "$T/page" || fail "altered token page: $(cat "$T/page")"
verify "${API%&t=*}"
[ "$(field .authentic)" = false ] || fail "an address without token verifies"
verify "$API&x=1"
expect 400 unknown_field "an unknown argument"

# Bad input: unknown form, malformed, not applicable, book; nothing is created.
req -u desk_a GET "/api/dossiers/$CODE/forms/09"
expect 404 not_found "unknown form"
[ "$(field .error.field)" = form ] || fail "unknown form: field $(field .error.field)"
req -u desk_a GET "/api/dossiers/$CODE/forms/x1"
expect 400 invalid "malformed form"
req -u desk_a GET "/api/dossiers/$CODE/forms/03"
expect 409 conflict "refusal of a dossier not refused"
field .error.message | grep -q "does not apply" || fail "409 message: $BODY_TEXT"
req -u desk_a GET "/api/dossiers/$CODE/forms/07"
expect 409 conflict "the tracking book"
req -u desk_a GET "/api/dossiers/000.00.31.H99-991231-0001/forms/01"
expect 404 not_found "unknown dossier"
req -u desk_a GET "/api/dossiers/$CODE/history"
[ "$(field '.events | length')" = 1 ] || fail "printing changed the dossier: $BODY_TEXT"

# The control sheets of the period as a table over HTTP.
req -u desk_a GET "/api/reports/control?unit=P.A&period=2026-11&format=json"
expect 200 "report control"
jq -e --arg c "$CODE" '.title == "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ (Mẫu số 06, Thông tư 03/2025/TT-VPCP)"
  and ([.rows[] | select(.code == $c)] | length == 1)' "$T/body" >/dev/null || fail "report control: $BODY_TEXT"

# Key rotation: a new current key; the document signed with the old one still verifies.
stop_server
"$CCHC" init --db "$DB" --rotate-key >"$T/init.out" || fail "init --rotate-key"
grep -q "(new, current)" "$T/init.out" || fail "rotation: $(cat "$T/init.out")"
[ "$(ls "$KEYS"/*.sk | wc -l)" = 2 ] || fail "rotation should keep the old key"
start_server
login desk_a
OLDAPI=$BASE/${API#http://*/}
verify "$OLDAPI"
[ "$(field .authentic)" = true ] || fail "an old document no longer verifies after rotation: $BODY_TEXT"
pdf "/api/dossiers/$CODE/forms/01" "$T/r2.pdf" >/dev/null
pdftoppm -r 150 -png -f 1 -l 1 "$T/r2.pdf" "$T/r2"
URL2=$(zbarimg -q --raw "$T/r2-1.png" 2>/dev/null)
new_kid=${URL2##*&t=}; new_kid=${new_kid:0:8}
[ "$new_kid" != "${tok:0:8}" ] || fail "the new document is still signed with the old key"
verify "${URL2/\/verify\//\/api\/verify\/}"
[ "$(field .authentic)" = true ] || fail "new document: $BODY_TEXT"

# Without a key the server still serves the desk; printing and verifying answer 503 and say why.
stop_server
mkdir -p "$T/empty-keys"
start_server --keys "$T/empty-keys"
grep -q "chưa có khóa ký văn bản" "$T/server.err" || fail "no warning about the missing key: $(cat "$T/server.err")"
login desk_a
req -u desk_a GET "/api/dossiers/$CODE/forms/01"
expect 503 unavailable "form without a key"
[ "$(field .error.field)" = keys ] || fail "503 field: $BODY_TEXT"
req -u desk_a GET "/api/dossiers/$CODE"
expect 200 "the desk works without a key"

# Without data/forms (a data directory with calendars only) the same: 503 naming the registry.
stop_server
mkdir -p "$T/data-nof"
cp -r "${CCHC_DATA:?}/calendar" "$T/data-nof/"
start_server --data "$T/data-nof"
login desk_a
req -u desk_a GET "/api/dossiers/$CODE/forms/01"
expect 503 unavailable "form without data/forms"
[ "$(field .error.field)" = forms ] || fail "503 field: $BODY_TEXT"
STATUS=$(curl -s -o "$T/body" -w '%{http_code}' "$BASE/${API#http://*/}") || true
[ "$STATUS" = 503 ] || fail "verification without data/forms: $STATUS $(cat "$T/body")"
echo "ok: t-forms"
