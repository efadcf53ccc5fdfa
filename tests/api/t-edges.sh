#!/usr/bin/env bash
# t-edges.sh — the HTTP edges of issue 12 (finding 7), on raw sockets where curl would tidy
# the request: a 50 KB chunk extension, two Content-Lengths and Content-Length with chunked
# (smuggling behind a proxy) are refused before any body is read, with the JSON error body
# and the connection closed; a NUL in a query value is refused; 414 and 431 are JSON; HEAD
# answers as GET without a body; /metrics is off without a token and needs it when set;
# microhttpd's lines about dropped connections are rate-limited, each line whole; and
# /healthz says 503 once writes fail (the server runs under a file-size limit).
source "$(dirname "$0")/lib.sh" "$1"
setup_db
start_server

PORT=${BASE##*:}
# raw REQUEST_PYTHON_BYTES_EXPR: sends the bytes, prints the whole answer (until close or 5 s).
raw() {
  python3 - "$PORT" "$1" <<'EOF'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.settimeout(5)
try:
    s.sendall(eval(sys.argv[2]))
except OSError:
    pass
out = b""
try:
    while True:
        b = s.recv(65536)
        if not b:
            break
        out += b
except OSError:
    pass
sys.stdout.write(out.decode("utf-8", "replace"))
EOF
}
# expect_raw NAME STATUS CODE: the last raw answer ($T/raw) has the status line, JSON error code
# and Connection: close.
expect_raw() {
  head -n 1 "$T/raw" | grep -q "^HTTP/1.1 $2 " || fail "$1: $(head -c 300 "$T/raw")"
  grep -qi '^Connection: close' "$T/raw" || fail "$1: connection not closed: $(head -c 300 "$T/raw")"
  sed -n '/^\r$/,$p' "$T/raw" | tail -n +2 | jq -e ".error.code == \"$3\"" >/dev/null ||
    fail "$1: not the JSON error '$3': $(cat "$T/raw")"
}

H="b'Host: x\r\nContent-Type: application/json\r\n'"
raw "b'POST /api/session HTTP/1.1\r\n' + $H + b'Transfer-Encoding: chunked\r\n\r\n2;' + b'e' * 50000 + b'\r\n{}\r\n0\r\n\r\n'" >"$T/raw"
expect_raw chunk-extension 411 length_required
raw "b'POST /api/session HTTP/1.1\r\n' + $H + b'Content-Length: 2\r\nContent-Length: 40\r\n\r\n{}GET /api/units HTTP/1.1\r\nHost: x\r\n\r\n'" >"$T/raw"
expect_raw two-lengths 400 bad_request
[ "$(grep -c '^HTTP/1.1' "$T/raw")" = 1 ] || fail "two-lengths: a smuggled request was answered: $(cat "$T/raw")"
raw "b'POST /api/session HTTP/1.1\r\n' + $H + b'Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'" >"$T/raw"
expect_raw length-and-chunked 411 length_required
raw "b'GET /healthz?a=' + b'x' * 20000 + b' HTTP/1.1\r\nHost: x\r\n\r\n'" >"$T/raw"
expect_raw uri-too-long 414 uri_too_long
raw "b'GET /healthz HTTP/1.1\r\nHost: x\r\n' + b''.join(b'X-%d: %s\r\n' % (i, b'v' * 900) for i in range(40)) + b'\r\n'" >"$T/raw"
expect_raw headers-too-large 431 headers_too_large
raw "b'GET /healthz HTTP/1.1\r\n\r\n'" >"$T/raw"
expect_raw no-host 400 bad_request

login desk_a
req -u desk_a GET '/api/dossiers?name=%00'
expect 400 invalid "NUL in a query value"
req -u desk_a GET '/api/dossiers?name=a%00b'
expect 400 invalid "NUL inside a query value"
req POST /api/session '"just a string"'
expect 400 bad_json "a JSON string, not an object"
req POST /api/session '{"username":"a\u0000b","password":"x"}'
expect 400 bad_json "\\u0000 in a string"
grep -q JSON_ "$T/body" && fail "jansson's option names in the error: $BODY_TEXT"

# --- HEAD is GET without a body ---
curl -s -I -o "$T/head" -w '%{http_code} %{size_download}' "$BASE/healthz" >"$T/st"
[ "$(cat "$T/st")" = "200 0" ] || fail "HEAD /healthz: $(cat "$T/st")"
grep -qi '^Content-Type: application/json' "$T/head" || fail "HEAD /healthz headers: $(cat "$T/head")"
curl -s -I -o /dev/null -w '%{http_code}' "$BASE/api/session" >"$T/st"
[ "$(cat "$T/st")" = 401 ] || fail "HEAD /api/session without a session: $(cat "$T/st")"

# --- /metrics: token required (start_server gives one), off without one ---
req GET /metrics
expect 200 "metrics with the token"
STATUS=$(curl -s -o "$T/body" -w '%{http_code}' "$BASE/metrics")
BODY_TEXT=$(cat "$T/body")
expect 401 unauthorized "metrics without the token"
STATUS=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer ${METRICS_TOKEN}x" "$BASE/metrics")
BODY_TEXT=$(cat "$T/body")
expect 401 unauthorized "metrics with a wrong token"

# --- dropped connections: a few log lines, not one each; every line whole ---
python3 - "$PORT" <<'EOF'
import socket, sys
for i in range(300):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
    s.sendall(b"POST /api/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              b"Content-Length: 100\r\n\r\n{\"user")
    s.close()
EOF
sleep 1
n=$(grep -c 'microhttpd' "$T/server.err" || true)
[ "$n" -le 30 ] || fail "300 dropped connections wrote $n log lines"
grep -v '^cchc serve: ' "$T/server.err" | grep -q . && fail "log lines not whole: $(grep -v '^cchc serve: ' "$T/server.err" | head -3)"
stop_server

# --- /metrics is off without a token ---
METRICS_TOKEN= start_server --metrics-token ''
STATUS=$(curl -s -o "$T/body" -w '%{http_code}' "$BASE/metrics")
BODY_TEXT=$(cat "$T/body")
expect 404 not_found "metrics without metrics_token"
stop_server
set +e
"$CCHC" serve --db "$DB" --port 0 --metrics-token short 2>"$T/err"; rc=$?
set -e
[ $rc = 2 ] && grep -q "metrics_token: 5 characters; a token needs at least 16" "$T/err" ||
  fail "short metrics token: exit $rc: $(cat "$T/err")"

# --- readiness follows writability: under a file-size limit, writes fail and /healthz says so
# (the limit bites the server's own database file: SQLite's; PostgreSQL writes in its server) ---
if ! testdb_is_pg; then
REAL=$CCHC
printf '#!/usr/bin/env bash\ntrap "" XFSZ\nulimit -f 64\nexec "%s" "$@"\n' "$REAL" >"$T/limited"
chmod +x "$T/limited"
CCHC=$T/limited start_server
req GET /healthz
expect 200 "healthz before writes fail"
login desk_a
for i in $(seq 100); do
  req -u desk_a POST /api/dossiers "{\"unit\":\"P.A\",\"procedure\":\"9.000001\",\"applicant_name\":\"Người thứ $i\"}"
  [ "$STATUS" = 503 ] && break
done
[ "$STATUS" = 503 ] || fail "writes never failed under ulimit -f 64 (last status $STATUS: $BODY_TEXT)"
req GET /healthz
expect 503 unavailable "healthz once writes fail"
[ "$(field .error.field)" = db ] || fail "healthz names the database: $BODY_TEXT"
CCHC=$REAL
fi
echo "t-edges: all passed"
