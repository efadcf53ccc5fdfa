#!/usr/bin/env bash
# t-feedback.sh — feedback and petitions over HTTP against the real server: a citizen submits
# without an account (with a PNG and a disguised HTML file refused), follows the item by its
# code, a duplicate is linked; the officers of P.A work the queue (accept, answer from a reply
# template, publish with consent) while P.B's officer neither sees nor touches it; a forward
# hands an item to P.B; the published answer is found without diacritics and with the phone
# masked; the answer is rated once; errors come in Vietnamese; submissions are rate-limited
# per address; and no contact data reaches the server's log.
source "$(dirname "$0")/lib.sh" "$1"
setup_db
start_server
for u in desk_a specialist_a leader_a desk_b; do login "$u"; done

# --- a citizen submits, with an image; a disguised file is refused and changes nothing ---
PNG=$(printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\1\0\0\0\1\x08\x02\0\0\0\x90\x77\x53\xde' | base64 -w0)
HTML=$(printf '<html><script>alert(1)</script></html>' | base64 -w0)
req POST /api/public/feedback "{\"unit\":\"P.A\",\"kind\":\"handling\",\"body\":\"Hẹn trả kết quả nhưng không trả\",\"files\":[{\"name\":\"anh.pdf\",\"content_base64\":\"$HTML\"}]}"
expect 400 invalid "a disguised HTML attachment"
[ "$(field .error.rule)" = feedback.file_type ] || fail "file type rule: $BODY_TEXT"
req -u desk_a GET "/api/feedback?unit=P.A"
[ "$(field '.items | length')" = 0 ] || fail "a refused submission left an item: $BODY_TEXT"
BODY='{"unit":"P.A","kind":"handling","body":"Đường Lê Lợi ngập nước sau mưa, gọi tôi 0912 345 678","name":"Trần Thị Bình","phone":"0912 345 678","consent":true,"files":[{"name":"anh.png","content_base64":"'$PNG'"}]}'
req POST /api/public/feedback "$BODY"
expect 201 "submit"
CODE=$(field .code)
[[ $CODE =~ ^PA-[0-9]{6}-[2-9A-Z]{6}$ ]] || fail "follow-up code: $CODE"
[ "$(field .duplicate)" = false ] || fail "first submission marked duplicate"
# the same text from the same phone again: linked, same code
req POST /api/public/feedback "${BODY/0912 345 678\",\"consent/0912345678\",\"consent}"
expect 200 "duplicate"
[ "$(field .code)" = "$CODE" ] && [ "$(field .duplicate)" = true ] || fail "duplicate not linked: $BODY_TEXT"
# the public view by code: progress, no contact
req GET "/api/public/feedback/${CODE,,}"
expect 200 "public lookup (lower case)"
[ "$(field .status)" = received ] && [ "$(field .contact)" = null ] || fail "public view: $BODY_TEXT"
ACCEPT_LANGUAGE=vi req GET /api/public/feedback/PA-250101-AAAAAA
expect 404 not_found "unknown code"
[ "$(field .error.message)" = "Không tìm thấy phản ánh, kiến nghị có mã này." ] || fail "Vietnamese message: $BODY_TEXT"

# --- scope: P.B's officer sees nothing of it ---
req -u desk_b GET "/api/feedback/$CODE"
expect 404 not_found "foreign officer reads"
req -u desk_b POST "/api/feedback/$CODE/accept" '{}'
expect 404 not_found "foreign officer acts"
req -u desk_b GET "/api/feedback"
[ "$(field '.items | length')" = 0 ] || fail "P.B's queue shows P.A's item: $BODY_TEXT"

# --- P.A handles it: accept, answer from a template, publish ---
"$CCHC" feedback template --db "$DB" --code CAM-ON --title "Cảm ơn" --body "Cảm ơn ông/bà. Phường đã nạo vét cống; liên hệ 0236 3821 234." >/dev/null ||
  fail "template"
req -u desk_a GET "/api/feedback?unit=P.A&status=received"
[ "$(field '.items[0].code')" = "$CODE" ] || fail "queue: $BODY_TEXT"
req -u desk_a GET "/api/feedback/$CODE"
[ "$(field .contact.phone)" = 0912345678 ] || fail "officer sees the contact: $BODY_TEXT"
req -u desk_a POST "/api/feedback/$CODE/answer" '{"answer":"x"}'
expect 403 forbidden "desk officer may not answer"
req -u desk_a POST "/api/feedback/$CODE/accept" '{}'
expect 200 "accept"
[ "$(field .status)" = accepted ] && [ "$(field .answer_due_at)" != null ] || fail "accepted: $BODY_TEXT"
req -u specialist_a POST "/api/feedback/$CODE/answer" '{"template":"CAM-ON"}'
expect 200 "answer from a template"
[[ "$(field .answer)" == "Cảm ơn ông/bà."* ]] || fail "answer: $BODY_TEXT"
req -u specialist_a POST "/api/feedback/$CODE/publish" '{}'
expect 403 forbidden "specialist may not publish"
req -u leader_a POST "/api/feedback/$CODE/publish" '{}'
expect 200 "publish"
req -u leader_a POST "/api/feedback/$CODE/publish" '{}'
expect 409 conflict "publish twice"

# --- the published answer: found without diacritics, personal data masked ---
req GET "/api/public/feedback-answers?q=DUONG%20LE%20LOI%20ngap"
expect 200 "search"
[ "$(field '.items[0].code')" = "$CODE" ] || fail "search: $BODY_TEXT"
grep -q "0912" "$T/body" && fail "the phone is published: $BODY_TEXT"
grep -q "Trần Thị Bình" "$T/body" && fail "the name is published: $BODY_TEXT"
[[ "$(field '.items[0].answer')" == *"***"* ]] || fail "the answer's phone is not masked: $BODY_TEXT"

# --- the citizen rates once ---
req POST "/api/public/feedback/$CODE/rating" '{"score":5}'
expect 201 "rate"
req POST "/api/public/feedback/$CODE/rating" '{"score":4}'
expect 409 conflict "rate twice"

# --- forward: P.A names the responsible unit, P.B then sees and handles it ---
req POST /api/public/feedback '{"unit":"P.A","kind":"regulation","body":"Phí cấp bản sao quá cao"}'
expect 201 "second item"
C2=$(field .code)
req -u desk_a POST "/api/feedback/$C2/forward" '{"to_unit":"P.B"}'
expect 400 invalid "forward without a reason"
req -u desk_a POST "/api/feedback/$C2/forward" '{"to_unit":"P.B","note":"Thuộc thẩm quyền xã Bình Minh"}'
expect 200 "forward"
req -u desk_a GET "/api/feedback/$C2"
expect 404 not_found "gone from P.A"
req -u desk_b GET "/api/feedback/$C2"
expect 200 "arrived at P.B"
[ "$(field .status)" = forwarded ] && [ "$(field '.events[-1].note')" = "Thuộc thẩm quyền xã Bình Minh" ] || fail "forwarded: $BODY_TEXT"

# --- the figures ---
req -u leader_a GET "/api/feedback-stats?unit=P.A"
expect 200 "stats"
[ "$(field .items)" = 1 ] && [ "$(field .on_time)" = 1 ] && [ "$(field .satisfied)" = 1 ] || fail "stats: $BODY_TEXT"

req -u leader_a GET "/api/feedback-stats?unit=P.A&by=officer"
expect 200 "stats per officer"
[ "$(field '.officers | length')" = 0 ] || fail "no item names an officer: $BODY_TEXT"
req -u leader_a GET "/api/feedback-stats?unit=P.A&by=unit"
expect 400 invalid "by=unit"

# --- rate limit per address: 10 submissions an hour (4 above, the refused one included) ---
for i in $(seq 5 10); do
  req POST /api/public/feedback "{\"unit\":\"P.A\",\"kind\":\"suggestion\",\"body\":\"Góp ý số $i\"}"
  expect 201 "submission $i"
done
req POST /api/public/feedback '{"unit":"P.A","kind":"suggestion","body":"Góp ý số 11"}'
expect 429 rate_limited "submission 11"

# --- no personal data in the server's log ---
stop_server
grep -q "0912\|Trần Thị Bình\|Lê Lợi" "$T/server.out" "$T/server.err" && fail "personal data in the log"

# --- the province (migration 038): items, their events and files carry the root of the receiving
# unit's tree, P, the forwarded item too ---
for t in feedback feedback_events feedback_files; do
  got=$(testdb_sql "$DB" "SELECT count(*) || ':' || sum(CASE WHEN province = 'P' THEN 0 ELSE 1 END) FROM $t")
  [ "${got%%:*}" -ge 1 ] && [ "${got#*:}" = 0 ] || fail "$t rows without the province P (rows:bad): $got"
done
echo "ok t-feedback"
