#!/usr/bin/env bash
# t-digitise.sh — digitisation over HTTP: a desk officer scans two components of a dossier,
# the result is registered once solved, the leader signs layer 1 with a personal key on a
# SoftHSM token (USER.uri in sign_dir), the desk officer (as clerk) countersigns layer 2 with
# the agency certificate — refused before layer 1 —; GET …/result verifies both layers; the
# public verification route reports a one-byte change; the registry search keeps other
# units' results out; the indicators count the facts; bad input changes nothing.
source "$(dirname "$0")/lib.sh" "$1"
command -v softhsm2-util >/dev/null || fail "softhsm2-util missing (scripts/deps.sh)"
setup_db
SD=$T/sign
"$CCHC" sign test-pki "$SD" >/dev/null || fail "test-pki"
# the leader's personal key lives on a token; the desk officer (clerk) holds the agency's
export SOFTHSM2_CONF=$T/softhsm2.conf CCHC_PKCS11_MODULE=/usr/lib/softhsm/libsofthsm2.so
mkdir "$T/tokens"
echo "directories.tokendir = $T/tokens" >"$SOFTHSM2_CONF"
softhsm2-util --init-token --free --label cchc --pin 1234 --so-pin 5678 >/dev/null || fail "token"
softhsm2-util --import "$SD/personal.key" --token cchc --label personal --id 01 --pin 1234 \
  >/dev/null || fail "import"
echo "pkcs11:token=cchc;object=personal;type=private;pin-value=1234" >"$SD/leader_a.uri"
cp "$SD/personal.pem" "$SD/leader_a.pem"
cp "$SD/agency.pem" "$SD/desk_a.pem"
cp "$SD/agency.key" "$SD/desk_a.key"
start_server --sign-dir "$SD"
for u in desk_a specialist_a leader_a desk_b; do login "$u"; done

req -u desk_a POST /api/dossiers '{"unit":"P.A","procedure":"9.000001","applicant_name":"Mai Anh","applicant_idno":"087090001234","at":"2025-09-08T08:00"}'
expect 201 "receive"
code=$(field .code)
pdf=$(printf '%%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' | base64 -w0)
png=$(printf '\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde' | base64 -w0)
txt=$(echo "not a scan" | base64 -w0)

req -u desk_a POST "/api/dossiers/$code/components" "{\"doc_index\":1,\"name\":\"don.pdf\",\"content_base64\":\"$pdf\"}"
expect 201 "scan 1"
[ "$(field .mime)" = application/pdf ] && [ "$(field .doc_name)" = "Đơn đề nghị" ] &&
  [ "$(field .digitised_by)" = desk_a ] || fail "component 1: $BODY_TEXT"
req -u desk_a POST "/api/dossiers/$code/components" "{\"doc_index\":2,\"name\":\"note.txt\",\"content_base64\":\"$txt\"}"
expect 400 invalid "a text file"
grep -q "must be PDF, JPEG, PNG or TIFF" "$T/body" || fail "type rule not named: $BODY_TEXT"
req -u desk_a POST "/api/dossiers/$code/components" "{\"doc_index\":9,\"name\":\"x.png\",\"content_base64\":\"$png\"}"
expect 400 invalid "doc_index outside the list"
req -u desk_a POST "/api/dossiers/$code/components" "{\"doc_index\":2,\"name\":\"cccd.png\",\"content_base64\":\"$png\"}"
expect 201 "scan 2"
req -u desk_a POST "/api/dossiers/$code/components" "{\"doc_index\":2,\"name\":\"cccd.png\",\"content_base64\":\"$png\"}"
expect 409 conflict "scan 2 again"
req -u desk_b GET "/api/dossiers/$code/components"
expect 404 not_found "another unit's officer"
req -u specialist_a GET "/api/dossiers/$code/components"
expect 200 "list"
[ "$(field '.components | length')" = 2 ] || fail "list: $BODY_TEXT"
curl -s -b "$T/desk_a.jar" -o "$T/c2" "$BASE/api/dossiers/$code/components/2"
[ "$(base64 -w0 "$T/c2")" = "$png" ] || fail "download: not the scanned bytes"

# the result, once solved
kq=$( (printf '%%PDF-1.4\n'; echo "Kết quả số KQ-7/2025") | base64 -w0)
req -u desk_a POST "/api/dossiers/$code/result" "{\"result_no\":\"KQ-7/2025\",\"title\":\"Giấy phép\",\"content_base64\":\"$kq\"}"
expect 409 conflict "result before the dossier is solved"
req -u desk_a POST "/api/dossiers/$code/advance" '{"at":"2025-09-08T08:10"}'
expect 200 advance
req -u specialist_a POST "/api/dossiers/$code/advance" '{"at":"2025-09-08T09:00"}'
expect 200 "advance 2"
req -u leader_a POST "/api/dossiers/$code/advance" '{"at":"2025-09-08T09:30"}'
expect 200 "advance 3"
req -u leader_a POST "/api/dossiers/$code/finish" '{"at":"2025-09-08T10:00"}'
expect 200 finish
req -u specialist_a POST "/api/dossiers/$code/result" "{\"result_no\":\"KQ-7/2025\",\"title\":\"Giấy phép\",\"content_base64\":\"$kq\"}"
expect 201 "register the result"
[ "$(field .layers)" = 0 ] || fail "layers: $BODY_TEXT"

