#!/usr/bin/env bash
# CLI tests of `cchc par` on the database: a round driven through its phases with scores,
# evidence, survey points and results (values worked by hand below), and every bad input or
# refused write answered with one stderr line naming the value and the rule, exit status 2,
# nothing on stdout. Runtime failures (a file that cannot be read) exit 1.
set -u
CCHC=${1:?usage: t-par-round.sh PATH_TO_cchc}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
T=${CCHC_TESTDATA:-$ROOT/tests/data}/par
fails=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/../lib/testdb.sh"
CCHC_DB=$(testdb "$tmp/par.db")
export CCHC_DB USER=tester

check_grep() { # name fixed-line command... (stdout must contain the line, exit 0)
  local name=$1 want=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
  if [ $rc -ne 0 ] || ! grep -qxF -- "$want" "$tmp/out"; then
    echo "FAIL $name: rc=$rc no line [$want] stdout [$(head -c 400 "$tmp/out")] stderr [$(cat "$tmp/err")]"
    fails=$((fails+1))
  fi
}
check_bad() { # name expected-stderr-fragment command... (exit 2, one line on stderr, no stdout)
  local name=$1 want=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
  if [ $rc -ne 2 ] || [ -s "$tmp/out" ] || ! grep -qF -- "$want" "$tmp/err" || [ "$(wc -l <"$tmp/err")" -ne 1 ]; then
    echo "FAIL $name: rc=$rc (want 2) stdout [$(head -c 300 "$tmp/out")] stderr [$(cat "$tmp/err")] want [$want]"
    fails=$((fails+1))
  fi
}
run() { # name command... (must exit 0)
  local name=$1; shift
  if ! "$@" >"$tmp/out" 2>"$tmp/err"; then
    echo "FAIL $name: $* -> stderr [$(cat "$tmp/err")]"; fails=$((fails+1))
  fi
}

testdb_is_pg || check_bad no-db "database '$tmp/par.db' does not exist" "$CCHC" par round list
run init "$CCHC" init
run units "$CCHC" import units "$T/round/units.csv"

# --- sets --------------------------------------------------------------------------------
check_grep import-set "Đã nhập bộ tiêu chí T1 (phiên bản 1, năm 2024): 3 lĩnh vực, 6 tiêu chí lá, tối đa 50,00 điểm" \
  "$CCHC" par import-set "$T/t1-set.csv"
check_bad import-again "criteria set 'T1' version '1' is already stored" "$CCHC" par import-set "$T/t1-set.csv"
# A set saved in Latin-1 (or with control characters) is refused before anything is stored.
sed 's/^# code: T1$/# code: T1L/' "$T/t1-set.csv" | iconv -f UTF-8 -t LATIN1//TRANSLIT >"$tmp/latin1.csv"
check_bad import-latin1 "latin1.csv:4: not valid UTF-8" "$CCHC" par import-set "$tmp/latin1.csv"
sed 's/^# code: T1$/# code: T1C/; s/Công tác/Công\x1btác/' "$T/t1-set.csv" >"$tmp/ctrl.csv"
check_bad import-control "ctrl.csv:" "$CCHC" par import-set "$tmp/ctrl.csv"
"$CCHC" par import-set "$T/bad/dup-code.csv" >"$tmp/out" 2>"$tmp/err"; rc=$?
if [ $rc -ne 2 ] || ! grep -qF "dup-code.csv" "$tmp/err"; then echo "FAIL import-bad: rc=$rc $(cat "$tmp/err")"; fails=$((fails+1)); fi
"$CCHC" par import-set "$tmp/nothing.csv" >"$tmp/out" 2>"$tmp/err"; rc=$?
if [ $rc -ne 1 ] || ! grep -qF "nothing.csv: cannot open" "$tmp/err"; then
  echo "FAIL import-missing: rc=$rc (want 1) $(cat "$tmp/err")"; fails=$((fails+1))
fi
check_bad import-no-file "import-set needs FILE" "$CCHC" par import-set

# --- a round -----------------------------------------------------------------------------
check_grep create "Tạo lúc 2025-01-05T08:00 bởi tester; 3 đơn vị" \
  "$CCHC" par round create C25 --year 2025 --set T1 --units X01,X02,X03 --title "Xã 2025" --at 2025-01-05T08:00
check_grep create-kind "Năm 2025; bộ tiêu chí T1 phiên bản 1; số liệu hồ sơ từ 2025-01-01 đến 2025-06-30" \
  "$CCHC" par round create K25 --year 2025 --set T1@1 --period 2025-H1
