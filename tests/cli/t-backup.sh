#!/usr/bin/env bash
# t-backup.sh — issue 12, finding 6: `cchc backup` while a writer keeps receiving dossiers
# gives a copy that verifies and holds every write acknowledged before the backup began;
# `cchc restore` brings it back (refusing to overwrite without --force); a database with an
# older schema is refused by every command (not silently upgraded) until `cchc migrate`,
# which keeps a checked copy first and says what it did.
set -u
export CCHC_BACKDATE_TOLERANCE=off # replays 2025 with --at: nothing is backdated (t-backdate.sh tests the rule)
CCHC=${1:?usage: t-backup.sh PATH_TO_cchc}
DATA=${CCHC_DATA:-$(cd "$(dirname "$0")/../../data" && pwd)}
TESTDATA=${CCHC_TESTDATA:-$(cd "$(dirname "$0")/../data" && pwd)}
fails=0
tmp=$(mktemp -d)
writer=
trap '[ -n "$writer" ] && kill "$writer" 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL $*"; fails=$((fails+1)); }
db=$tmp/live.db
"$CCHC" init --db "$db" >/dev/null
"$CCHC" import units "$DATA/demo/units.csv" --db "$db" >/dev/null
"$CCHC" import procedures "$DATA/catalog/procedures.csv" --db "$db" >/dev/null

# --- a backup under write load holds every acknowledged write ---
( i=0
  while [ ! -e "$tmp/stop" ]; do
    i=$((i+1))
    "$CCHC" dossier receive --unit DT.MYTHO --procedure 1.004873 --name "Người nộp $i" \
      --idno 087090001234 --at 2025-08-04T08:10 --db "$db" >"$tmp/w.out" 2>>"$tmp/w.err" &&
      awk -F'\t' '/^Mã hồ sơ:/ { print $2 }' "$tmp/w.out" >>"$tmp/acked"
  done ) &
writer=$!
for _ in $(seq 300); do [ "$(wc -l <"$tmp/acked" 2>/dev/null || echo 0)" -ge 15 ] && break; sleep 0.1; done
cp "$tmp/acked" "$tmp/acked-before"
"$CCHC" backup --out "$tmp/b.db" --db "$db" >"$tmp/out" 2>"$tmp/err" || fail "backup under load: $(cat "$tmp/err")"
grep -q "audit chain intact" "$tmp/out" || fail "backup report: $(cat "$tmp/out")"
sleep 1
touch "$tmp/stop"; wait "$writer"; writer=
n=$(wc -l <"$tmp/acked-before")
[ "$n" -ge 15 ] || fail "the writer acknowledged only $n writes before the backup"
"$CCHC" backup --out "$tmp/b.db" --db "$db" >/dev/null 2>"$tmp/err" && fail "a backup overwrote a file"
grep -q "exists: a backup never overwrites" "$tmp/err" || fail "overwrite message: $(cat "$tmp/err")"

"$CCHC" restore --from "$tmp/b.db" --db "$tmp/r.db" >"$tmp/out" 2>"$tmp/err" || fail "restore: $(cat "$tmp/err")"
"$CCHC" audit verify --db "$tmp/r.db" >/dev/null || fail "the restored database does not verify"
sqlite3 "$tmp/r.db" "SELECT code FROM dossiers" | sort >"$tmp/restored"
missing=$(sort "$tmp/acked-before" | comm -23 - "$tmp/restored" | wc -l)
[ "$missing" -eq 0 ] || fail "$missing of $n writes acknowledged before the backup are missing"
echo "t-backup: $n writes acknowledged before the backup, $(wc -l <"$tmp/restored") in it, $(wc -l <"$tmp/acked") in all, $missing lost"
"$CCHC" restore --from "$tmp/b.db" --db "$tmp/r.db" >/dev/null 2>"$tmp/err" && fail "restore replaced a database without --force"
"$CCHC" restore --from "$tmp/b.db" --db "$tmp/r.db" --force >/dev/null 2>"$tmp/err" || fail "restore --force: $(cat "$tmp/err")"
"$CCHC" restore --from "$tmp/nope.db" --db "$tmp/r2.db" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "no such backup file" "$tmp/err" || fail "restore from a missing file: $(cat "$tmp/err")"
# a tampered backup is refused before anything is written
cp "$tmp/b.db" "$tmp/bad.db"
sqlite3 "$tmp/bad.db" "UPDATE dossiers SET applicant_name = 'Kẻ sửa' WHERE id = 1"
"$CCHC" restore --from "$tmp/bad.db" --db "$tmp/r3.db" >/dev/null 2>"$tmp/err" && fail "a tampered backup was restored"
[ -e "$tmp/r3.db" ] && fail "a refused restore created the database"

