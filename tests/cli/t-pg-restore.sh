#!/usr/bin/env bash
# t-pg-restore.sh — docs/operations.md's PostgreSQL backups, done on a throwaway cluster of its
# own (it needs WAL archiving, which a shared test cluster has off): a province's database
# seeded with cchc (40 dossiers of seed 5, 290 events), then
#  1. the nightly copy: pg_dump -Fc, pg_restore into an empty database, `cchc audit verify`
#     passes with the same counts, and cchc writes on the restored copy (its identity sequences
#     came back: the next event does not collide);
#  2. point-in-time recovery: a base backup (pg_basebackup), WAL archived by archive_command,
#     one change, a named restore point, one more change; a second server recovers the base
#     backup from the archive up to the restore point and holds exactly the first change — the
#     audit chain verifies there with 291 events, not 292.
# Skips (77) only when PostgreSQL's server programs are missing (scripts/deps.sh installs them).
# Usage: bash tests/cli/t-pg-restore.sh PATH_TO_cchc
set -uo pipefail
CCHC=${1:?usage: t-pg-restore.sh PATH_TO_cchc}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DATA=$ROOT/data
export CCHC_DATA=$DATA
tmp=$(mktemp -d)
chmod 755 "$tmp"
export CCHC_KEYS=$tmp/keys
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "SKIP: no PostgreSQL server programs (initdb)"
  exit 77
