#!/usr/bin/env bash
# bench/notify.sh — notifications per second on SQLite, against a same-run baseline.
# Enqueue: `cchc seed` writes N dossiers' year, each change's message written in the change's
# own transaction (the outbox rows per second of that run, all the dossier work included).
# Deliver: `cchc notify run --once` passes over the same outbox to the loopback sink (claim
# with a lease, render the template, append the line, mark sent). Prints both rates and the
# ratio deliver / enqueue. Prints figures; asserts nothing.
# Usage: bash bench/notify.sh PATH_TO_cchc [DOSSIERS, default 5000]
set -euo pipefail
CCHC=$(realpath "${1:?usage: bash bench/notify.sh PATH_TO_cchc [DOSSIERS]}")
N=${2:-5000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export CCHC_DATA=$ROOT/data
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
DB=$T/b.db
now() { date +%s.%N; }
t0=$(now)
"$CCHC" seed --dossiers "$N" --seed 1 --db "$DB" >/dev/null
t1=$(now)
msgs=$(sqlite3 "$DB" "SELECT count(*) FROM outbox WHERE state = 'pending'")
all=$(sqlite3 "$DB" "SELECT count(*) FROM outbox")
t2=$(now)
"$CCHC" notify run --once --db "$DB" --notify-sink "$T/sink.jsonl" >"$T/run.out"
t3=$(now)
sent=$(wc -l <"$T/sink.jsonl")
awk -v n="$N" -v all="$all" -v m="$msgs" -v s="$sent" -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" 'BEGIN {
  enq = all / (b - a); del = s / (d - c)
  printf "dossiers %d, outbox rows %d (%d to send, the rest skipped: no mobile phone)\n", n, all, m
  printf "enqueue (inside seed, dossier work included): %.0f messages/s (%.2f s)\n", enq, b - a
  printf "deliver to the loopback sink: %.0f messages/s (%d sent in %.2f s)\n", del, s, d - c
  printf "ratio deliver / enqueue: %.2f\n", del / enq
}'
