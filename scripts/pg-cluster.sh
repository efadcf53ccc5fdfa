#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests (docs/postgresql.md): Debian's server binaries, a
# data directory under ${TMPDIR:-/tmp}, 127.0.0.1 and a free port, trust authentication, no
# durability (fsync off: a crash loses it, which a test cluster may; PG_CLUSTER_DURABLE=1 keeps
# PostgreSQL's durable defaults, for benchmarks; PG_CLUSTER_MAX_CONNECTIONS, default 50, for
# benchmarks running several servers; PG_CLUSTER_SYNC_DELAY_US=N runs the server under strace,
# which delays each fsync/fdatasync by N µs: a slower disk, for benchmarks of commit grouping).
#   scripts/pg-cluster.sh start        prints the URL, postgresql://postgres@127.0.0.1:PORT/postgres
#   scripts/pg-cluster.sh url  URL|PORT  prints the URL of a running cluster started here
#   scripts/pg-cluster.sh stop URL|PORT  stops it and removes its directory
# PostgreSQL refuses to run as root: as root the cluster belongs to the user cchcpg (created
# when missing, without a home or a login shell) and runs through runuser.
set -euo pipefail
PGUSER_OS=cchcpg

die() { echo "pg-cluster: $*" >&2; exit 2; }

bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$d" ] && [ -x "$d/initdb" ] && { echo "$d"; return; }
  d=$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")
  [ -x "$d/initdb" ] && { echo "$d"; return; }
  die "no PostgreSQL server binaries (initdb): install Debian's postgresql (scripts/deps.sh)"
}

# Runs a command as the cluster's owner.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u "$PGUSER_OS" -- "$@"; else "$@"; fi
}

dir_of() { # URL or port -> the cluster's directory
  local port=$1
  [[ $port =~ ^postgres(ql)?://[^:/]*:([0-9]+) ]] && port=${BASH_REMATCH[2]}
  [[ $port =~ ^[0-9]+$ ]] || die "'$1': expected the cluster's URL or port"
  echo "${TMPDIR:-/tmp}/cchc-pg-$port"
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
  local bin port dir
  bin=$(bindir)
  if [ "$(id -u)" -eq 0 ] && ! id "$PGUSER_OS" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin "$PGUSER_OS"
  fi
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 20000))
    port_free "$port" || continue
    dir=$(dir_of "$port")
    mkdir "$dir" 2>/dev/null || continue # another cluster's directory
    chmod 700 "$dir"
    [ "$(id -u)" -eq 0 ] && chown "$PGUSER_OS:" "$dir"
    if ! as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale \
      --no-sync >"$dir/initdb.log" 2>&1; then
      cat "$dir/initdb.log" >&2
      rm -rf "$dir"
      die "initdb failed"
    fi
    cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = ${PG_CLUSTER_MAX_CONNECTIONS:-50}
EOF
    # PG_CLUSTER_DURABLE=1 (benchmarks against SQLite's synchronous=FULL): PostgreSQL's own
    # durable defaults; otherwise a test cluster that a crash may lose
    [ "${PG_CLUSTER_DURABLE:-0}" = 1 ] ||
      printf 'fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n' >>"$dir/data/postgresql.conf"
    local postgres=()
    if [ -n "${PG_CLUSTER_SYNC_DELAY_US:-}" ]; then
      # strace -D keeps the postmaster's pid (pg_ctl waits for it); -f follows every backend
      printf '#!/bin/sh\nexec strace -D -f --seccomp-bpf -qq -o /dev/null -e trace=fsync,fdatasync -e inject=fsync,fdatasync:delay_exit=%d "%s/postgres" "$@"\n' \
        "$PG_CLUSTER_SYNC_DELAY_US" "$bin" >"$dir/postgres"
      chmod 755 "$dir/postgres"
      postgres=(-p "$dir/postgres")
    fi
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" "${postgres[@]}" -w -t 30 start >/dev/null; then
      echo "postgresql://postgres@127.0.0.1:$port/postgres" >"$dir/url"
      cat "$dir/url"
      return 0
    fi
    # the port was taken between the check and the start: try another
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    tail -n 5 "$dir/server.log" >&2 || true
    rm -rf "$dir"
  done
  die "could not start a cluster on a free port"
}

stop() {
  local dir
  dir=$(dir_of "$1")
  [ -d "$dir" ] || die "no cluster in $dir"
  as_owner "$(bindir)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
start) start ;;
stop) stop "${2:-${CCHC_TEST_PG:-}}" ;;
url)
  dir=$(dir_of "${2:-}")
  [ -f "$dir/url" ] || die "no cluster in $dir"
  cat "$dir/url"
  ;;
*) die "usage: $0 start | url URL|PORT | stop URL|PORT" ;;
esac
