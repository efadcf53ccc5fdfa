#!/usr/bin/env bash
# CLI tests of `cchc lunar` and `cchc solar`: conversions in both directions (expected values
# from tests/data/lunar-known.tsv's sources), --help, and every bad input answered by exactly
# one line on stderr naming the value and the rule, exit status 2, nothing on stdout.
set -u
CCHC=${1:?usage: t-lunar.sh PATH_TO_cchc}
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check_out() { # name expected-stdout command...
  local name=$1 want=$2; shift 2
  local got; got=$("$@" 2>"$tmp/err"); local rc=$?
  if [ $rc -ne 0 ] || [ "$got" != "$want" ] || [ -s "$tmp/err" ]; then
    echo "FAIL $name: rc=$rc got [$got] want [$want] stderr [$(cat "$tmp/err")]"; fails=$((fails+1))
  fi
}
check_bad() { # name expected-stderr-line command...
  local name=$1 want=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
  if [ $rc -ne 2 ] || [ -s "$tmp/out" ] || [ "$(cat "$tmp/err")" != "$want" ] ||
     [ "$(wc -l <"$tmp/err")" -ne 1 ]; then
    echo "FAIL $name: rc=$rc (want 2) stdout [$(cat "$tmp/out")] stderr [$(cat "$tmp/err")] want [$want]"
    fails=$((fails+1))
  fi
}

# solar -> lunar
check_out tet-2024 "1/1/2024" "$CCHC" lunar 2024-02-10
check_out leap-2023 "1/2 nhuận/2023" "$CCHC" lunar 2023-03-22
check_out leap-2025-end "29/6 nhuận/2025" "$CCHC" lunar 2025-08-22
check_out hung-2025 "10/3/2025" "$CCHC" lunar 2025-04-07
check_out tet-1985-vn "1/1/1985" "$CCHC" lunar 1985-01-21
check_out first-day "1/1/1900" "$CCHC" lunar 1900-01-31
check_out last-day "1/12/2100" "$CCHC" lunar 2100-12-31
# lunar -> solar
check_out solar-tet "2024-02-10" "$CCHC" solar 1/1/2024
check_out solar-leap "2023-03-22" "$CCHC" solar "1/2 nhuận/2023"
check_out solar-leap-ascii "2023-03-22" "$CCHC" solar "1/2 nhuan/2023"
check_out solar-month2 "2023-02-20" "$CCHC" solar 1/2/2023
check_out solar-hung-2023 "2023-04-29" "$CCHC" solar 10/3/2023
check_out solar-hung-2024 "2024-04-18" "$CCHC" solar 10/3/2024
check_out solar-30-tet "2021-02-11" "$CCHC" solar 30/12/2020

# --help goes to stdout with status 0
for cmd in lunar solar; do
  for flag in --help -h; do
    out=$("$CCHC" $cmd $flag 2>"$tmp/err"); rc=$?
    if [ $rc -ne 0 ] || ! grep -q "^usage: cchc $cmd" <<<"$out" || [ -s "$tmp/err" ]; then
      echo "FAIL help-$cmd$flag: rc=$rc out [$out]"; fails=$((fails+1))
    fi
  done
done

# bad input
check_bad no-feb-30 "cchc lunar: date '2024-02-30': no such day in the Gregorian calendar" \
  "$CCHC" lunar 2024-02-30
check_bad too-early "cchc lunar: 1800-01-01: outside the supported range 1900-01-31..2100-12-31" \
  "$CCHC" lunar 1800-01-01
check_bad day-before "cchc lunar: 1900-01-30: outside the supported range 1900-01-31..2100-12-31" \
  "$CCHC" lunar 1900-01-30
check_bad too-late "cchc lunar: 2101-01-01: outside the supported range 1900-01-31..2100-12-31" \
  "$CCHC" lunar 2101-01-01
check_bad garbage "cchc lunar: date 'garbage': expected a date YYYY-MM-DD" "$CCHC" lunar garbage
# both commands take both ways of writing a date: D/M/YYYY as Vietnamese write it, YYYY-MM-DD
check_out lunar-dmy "20/11/2023" "$CCHC" lunar 1/1/2024
check_out solar-iso "2024-03-19" "$CCHC" solar 2024-02-10
check_out solar-iso-leap "2023-03-22" "$CCHC" solar "2023-02-01 nhuận"
check_bad lunar-dmy-bad "cchc lunar: date '31/2/2024': expected D/M/YYYY (a real day) or YYYY-MM-DD" \
  "$CCHC" lunar 31/2/2024
check_bad empty "cchc lunar: date '': expected a date YYYY-MM-DD" "$CCHC" lunar ""
check_bad missing "cchc lunar: missing argument: expected a solar date YYYY-MM-DD or D/M/YYYY (see 'cchc lunar --help')" \
  "$CCHC" lunar
check_bad extra "cchc lunar: unexpected argument '2024-02-11': takes exactly one date" \
  "$CCHC" lunar 2024-02-10 2024-02-11
check_bad solar-30 "cchc solar: 30/12/2024: lunar month 12 of 2024 has 29 days" \
  "$CCHC" solar 30/12/2024
check_bad solar-no-leap "cchc solar: 1/3 nhuận/2024: 2024 has no leap month 3 (its leap month: none)" \
  "$CCHC" solar "1/3 nhuận/2024"
check_bad solar-wrong-leap "cchc solar: 1/3 nhuận/2023: 2023 has no leap month 3 (its leap month: 2)" \
  "$CCHC" solar "1/3 nhuan/2023"
check_bad solar-month-13 "cchc solar: 1/13/2024: lunar month must be 1..12" "$CCHC" solar 1/13/2024
check_bad solar-early "cchc solar: 1/1/1899: lunar year must be 1900..2100" "$CCHC" solar 1/1/1899
check_bad solar-late "cchc solar: 15/12/2100: falls on 2101-01-14, after the supported end 2100-12-31" \
  "$CCHC" solar 15/12/2100
check_bad solar-garbage "cchc solar: date 'garbage': expected a lunar date D/M/YYYY or D/M nhuận/YYYY" \
  "$CCHC" solar garbage
check_bad solar-missing "cchc solar: missing argument: expected a lunar date D/M/YYYY or D/M nhuận/YYYY (see 'cchc solar --help')" \
  "$CCHC" solar

if [ $fails -ne 0 ]; then
  echo "t-lunar: $fails failed"
  exit 1
fi
echo "t-lunar: all passed"
