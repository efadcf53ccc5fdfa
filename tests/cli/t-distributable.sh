#!/usr/bin/env bash
# t-distributable.sh — is the PostgreSQL schema distributable on Citus (issue 18, docs/scale.md
# "The national plan on Citus")? Migrates a fresh PostgreSQL database and reads pg_catalog
# against data/citus/layout.tsv, which classifies every table as reference, distributed (with
# its distribution column) or local:
#   - every table of the schema is classified, and every classified table exists;
#   - no foreign key from a reference table to a distributed or local one, nor between a
#     distributed and a local table (Citus cannot enforce them);
#   - a distributed table has its distribution column, NOT NULL; each of its primary keys and
#     unique constraints or indexes includes it; each foreign key to another distributed table
#     pairs the two distribution columns (same column name: same co-location group).
# What the tables still break is listed in data/citus/violations.tsv (no line once every
# table complies), and the list must stay exact: a new violation fails, and so does a
# listed one that no longer exists (the list only shrinks). Then the checker is shown to fail on
# broken schemas and lists (an unclassified table, a reference-to-distributed key, a new unique
# key, a fixed violation still listed, a stale layout row).
# Needs PostgreSQL: the cluster of CCHC_TEST_PG (scripts/test.sh starts one for CI), or else a
# throwaway cluster of its own (scripts/pg-cluster.sh); skips only when PostgreSQL's server
# programs are not installed (scripts/deps.sh installs them).
set -u
CCHC=${1:?usage: t-distributable.sh PATH_TO_cchc}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DATA=${CCHC_DATA:-$ROOT/data}
LAYOUT=$DATA/citus/layout.tsv
KNOWN=$DATA/citus/violations.tsv
fails=0
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
tmp=$(mktemp -d)
own_cluster=
cleanup() {
  [ -n "${db_name:-}" ] && psql "$CCHC_TEST_PG" -qAtX -c "DROP DATABASE IF EXISTS $db_name" >/dev/null 2>&1
  [ -n "$own_cluster" ] && bash "$ROOT/scripts/pg-cluster.sh" stop "$CCHC_TEST_PG" >/dev/null 2>&1
  rm -rf "$tmp"
}
trap cleanup EXIT

if [ -z "${CCHC_TEST_PG:-}" ]; then
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null; then
    echo "SKIP: no CCHC_TEST_PG and no PostgreSQL server programs (initdb) to start a cluster"
    exit 77
  fi
  CCHC_TEST_PG=$(bash "$ROOT/scripts/pg-cluster.sh" start) || { echo "FAIL cannot start a PostgreSQL cluster"; exit 1; }
  own_cluster=1
fi
db_name=t_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
psql "$CCHC_TEST_PG" -qAtX -v ON_ERROR_STOP=1 -c "CREATE DATABASE $db_name" >/dev/null ||
  { echo "FAIL cannot create a database on $CCHC_TEST_PG"; exit 1; }
