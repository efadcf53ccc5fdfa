#!/usr/bin/env bash
# t-package.sh — the Debian package as a province's IT office installs it: a package build
# (-DCMAKE_INSTALL_PREFIX=/usr -DCCHC_PACKAGE=ON), `cpack -G DEB`, lintian without errors or
# warnings,
# `dpkg -i` on this machine, `cchc --version`, `cchc init` and `cchc serve` as the service
# user with the packaged /etc/cchc/cchc.ini (the web UI and data from /usr/share/cchc), the
# man pages and completion in place, a reinstall (upgrade path) that copies the database
# first, then `dpkg -r` and `dpkg -P` leaving no file of the package behind.
# Needs root (dpkg): exits 77 (ctest: skipped) with a message otherwise. CI runs as root.
set -euo pipefail
CCHC=${1:?usage: bash $0 PATH_TO_cchc}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
if [ "$(id -u)" -ne 0 ]; then
  echo "SKIP: t-package installs a .deb with dpkg and needs root (CI runs as root)"
  exit 77
fi
# The package is built from the sources with its own Release build: once per suite is
# enough, so the sanitizer build's run (scripts/test.sh runs both) leaves it to the other.
if grep -q libasan <<<"$(ldd "$CCHC" 2>/dev/null)"; then
  echo "SKIP: t-package builds its own Release package; checked in the non-sanitizer build"
  exit 77
fi
if grep -q "install ok installed" <<<"$(dpkg-query -W -f='${Status}' cchc 2>/dev/null)"; then
  echo "SKIP: a cchc package is already installed on this machine; not touching it"
  exit 77
fi
for tool in cpack dpkg-deb lintian dpkg-shlibdeps runuser setpriv; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool not found (scripts/deps.sh)" >&2; exit 1; }
done
T=$(mktemp -d)
had_user=0
getent passwd cchc >/dev/null && had_user=1
had_lib=0
[ -e /var/lib/cchc ] && had_lib=1
SERVER_PID=
cleanup() {
  set +e
  [ -n "$SERVER_PID" ] && kill -KILL "$SERVER_PID" 2>/dev/null
  if grep -q installed <<<"$(dpkg-query -W -f='${Status}' cchc 2>/dev/null)"; then
    dpkg -P cchc >/dev/null 2>&1 || true
  fi
  [ $had_lib -eq 0 ] && rm -rf /var/lib/cchc
  [ $had_user -eq 0 ] && getent passwd cchc >/dev/null && deluser --system cchc >/dev/null 2>&1
  getent group cchc >/dev/null && [ $had_user -eq 0 ] && delgroup --system cchc >/dev/null 2>&1
  rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# --- build the package ---
version=$("$CCHC" --version | awk '{print $2}')
cmake -S "$ROOT" -B "$T/build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
  -DCCHC_PACKAGE=ON >"$T/cmake.log" 2>&1 || fail "cmake: $(tail -5 "$T/cmake.log")"
cmake --build "$T/build" -j2 --target cchc cchc_generated >"$T/build.log" 2>&1 ||
  fail "build: $(grep -m5 error "$T/build.log")"
(cd "$T/build" && cpack -G DEB) >"$T/cpack.log" 2>&1 || fail "cpack: $(tail -5 "$T/cpack.log")"
DEB=$T/build/cchc_${version}_amd64.deb
[ -f "$DEB" ] || DEB=$(ls "$T"/build/cchc_*.deb 2>/dev/null | head -1)
[ -f "$DEB" ] || fail "no .deb: $(tail -3 "$T/cpack.log")"
grep -q 'libmicrohttpd12' <<<"$(dpkg-deb -f "$DEB" Depends)" || fail "Depends lacks the runtime libraries"
dpkg-deb -e "$DEB" "$T/control"
grep -qx /etc/cchc/cchc.ini "$T/control/conffiles" || fail "/etc/cchc/cchc.ini is not a conffile"

# lintian: no error and no warning (information tags printed for the record).
lintian --tag-display-limit 0 "$DEB" >"$T/lintian" 2>&1 || true
sed 's/^/  lintian: /' "$T/lintian" | grep -v 'root privileges' || true
grep -q '^[EW]: ' "$T/lintian" && fail "lintian reports errors or warnings"

# --- install ---
dpkg -i "$DEB" >"$T/dpkg.log" 2>&1 || fail "dpkg -i: $(tail -10 "$T/dpkg.log")"
[ "$(/usr/bin/cchc --version)" = "cchc $version" ] || fail "cchc --version: $(/usr/bin/cchc --version)"
getent passwd cchc >/dev/null || fail "no system user cchc"
[ "$(stat -c %U /var/lib/cchc)" = cchc ] || fail "/var/lib/cchc is not owned by cchc"
[ -f /var/lib/cchc/cchc.db ] || fail "postinst did not create /var/lib/cchc/cchc.db"
[ "$(stat -c %U /var/lib/cchc/cchc.db)" = cchc ] || fail "the database is not owned by cchc"
# The installed binary runs without the test environment's CCHC_DATA / CCHC_WEB (ctest points
# them at the checkout), so it reads what the package installed, as a real service does.
PKGENV=(env -u CCHC_DATA -u CCHC_WEB -u CCHC_TESTDATA -u CCHC_BIN)
runuser -u cchc -- "${PKGENV[@]}" /usr/bin/cchc init --db /var/lib/cchc/cchc.db >"$T/init" 2>&1 ||
  fail "cchc init as cchc: $(cat "$T/init")"
grep -q '^db = /var/lib/cchc/cchc.db$' /etc/cchc/cchc.ini || fail "cchc.ini does not set db"
grep -q '^trusted_proxies = 127.0.0.1, ::1$' /etc/cchc/cchc.ini || fail "cchc.ini does not trust local nginx"
grep -q '^max_conns_per_ip = 1000$' /etc/cchc/cchc.ini || fail "cchc.ini keeps the per-address connection cap behind nginx"
grep -q '^#body_limit = 1048576$' /etc/cchc/cchc.ini || fail "cchc.ini lacks the commented defaults"
[ "$(stat -c '%U:%G %a' /etc/cchc/cchc.ini)" = "root:cchc 640" ] || fail "cchc.ini mode: $(stat -c '%U:%G %a' /etc/cchc/cchc.ini)"
[ -f /lib/systemd/system/cchc.service ] || fail "no systemd unit"
for page in man1/cchc.1.gz man1/cchc-serve.1.gz man5/cchc.ini.5.gz; do
  [ -f "/usr/share/man/$page" ] || fail "no /usr/share/man/$page"
done
bash -c 'source /usr/share/bash-completion/completions/cchc && complete -p cchc' >/dev/null ||
  fail "the bash completion does not load"
[ -f /usr/share/doc/cchc/examples/nginx-cchc.conf ] || fail "no nginx example"

# The service user serves the packaged configuration: web UI and data from /usr/share/cchc.
setpriv --reuid=cchc --regid=cchc --init-groups "${PKGENV[@]}" /usr/bin/cchc serve --config /etc/cchc/cchc.ini --port 0 \
  --port-file /var/lib/cchc/test.port >"$T/serve.log" 2>&1 &
SERVER_PID=$!
for i in $(seq 100); do [ -s /var/lib/cchc/test.port ] && break; sleep 0.05; done
[ -s /var/lib/cchc/test.port ] || fail "cchc serve as cchc did not start: $(cat "$T/serve.log")"
base=http://127.0.0.1:$(cat /var/lib/cchc/test.port)
[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/healthz")" = 200 ] || fail "healthz"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/")" = 200 ] || fail "the web UI from /usr/share/cchc/web"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/assets/vendor/chart.umd.min.js")" = 200 ] ||
  fail "the vendored chart.js from /usr/share/cchc/web/node_modules"
