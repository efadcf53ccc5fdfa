#!/usr/bin/env bash
# Installs the Debian packages cchc needs to build and test, only those missing.
# Usage: scripts/deps.sh        (as root, or with sudo available)
set -euo pipefail
PKGS=(
  build-essential cmake pkg-config clang-format
  libcmocka-dev libsqlite3-dev sqlite3 libutf8proc-dev
  libmicrohttpd-dev libjansson-dev libsodium-dev libinih-dev libcsv-dev
  libxlsxwriter-dev libqrencode-dev libpq-dev libmagic-dev
  uthash-dev # the HTTP read cache's table (src/http/readcache.c)
  liboath-dev oathtool # the second factor (TOTP, src/http/totp.c); oathtool makes codes in tests
  curl jq python3-yaml
  clang libclang-rt-14-dev # libFuzzer targets of tests/fuzz (scripts/fuzz.sh)
  nginx-light openssl # tests/api/t-proxy.sh: TLS in front of cchc (deploy/nginx/cchc.conf)
  python3 groff-base man-db # man pages generated at build time (scripts/gen-man.py), checked
  lintian systemd # tests/cli/t-package.sh (the .deb), tests/api/t-service.sh (systemd-analyze)
  prometheus # promtool: tests/api/t-metrics.sh checks /metrics and the alert rules
)
PKGS+=(chromium fonts-noto-core) # browser tests (tests/browser): Debian's chromium, a Vietnamese font
PKGS+=(postgresql) # the PostgreSQL server for the PG tests' throwaway clusters (scripts/pg-cluster.sh)
# printed forms (src/report/forms_pdf.c): cairo + pango, the Noto fonts above embedded in the
# PDF; their tests read the text back with pdftotext and the QR code with pdftoppm + zbarimg.
PKGS+=(libcairo2-dev libpango1.0-dev poppler-utils zbar-tools)
# two-layer X.509 signing (src/report/sign2.c): OpenSSL's CMS, its pkcs11 engine for keys on
# tokens, and SoftHSM as the token of the tests and the demo (tests/cli/t-sign.sh).
PKGS+=(libssl-dev libengine-pkcs11-openssl softhsm2)
# notifications (src/notify): e-mail by SMTP and the SMS / Zalo OA gateways through libcurl;
# tests/api/t-notify-smtp.sh receives the e-mails with a fake SMTP server (aiosmtpd).
PKGS+=(libcurl4-openssl-dev python3-aiosmtpd)
# online payment (src/http/payclient.c): the provider adapter's HTTP client is libcurl too
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The web UI's libraries (web/: chart.js, qrcode-generator), the browser tests' driver
# (tests/browser/: playwright-core) and the OpenAPI linter and client generator (tests/openapi/:
# @redocly/cli, which needs node >= 20.19; openapi-typescript, openapi-fetch, typescript) from
# the npm registry, pinned by package-lock.json; node and npm from Debian when the machine has
# none. npm ci runs again only when a lock changed.
if ! command -v npm >/dev/null; then
  echo "deps: installing nodejs npm"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
root=$(cd "$(dirname "$0")/.." && pwd)
for d in web tests/browser tests/openapi; do
  stamp=$root/$d/node_modules/.cchc-lock
  cmp -s "$root/$d/package-lock.json" "$stamp" 2>/dev/null && continue
  echo "deps: npm ci in $d"
  (cd "$root/$d" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  cp "$root/$d/package-lock.json" "$stamp"
done
