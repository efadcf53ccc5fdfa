#!/usr/bin/env bash
# CLI tests of `cchc calendar` and `cchc deadline`: outputs in the exact forms the issue asks,
# and every bad input answered by one line on stderr naming the value, exit status 2.
set -u
CCHC=${1:?usage: t-calendar.sh PATH_TO_cchc}
fails=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

check_out() { # name expected-stdout command...
  local name=$1 want=$2; shift 2
  local got; got=$("$@" 2>"$tmp/err"); local rc=$?
  if [ $rc -ne 0 ] || [ "$got" != "$want" ]; then
    echo "FAIL $name: rc=$rc got [$got] want [$want] stderr [$(cat "$tmp/err")]"; fails=$((fails+1))
  fi
}
check_grep() { # name fixed-line command... (stdout must contain the line)
  local name=$1 want=$2; shift 2
  if ! "$@" 2>"$tmp/err" | grep -qxF -- "$want"; then
    echo "FAIL $name: no line [$want]"; fails=$((fails+1))
  fi
}
check_bad() { # name expected-stderr-fragment command...
  local name=$1 want=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
  if [ $rc -ne 2 ] || [ -s "$tmp/out" ] || ! grep -qF -- "$want" "$tmp/err" || [ "$(wc -l <"$tmp/err")" -ne 1 ]; then
    echo "FAIL $name: rc=$rc (want 2) stdout [$(cat "$tmp/out")] stderr [$(cat "$tmp/err")] want [$want]"
    fails=$((fails+1))
  fi
}

check_out deadline-tet "2024-02-19T17:00" "$CCHC" deadline --from 2024-02-07T09:00 --days 3
check_out deadline-hours "2024-03-05T09:30" "$CCHC" deadline --from 2024-03-04T09:00 --hours 8
check_out deadline-office "2024-03-05T09:00" "$CCHC" deadline --from 2024-03-04T09:00 --hours 8 --office-hours 08:00-12:00,13:00-17:00
check_out deadline-midnight "2024-02-20T00:00" "$CCHC" deadline --from 2024-02-07T09:00 --days 3 --day-end midnight
check_bad bad-day-end "--day-end 'noon'" "$CCHC" deadline --from 2024-02-07T09:00 --days 3 --day-end noon
check_grep explain-first "2024-02-19T17:00" "$CCHC" deadline --from 2024-02-07T09:00 --days 3 --explain
check_grep explain-swap-day $'2024-05-04\tday 3\tworkday: Làm bù cho ngày nghỉ hoán đổi thứ Hai 29/4/2024 (due)' "$CCHC" deadline --from 2024-04-26T16:00 --days 3 --explain
if ! "$CCHC" deadline --from 2024-02-07T09:00 --days 3 --explain | grep -q $'^2024-02-10\tskipped\tholiday\tTết Nguyên đán'; then
  echo "FAIL explain: mùng 1 Tết not explained"; fails=$((fails+1)); fi

check_grep cal-tet $'2024-02-10\tholiday\tTết Nguyên đán (mùng 1)' "$CCHC" calendar 2024
check_grep cal-swap $'2024-04-29\tswap\tNghỉ hoán đổi dịp 30/4–1/5 (làm bù thứ Bảy 04/5/2024)' "$CCHC" calendar 2024
check_grep cal-workday $'2024-05-04\tworkday\tLàm bù cho ngày nghỉ hoán đổi thứ Hai 29/4/2024' "$CCHC" calendar 2024
check_grep cal-comp $'2024-02-13\tcompensatory\tNghỉ bù Tết Nguyên đán (mùng 1 là thứ Bảy 10/02)' "$CCHC" calendar 2024
check_grep cal-weekend $'2024-01-06\tweekend\tThứ Bảy' "$CCHC" calendar 2024
# 2024: 104 weekend days (4/5 worked) + 12 weekdays off (9 holidays, 2 compensatory, 1 swap)
n=$("$CCHC" calendar 2024 | awk -F'\t' '$2!="workday"' | wc -l)
[ "$n" -eq 115 ] || { echo "FAIL cal-count: $n non-working days in 2024, want 115"; fails=$((fails+1)); }
# statutory-only year: compensatory day computed by the rule, with a note on stderr
check_grep cal-2030-tet $'2030-02-02\tholiday\tTết Nguyên đán (mùng 1)' "$CCHC" calendar 2030

check_bad bad-date "2024-02-30" "$CCHC" deadline --from 2024-02-30T09:00 --days 3
check_bad bad-time "hour must be 00-23" "$CCHC" deadline --from 2024-02-07T25:00 --days 3
check_bad negative-days "--days '-1': must be a whole number from 0 to 3650" "$CCHC" deadline --from 2024-02-07T09:00 --days -1
check_bad non-number "--hours 'abc'" "$CCHC" deadline --from 2024-02-07T09:00 --hours abc
check_bad both "exactly one of --days N or --hours N" "$CCHC" deadline --from 2024-02-07T09:00 --days 1 --hours 2
check_bad missing-from "missing --from" "$CCHC" deadline --days 1
check_bad unknown-opt "unexpected argument '--dayz'" "$CCHC" deadline --from 2024-02-07T09:00 --dayz 1
check_bad bad-hours "hours '17:00-08:00'" "$CCHC" deadline --from 2024-02-07T09:00 --hours 1 --office-hours 17:00-08:00
check_bad out-of-range "outside the compiled calendar" "$CCHC" deadline --from 2100-12-30T09:00 --days 20
check_bad year-range "year '1999': must be a whole number from 2013 to 2100" "$CCHC" calendar 1999
check_bad year-garbage "year 'abc'" "$CCHC" calendar abc
check_bad malformed-data "2024.tsv:2: kind 'holliday'" "$CCHC" deadline --from 2024-02-07T09:00 --days 1 --data "$CCHC_TESTDATA/calendar-bad/bad-kind"

echo "t-calendar: $fails failed"
[ $fails -eq 0 ]
