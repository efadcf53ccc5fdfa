#!/usr/bin/env bash
# bench/digitise.sh — storage per dossier of digitisation on SQLite: N dossiers received, each
# with two scanned components (distinct 150 KB PDFs) and, once solved, a 100 KB PDF result
# signed in two layers (RSA-2048 CMS, PEM keys of a test PKI). Prints the database growth per
# dossier against the bytes of content kept (the same-run ratio is the store's overhead), the
# and the time per scanned component.
# Prints figures; asserts nothing.
# Usage: bash bench/digitise.sh PATH_TO_cchc [DOSSIERS, default 10]
set -euo pipefail
CCHC=$(realpath "${1:?usage: bash bench/digitise.sh PATH_TO_cchc [DOSSIERS]}")
N=${2:-10}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export CCHC_DATA=$ROOT/data
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
DB=$T/b.db
D=(--db "$DB")
"$CCHC" init "${D[@]}" >/dev/null
"$CCHC" import units "$ROOT/data/demo/units.csv" "${D[@]}" >/dev/null
"$CCHC" import procedures "$ROOT/data/catalog/procedures.csv" "${D[@]}" >/dev/null
"$CCHC" sign test-pki "$T/pki" >/dev/null
export CCHC_SIGN_ROOTS=$T/pki/ca.pem CCHC_SIGN_CRL=$T/pki/crl.pem
pdf() { # FILE KB: a PDF header and KB KiB of random bytes (as incompressible as a scan)
  { printf '%%PDF-1.4\n'; head -c $(($2 * 1024)) /dev/urandom; } >"$1"
}
size() {
  sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
  stat -c %s "$DB"
}
codes=()
for i in $(seq "$N"); do
  codes+=("$("$CCHC" dossier receive --unit DT.MYTHO --procedure 1.004873 --name "Người $i" \
    --idno "0870900$(printf %05d "$i")" --at 2025-08-04T08:10 --actor motcua1 "${D[@]}" |
    awk -F'\t' '/^Mã hồ sơ:/ {print $2}')")
done
before=$(size)
content=0
t0=$(date +%s.%N)
for c in "${codes[@]}"; do
  for k in 1 2; do
    pdf "$T/s.pdf" 150
    content=$((content + $(stat -c %s "$T/s.pdf")))
    "$CCHC" digitise add "$c" --doc $k --file "$T/s.pdf" --actor motcua1 "${D[@]}" >/dev/null
  done
done
t1=$(date +%s.%N)
sig=0
for i in "${!codes[@]}"; do
  c=${codes[$i]}
  "$CCHC" dossier advance "$c" --officer cv --at 2025-08-04T08:30 "${D[@]}" >/dev/null
  for t in 2025-08-04T09:00 2025-08-04T10:00 2025-08-05T09:00; do
    "$CCHC" dossier advance "$c" --at $t "${D[@]}" >/dev/null
  done
  "$CCHC" dossier finish "$c" --at 2025-08-05T10:00 "${D[@]}" >/dev/null
  pdf "$T/r.pdf" 100
  content=$((content + $(stat -c %s "$T/r.pdf")))
  "$CCHC" digitise result-add "$c" --no "KQ-$i" --title "Giấy xác nhận" --file "$T/r.pdf" \
    --actor cb "${D[@]}" >/dev/null
  "$CCHC" digitise result-sign "KQ-$i" --layer 1 --key "$T/pki/personal.key" \
    --cert "$T/pki/personal.pem" --actor ct "${D[@]}" >/dev/null
  "$CCHC" digitise result-sign "KQ-$i" --layer 2 --key "$T/pki/agency.key" \
    --cert "$T/pki/agency.pem" --actor vt "${D[@]}" >/dev/null
done
sig=$(sqlite3 "$DB" "SELECT SUM(LENGTH(signature)) FROM digi_results")
after=$(size)
growth=$((after - before))
echo "digitisation storage, SQLite, $N dossiers (2 scans of 150 KB + a 100 KB result signed in 2 layers each)"
printf '  database growth per dossier: %d bytes\n' $((growth / N))
printf '  content kept per dossier:    %d bytes (+ %d bytes of signatures)\n' $((content / N)) $((sig / N))
awk -v g="$growth" -v c="$content" 'BEGIN { printf "  growth / content: x%.3f (the store overhead, same run)\n", g / c }'
awk -v a="$t0" -v b="$t1" -v n="$N" 'BEGIN { printf "  cchc digitise add (one CLI process per scan): %.1f ms per component\n", (b - a) * 1000 / (2 * n) }'
