# t-catalog.sh — the published catalogue over HTTP, without an account (issue 20, part 4):
# GET /api/procedures searched without regard to case or diacritics, by field and level, each
# procedure with its publishing decision, posting dates, fees, documents and where it may be
# received; bad filters refused naming the parameter, value and rule.
source "$(dirname "$0")/lib.sh" "$1"
setup_db
"$CCHC" import procedures "${CCHC_DATA:?}/catalog/procedures.csv" --db "$DB" >/dev/null
start_server

codes() { jq -r '[.procedures[].code] | join(" ")' "$T/body"; }

# no account: diacritics and case do not matter
req GET '/api/procedures?q=chung%20thuc'
expect 200 "search without diacritics"
[ "$(codes)" = "2.000815 2.000884" ] || fail "chung thuc: $(codes)"
req GET "/api/procedures?q=$(jq -rn '"CHỨNG THỰC"|@uri')"
[ "$(codes)" = "2.000815 2.000884" ] || fail "CHỨNG THỰC: $(codes)"

# by field and level
req GET "/api/procedures?field=$(jq -rn '"Hộ tịch"|@uri')&level=commune"
expect 200 "field and level"
[ "$(jq '.procedures | length' "$T/body")" = 11 ] || fail "Hộ tịch at commune level: $(codes)"
req GET '/api/procedures?level=province'
[ "$(codes)" = "2.000488 2.001610" ] || fail "province level: $(codes)"

# the catalogue's fields in the list
req GET '/api/procedures?q=2.000815'
jq -e '.procedures[0] | .decision == "851/QĐ-UBND" and .decision_date == "2025-06-02"
  and .posted_portal == "2025-06-16" and .posted_desk == "2025-06-04" and .receive == "nation"
  and (.receive_label | test("toàn quốc")) and (.documents | length) == 2
  and .level_label == "Cấp xã" and .fee_vnd == null and (.fee_note | length) > 0
  and (has("steps") | not)' "$T/body" >/dev/null || fail "list item: $BODY_TEXT"
req GET '/api/procedures/1.001612'
expect 200 "one procedure"
jq -e '.decision == "1205/QĐ-UBND" and .posted_portal == null and .receive == "unit"
  and (.steps | length) > 0' "$T/body" >/dev/null || fail "detail: $BODY_TEXT"

# bad filters
req GET '/api/procedures?level=huyen'
expect 400 invalid "bad level"
[ "$(field .error.field)" = level ] || fail "bad level field: $BODY_TEXT"
grep -q "'huyen': not a level (central, province, district, commune)" "$T/body" || fail "bad level message: $BODY_TEXT"
req GET "/api/procedures?field=$(printf 'x%.0s' $(seq 201))"
expect 400 invalid "long field"
req GET '/api/procedures?sort=name'
expect 400 "unknown parameter"

# the page (public, Vietnamese first) is served
st=$(curl -s -o "$T/page" -w '%{http_code}' "$BASE/assets/js/catalog.js")
[ "$st" = 200 ] || fail "catalog.js: $st"
# the tracking book as a PDF register (Mẫu 07), for staff of the unit only
login desk_a
req -u desk_a POST /api/dossiers '{"unit":"P.A","procedure":"9.000001","applicant_name":"Trần Thị Ánh Tuyết","applicant_phone":"0912345678","at":"2026-11-20T10:00"}'
expect 201 "receive"
CODE=$(field .code)
st=$(curl -s -D "$T/h" -o "$T/book.pdf" -w '%{http_code}' -b "$T/desk_a.jar" "$BASE/api/reports/book?unit=P.A&period=2026-11&format=pdf")
[ "$st" = 200 ] || fail "book pdf: $st $(head -c 300 "$T/book.pdf")"
grep -qi '^content-type: application/pdf' "$T/h" || fail "book pdf type: $(cat "$T/h")"
grep -qi '^content-disposition: attachment.*cchc-book-2026-11.pdf' "$T/h" || fail "book pdf name: $(cat "$T/h")"
pdftotext "$T/book.pdf" - | tr '\n' ' ' >"$T/book.txt"
for s in "SỔ THEO DÕI HỒ SƠ (Mẫu số 07, Thông tư 03/2025/TT-VPCP)" "$CODE" "Trần Thị Ánh Tuyết" "10:00 20/11/2026"; do
  grep -qF "$s" "$T/book.txt" || fail "book pdf lacks '$s': $(head -c 500 "$T/book.txt")"
done
st=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/reports/book?unit=P.A&period=2026-11&format=pdf")
[ "$st" = 401 ] || fail "book pdf without an account: $st"
login desk_b
st=$(curl -s -o "$T/body" -w '%{http_code}' -b "$T/desk_b.jar" "$BASE/api/reports/book?unit=P.A&period=2026-11&format=pdf")
[ "$st" = 404 ] || fail "book pdf of another unit: $st"
req -u desk_a GET '/api/reports/book?unit=P.A&period=2026-11&format=pdfx'
expect 400 invalid "bad format"
grep -q "must be json, csv, xlsx or pdf" "$T/body" || fail "bad format message: $BODY_TEXT"
echo "ok t-catalog"
