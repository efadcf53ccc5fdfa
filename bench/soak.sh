#!/usr/bin/env bash
# soak.sh CCHC [SECONDS] [KILL_EVERY] — a bounded soak of `cchc serve` on 127.0.0.1 (default
# 240 s, kill -9 every 40 s): prepares a database with the API test fixtures, then runs
# bench/soak.py, which prints requests, p50/p99 latency and the server's RSS per 10 s, the
# acknowledged writes and the lost ones (must be 0), and `cchc audit verify`. Exit 1 if a
# write was lost or the audit fails. Figures, not assertions on time.
set -euo pipefail
CCHC=$(realpath "${1:?usage: bench/soak.sh PATH_TO_cchc [SECONDS] [KILL_EVERY]}")
SECONDS_=${2:-240}
KILL=${3:-40}
root=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
db=$T/soak.db
"$CCHC" init --db "$db" >/dev/null
"$CCHC" import units "$root/tests/data/api/units.csv" --db "$db" >/dev/null
"$CCHC" import procedures "$root/tests/data/api/procedures.csv" --db "$db" >/dev/null
echo "mat-khau-thu-nghiem" | "$CCHC" user add --db "$db" --username desk_a --role desk_officer --unit P.A >/dev/null
python3 "$root/bench/soak.py" "$CCHC" "$db" "$SECONDS_" "$KILL"
