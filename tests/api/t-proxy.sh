#!/usr/bin/env bash
# t-proxy.sh — cchc behind nginx (deploy/nginx/cchc.conf, TLS with a self-signed certificate,
# HTTP/2, HSTS) on 127.0.0.1: the rate limits stay per client. Two clients (curl --interface
# 127.0.0.2 and 127.0.0.3) get separate buckets once trusted_proxies names nginx, and one
# shared bucket without it (the bug this option fixes, shown so the test can fail). A forged
# X-Forwarded-For changes nothing: through nginx the right-most untrusted hop wins, and sent
# straight to cchc from an untrusted address it is not read at all.
source "$(dirname "$0")/lib.sh" "$1"
if testdb_is_pg; then
  echo "SKIP: the client address and nginx do not depend on the database backend (checked on SQLite)"
  exit 77
fi
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || fail "nginx not found (scripts/deps.sh installs nginx-light)"
command -v openssl >/dev/null || fail "openssl not found (scripts/deps.sh installs it)"
rc=0
curl -s --interface 127.0.0.2 -o /dev/null http://127.0.0.1:9/ 2>/dev/null || rc=$?
[ $rc -ne 45 ] || fail "curl cannot bind 127.0.0.2 (loopback /8 needed for two client addresses)"
NGINX_PID=
cleanup_nginx() {
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
  cleanup
}
trap cleanup_nginx EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

"$CCHC" init --db "$DB" >/dev/null
# Three failed lookups per client address, then 429; the per-code limit is out of the way.
LIMITS=(--lookup-max-failures-ip 3 --lookup-max-failures 1000)

# --- nginx with the shipped site file, pointed at this test's ports and certificate ---
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$T/tls.key" -out "$T/tls.pem" 2>/dev/null ||
  fail "openssl could not make a certificate"
TLS_PORT=$(free_port)
HTTP_PORT=$(free_port)
start_nginx() { # UPSTREAM_PORT
  sed -e "s|server 127.0.0.1:8080;|server 127.0.0.1:$1;|" \
      -e "s|listen 443 ssl http2;|listen 127.0.0.1:$TLS_PORT ssl http2;|" \
      -e "s|listen 80;|listen 127.0.0.1:$HTTP_PORT;|" -e '/listen \[::\]/d' \
      -e "s|/etc/ssl/certs/cchc.example.gov.vn.pem|$T/tls.pem|" \
      -e "s|/etc/ssl/private/cchc.example.gov.vn.key|$T/tls.key|" \
      "$ROOT/deploy/nginx/cchc.conf" >"$T/site.conf"
  grep -q "server 127.0.0.1:$1;" "$T/site.conf" || fail "site file: upstream line not found"
  grep -q "listen 127.0.0.1:$TLS_PORT ssl http2;" "$T/site.conf" || fail "site file: TLS listen not found"
  mkdir -p "$T/nginx"
  cat >"$T/nginx.conf" <<NGINX
master_process off;
pid $T/nginx/nginx.pid;
error_log $T/nginx/error.log warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $T/nginx/body;
  proxy_temp_path $T/nginx/proxy;
  fastcgi_temp_path $T/nginx/fastcgi;
  uwsgi_temp_path $T/nginx/uwsgi;
  scgi_temp_path $T/nginx/scgi;
  include $T/site.conf;
}
NGINX
  "$NGINX" -e "$T/nginx/error.log" -p "$T/nginx" -c "$T/nginx.conf" -t -q ||
    fail "nginx -t refused the site file: $(tail -5 "$T/nginx/error.log")"
  "$NGINX" -e "$T/nginx/error.log" -p "$T/nginx" -c "$T/nginx.conf" -g 'daemon off;' &
  NGINX_PID=$!
  local i
  for i in $(seq 100); do
    curl -s -o /dev/null --cacert "$T/tls.pem" "https://127.0.0.1:$TLS_PORT/healthz" && return
    sleep 0.05
  done
  fail "nginx did not answer within 5 s: $(tail -5 "$T/nginx/error.log")"
}
stop_nginx() { kill "$NGINX_PID"; wait "$NGINX_PID" 2>/dev/null; NGINX_PID=; }

