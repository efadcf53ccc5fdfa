#!/usr/bin/env bash
# t-receiving.sh — receiving regardless of residence from the CLI (issue 20, part 5; Decree
# 118/2025/NĐ-CP): a desk receives a dossier that another unit decides when the province lists
# the procedure (data/catalog/procedures.csv: receive province / nation with its source); the
# receipt names the deciding authority; a procedure not on the list, a deciding unit in
# another province for a province-wide procedure, or an unknown unit is refused (exit 2,
# naming decider, the value and the rule) and writes nothing; `cchc report receiving` labels
# received (for other units) and decided (received elsewhere) per unit.
set -euo pipefail
export CCHC_BACKDATE_TOLERANCE=off # replays past days with --at: nothing is backdated (t-backdate.sh tests the rule)
B=${1:?usage: t-receiving.sh PATH_TO_cchc}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
source "$(dirname "$0")/../lib/testdb.sh"
CCHC_DB=$(testdb "$T/t.db")
export CCHC_DB
: "${CCHC_DATA:?}"
fail() { echo "FAIL: $*" >&2; exit 1; }

"$B" init >/dev/null
"$B" import units "$CCHC_DATA/demo/units.csv" >/dev/null
"$B" import procedures "$CCHC_DATA/catalog/procedures.csv" >/dev/null
recv() { "$B" dossier receive --procedure "$1" --unit "$2" --name "Lê Văn An" --at 2026-11-20T09:00 --actor cb "${@:3}"; }
refused() { # WHAT FRAGMENT ARGS…: exit 2, the fragment on stderr, nothing written
  local out rc n0 n1
  n0=$("$B" dossier list | wc -l)
  set +e
  out=$(recv "${@:3}" 2>&1 >/dev/null); rc=$?
  set -e
  n1=$("$B" dossier list | wc -l)
  [ $rc = 2 ] || fail "$1: exit $rc: $out"
  grep -qF -- "$2" <<<"$out" || fail "$1: $out"
  [ "$n0" = "$n1" ] || fail "$1: a dossier was written"
}

# 1.001193 (birth registration) is on the province's list: Mỹ Tho's desk receives it for Cao Lãnh
out=$(recv 1.001193 DT.MYTHO --decider DT.CAOLANH)
grep -qF $'Cơ quan giải quyết:\tPhường Cao Lãnh' <<<"$out" || fail "receipt: $out"
# the printed receipt (Mẫu 01 as PDF) names the deciding authority too
code=$(awk -F'\t' '/^Mã hồ sơ:/ {print $2}' <<<"$out")
"$B" dossier form "$code" --form 01 --out "$T/r01.pdf" >/dev/null 2>&1 || fail "form 01 of $code"
pdftotext "$T/r01.pdf" - 2>/dev/null | tr '\n' ' ' | tr -s ' ' |
  grep -qF "Cơ quan giải quyết: Phường Cao Lãnh (tiếp nhận không phụ thuộc địa giới hành chính)" ||
  fail "PDF receipt without the deciding authority: $(pdftotext "$T/r01.pdf" - 2>&1 | head -30)"
# the same unit deciding: no deciding line
out=$(recv 1.001193 DT.CAOLANH --decider DT.CAOLANH)
grep -q "Cơ quan giải quyết" <<<"$out" && fail "own decision named: $out"
# 2.000815 (certified copies) nationwide: before the 2025 merger, a ward of Tiền Giang may
# decide what a town of Đồng Tháp received
recv 2.000815 DT0.THANHBINH.TT --decider TG0.MYTHO.P4 --at 2025-06-20T09:00 >/dev/null

refused "not on the list" "'DT.CAOLANH': procedure 1.001612 is received only at the desk of the unit that decides it" 1.001612 DT.MYTHO --decider DT.CAOLANH
refused "another province" "'TG0.MYTHO.P4': procedure 1.001193 is received regardless of residence within the province only" 1.001193 DT0.THANHBINH.TT --decider TG0.MYTHO.P4 --at 2025-06-20T10:00
refused "a unit that no longer exists" "'TG0.MYTHO.P4' does not exist on 2026-11-20" 2.000815 DT.MYTHO --decider TG0.MYTHO.P4
refused "unknown unit" "deciding unit 'NOPE' does not exist" 1.001193 DT.MYTHO --decider NOPE

"$B" report receiving --period 2026-11 --format csv >"$T/r.csv"
grep -qx '"DT.CAOLANH","Phường Cao Lãnh","1","0","2","1"' "$T/r.csv" || fail "Cao Lãnh: $(cat "$T/r.csv")"
grep -qx '"DT.MYTHO","Phường Mỹ Tho","1","1","0","0"' "$T/r.csv" || fail "Mỹ Tho: $(cat "$T/r.csv")"
[ "$(wc -l <"$T/r.csv")" = 3 ] || fail "rows: $(cat "$T/r.csv")"
"$B" report receiving --period 2025-06 --format csv >"$T/r6.csv"
grep -qx '"TG0.MYTHO.P4","Phường 4 (thành phố Mỹ Tho)","0","0","1","1"' "$T/r6.csv" || fail "Phường 4: $(cat "$T/r6.csv")"
"$B" report receiving --period 2026-11 --unit DT.CAOLANH --format json >"$T/r.json"
[ "$(jq -c '[.rows[] | [.unit, .received, .received_for_others, .decided, .decided_received_elsewhere]]' "$T/r.json")" = '[["DT.CAOLANH",1,0,2,1]]' ] ||
  fail "Cao Lãnh's subtree: $(cat "$T/r.json")"
jq -e '.columns | map(.header) | index("Trong đó: tiếp nhận cho đơn vị khác giải quyết") and index("Trong đó: do đơn vị khác tiếp nhận")' "$T/r.json" >/dev/null ||
  fail "labels: $(jq -c .columns "$T/r.json")"
"$B" report receiving_dossiers --period 2025-06 --unit TG0.MYTHO.P4 --format csv >"$T/l.csv"
[ "$(wc -l <"$T/l.csv")" = 2 ] && grep -q '"2.000815","Thị trấn Thanh Bình","Phường 4 (thành phố Mỹ Tho)"' "$T/l.csv" ||
  fail "Phường 4's list: $(cat "$T/l.csv")"
echo "ok t-receiving"