fi
as_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u cchcpg -- "$@"; else "$@"; fi; }
URL=
PITR_DATA=
cleanup() {
  [ -n "$PITR_DATA" ] && as_owner "$bin/pg_ctl" -D "$PITR_DATA" -m immediate -w stop >/dev/null 2>&1
  [ -n "$URL" ] && bash "$ROOT/scripts/pg-cluster.sh" stop "$URL" >/dev/null 2>&1
  rm -rf "$tmp"
}
trap cleanup EXIT
die() {
  echo "FAIL $*"
  exit 1
}
URL=$(bash "$ROOT/scripts/pg-cluster.sh" start) || die "cannot start a PostgreSQL cluster"
[[ $URL =~ :([0-9]+)/ ]] && port=${BASH_REMATCH[1]}
dir=${TMPDIR:-/tmp}/cchc-pg-$port
base=${URL%/*}
q() { psql "$1" -qAtX -v ON_ERROR_STOP=1 -c "$2"; }

# WAL archiving on (archive_mode needs a restart): each finished segment copied to archive/
as_owner mkdir "$dir/archive"
cat >>"$dir/data/postgresql.conf" <<EOF
wal_level = replica
archive_mode = on
archive_command = 'test ! -f $dir/archive/%f && cp %p $dir/archive/%f'
EOF
as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 restart >/dev/null ||
  die "restart with archiving: $(tail -5 "$dir/server.log")"

# the province's database, as t-audit seeds it
q "$URL" "CREATE DATABASE src" >/dev/null || die "create src"
SRC=$base/src
{ "$CCHC" init --db "$SRC" && "$CCHC" import units "$DATA/demo/units.csv" --db "$SRC" &&
  "$CCHC" import procedures "$DATA/catalog/procedures.csv" --db "$SRC" &&
  "$CCHC" seed --dossiers 40 --seed 5 --db "$SRC"; } >"$tmp/seed.out" 2>&1 || die "seeding: $(cat "$tmp/seed.out")"
verify() { # DB EVENTS: the chain verifies with that many events
  "$CCHC" audit verify --db "$1" >"$tmp/verify.out" 2>&1 &&
    grep -qF "ok: $2 events, 40 dossiers, 3 province chains intact" "$tmp/verify.out"
}
verify "$SRC" 290 || die "the seeded database: $(cat "$tmp/verify.out")"
# the seed leaves one dossier filed online and not yet received: the changes below receive it
# (one event), then move it to its first step (one more)
c1=$(q "$SRC" "SELECT code FROM dossiers WHERE status = 'submitted' ORDER BY code LIMIT 1")
[ -n "$c1" ] || die "no submitted dossier in the seed"
receive() { "$CCHC" dossier receive "$c1" --actor motcua.test --db "$1" >"$tmp/move.out" 2>&1; }
advance() { USER=motcua.test "$CCHC" dossier advance "$c1" --db "$1" >"$tmp/move.out" 2>&1; }

# --- 1. the nightly copy: pg_dump -Fc, pg_restore into an empty database ----------------------
pg_dump -Fc -f "$tmp/src.dump" "$SRC" || die "pg_dump"
q "$URL" "CREATE DATABASE copy" >/dev/null || die "create copy"
COPY=$base/copy
pg_restore --no-owner --exit-on-error -d "$COPY" "$tmp/src.dump" || die "pg_restore"
verify "$COPY" 290 || die "the restored copy does not verify as the original: $(cat "$tmp/verify.out")"
[ "$(q "$COPY" "SELECT count(*) || ' ' || sum(length(code)) FROM dossiers")" = \
  "$(q "$SRC" "SELECT count(*) || ' ' || sum(length(code)) FROM dossiers")" ] || die "the copy's dossiers differ"
receive "$COPY" || die "cchc cannot write on the restored copy: $(cat "$tmp/move.out")"
verify "$COPY" 291 || die "the restored copy after a change: $(cat "$tmp/verify.out")"
echo "ok: pg_dump -Fc and pg_restore: the copy verifies (290 events) and takes a change (291)"

# --- 2. point-in-time recovery: base backup, archived WAL, recovery to a named point ----------
as_owner "$bin/pg_basebackup" -D "$dir/base" -h 127.0.0.1 -p "$port" -U postgres -Fp -X stream -c fast \
  >"$tmp/basebackup.out" 2>&1 || die "pg_basebackup: $(cat "$tmp/basebackup.out")"
receive "$SRC" || die "the first change: $(cat "$tmp/move.out")"
q "$SRC" "SELECT pg_create_restore_point('cchc_t_pg_restore')" >/dev/null || die "restore point"
advance "$SRC" || die "the second change: $(cat "$tmp/move.out")"
verify "$SRC" 292 || die "the source after two changes: $(cat "$tmp/verify.out")"
seg=$(q "$SRC" "SELECT pg_walfile_name(pg_current_wal_lsn())")
q "$SRC" "SELECT pg_switch_wal()" >/dev/null
for _ in $(seq 100); do
  [ -f "$dir/archive/$seg" ] && break
  sleep 0.1
done
[ -f "$dir/archive/$seg" ] || die "segment $seg was not archived: $(ls "$dir/archive")"

# a second server on the base backup, recovering from the archive up to the restore point
for _ in $(seq 50); do
  port2=$((20000 + RANDOM % 20000))
  ! (exec 3<>"/dev/tcp/127.0.0.1/$port2") 2>/dev/null && break
done
PITR_DATA=$dir/base
cat >>"$PITR_DATA/postgresql.conf" <<EOF
port = $port2
archive_mode = off
restore_command = 'cp $dir/archive/%f %p'
recovery_target_name = 'cchc_t_pg_restore'
recovery_target_action = 'promote'
EOF
as_owner touch "$PITR_DATA/recovery.signal"
as_owner "$bin/pg_ctl" -D "$PITR_DATA" -l "$dir/pitr.log" -w -t 60 start >/dev/null ||
  die "the recovering server: $(tail -5 "$dir/pitr.log")"
PITR=postgresql://postgres@127.0.0.1:$port2/src
for _ in $(seq 100); do
  [ "$(q "$PITR" "SELECT pg_is_in_recovery()" 2>/dev/null)" = f ] && break
  sleep 0.1
done
[ "$(q "$PITR" "SELECT pg_is_in_recovery()")" = f ] || die "recovery did not end: $(tail -5 "$dir/pitr.log")"
grep -q "recovery stopping at restore point \"cchc_t_pg_restore\"" "$dir/pitr.log" ||
  die "recovery did not stop at the restore point: $(tail -8 "$dir/pitr.log")"
verify "$PITR" 291 || die "the recovered database is not the state at the restore point (291 events): $(cat "$tmp/verify.out")"
[ "$(q "$PITR" "SELECT status FROM dossiers WHERE code = '$c1'")" = received ] ||
  die "the recovered dossier is not as at the restore point (received, not yet processing)"
echo "ok: point-in-time recovery to a named restore point: 291 events, the later change absent, the chain intact"
echo "ok t-pg-restore"