# --- upgrades: refused until cchc migrate, which keeps a checked copy and says so ---
# (the schema-7 database is a real one: the database commit 3d8848b wrote, as t-audit uses it,
# so no test has to undo every later migration by hand)
old=$tmp/old.db
gunzip -c "$TESTDATA/audit/chain-v1-3d8848b.db.gz" >"$old"
v=$("$CCHC" init --db "$tmp/latest.db" | sed 's/.*version //')
[ "$(sqlite3 "$old" "SELECT max(version) FROM schema_migrations")" = 7 ] || fail "the fixture is not schema 7"
"$CCHC" dossier list --db "$old" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "schema version 7, older than this cchc ($v): run 'cchc migrate --db $old'" "$tmp/err" ||
  fail "a read-only command on an older schema: rc=$rc $(cat "$tmp/err")"
[ "$(sqlite3 "$old" "SELECT max(version) FROM schema_migrations")" = 7 ] || fail "a read-only command upgraded the schema"
"$CCHC" backup --out "$tmp/old-copy.db" --db "$old" >/dev/null 2>"$tmp/err" || fail "backup of an older schema: $(cat "$tmp/err")"
"$CCHC" migrate --db "$old" --backup "$tmp/pre.bak" >"$tmp/out" 2>"$tmp/err" || fail "migrate: $(cat "$tmp/err")"
grep -q "^$old: schema version 7 -> $v; the database before it is in $tmp/pre.bak" "$tmp/out" || fail "migrate report: $(cat "$tmp/out")"
[ "$(sqlite3 "$tmp/pre.bak" "SELECT max(version) FROM schema_migrations")" = 7 ] || fail "the copy before the upgrade is not the old schema"
"$CCHC" dossier list --db "$old" >/dev/null 2>"$tmp/err" || fail "after migrate: $(cat "$tmp/err")"
"$CCHC" migrate --db "$old" | grep -q "up to date; nothing done" || fail "migrate twice"
# --backup none: no copy (a benchmark's database, too large to copy beside itself), the
# chain still verified after the migrations
gunzip -c "$TESTDATA/audit/chain-v1-3d8848b.db.gz" >"$tmp/nocopy.db"
"$CCHC" migrate --db "$tmp/nocopy.db" --backup none >"$tmp/out" 2>"$tmp/err" || fail "migrate --backup none: $(cat "$tmp/err")"
grep -q "^$tmp/nocopy.db: schema version 7 -> $v (40 dossiers, 290 events, audit chain intact); no copy was taken (--backup none)$" "$tmp/out" ||
  fail "migrate --backup none report: $(cat "$tmp/out")"
ls "$tmp"/nocopy.db.*bak* "$tmp/none" 2>/dev/null && fail "migrate --backup none took a copy"
"$CCHC" dossier list --db "$tmp/nocopy.db" >/dev/null 2>"$tmp/err" || fail "after migrate --backup none: $(cat "$tmp/err")"
[ $fails -eq 0 ] && echo "t-backup: all passed"
exit $((fails > 0))