check_grep list "C25	2025	T1@1	self	3	Xã 2025" "$CCHC" par round list
check_grep show-units "  X03	commune	Xã Ba, huyện Cũ" "$CCHC" par round show C25
check_bad create-dup "round 'C25' already exists (year 2025)" "$CCHC" par round create C25 --year 2025 --set T1
check_bad create-year "--year: 'abc' is not a year between 2000 and 2100" "$CCHC" par round create Z --year abc --set T1
check_bad create-set "criteria set 'T9' is not stored" "$CCHC" par round create Z --year 2025 --set T9
check_bad create-unit "unit 'X99'" "$CCHC" par round create Z --year 2025 --set T1 --units X01,X99
check_bad create-twice "'X01' is listed twice" "$CCHC" par round create Z --year 2025 --set T1 --units X01,X01
check_bad create-kind "kind" "$CCHC" par round create Z --year 2025 --set T1 --kind villa
check_bad create-period "2025-13" "$CCHC" par round create Z --year 2025 --set T1 --period 2025-13
check_bad create-opt "unexpected option '--node'" "$CCHC" par round create Z --year 2025 --set T1 --node 1
check_bad round-sub "round: 'frob' is not one of create, list, show, close-phase, publish" "$CCHC" par round frob
check_bad show-none "round 'NOPE' does not exist" "$CCHC" par round show NOPE

# --- self-assessment (hand-worked: see the results below) ----------------------------------
for u in X01 X02; do
  for nv in 1.1:4 1.2.1:3 1.2.2:3 2.1:5 2.2:10; do
    run "self-$u-${nv%%:*}" "$CCHC" par score --round C25 --unit $u --node "${nv%%:*}" --self "${nv#*:}"
  done
done
run self-X03-1.1 "$CCHC" par score --round C25 --unit X03 --node 1.1 --self 4
check_grep self-X03-2.2 "C25 X03, tiêu chí 2.2: tự chấm 9,50 điểm" \
  "$CCHC" par score --round C25 --unit X03 --node 2.2 --self 9,5 --comment "Có kế hoạch"
check_bad over-max "unit 'X01': node '1.1': self points 4.5 exceed the node's max 4" \
  "$CCHC" par score --round C25 --unit X01 --node 1.1 --self 4.5
check_bad decimals "self points 1.125 have more than the 2 decimals the set allows" \
  "$CCHC" par score --round C25 --unit X01 --node 1.1 --self 1.125
check_bad negative "--self: '-1' is not a non-negative number" "$CCHC" par score --round C25 --unit X01 --node 1.1 --self -1
check_bad inner "node '1.2' has sub-criteria" "$CCHC" par score --round C25 --unit X01 --node 1.2 --self 1
check_bad survey-node "node '3.1' is scored survey and takes no self value" "$CCHC" par score --round C25 --unit X01 --node 3.1 --self 1
check_bad other-unit "unit 'X04' is not assessed in round 'C25'" "$CCHC" par score --round C25 --unit X04 --node 1.1 --self 1
check_bad both "exactly one of --self X or --appraised X" "$CCHC" par score --round C25 --unit X01 --node 1.1 --self 1 --appraised 1
check_bad no-node "score needs --node N" "$CCHC" par score --round C25 --unit X01 --self 1
check_bad early-appraisal "round 'C25' is in phase 'self' (Tự đánh giá); appraised scores are written in phase 'appraisal'" \
  "$CCHC" par score --round C25 --unit X01 --node 1.1 --appraised 1

# --- evidence ------------------------------------------------------------------------------
printf '%%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<<>>\n%%%%EOF\n' >"$tmp/ke-hoach.pdf"
sum=$(sha256sum "$tmp/ke-hoach.pdf" | cut -d' ' -f1)
check_grep evidence-add "#1	ke-hoach.pdf	application/pdf	58	sha256:$sum" \
  "$CCHC" par evidence add --round C25 --unit X01 --node 1.1 "$tmp/ke-hoach.pdf" --at 2025-02-03T10:00
check_grep evidence-list "1	X01	1.1	ke-hoach.pdf	application/pdf	58	$sum	2025-02-03T10:00	tester" \
  "$CCHC" par evidence list --round C25 --unit X01
run evidence-get "$CCHC" par evidence get 1 --out "$tmp/back.pdf"
cmp -s "$tmp/ke-hoach.pdf" "$tmp/back.pdf" || { echo "FAIL evidence-get: content differs"; fails=$((fails+1)); }
cp "$tmp/ke-hoach.pdf" "$tmp/chay.exe"
check_bad evidence-ext "file 'chay.exe': the extension must be one of pdf" \
  "$CCHC" par evidence add --round C25 --unit X01 --node 1.1 "$tmp/chay.exe"
