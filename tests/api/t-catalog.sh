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
echo "ok t-catalog"