kill -TERM "$SERVER_PID"; wait "$SERVER_PID" || fail "cchc serve did not stop cleanly"
SERVER_PID=
rm -f /var/lib/cchc/test.port
# cchc reads the packaged data: a calendar year from /usr/share/cchc/data.
grep -q 'Tết' <<<"$(/usr/bin/cchc calendar 2025)" || fail "cchc calendar without the packaged data"

# --- reinstall: the upgrade path copies the database before migrating ---
dpkg -i "$DEB" >"$T/dpkg2.log" 2>&1 || fail "dpkg -i again: $(tail -10 "$T/dpkg2.log")"
ls /var/lib/cchc/backup/cchc.db."$version".* >/dev/null 2>&1 || fail "no database copy before the upgrade"

# --- remove and purge ---
dpkg -r cchc >"$T/rm.log" 2>&1 || fail "dpkg -r: $(cat "$T/rm.log")"
[ -e /usr/bin/cchc ] && fail "/usr/bin/cchc left after dpkg -r"
[ -f /etc/cchc/cchc.ini ] || fail "dpkg -r removed the conffile (only purge should)"
dpkg -P cchc >"$T/purge.log" 2>&1 || fail "dpkg -P: $(cat "$T/purge.log")"
for p in /etc/cchc /usr/share/cchc /usr/share/doc/cchc /lib/systemd/system/cchc.service \
         /usr/share/man/man5/cchc.ini.5.gz /usr/share/bash-completion/completions/cchc; do
  [ -e "$p" ] && fail "$p left after purge"
done
[ -f /var/lib/cchc/cchc.db ] || fail "purge removed the database (it must stay)"
echo "ok: cchc $version packaged, lintian clean, installed, served as cchc, removed"
