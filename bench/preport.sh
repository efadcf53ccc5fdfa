#!/usr/bin/env bash
# bench/preport.sh — assembling a periodic CCHC report over a seeded province-year: the
# province's 2025-CCHC-Y report (dossier figures of its subtree and of the two old provinces
# merged into it, the Decision 766 index, feedback, plan tasks, inspections, the PAR round),
# then its consolidation over its children's reports, each against `cchc stats show` for the
# same unit and period on the same data in the same run (the baseline: the dossier figures
# alone). Also the PDF and .xlsx of the report. Prints figures and ratios; asserts nothing.
# Usage: bash bench/preport.sh PATH_TO_cchc [DOSSIERS, default 100000] [RUNS, default 5]
set -euo pipefail
CCHC=$(realpath "${1:?usage: bash bench/preport.sh PATH_TO_cchc [DOSSIERS] [RUNS]}")
N=${2:-100000}
RUNS=${3:-5}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export CCHC_DATA=$ROOT/data
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
DB=$T/b.db
D=(--db "$DB")
t() { date +%s.%N; }
s0=$(t)
"$CCHC" seed --dossiers "$N" --seed 1 --year 2025 "${D[@]}" >/dev/null
s1=$(t)
echo "seeded $N dossiers of 2025 in $(echo "$s1 - $s0" | bc) s"
P=(--period 2025-CCHC-Y)
# median of RUNS timings of a command (seconds)
median() {
  local xs=() i a b
  for ((i = 0; i < RUNS; i++)); do
    a=$(t)
    "$@" >/dev/null
    b=$(t)
    xs+=("$(echo "$b - $a" | bc)")
  done
  printf '%s\n' "${xs[@]}" | sort -g | sed -n "$(((RUNS + 1) / 2))p"
}
ratio() { echo "scale=2; $1 / $2" | bc; }
base=$(median "$CCHC" stats show --unit DT "${P[@]}" "${D[@]}")
# create the report, then time refresh (assembling again, the same work) RUNS times
id=$("$CCHC" report periodic create --unit DT "${P[@]}" --today 2025-12-20 "${D[@]}")
rep=$(median "$CCHC" report periodic refresh "$id" --today 2025-12-20 "${D[@]}")
# a child's report for every ward/commune submitted, then the province consolidates
kids=0
for u in $("$CCHC" report periodic children --unit DT "${P[@]}" "${D[@]}" | cut -f1); do
  k=$("$CCHC" report periodic create --unit "$u" "${P[@]}" --today 2025-12-20 "${D[@]}")
  "$CCHC" report periodic submit "$k" "${D[@]}" >/dev/null
  kids=$((kids + 1))
done
con=$(median "$CCHC" report periodic refresh "$id" --consolidate --today 2025-12-20 "${D[@]}")
pdf=$(median "$CCHC" report periodic export "$id" --format pdf --out "$T/r.pdf" "${D[@]}")
xlsx=$(median "$CCHC" report periodic export "$id" --format xlsx --out "$T/r.xlsx" "${D[@]}")
snap=$("$CCHC" report periodic show "$id" --json "${D[@]}" | wc -c)
echo "median of $RUNS runs, province DT, 2025-CCHC-Y, $N dossiers, $kids children:"
printf '  %-44s %8.3f s  (baseline)\n' "cchc stats show (dossier figures only)" "$base"
printf '  %-44s %8.3f s  %6sx baseline\n' "assemble the province's report" "$rep" "$(ratio "$rep" "$base")"
printf '  %-44s %8.3f s  %6sx baseline\n' "assemble it consolidated ($kids children)" "$con" "$(ratio "$con" "$base")"
printf '  %-44s %8.3f s  %6sx baseline\n' "write the PDF (from the snapshot)" "$pdf" "$(ratio "$pdf" "$base")"
printf '  %-44s %8.3f s  %6sx baseline\n' "write the .xlsx (from the snapshot)" "$xlsx" "$(ratio "$xlsx" "$base")"
echo "  snapshot: $snap bytes of JSON"
