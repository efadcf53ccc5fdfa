#!/usr/bin/env bash
# bench/static.sh — who should serve the web UI's files behind TLS: requests/s and p99 of a UI
# file (web/js/desk.js, the largest script, and /, index.html) fetched over HTTPS from nginx
# with the shipped site file (deploy/nginx/cchc.conf: nginx proxies to cchc, which serves
# the file), and, in the same run with the same wrk settings, from nginx serving the same file
# from disk itself. The ratio says what serving static files through cchc costs; the choice
# and the figures are in docs/operations.md ("Static files"). Prints figures; asserts nothing.
# Each case runs BENCH_ROUNDS rounds (default 3), alternating, and the median is reported.
# Usage: bash bench/static.sh PATH_TO_cchc [SECONDS per run, default 5]
# Needs wrk, nginx-light and openssl (Debian); installs wrk if missing (bench only).
set -euo pipefail
CCHC=$(realpath "${1:?usage: bash bench/static.sh PATH_TO_cchc [SECONDS]}")
SECS=${2:-5}
CONNS=${BENCH_CONNECTIONS:-16}
ROUNDS=${BENCH_ROUNDS:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v wrk >/dev/null; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends wrk >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
T=$(mktemp -d)
SRV=; NGX=
cleanup() {
  [ -n "$SRV" ] && kill "$SRV" 2>/dev/null && wait "$SRV" 2>/dev/null
  [ -n "$NGX" ] && kill "$NGX" 2>/dev/null && wait "$NGX" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

"$CCHC" init --db "$T/b.db" >/dev/null
CCHC_WEB=$ROOT/web "$CCHC" serve --db "$T/b.db" --port 0 --port-file "$T/port" --slow-ms 0 \
  >/dev/null 2>&1 &
SRV=$!
for i in $(seq 100); do [ -s "$T/port" ] && break; sleep 0.05; done
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$T/tls.key" -out "$T/tls.pem" 2>/dev/null
PROXY=$(free_port)
DIRECT=$(free_port)
mkdir -p "$T/ngx"
# The shipped site on port PROXY; a second server on DIRECT with the same TLS settings whose
# UI files come from disk (alias) — the alternative being measured.
sed -e "s|server 127.0.0.1:8080;|server 127.0.0.1:$(cat "$T/port");|" \
    -e "s|listen 443 ssl http2;|listen 127.0.0.1:$PROXY ssl http2;|" \
    -e "s|listen 80;|listen 127.0.0.1:$(free_port);|" -e '/listen \[::\]/d' \
    -e "s|/etc/ssl/certs/cchc.example.gov.vn.pem|$T/tls.pem|" \
    -e "s|/etc/ssl/private/cchc.example.gov.vn.key|$T/tls.key|" \
    "$ROOT/deploy/nginx/cchc.conf" >"$T/ngx/site.conf"
cat >>"$T/ngx/site.conf" <<NGX
server {
    listen 127.0.0.1:$DIRECT ssl http2;
    ssl_certificate $T/tls.pem;
    ssl_certificate_key $T/tls.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_session_cache shared:direct_tls:10m;
    location = / { root $ROOT/web; try_files /index.html =404; }
    location /assets/js/ { alias $ROOT/web/js/; }
}
NGX
cat >"$T/ngx/nginx.conf" <<NGX
worker_processes 2;
pid $T/ngx/nginx.pid;
error_log $T/ngx/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  include /etc/nginx/mime.types;
  client_body_temp_path $T/ngx/body;
  proxy_temp_path $T/ngx/proxy;
  fastcgi_temp_path $T/ngx/fastcgi;
  uwsgi_temp_path $T/ngx/uwsgi;
  scgi_temp_path $T/ngx/scgi;
  include $T/ngx/site.conf;
}
NGX
[ "$(id -u)" -eq 0 ] && sed -i '1i user root;' "$T/ngx/nginx.conf"
"$NGINX" -e "$T/ngx/error.log" -p "$T/ngx" -c "$T/ngx/nginx.conf" -g 'daemon off;' &
NGX=$!
for i in $(seq 100); do
  curl -s -o /dev/null --cacert "$T/tls.pem" "https://127.0.0.1:$DIRECT/" && break
  sleep 0.05
done

run() { # URL: prints "RPS P99_MS"
  wrk -t 2 -c "$CONNS" -d "${SECS}s" --latency "$1" >"$T/wrk.out" 2>&1
  if grep -q -e 'Non-2xx' -e 'Socket errors' "$T/wrk.out"; then
    echo "bench: errors on $1:" >&2
    cat "$T/wrk.out" >&2
    exit 1
  fi
  awk '/Requests\/sec/ { rps = $2 }
       /^ +99%/ { v = $2; ms = v + 0; if (v ~ /us$/) ms /= 1000; else if (v ~ /[0-9]s$/) ms *= 1000 }
       END { printf "%.0f %.2f\n", rps, ms }' "$T/wrk.out"
}
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

echo "== wrk -t 2 -c $CONNS -d ${SECS}s over HTTPS on 127.0.0.1 ($(nproc) cores shared by nginx, cchc and wrk)"
printf '%-22s %12s %8s %12s %8s %7s\n' "file" "via cchc/s" "p99 ms" "nginx/s" "p99 ms" ratio
for path in /assets/js/desk.js /; do
  : >"$T/r"
  for r in $(seq "$ROUNDS"); do
    read -r a ap < <(run "https://127.0.0.1:$PROXY$path")
    read -r b bp < <(run "https://127.0.0.1:$DIRECT$path")
    echo "$a $ap $b $bp $(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }')" >>"$T/r"
  done
  ratio=$(cut -d' ' -f5 "$T/r" | median)
  line=$(awk -v m="$ratio" '$5 == m { print; exit }' "$T/r")
  read -r a ap b bp _ <<<"$line"
  printf '%-22s %12s %8s %12s %8s %7s\n' "$path" "$a" "$ap" "$b" "$bp" "$ratio"
done
echo "ratio = requests/s through nginx -> cchc over requests/s of nginx from disk (median of $ROUNDS)"
