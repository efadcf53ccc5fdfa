#!/usr/bin/env bash
# t-report-progress.sh — a long export shows its progress on stderr only when stderr is a
# terminal: a seeded year of more than 5,000 dossiers, its tracking book (Mẫu 06) written as
# .xlsx once with stderr on a pseudo-terminal (script(1)) and once into a file. The progress
# line counts rows every 5,000 and ends with the total; the file gets nothing, and both
# workbooks hold the same number of rows.
set -euo pipefail
B=${1:?usage: t-report-progress.sh PATH_TO_cchc}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
: "${CCHC_DATA:?}"
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v script >/dev/null || { echo "t-report-progress: skipped (no script(1))"; exit 0; }

source "$(dirname "$0")/../lib/testdb.sh"
Y=$(testdb "$T/y.db")
"$B" seed --dossiers 5200 --seed 3 --batch 100000 --db "$Y" >/dev/null 2>&1
rows=$("$B" report book --period 2025 --format csv --db "$Y" | tail -n +2 | grep -c .)
[ "$rows" -gt 5000 ] || fail "the seeded book has only $rows rows"

# stderr is a file: no progress at all
"$B" report book --period 2025 --format xlsx --out "$T/quiet.xlsx" --db "$Y" 2>"$T/err" >"$T/out"
[ ! -s "$T/err" ] || fail "progress written to a file: $(cat "$T/err")"
# the file written is named on stdout
grep -qF "cchc report: đã ghi $T/quiet.xlsx" "$T/out" || fail "report --out does not say where it wrote: $(cat "$T/out")"

# stderr is a terminal: "cchc report: 5000 dòng…" then the total with "xong"
script -qec "'$B' report book --period 2025 --format xlsx --out '$T/tty.xlsx' --db '$Y'" \
  /dev/null >"$T/tty" </dev/null
tr '\r' '\n' <"$T/tty" >"$T/lines"
grep -qx 'cchc report: 5000 dòng…' "$T/lines" || fail "no progress at 5000 rows: $(od -c "$T/tty" | head)"
grep -qx "cchc report: $rows dòng, xong." "$T/lines" || fail "no final count $rows: $(cat "$T/lines")"

count() {
  python3 - "$1" <<'PY'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
print(sum(len(re.findall(r"<row ", z.read(n).decode())) for n in z.namelist()
          if n.startswith("xl/worksheets/sheet")))
PY
}
[ "$(count "$T/quiet.xlsx")" = "$(count "$T/tty.xlsx")" ] || fail "the two workbooks differ in rows"
echo "t-report-progress: ok ($rows rows)"
