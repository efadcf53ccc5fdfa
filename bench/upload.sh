#!/usr/bin/env bash
# bench/upload.sh — online filing uploads per second: N distinct PDFs of KB KiB (random bytes
# behind a PDF header, as incompressible as a scan) PUT one after another as the raw body of a
# filing's document on a real `cchc serve` (SQLite, durable commits: type sniffed by libmagic,
# SHA-256, blob and row in one transaction). Same-run baselines: the same bytes written to
# files with fsync (dd conv=fsync), and the same number of curl round trips to /healthz (the
# HTTP and process cost without the upload). Prints figures and ratios; asserts nothing.
# Usage: bash bench/upload.sh PATH_TO_cchc [N, default 50] [KB, default 200]
set -euo pipefail
CCHC=$(realpath "${1:?usage: bash bench/upload.sh PATH_TO_cchc [N] [KB]}")
N=${2:-50}
KB=${3:-200}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export CCHC_DATA=$ROOT/data
T=$(mktemp -d)
PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$T"' EXIT
DB=$T/b.db
"$CCHC" init --db "$DB" >/dev/null
"$CCHC" import units "$ROOT/data/demo/units.csv" --db "$DB" >/dev/null
"$CCHC" import procedures "$ROOT/data/catalog/procedures.csv" --db "$DB" >/dev/null
"$CCHC" serve --db "$DB" --port 0 --port-file "$T/port" >/dev/null 2>"$T/err" &
PID=$!
for _ in $(seq 100); do [ -s "$T/port" ] && break; sleep 0.05; done
BASE=http://127.0.0.1:$(cat "$T/port")
# a confirmed citizen: the one-time code from the outbox
curl -s -o /dev/null -H 'Content-Type: application/json' -d '{"contact":"0912345678"}' "$BASE/api/public/otp"
otp=$(sqlite3 "$DB" "SELECT vars FROM outbox WHERE event = 'otp' ORDER BY id DESC LIMIT 1" | sed -n 's/^otp\t//p')
curl -s -c "$T/jar" -o /dev/null -H 'Content-Type: application/json' \
  -d "{\"contact\":\"0912345678\",\"code\":\"$otp\"}" "$BASE/api/public/otp/verify"
id=$(curl -s -b "$T/jar" -H 'Content-Type: application/json' \
  -d '{"procedure":"1.001193","unit":"DT.MYTHO","applicant_name":"Nguyễn Văn Bench"}' \
  "$BASE/api/public/efile" | jq -r .id)
[ ${#id} = 32 ] || { echo "bench: could not start a filing" >&2; exit 1; }
mkdir "$T/f" "$T/out"
for i in $(seq "$N"); do
  { printf '%%PDF-1.4\n'; head -c $((KB * 1024)) /dev/urandom; printf '\n%%%%EOF\n'; } >"$T/f/$i.pdf"
done
now() { date +%s.%N; }
t0=$(now)
for i in $(seq "$N"); do
  code=$(curl -s -b "$T/jar" -o /dev/null -w '%{http_code}' -X PUT --data-binary "@$T/f/$i.pdf" \
    "$BASE/api/public/efile/$id/documents/1?name=$i.pdf")
  [ "$code" = 201 ] || { echo "bench: upload $i answered $code" >&2; exit 1; }
done
t1=$(now)
for i in $(seq "$N"); do
  dd if="$T/f/$i.pdf" of="$T/out/$i.pdf" bs=1M conv=fsync status=none
done
t2=$(now)
for i in $(seq "$N"); do
  curl -s -o /dev/null "$BASE/healthz"
done
t3=$(now)
awk -v n="$N" -v kb="$KB" -v t0="$t0" -v t1="$t1" -v t2="$t2" -v t3="$t3" 'BEGIN {
  up = t1 - t0; fs = t2 - t1; rt = t3 - t2
  printf "uploads: %d PDFs of %d KiB\n", n, kb
  printf "cchc PUT (sniff, SHA-256, blob + row, durable commit): %.1f uploads/s (%.1f ms each)\n", n / up, up * 1000 / n
  printf "baseline, write the same bytes to a file with fsync: %.1f files/s (%.1f ms each)\n", n / fs, fs * 1000 / n
  printf "baseline, curl round trip to /healthz: %.1f requests/s (%.1f ms each)\n", n / rt, rt * 1000 / n
  printf "ratio upload / (write+fsync): %.2f; upload / round trip: %.2f\n", up / fs, up / rt
}'
