#!/usr/bin/env bash
# t-sign.sh — two-layer signing (ký số 2 lớp) with keys on a PKCS#11 token (SoftHSM, the
# stand-in for an official's USB token): the competent person signs (layer 1), the clerk
# countersigns with the agency's certificate (layer 2), `cchc verify` reports both; OpenSSL's
# own cms tool verifies the same files; a one-byte change, a missing layer 1, a revoked and an
# expired certificate, a foreign root, a wrong PIN and the same certificate twice all fail.
set -u
CCHC=${1:?usage: t-sign.sh PATH_TO_cchc}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() {
  echo "FAIL: $*"
  exit 1
}
command -v softhsm2-util >/dev/null || fail "softhsm2-util missing (scripts/deps.sh installs softhsm2)"

"$CCHC" sign test-pki "$T/pki" >/dev/null || fail "test-pki"
P=$T/pki
export SOFTHSM2_CONF=$T/softhsm2.conf
mkdir "$T/tokens"
echo "directories.tokendir = $T/tokens" >"$SOFTHSM2_CONF"
softhsm2-util --init-token --free --label cchc --pin 1234 --so-pin 5678 >/dev/null ||
  fail "init token"
i=1
for who in personal agency revoked expired; do
  softhsm2-util --import "$P/$who.key" --token cchc --label "$who" --id "0$i" --pin 1234 \
    >/dev/null || fail "import $who"
  i=$((i + 1))
done
export CCHC_PKCS11_MODULE=/usr/lib/softhsm/libsofthsm2.so CCHC_PKCS11_PIN=1234
export CCHC_SIGN_ROOTS=$P/ca.pem CCHC_SIGN_CRL=$P/crl.pem
tok() { echo "pkcs11:token=cchc;object=$1;type=private"; }
sign() { # sign FILE LAYER WHO
  "$CCHC" sign --layer "$2" --key "$(tok "$3")" --cert "$P/$3.pem" "$1"
}

printf 'Giấy khai sinh số 123/2026\n%s\n' "$(head -c 3000 /dev/urandom | base64)" >"$T/doc.txt"

# a layer 2 without layer 1 is refused, and leaves no signature file
out=$(sign "$T/doc.txt" 2 agency 2>&1)
[ $? -eq 2 ] || fail "layer 2 without layer 1 not refused with exit 2: $out"
grep -q "layer 1 missing" <<<"$out" || fail "refusal does not say layer 1 is missing: $out"
[ ! -e "$T/doc.txt.p7s" ] || fail "a refused signature left a file"

# layer 1, then layer 2, both from the token
sign "$T/doc.txt" 1 personal >/dev/null || fail "layer 1 on the token"
out=$("$CCHC" verify "$T/doc.txt")
[ $? -eq 1 ] || fail "one layer verified as valid"
grep -q "layer 2 (clerk, agency): MISSING" <<<"$out" || fail "missing layer 2 not reported: $out"
out=$(sign "$T/doc.txt" 1 personal 2>&1)
[ $? -eq 2 ] || fail "a second layer 1 was not refused: $out"
out=$(sign "$T/doc.txt" 2 personal 2>&1)
[ $? -eq 2 ] && grep -q "agency" <<<"$out" || fail "layer 2 with layer 1's certificate not refused: $out"
sign "$T/doc.txt" 2 agency >/dev/null || fail "layer 2 on the token"
out=$("$CCHC" verify "$T/doc.txt") || fail "both layers do not verify: $out"
grep -q "Nguyễn Văn An" <<<"$out" || fail "layer 1's signer not named: $out"
grep -q "CN=UBND xã Demo" <<<"$out" || fail "layer 2's signer not named: $out"
[ "$(grep -c 'unchanged: yes' <<<"$out")" -eq 2 ] || fail "both layers not unchanged: $out"
[ "$(grep -c 'chain:     ok' <<<"$out")" -eq 2 ] || fail "both chains not ok: $out"
grep -q "signed at: 20[0-9][0-9]-" <<<"$out" || fail "no signing time: $out"
j=$("$CCHC" verify --json "$T/doc.txt") || fail "verify --json"
[ "$(jq -r '.valid' <<<"$j")" = true ] || fail "json not valid: $j"
[ "$(jq -r '.layers[1].signer' <<<"$j")" = "CN=UBND xã Demo,O=UBND xã Demo,C=VN" ] ||
  fail "json layer 2 signer: $j"

# OpenSSL's own tool reads the same signatures: layer 1 over the document, layer 2 over the
# DER of layer 1
awk '/BEGIN CMS/{n++} n==1' "$T/doc.txt.p7s" >"$T/l1.pem"
awk '/BEGIN CMS/{n++} n==2' "$T/doc.txt.p7s" >"$T/l2.pem"
openssl cms -verify -binary -inform PEM -in "$T/l1.pem" -content "$T/doc.txt" -CAfile "$P/ca.pem" \
  -purpose any -out /dev/null 2>/dev/null || fail "openssl cms does not verify layer 1"
