#!/usr/bin/env bash
# t-limits-shared.sh — issue 12, finding 2 (last sentence) and finding 4's growing delays:
# two `cchc serve` on one database (an SQLite file, or PostgreSQL as pg.api.t-limits-shared)
# share their sign-in and lookup counts. A lock made through server A holds on server B,
# failures sent to both add up to one lock, and a second lock of the same key within a day
# lasts twice as long as the first (limit_window 10 s: 10 s, then 20 s).
source "$(dirname "$0")/lib.sh" "$1"
setup_db
FLAGS=(--login-max-failures 3 --login-max-failures-user 1000 --lookup-max-failures-ip 3
  --limit-window 10)
start_server "${FLAGS[@]}"
A=$BASE A_PID=$SERVER_PID
start_server "${FLAGS[@]}"
B=$BASE
SERVER_PID_B=$SERVER_PID SERVER_PID=$A_PID
trap 'kill "$SERVER_PID_B" 2>/dev/null; cleanup' EXIT

# login_on SERVER ADDRESS PASSWORD: one sign-in as desk_a; sets STATUS and RETRY
login_on() {
  STATUS=$(curl -s -o "$T/body" -D "$T/head" -w '%{http_code}' --interface "$2" \
    -H 'Content-Type: application/json' -d "{\"username\":\"desk_a\",\"password\":\"$3\"}" "$1/api/session")
  RETRY=$(sed -n 's/^Retry-After: \([0-9]*\).*/\1/ip' "$T/head")
}
for i in 1 2 3; do login_on "$A" 127.0.3.1 wrong-$i; done
login_on "$A" 127.0.3.1 "$PASS"
[ "$STATUS" = 429 ] || fail "server A after 3 failures: $STATUS $(cat "$T/body")"
login_on "$B" 127.0.3.1 "$PASS"
[ "$STATUS" = 429 ] || fail "server B, the lock made through A: $STATUS, want 429: $(cat "$T/body")"
[ "$RETRY" -ge 1 ] && [ "$RETRY" -le 10 ] || fail "the first lock lasts the window (10 s): Retry-After $RETRY"
first=$RETRY
# failures spread over both servers add up
login_on "$A" 127.0.3.2 wrong-1
login_on "$B" 127.0.3.2 wrong-2
login_on "$A" 127.0.3.2 wrong-3
login_on "$B" 127.0.3.2 "$PASS"
[ "$STATUS" = 429 ] || fail "2 failures on A and 1 on B: $STATUS, want 429"
# citizen lookups alike
lookup_on() {
  curl -s -o "$T/body" -w '%{http_code}' --interface 127.0.3.9 -H 'Content-Type: application/json' \
    -d '{"code":"000.00.31.H99-250804-0001","id_suffix":"1234"}' "$1/api/lookup"
}
[ "$(lookup_on "$A")/$(lookup_on "$B")/$(lookup_on "$A")" = 404/404/404 ] || fail "three failed lookups"
st=$(lookup_on "$B")
[ "$st" = 429 ] || fail "a lookup on B after failures on A and B: $st, want 429"

# the same key locked again after its lock ended: twice as long
sleep $((first + 1))
login_on "$B" 127.0.3.1 "$PASS"
[ "$STATUS" = 200 ] || fail "the first lock ended: $STATUS $(cat "$T/body")"
for i in 1 2 3; do login_on "$B" 127.0.3.1 wrong-$i; done
login_on "$A" 127.0.3.1 "$PASS"
[ "$STATUS" = 429 ] || fail "locked again: $STATUS"
[ "$RETRY" -gt 10 ] && [ "$RETRY" -le 20 ] || fail "the second lock doubles (20 s): Retry-After $RETRY"
echo "t-limits-shared: all passed"
