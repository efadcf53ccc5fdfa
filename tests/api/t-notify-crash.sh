#!/usr/bin/env bash
# t-notify-crash.sh — at least once across kill -9 (issue 16): messages committed with their
# dossiers survive a server killed before sending them; a server killed while a message is at
# the gateway (sent, not yet marked) sends it again after its lease ends. In the end every
# outbox row is sent, every message reached the gateway at least once, none is lost, and a
# duplicate is told by its msg_id.
source "$(dirname "$0")/lib.sh" "$1"
setup_db
q() { testdb_sql "$DB" "$1"; }
N=12

# 1. killed between commit and send: the worker's first pass ran at start, the next is an hour away
start_server --notify-interval 3600 --notify-sink "$T/sink.jsonl"
login desk_a
for i in $(seq $N); do
  req -u desk_a POST /api/dossiers "{\"unit\":\"P.A\",\"procedure\":\"9.000001\",\"applicant_name\":\"Người nộp $i\",
    \"applicant_phone\":\"09120001$(printf %02d "$i")\",\"at\":\"2025-09-08T08:$(printf %02d "$i")\"}"
  expect 201 "receive $i"
done
kill -KILL "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=
[ "$(q "SELECT count(*) FROM outbox WHERE state = 'pending'")" = $N ] || fail "committed messages lost: $(q "SELECT state, count(*) FROM outbox GROUP BY state")"
[ ! -s "$T/sink.jsonl" ] || fail "sent before the kill"

# 2. killed while a message is at the (slow) gateway
GW=$T/gw.log
python3 "$(dirname "$0")/gateway.py" "$T/gw.port" "$GW" tok --delay 0.4 &
GW_PID=$!
trap 'kill $GW_PID 2>/dev/null || true; cleanup' EXIT
for i in $(seq 50); do [ -s "$T/gw.port" ] && break; sleep 0.1; done
GWURL=http://127.0.0.1:$(cat "$T/gw.port")/sms
start_server --notify-interval 1 --notify-lease 5 --sms-url "$GWURL" --sms-token tok
for i in $(seq 100); do
  [ "$( (cat "$GW" 2>/dev/null || true) | wc -l)" -ge 3 ] && break
  sleep 0.05
done
kill -KILL "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=
before=$(wc -l <"$GW")
[ "$before" -ge 3 ] && [ "$before" -lt $N ] || fail "the kill came at the wrong time: $before of $N at the gateway"

# 3. restarted: after the lease every message goes out
start_server --notify-interval 1 --notify-lease 5 --sms-url "$GWURL" --sms-token tok
for i in $(seq 300); do
  [ "$(q "SELECT count(*) FROM outbox WHERE state <> 'sent'")" = 0 ] && break
  sleep 0.1
done
[ "$(q "SELECT count(*) FROM outbox WHERE state <> 'sent'")" = 0 ] || fail "not all sent 30 s after restart: $(q "SELECT state, count(*) FROM outbox GROUP BY state")"
q "SELECT msg_id FROM outbox ORDER BY msg_id" >"$T/ids"
jq -r .msg_id "$GW" | sort -u >"$T/got"
diff "$T/ids" "$T/got" >/dev/null || fail "lost or unknown messages: $(diff "$T/ids" "$T/got")"
lines=$(wc -l <"$GW")
dups=$(jq -r .msg_id "$GW" | sort | uniq -d | wc -l)
[ "$lines" = $((N + dups)) ] || fail "$lines deliveries for $N messages and $dups duplicates"
echo "ok t-notify-crash ($N messages, $before at the gateway before the kill, $dups duplicate(s) told by msg_id)"
