#!/usr/bin/env bash
# t-trickle.sh — issue 12, finding 3: 1,100 connections trickling a request one byte a second
# (600 from one address, the rest from 36 others) do not lock a normal client out: the
# per-address cap refuses most of the first, the request deadline closes the trickling
# connections that got in, and past three quarters of max_conns the ones without a whole
# request are shed. The normal client must be answered, each time within 5 s (tests/api/
# trickle.py prints the figures). Bounded: 25 s of attack.
source "$(dirname "$0")/lib.sh" "$1"
setup_db
start_server --request-timeout 5
python3 "$(dirname "$0")/trickle.py" "${BASE##*:}" 25 5 || fail "a normal client was locked out or a slow sender outlived its deadline"
curl -s -o /dev/null -w '%{http_code}' "$BASE/healthz" | grep -qx 200 || fail "healthz after the attack"
echo "t-trickle: all passed"
