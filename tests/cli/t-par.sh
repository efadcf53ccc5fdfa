#!/usr/bin/env bash
# CLI tests of `cchc par`: check-set summaries, export round trips, results in every format
# against values worked out by hand (tests/data/par/t1-expected.csv), the PAR INDEX 2012
# reproduction, and bad input answered on stderr naming the value and rule, exit status 2.
set -u
CCHC=${1:?usage: t-par.sh PATH_TO_cchc}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
T=${CCHC_TESTDATA:-$ROOT/tests/data}/par
D=${CCHC_DATA:-$ROOT/data}/par
fails=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

check_out() { # name expected-stdout command...
  local name=$1 want=$2; shift 2
  local got; got=$("$@" 2>"$tmp/err"); local rc=$?
  if [ $rc -ne 0 ] || [ "$got" != "$want" ]; then
    echo "FAIL $name: rc=$rc got [$got] want [$want] stderr [$(cat "$tmp/err")]"; fails=$((fails+1))
  fi
}
check_grep() { # name fixed-line command... (stdout must contain the line, exit 0)
  local name=$1 want=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
  if [ $rc -ne 0 ] || ! grep -qxF -- "$want" "$tmp/out"; then
    echo "FAIL $name: rc=$rc no line [$want] stderr [$(cat "$tmp/err")]"; fails=$((fails+1))
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

# --- check-set ---------------------------------------------------------------------------
check_grep summary "3 lĩnh vực, 5 tiêu chí, 2 tiêu chí thành phần; điểm tối đa 50,00 (điều tra XHH: 1 tiêu chí, 25,00 điểm)" "$CCHC" par check-set "$T/t1-set.csv"
check_grep summary-json "  1       10,00   2 tiêu chí,  2 TCTP  Công tác chỉ đạo điều hành CCHC" "$CCHC" par check-set "$T/t1-set.json"
check_grep commune "8 lĩnh vực, 33 tiêu chí, 8 tiêu chí thành phần; điểm tối đa 100,00 (điều tra XHH: 3 tiêu chí, 30,00 điểm)" "$CCHC" par check-set "$D/commune-ht-3396-2021.csv"
for f in "$D"/*.csv; do
  "$CCHC" par check-set "$f" >/dev/null 2>"$tmp/err" || { echo "FAIL shipped $f: $(cat "$tmp/err")"; fails=$((fails+1)); }
done

# --- export round trips: CSV -> JSON -> CSV gives the CSV export back; JSON and CSV agree --
"$CCHC" par export-set "$T/t1-set.csv" --format json >"$tmp/a.json" &&
"$CCHC" par export-set "$tmp/a.json" --format csv >"$tmp/b.csv" &&
"$CCHC" par export-set "$T/t1-set.csv" --format csv >"$tmp/a.csv" &&
"$CCHC" par export-set "$T/t1-set.json" --format csv >"$tmp/c.csv" || { echo "FAIL export: rc $?"; fails=$((fails+1)); }
cmp -s "$tmp/a.csv" "$tmp/b.csv" || { echo "FAIL export: csv -> json -> csv differs"; diff "$tmp/a.csv" "$tmp/b.csv" | head; fails=$((fails+1)); }
cmp -s "$tmp/a.csv" "$tmp/c.csv" || { echo "FAIL export: json and csv sets export differently"; fails=$((fails+1)); }
check_grep export-rule '2.1,2,"Tỷ lệ hồ sơ giải quyết đúng hạn, trước hạn",5,computed,on_time_pct,>=100:5;>=90:2.5;else:0,Số liệu phần mềm một cửa,' cat "$tmp/a.csv"
for f in "$D"/*.csv; do # every shipped set survives a JSON round trip unchanged
  "$CCHC" par export-set "$f" --format json >"$tmp/r.json" && "$CCHC" par export-set "$tmp/r.json" --format csv >"$tmp/r2.csv" &&
  "$CCHC" par export-set "$f" --format csv >"$tmp/r1.csv" && cmp -s "$tmp/r1.csv" "$tmp/r2.csv" ||
    { echo "FAIL round trip $f"; fails=$((fails+1)); }
done

# --- results -------------------------------------------------------------------------------
R=("$CCHC" par results --set "$T/t1-set.csv" --scores "$T/t1-scores.csv")
check_out results-csv "rank,unit,name,total,index,area:1,area:2,area:3,survey,missing
1,X05,Phường Năm,44.25,88.50,9.50,12.00,22.75,22.75,0
2,X01,Xã Một,43.75,87.50,9.25,14.00,20.50,20.50,0
2,X02,Xã Hai,43.75,87.50,10.00,10.75,23.00,23.00,0
4,X03,\"Xã Ba, huyện Cũ\",39.50,79.00,8.00,7.50,24.00,24.00,0
5,X04,Xã Bốn (sáp nhập),15.00,30.00,4.00,11.00,0.00,0.00,3" "${R[@]}" --format csv
# the table is for people: the same figures with a decimal comma (the CSV above keeps the dot)
if ! "${R[@]}" >"$tmp/table.out" || ! grep -q "Xã Một" "$tmp/table.out" || ! grep -q "87,50" "$tmp/table.out" ||
  ! grep -q "43,75" "$tmp/table.out" || grep -q "87\.50" "$tmp/table.out"; then
  echo "FAIL results-table-vi: numbers not written with a decimal comma: $(cat "$tmp/table.out")"; fails=$((fails+1))
fi
check_grep results-prev-targets "2,X01,Xã Một,43.75,87.50,9.25,14.00,20.50,20.50,0,3,+1,80.00,+7.50,1,,no" "${R[@]}" --previous "$T/t1-previous.csv" --targets "$T/t1-targets.csv" --format csv
check_grep results-merged "5,X04,Xã Bốn (sáp nhập),15.00,30.00,4.00,11.00,0.00,0.00,3,merged,,45.00,-15.00" "${R[@]}" --previous "$T/t1-previous.csv" --format csv
check_grep results-table "  X04: 1.2.1 1.2.2 3.1" "${R[@]}"
"${R[@]}" --format json --previous "$T/t1-previous.csv" >"$tmp/r.json" 2>"$tmp/err" || { echo "FAIL json: $(cat "$tmp/err")"; fails=$((fails+1)); }
grep -q '"previous_unmatched": 1' "$tmp/r.json" && grep -q '"rank_change": -2' "$tmp/r.json" ||
  { echo "FAIL json content"; fails=$((fails+1)); }

# --- the published PAR INDEX 2012 (top 19) from its components: same index and rank ---------
"$CCHC" par results --set "$D/moha-1294-province-2012-components.csv" --scores "$D/published/par-index-2012-top19-scores.csv" --format csv >"$tmp/p.csv" 2>"$tmp/err" ||
  { echo "FAIL 2012: $(cat "$tmp/err")"; fails=$((fails+1)); }
got=$(tail -n +2 "$tmp/p.csv" | awk -F, '{print $2","$5","$1}' | sort)
want=$(grep -v '^#' "$D/published/par-index-2012-top19.csv" | tail -n +2 | awk -F, '{printf "%s,%.2f,%s\n", $1, $3, $4}' | sort)
[ "$got" = "$want" ] || { echo "FAIL 2012 ranking differs:"; diff <(echo "$want") <(echo "$got") | head; fails=$((fails+1)); }

# --- bad input -----------------------------------------------------------------------------
printf 'unit,node,appraised\nX1,1.1,4.5\n' >"$tmp/over.csv"
printf 'unit,node,self\nX1,1.1,4\nX1,1.1,3\n' >"$tmp/dup.csv"
printf 'unit,node,self\nX1,1.1,1.125\n' >"$tmp/dec.csv"
printf 'unit,index,rank\nX01,80,abc\n' >"$tmp/prev.csv"
printf 'unit,index\nX01,101\n' >"$tmp/prev2.csv"
printf 'unit,up\nNOPE,3\n' >"$tmp/tg.csv"
printf 'unit,up,rank\nX01,3,2\n' >"$tmp/tg2.csv"
cp "$T/t1-set.csv" "$tmp/set.txt"
check_bad no-sub "missing subcommand: check-set, export-set, results, import-set, round" "$CCHC" par
check_bad bad-sub "'frobnicate' is not a par subcommand" "$CCHC" par frobnicate
check_bad check-no-file "check-set takes one FILE" "$CCHC" par check-set
iconv -f UTF-8 -t LATIN1//TRANSLIT "$T/t1-set.csv" >"$tmp/latin1.csv"
check_bad check-latin1 "latin1.csv:4: not valid UTF-8 (save the file as UTF-8)" "$CCHC" par check-set "$tmp/latin1.csv"
check_bad check-ext "set.txt: a criteria set file must end in .csv or .json" "$CCHC" par check-set "$tmp/set.txt"
check_bad check-sum "sum-mismatch.csv:5: max: children of '1' sum to 9.50 points, but its max is 10.00" "$CCHC" par check-set "$T/bad/sum-mismatch.csv"
check_bad check-json-path "json-unknown-key.json: \$.nodes[0].children[1]: 'maks' is not a known key" "$CCHC" par check-set "$T/bad/json-unknown-key.json"
check_bad export-format "--format: 'xml' is not one of csv, json" "$CCHC" par export-set "$T/t1-set.csv" --format xml
check_bad export-no-format "export-set needs FILE and --format csv|json" "$CCHC" par export-set "$T/t1-set.csv"
check_bad export-bad-set "rule-order.csv:5: rule: threshold 95 of step 2 must be lower than 90 of step 1" "$CCHC" par export-set "$T/bad/rule-order.csv" --format json
check_bad results-no-scores "results needs --set FILE and --scores FILE" "$CCHC" par results --set "$T/t1-set.csv"
check_bad results-twice "--set given twice" "$CCHC" par results --set "$T/t1-set.csv" --set "$T/t1-set.csv" --scores "$T/t1-scores.csv"
check_bad results-format "--format: 'xlsx' is not one of table, csv, json" "${R[@]}" --format xlsx
check_bad results-over-max "over.csv:2: appraised: unit 'X1': node '1.1': appraised points 4.5 exceed the node's max 4" "$CCHC" par results --set "$T/t1-set.csv" --scores "$tmp/over.csv"
check_bad results-dup "dup.csv:3: node: unit 'X1' node '1.1' is already scored on line 2" "$CCHC" par results --set "$T/t1-set.csv" --scores "$tmp/dup.csv"
check_bad results-decimals "dec.csv:2: self: unit 'X1': node '1.1': self points 1.125 have more than the 2 decimals the set allows" "$CCHC" par results --set "$T/t1-set.csv" --scores "$tmp/dec.csv"
check_bad prev-rank "prev.csv:2: rank: 'abc' is not a whole number >= 1" "${R[@]}" --previous "$tmp/prev.csv"
check_bad prev-index "prev2.csv:2: index: '101' is above 100 %" "${R[@]}" --previous "$tmp/prev2.csv"
check_bad target-unit "tg.csv:2: unit: 'NOPE' has no results in this round" "${R[@]}" --targets "$tmp/tg.csv"
check_bad target-both "tg2.csv:2: target: give either 'up' (places) or 'rank' for unit 'X01', not both" "${R[@]}" --targets "$tmp/tg2.csv"
"$CCHC" par check-set "$tmp/missing.csv" >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -qF "missing.csv: cannot open" "$tmp/err" || { echo "FAIL missing file: rc=$rc (want 1) [$(cat "$tmp/err")]"; fails=$((fails+1)); }
# several problems in one set: every one printed, one per line, exit 2
printf '# code: M\n# year: 2024\n# scope: commune\ncode,parent,title,max,method\n1,,A,2,manual\n1,,B,2,manual\n2.1,9,x,1,manual\n' >"$tmp/many.csv"
"$CCHC" par check-set "$tmp/many.csv" >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && [ ! -s "$tmp/out" ] && [ "$(wc -l <"$tmp/err")" -eq 2 ] && grep -qF "many.csv:6: code: '1' is already used" "$tmp/err" && grep -qF "many.csv:7: parent: '9'" "$tmp/err" ||
  { echo "FAIL many problems: rc=$rc [$(cat "$tmp/err")]"; fails=$((fails+1)); }

[ $fails -eq 0 ] && echo "t-par: all passed" || echo "t-par: $fails failed"
exit $((fails > 0))