printf 'not a pdf\n' >"$tmp/gia.pdf"
check_bad evidence-type "file 'gia.pdf': its content is text/plain, not application/pdf" \
  "$CCHC" par evidence add --round C25 --unit X01 --node 1.1 "$tmp/gia.pdf"
head -c 1048577 /dev/zero >"$tmp/lon.pdf"
check_bad evidence-size "file 'lon.pdf' has 1048577 bytes, above the limit of 1048576 bytes (1 MiB)" \
  "$CCHC" par evidence add --round C25 --unit X01 --node 1.1 "$tmp/lon.pdf" --max-mib 1
check_bad evidence-mib "--max-mib: '0' is not a whole number of MiB" \
  "$CCHC" par evidence add --round C25 --unit X01 --node 1.1 "$tmp/ke-hoach.pdf" --max-mib 0
check_bad evidence-node "node '7' is not a criterion of set 'T1'" \
  "$CCHC" par evidence add --round C25 --unit X01 --node 7 "$tmp/ke-hoach.pdf"
check_bad evidence-id "evidence #99 does not exist" "$CCHC" par evidence get 99 --out "$tmp/x"
"$CCHC" par evidence add --round C25 --unit X01 --node 1.1 "$tmp/none.pdf" >/dev/null 2>&1; rc=$?
[ $rc -eq 1 ] || { echo "FAIL evidence-unreadable: rc=$rc (want 1)"; fails=$((fails+1)); }

# --- appraisal -----------------------------------------------------------------------------
check_grep close-self "Đã kết thúc giai đoạn Tự đánh giá của đợt C25; giai đoạn hiện tại: Thẩm định (appraisal)." \
  "$CCHC" par round close-phase C25 --phase self --at 2025-02-10T17:00 --actor hoi.dong
check_bad close-again "round 'C25' is in phase 'appraisal', not 'self': nothing was closed" \
  "$CCHC" par round close-phase C25 --phase self
check_bad late-self "round 'C25' is in phase 'appraisal' (Thẩm định); self scores are written in phase 'self'" \
  "$CCHC" par score --round C25 --unit X01 --node 1.1 --self 3
run appraise-1 "$CCHC" par score --round C25 --unit X01 --node 2.2 --appraised 9 --comment "Lần 1"
run appraise-2 "$CCHC" par score --round C25 --unit X01 --node 2.2 --appraised 8 --comment "Thiếu báo cáo quý" \
  --at 2025-02-20T09:00
run appraise-3 "$CCHC" par score --round C25 --unit X02 --node 1.1 --appraised 2
check_grep history "2025-02-20T09:00	2.2	appraised	9.00	8.00	tester	Thiếu báo cáo quý" \
  "$CCHC" par history --round C25 --unit X01 --node 2.2
check_bad early-publish "round 'C25' is in phase 'appraisal'; it is published after the survey phase" \
  "$CCHC" par round publish C25
printf 'unit,node,survey\nX01,3.1,20\nX02,3.1,22\nX03,3.1,24.5\n' >"$tmp/survey.csv"
check_bad early-survey "round 'C25' is in phase 'appraisal' (Thẩm định); survey scores are written in phase 'survey'" \
  "$CCHC" par survey import --round C25 "$tmp/survey.csv"
run close-appraisal "$CCHC" par round close-phase C25

# --- survey --------------------------------------------------------------------------------
printf 'unit,node,survey\nX01,3.1,20\nX02,3.1,26\n' >"$tmp/survey-bad.csv"
check_bad survey-max "survey-bad.csv:3: unit 'X02': node '3.1': survey points 26 exceed the node's max 25" \
  "$CCHC" par survey import --round C25 "$tmp/survey-bad.csv"
printf 'unit,node,survey\nX01,3.1,20\nX04,3.1,20\n' >"$tmp/survey-unit.csv"
check_bad survey-unit "survey-unit.csv:3: unit 'X04' is not assessed in round 'C25'" \
  "$CCHC" par survey import --round C25 "$tmp/survey-unit.csv"
printf 'unit,node,points\nX01,3.1,20\n' >"$tmp/survey-head.csv"
check_bad survey-header "survey-head.csv:1: column 3: 'points' is not a known column" \
  "$CCHC" par survey import --round C25 "$tmp/survey-head.csv"
check_bad survey-sub "survey import: the only subcommand is import" "$CCHC" par survey load --round C25 "$tmp/survey.csv"
"$CCHC" par results --round C25 --format csv >"$tmp/mid.csv" 2>&1
grep -q '^1,X01,Xã Một,23.00,' "$tmp/mid.csv" && grep -q '^1,X02,Xã Hai,23.00,' "$tmp/mid.csv" || { echo "FAIL survey-all-or-nothing: $(cat "$tmp/mid.csv")"; fails=$((fails+1)); }
check_grep survey "Đã nhập 3 điểm điều tra xã hội học vào đợt C25" "$CCHC" par survey import --round C25 "$tmp/survey.csv"