db=${CCHC_TEST_PG%/*}/$db_name
"$CCHC" migrate --db "$db" >"$tmp/migrate.out" 2>&1 || { echo "FAIL migrate: $(cat "$tmp/migrate.out")"; exit 1; }

# check DB LAYOUT KNOWN: prints one "FAIL …" line per problem and a "distributable: …" summary.
check() {
  grep -v -e '^#' -e '^$' "$2" >"$tmp/layout.rows"
  grep -v -e '^#' -e '^$' "$3" >"$tmp/known.rows"
  psql "$1" -qAtX -v ON_ERROR_STOP=1 <<EOF
CREATE TEMP TABLE lay (tbl text, class text, col text, reason text);
\copy lay FROM '$tmp/layout.rows'
CREATE TEMP TABLE known (tbl text, name text, kind text);
\copy known FROM '$tmp/known.rows'
CREATE TEMP TABLE tabs AS
  SELECT c.oid, c.relname::text AS relname FROM pg_class c
  WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p');
-- Distributed tables with the number of their distribution column (NULL: no such column).
CREATE TEMP TABLE dist AS
  SELECT t.oid, t.relname, l.col, a.attnum, a.attnotnull
  FROM tabs t JOIN lay l ON l.tbl = t.relname AND l.class = 'distributed'
  LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attname = l.col AND NOT a.attisdropped;
CREATE TEMP TABLE fk AS
  SELECT c.conname::text AS conname, c.conrelid, c.confrelid, c.conkey, c.confkey,
         ch.relname AS child, pa.relname AS parent, lc.class AS cclass, lp.class AS pclass
  FROM pg_constraint c JOIN tabs ch ON ch.oid = c.conrelid JOIN tabs pa ON pa.oid = c.confrelid
  LEFT JOIN lay lc ON lc.tbl = ch.relname LEFT JOIN lay lp ON lp.tbl = pa.relname
  WHERE c.contype = 'f';
-- What a distributed table breaks today (compared with the known list).
CREATE TEMP TABLE v (tbl text, name text, kind text, detail text);
INSERT INTO v SELECT relname, col, 'column',
    CASE WHEN attnum IS NULL THEN 'no column ' || col ELSE 'column ' || col || ' may be NULL' END
  FROM dist WHERE attnum IS NULL OR NOT attnotnull;
INSERT INTO v SELECT d.relname, i.relname::text, 'key', pg_get_indexdef(x.indexrelid)
  FROM dist d JOIN pg_index x ON x.indrelid = d.oid JOIN pg_class i ON i.oid = x.indexrelid
  WHERE (x.indisunique OR x.indisexclusion)
    AND NOT EXISTS (SELECT 1 FROM generate_series(0, x.indnkeyatts - 1) k
                    WHERE x.indkey[k] = d.attnum);
INSERT INTO v SELECT f.child, f.conname, 'fk', pg_get_constraintdef(c.oid)
  FROM fk f JOIN dist dc ON dc.oid = f.conrelid JOIN dist dp ON dp.oid = f.confrelid
  JOIN pg_constraint c ON c.conrelid = f.conrelid AND c.conname = f.conname
  WHERE NOT (dc.col = dp.col AND EXISTS (SELECT 1 FROM generate_subscripts(f.conkey, 1) k
                                         WHERE f.conkey[k] = dc.attnum AND f.confkey[k] = dp.attnum));

-- The layout itself.
SELECT format('FAIL layout.tsv: table %s: class %s is not reference, distributed or local', tbl, coalesce(class, '(none)'))
  FROM lay WHERE class IS NULL OR class NOT IN ('reference', 'distributed', 'local');
SELECT format('FAIL layout.tsv: table %s: a distributed table names its distribution column (got %s)', tbl, coalesce(col, '(none)'))
  FROM lay WHERE class = 'distributed' AND (col IS NULL OR col = '-' OR col = '');
SELECT format('FAIL layout.tsv: table %s: column must be - for a %s table (got %s)', tbl, class, coalesce(col, '(none)'))
  FROM lay WHERE class IN ('reference', 'local') AND col IS DISTINCT FROM '-';
SELECT format('FAIL layout.tsv: table %s: the reason is empty', tbl) FROM lay WHERE coalesce(reason, '') = '';
SELECT format('FAIL layout.tsv: table %s is listed %s times', tbl, count(*)) FROM lay GROUP BY tbl HAVING count(*) > 1;
SELECT format('FAIL table %s is not classified: add a line to data/citus/layout.tsv (reference, distributed with its column, or local) and say why', relname)
  FROM tabs WHERE relname NOT IN (SELECT tbl FROM lay) ORDER BY 1;
SELECT format('FAIL layout.tsv lists table %s, which the schema does not have: remove its line', tbl)
  FROM lay WHERE tbl NOT IN (SELECT relname FROM tabs) ORDER BY 1;
-- Foreign keys Citus cannot have, whatever the columns.
SELECT format('FAIL foreign key %s from %s table %s to %s table %s: Citus cannot enforce it (reference tables may only refer to reference tables; distributed and local tables not to each other)',
              conname, cclass, child, pclass, parent)
  FROM fk WHERE (cclass = 'reference' AND pclass IN ('distributed', 'local'))
             OR (cclass = 'distributed' AND pclass = 'local') OR (cclass = 'local' AND pclass = 'distributed')
  ORDER BY 1;
-- The known list: well formed, and exactly what the schema breaks.
SELECT format('FAIL violations.tsv: %s %s: kind %s is not column, key or fk', tbl, name, coalesce(kind, '(none)'))
  FROM known WHERE kind IS NULL OR kind NOT IN ('column', 'key', 'fk');
SELECT format('FAIL violations.tsv: %s %s %s is listed %s times', tbl, name, kind, count(*))
  FROM known GROUP BY tbl, name, kind HAVING count(*) > 1;
SELECT format('FAIL new violation %s	%s	%s (%s): a distributed table''s keys and foreign keys include its distribution column (%s); fix it, or if it must wait, add the line to data/citus/violations.tsv',
              v.tbl, v.name, v.kind, v.detail, d.col)
  FROM v JOIN dist d ON d.relname = v.tbl
  WHERE NOT EXISTS (SELECT 1 FROM known k WHERE k.tbl = v.tbl AND k.name = v.name AND k.kind = v.kind)
  ORDER BY 1;
SELECT format('FAIL listed violation %s	%s	%s no longer exists: remove its line from data/citus/violations.tsv (the list only shrinks)',
              k.tbl, k.name, k.kind)
  FROM (SELECT DISTINCT tbl, name, kind FROM known) k
  WHERE k.tbl IN (SELECT relname FROM dist)
    AND NOT EXISTS (SELECT 1 FROM v WHERE v.tbl = k.tbl AND v.name = k.name AND v.kind = k.kind)
  ORDER BY 1;
SELECT format('FAIL violations.tsv lists %s line(s) of %s, which is not a distributed table of the layout', count(*), tbl)
  FROM known WHERE tbl NOT IN (SELECT relname FROM dist) GROUP BY tbl ORDER BY 1;
SELECT format('distributable: %s of %s distributed tables comply, %s known violations (%s column, %s key, %s fk); %s reference, %s local tables',
              (SELECT count(*) FROM dist WHERE relname NOT IN (SELECT tbl FROM v)),
              (SELECT count(*) FROM dist), (SELECT count(*) FROM v),
              (SELECT count(*) FROM v WHERE kind = 'column'), (SELECT count(*) FROM v WHERE kind = 'key'),
              (SELECT count(*) FROM v WHERE kind = 'fk'),
              (SELECT count(*) FROM lay WHERE class = 'reference' AND tbl IN (SELECT relname FROM tabs)),
              (SELECT count(*) FROM lay WHERE class = 'local' AND tbl IN (SELECT relname FROM tabs)));
SELECT 'comply: ' || coalesce(string_agg(relname, ' ' ORDER BY relname), '(none)')
  FROM dist WHERE relname NOT IN (SELECT tbl FROM v);
EOF
}

# 1. The schema as the migrations make it.
check "$db" "$LAYOUT" "$KNOWN" >"$tmp/check.out" 2>&1 || fail "the check did not run: $(tail -3 "$tmp/check.out")"
cat "$tmp/check.out"
if grep -q '^FAIL' "$tmp/check.out"; then
  fails=$((fails + $(grep -c '^FAIL' "$tmp/check.out")))
fi
grep -q '^distributable: ' "$tmp/check.out" || fail "no summary line"

# 2. The checker fails where it must. expect_fail WHAT PATTERN [LAYOUT [KNOWN]]: a check of the
# (now altered) database must print a FAIL line matching PATTERN.
expect_fail() {
  check "$db" "${3:-$LAYOUT}" "${4:-$KNOWN}" >"$tmp/neg.out" 2>&1
  if grep -q "^FAIL.*$2" "$tmp/neg.out"; then
    echo "ok: $1 fails: $(grep -m1 "^FAIL.*$2" "$tmp/neg.out" | cut -c1-160)"
  else
    fail "$1: expected a FAIL line matching '$2', got: $(grep '^FAIL' "$tmp/neg.out" | head -3)"
  fi
}
sql() { psql "$db" -qAtX -v ON_ERROR_STOP=1 -c "$1" >/dev/null || fail "setup: $1"; }

sql "CREATE TABLE zz_unclassified (id bigint PRIMARY KEY)"
expect_fail "a table missing from the layout" "table zz_unclassified is not classified"
sql "DROP TABLE zz_unclassified"

{ cat "$LAYOUT"; printf 'zz_gone\treference\t-\ta table the schema lost\n'; } >"$tmp/layout-stale.tsv"
expect_fail "a layout row without its table" "lists table zz_gone" "$tmp/layout-stale.tsv"

sql "ALTER TABLE units ADD COLUMN zz_dossier bigint, ADD COLUMN zz_province text, ADD CONSTRAINT units_zz_dossier_fkey FOREIGN KEY (zz_dossier, zz_province) REFERENCES dossiers (id, province)"
expect_fail "a foreign key from a reference table to a distributed one" "foreign key units_zz_dossier_fkey from reference table units to distributed table dossiers"
sql "ALTER TABLE units DROP COLUMN zz_dossier, DROP COLUMN zz_province"

# (the cases below depend on no remaining violation: they hold when violations.tsv lists none)
sql "CREATE UNIQUE INDEX zz_dossiers_code ON dossiers (code)"
expect_fail "a new unique index without the distribution column" "new violation dossiers	zz_dossiers_code	key"
sql "DROP INDEX zz_dossiers_code"

# A violation fixed but still listed: dossiers has its province, a list that says it lacks it.
{ cat "$KNOWN"; printf 'dossiers\tprovince\tcolumn\n'; } >"$tmp/known-fixed.tsv"
expect_fail "a fixed violation still listed" "listed violation dossiers	province	column no longer exists" "$LAYOUT" "$tmp/known-fixed.tsv"

{ cat "$KNOWN"; printf 'dossiers\tdossiers_pkey\tkey\ndossiers\tdossiers_pkey\tkey\n'; } >"$tmp/known-dup.tsv"
expect_fail "a violation listed twice" "dossiers dossiers_pkey key is listed 2 times" "$LAYOUT" "$tmp/known-dup.tsv"

# And the database is back as it was: the check passes again.
check "$db" "$LAYOUT" "$KNOWN" >"$tmp/again.out" 2>&1
grep -q '^FAIL' "$tmp/again.out" && fail "after the negative cases: $(grep -m3 '^FAIL' "$tmp/again.out")"

[ "$fails" -eq 0 ] && echo "t-distributable: ok" || echo "t-distributable: $fails failure(s)"
[ "$fails" -eq 0 ]