# layer 2 before layer 1 is refused; then the leader (token), then the clerk
req -u desk_a POST "/api/dossiers/$code/result/sign-clerk"
expect 409 conflict "layer 2 first"
grep -q "layer 1 missing" "$T/body" || fail "refusal does not name layer 1: $BODY_TEXT"
req -u leader_a POST "/api/dossiers/$code/result/sign-person"
expect 200 "layer 1 on the token"
[ "$(field .layers)" = 1 ] && [ "$(field .layer1_by)" = leader_a ] || fail "layer 1: $BODY_TEXT"
req -u desk_b POST "/api/dossiers/$code/result/sign-clerk"
expect 404 not_found "another unit's clerk"
req -u desk_a POST "/api/dossiers/$code/result/sign-clerk"
expect 200 "layer 2"
req -u leader_a GET "/api/dossiers/$code/result"
expect 200 "result"
[ "$(field .verification.valid)" = true ] || fail "not valid: $BODY_TEXT"
[ "$(field '.verification.layers[0].signer')" = "CN=Nguyễn Văn An (Chủ tịch),O=UBND xã Demo,C=VN" ] &&
  [ "$(field '.verification.layers[1].signer')" = "CN=UBND xã Demo,O=UBND xã Demo,C=VN" ] ||
  fail "signers: $BODY_TEXT"
[ "$(field .citizen_id)" != 087090001234 ] || fail "the full ID number in the answer"

# public verification of the file and its signature; one byte changed fails
curl -s -b "$T/desk_a.jar" -o "$T/kq.pdf" "$BASE/api/dossiers/$code/result/file"
"$CCHC" digitise result-get KQ-7/2025 --out "$T/got.pdf" --db "$DB" >/dev/null || fail "result-get"
cmp -s "$T/kq.pdf" "$T/got.pdf" || fail "the downloaded result differs from the stored one"
sig=$(jq -Rs . <"$T/got.pdf.p7s")
req POST /api/signatures/verify "{\"content_base64\":\"$(base64 -w0 "$T/kq.pdf")\",\"signature_pem\":$sig}"
expect 200 "public verification"
[ "$(field .valid)" = true ] || fail "public verification: $BODY_TEXT"
printf 'X' | dd of="$T/kq.pdf" bs=1 seek=3 conv=notrunc 2>/dev/null
req POST /api/signatures/verify "{\"content_base64\":\"$(base64 -w0 "$T/kq.pdf")\",\"signature_pem\":$sig}"
expect 200 "public verification of a changed file"
[ "$(field .valid)" = false ] && [ "$(field '.layers[0].unchanged')" = false ] ||
  fail "a changed file verified: $BODY_TEXT"
CCHC_SIGN_ROOTS=$SD/ca.pem "$CCHC" verify "$T/got.pdf" >/dev/null || fail "cchc verify of the stored result"

# the registry: by number, by citizen; another unit's officer sees nothing
req -u specialist_a GET "/api/results?citizen=087090001234"
expect 200 "find by citizen"
[ "$(field '.results | length')" = 1 ] && [ "$(field '.results[0].result_no')" = KQ-7/2025 ] ||
  fail "find: $BODY_TEXT"
req -u desk_b GET "/api/results?no=KQ-7/2025"
expect 200 "find from another unit"
[ "$(field '.results | length')" = 0 ] || fail "another unit's result shown: $BODY_TEXT"
req -u desk_a GET "/api/results"
expect 400 invalid "find without a query"

# the province (migration 042): components and the result carry their dossier's, P
for t in digi_components digi_results; do
  got=$(testdb_sql "$DB" "SELECT count(*) || ':' || sum(CASE WHEN x.province = 'P' AND x.province = d.province THEN 0 ELSE 1 END) FROM $t x JOIN dossiers d ON d.code = x.dossier_code")
  [ "${got%%:*}" -ge 1 ] && [ "${got#*:}" = 0 ] || fail "$t rows without their dossier's province P (rows:bad): $got"
done
# and the files' content (migration 044): every blob the province of the dossier that stored it
got=$(testdb_sql "$DB" "SELECT count(*) || ':' || sum(CASE WHEN province = 'P' THEN 0 ELSE 1 END) FROM digi_blobs")
[ "${got%%:*}" -ge 1 ] && [ "${got#*:}" = 0 ] || fail "digi_blobs without the province P (rows:bad): $got"

# indicators from the facts
req -u leader_a GET "/api/digitise/indicators?unit=P.A&from=2025-09-01&to=2025-09-30&drill=4.2"
expect 200 indicators
[ "$(field '.indicators[] | select(.id == "4.2") | .numerator')" = 1 ] &&
  [ "$(field '.indicators[] | select(.id == "4.1") | .points')" = "6,00" ] &&
  [ "$(field '.dossiers[0].complete')" = true ] || fail "indicators: $BODY_TEXT"
echo "ok t-digitise"