# lookup VIA FROM [HEADER]: one failed citizen lookup; prints the status. VIA is "proxy" (HTTPS
# through nginx) or "direct" (cchc's own port); FROM is the client's loopback address.
lookup() {
  local url=$BASE/api/lookup
  local args=(-s -o "$T/body" -w '%{http_code}' --max-time 10 --interface "$2"
              -H 'Content-Type: application/json'
              --data '{"code":"000.00.00.H00-250101-0001","phone":"0900000000"}')
  [ "$1" = proxy ] && url=https://127.0.0.1:$TLS_PORT/api/lookup && args+=(--cacert "$T/tls.pem")
  [ $# -ge 3 ] && args+=(-H "$3")
  curl "${args[@]}" "$url" || echo 000
}

# expect_status GOT WANT WHAT
expect_status() { [ "$1" = "$2" ] || fail "$3: status $1, expected $2: $(cat "$T/body")"; }

# --- without trusted_proxies: every client behind nginx shares the proxy's bucket ---
start_server "${LIMITS[@]}"
start_nginx "$(cat "$T/port")"
for i in 1 2 3; do expect_status "$(lookup proxy 127.0.0.2)" 404 "untrusted proxy: A's failure $i"; done
expect_status "$(lookup proxy 127.0.0.3)" 429 \
  "untrusted proxy: B shares A's bucket (cchc sees only 127.0.0.1)"
stop_nginx
stop_server

# --- trusted_proxies = 127.0.0.1 (as a config file, as a package would set it) ---
printf 'trusted_proxies = 127.0.0.1, ::1\n' >"$T/cchc.ini"
start_server "${LIMITS[@]}" --config "$T/cchc.ini"
start_nginx "$(cat "$T/port")"
for i in 1 2 3; do expect_status "$(lookup proxy 127.0.0.2)" 404 "A's failure $i through nginx"; done
expect_status "$(lookup proxy 127.0.0.2)" 429 "A's 4th failure through nginx"
grep -qi '^retry-after' <(curl -s -D - -o /dev/null --interface 127.0.0.2 --cacert "$T/tls.pem" \
  -H 'Content-Type: application/json' --data '{"code":"x","phone":"0900000000"}' \
  "https://127.0.0.1:$TLS_PORT/api/lookup") || fail "429 through nginx lacks Retry-After"
expect_status "$(lookup proxy 127.0.0.3)" 404 "B through nginx has its own bucket"
# A forging another address in front: nginx appends A's real address, the right-most wins.
expect_status "$(lookup proxy 127.0.0.2 'X-Forwarded-For: 127.0.0.99')" 429 \
  "A with a forged X-Forwarded-For through nginx"
expect_status "$(lookup proxy 127.0.0.2 'Forwarded: for=127.0.0.98')" 429 \
  "A with a forged Forwarded through nginx"
# Straight to cchc from an untrusted address: the header is not read. 127.0.0.4 is fresh; if
# cchc believed it was 127.0.0.2 (blocked) it would answer 429.
expect_status "$(lookup direct 127.0.0.4 'X-Forwarded-For: 127.0.0.2')" 404 \
  "forged X-Forwarded-For sent directly from 127.0.0.4"
# And A cannot escape its bucket by going around nginx with a forged header.
expect_status "$(lookup direct 127.0.0.2 'X-Forwarded-For: 127.0.0.97')" 429 \
  "A directly with a forged X-Forwarded-For"

# --- the site file: HTTP/2, HSTS, sizes ---
v=$(curl -s -o /dev/null -w '%{http_version}' --http2 --cacert "$T/tls.pem" -D "$T/h" \
  "https://127.0.0.1:$TLS_PORT/healthz")
[ "$v" = 2 ] || fail "nginx did not speak HTTP/2 (got $v)"
grep -qi '^strict-transport-security: max-age=31536000' "$T/h" || fail "no HSTS header: $(cat "$T/h")"
head -c 1100000 /dev/zero | tr '\0' a >"$T/big"
s=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$T/tls.pem" -H 'Content-Type: application/json' \
  --data-binary @"$T/big" "https://127.0.0.1:$TLS_PORT/api/lookup")
[ "$s" = 413 ] || fail "a body over body_limit through nginx: $s, expected 413"
s=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HTTP_PORT/healthz")
[ "$s" = 301 ] || fail "plain HTTP is not redirected to HTTPS: $s"
stop_nginx
stop_server

# --- a bad trusted_proxies entry is refused at start, naming the entry and the rule ---
set +e
"$CCHC" serve --db "$DB" --port 0 --trusted-proxies '127.0.0.1/40' >"$T/out" 2>&1
rc=$?
set -e
[ $rc -eq 2 ] || fail "a bad trusted_proxies entry: exit $rc, expected 2"
grep -q "trusted_proxies entry '127.0.0.1/40': the prefix must be" "$T/out" ||
  fail "message does not name the entry and rule: $(cat "$T/out")"
echo "ok: rate limits per client behind nginx; forged forwarding headers ignored"