# --- results, worked by hand (max 50) ------------------------------------------------------
# X02: 1.1 appraised 2 + 3 + 3 = 8; 5 + 10 = 15; survey 22 -> 45 (90 %), rank 1.
# X01: 4 + 3 + 3 = 10; 5 + 2.2 re-appraised 8 = 13; survey 20 -> 43 (86 %), rank 2.
# X03: 1.1 self 4; 2.2 self 9.5; survey 24.5; 1.2.1, 1.2.2, 2.1 missing -> 38 (76 %), rank 3.
check_grep results-x02 "1,X02,Xã Hai,45.00,90.00,8.00,15.00,22.00,22.00,0" "$CCHC" par results --round C25 --format csv
check_grep results-x01 "2,X01,Xã Một,43.00,86.00,10.00,13.00,20.00,20.00,0" "$CCHC" par results --round C25 --format csv
check_grep results-x03 '3,X03,"Xã Ba, huyện Cũ",38.00,76.00,4.00,9.50,24.50,24.50,3' "$CCHC" par results --round C25 --format csv
check_grep results-table "  X03: 1.2.1 1.2.2 2.1" "$CCHC" par results --round C25
"$CCHC" par results --round C25 --format json >"$tmp/r.json" || { echo "FAIL results-json"; fails=$((fails+1)); }
grep -q '"X02"' "$tmp/r.json" || { echo "FAIL results-json content"; fails=$((fails+1)); }
check_grep results-xlsx "$tmp/r.xlsx" "$CCHC" par results --round C25 --format xlsx --out "$tmp/r.xlsx"
[ "$(head -c 2 "$tmp/r.xlsx")" = "PK" ] || { echo "FAIL results-xlsx: not a zip"; fails=$((fails+1)); }
check_bad results-xlsx-out "--format xlsx needs --out FILE.xlsx" "$CCHC" par results --round C25 --format xlsx
check_bad results-format "'pdf'" "$CCHC" par results --round C25 --format pdf
check_bad results-prev "previous round 'K25' is not published" "$CCHC" par results --round C25 --previous K25
check_grep metrics "X01	2.1	on_time_pct	—	0	0	solved	live" "$CCHC" par metrics --round C25
check_bad dossiers-node "node '1.1' is not a computed criterion of set 'T1'" "$CCHC" par dossiers --round C25 --unit X01 --node 1.1
printf 'unit,up,rank,index\nX03,,1,\n' >"$tmp/targets.csv"
check_grep target "Đã lưu 1 mục tiêu của đợt C25" "$CCHC" par target import --round C25 "$tmp/targets.csv"
check_grep target-result "3,X03,\"Xã Ba, huyện Cũ\",38.00,76.00,4.00,9.50,24.50,24.50,3,1,,no" \
  "$CCHC" par results --round C25 --format csv

# --- publication freezes everything ---------------------------------------------------------
check_grep publish "Đã công bố đợt C25; điểm đã khóa." "$CCHC" par round publish C25 --at 2025-03-20T15:30 --actor chu.tich
check_grep show-published "  Công bố lúc 2025-03-20T15:30 bởi chu.tich: điểm đã khóa" "$CCHC" par round show C25
check_bad frozen-score "round 'C25' is published: its scores are frozen and cannot be changed" \
  "$CCHC" par score --round C25 --unit X03 --node 1.2.1 --self 3
check_bad frozen-survey "round 'C25' is published" "$CCHC" par survey import --round C25 "$tmp/survey.csv"
check_bad frozen-evidence "round 'C25' is published: its evidence is frozen" \
  "$CCHC" par evidence add --round C25 --unit X01 --node 1.1 "$tmp/ke-hoach.pdf"
check_bad frozen-target "round 'C25' was published on 2025-03-20T15:30 by chu.tich: it is frozen" \
  "$CCHC" par target import --round C25 "$tmp/targets.csv"
check_bad frozen-publish "round 'C25' was published on 2025-03-20T15:30 by chu.tich: it is frozen" \
  "$CCHC" par round publish C25
check_grep frozen-results "1,X02,Xã Hai,45.00,90.00,8.00,15.00,22.00,22.00,0,,," "$CCHC" par results --round C25 --format csv
check_grep frozen-metrics "X01	2.1	on_time_pct	—	0	0	solved	frozen" "$CCHC" par metrics --round C25 --unit X01

[ $fails -eq 0 ] && echo "t-par-round: all passed" || echo "t-par-round: $fails failed"
[ $fails -eq 0 ]