openssl cms -cmsout -inform PEM -in "$T/l1.pem" -outform DER -out "$T/l1.der" || fail "l1 der"
openssl cms -verify -binary -inform PEM -in "$T/l2.pem" -content "$T/l1.der" -CAfile "$P/ca.pem" \
  -purpose any -out /dev/null 2>/dev/null || fail "openssl cms does not verify layer 2 over layer 1"

# one byte changed: layer 1 no longer matches
cp "$T/doc.txt" "$T/orig.txt"
printf 'X' | dd of="$T/doc.txt" bs=1 seek=100 conv=notrunc 2>/dev/null
cmp -s "$T/doc.txt" "$T/orig.txt" && fail "tampering did not change the file"
out=$("$CCHC" verify "$T/doc.txt")
[ $? -eq 1 ] || fail "a changed document verified: $out"
grep -q "unchanged: NO" <<<"$out" || fail "the change is not reported: $out"
# and the clerk cannot countersign a changed document
cp "$T/doc.txt.p7s" "$T/both.p7s"
awk '/BEGIN CMS/{n++} n==1' "$T/both.p7s" >"$T/doc.txt.p7s"
out=$(sign "$T/doc.txt" 2 agency 2>&1)
[ $? -eq 2 ] && grep -q "does not match" <<<"$out" || fail "layer 2 over a changed document: $out"
cp "$T/orig.txt" "$T/doc.txt"
cp "$T/both.p7s" "$T/doc.txt.p7s"
"$CCHC" verify "$T/doc.txt" >/dev/null || fail "the restored document does not verify"

# a foreign root: the chain fails, the signatures still match
"$CCHC" sign test-pki "$T/other" >/dev/null || fail "second pki"
out=$("$CCHC" verify --roots "$T/other/ca.pem" "$T/doc.txt")
[ $? -eq 1 ] && grep -q "unable to get local issuer certificate" <<<"$out" ||
  fail "a foreign root was accepted: $out"

# revoked: the CRL names it; without the CRL the chain would hold
cp "$T/orig.txt" "$T/r.txt"
sign "$T/r.txt" 1 revoked >/dev/null || fail "sign with the revoked key"
out=$("$CCHC" verify "$T/r.txt")
grep -q "certificate revoked" <<<"$out" || fail "revocation not reported: $out"
out=$(CCHC_SIGN_CRL= "$CCHC" verify "$T/r.txt")
grep -q "chain:     ok" <<<"$out" || fail "without the CRL the revoked chain should hold: $out"
out=$(sign "$T/r.txt" 2 agency 2>&1)
[ $? -eq 2 ] && grep -q "revoked" <<<"$out" || fail "layer 2 over a revoked layer 1: $out"

# expired
cp "$T/orig.txt" "$T/x.txt"
sign "$T/x.txt" 1 expired >/dev/null || fail "sign with the expired key"
out=$("$CCHC" verify "$T/x.txt")
grep -q "certificate has expired" <<<"$out" || fail "expiry not reported: $out"

# keys as PEM files work too; a wrong PIN does not
cp "$T/orig.txt" "$T/f.txt"
"$CCHC" sign --layer 1 --key "$P/personal.key" --cert "$P/personal.pem" "$T/f.txt" >/dev/null ||
  fail "layer 1 from a PEM file"
"$CCHC" sign --layer 2 --key "$P/agency.key" --cert "$P/agency.pem" "$T/f.txt" >/dev/null ||
  fail "layer 2 from a PEM file"
"$CCHC" verify "$T/f.txt" >/dev/null || fail "PEM-file signatures do not verify"
cp "$T/orig.txt" "$T/p.txt"
out=$(CCHC_PKCS11_PIN=0000 sign "$T/p.txt" 1 personal 2>&1)
[ $? -ne 0 ] || fail "a wrong PIN signed"
[ ! -e "$T/p.txt.p7s" ] || fail "a failed signature left a file"
# a key that is not the certificate's
out=$("$CCHC" sign --layer 1 --key "$P/agency.key" --cert "$P/personal.pem" "$T/p.txt" 2>&1)
[ $? -eq 2 ] && grep -q "does not belong" <<<"$out" || fail "mismatched key and cert: $out"
# bad input
out=$("$CCHC" sign --layer 3 "$T/p.txt" 2>&1)
[ $? -eq 2 ] && grep -q "'3'" <<<"$out" || fail "--layer 3: $out"
echo "ok"
