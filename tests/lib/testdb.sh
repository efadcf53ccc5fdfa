# testdb.sh — the database a shell test runs on, for either backend (sourced by tests/cli and
# tests/api). With CCHC_TEST_BACKEND=pg, each database is a fresh PostgreSQL database on the
# throwaway cluster whose URL is CCHC_TEST_PG (scripts/pg-cluster.sh; scripts/test.sh starts
# one for the whole run); otherwise it is the SQLite file the test names.
#
#   db=$(testdb "$tmp/t.db")     # a path, or postgresql://…/t_<random>
#   testdb_sql "$db" "SQL"       # raw SQL behind the store's back (tampering, fault setup)
#   testdb_is_pg                 # true on PostgreSQL (skip what only a file can show)
TESTDB_BACKEND=${CCHC_TEST_BACKEND:-sqlite}
if [ "$TESTDB_BACKEND" = pg ] && [ -z "${CCHC_TEST_PG:-}" ]; then
  echo "SKIP: CCHC_TEST_BACKEND=pg needs CCHC_TEST_PG (scripts/pg-cluster.sh start)"
  exit 77
fi

testdb_is_pg() { [ "$TESTDB_BACKEND" = pg ]; }

# The document-signing keys of a PostgreSQL database live in a directory of their own (not
# beside a file): one per test run.
if testdb_is_pg && [ -z "${CCHC_KEYS:-}" ]; then
  CCHC_KEYS=$(mktemp -d)/keys
  export CCHC_KEYS
fi

# testdb PATH: prints the database to use where the test would use the file PATH.
testdb() {
  if ! testdb_is_pg; then
    echo "$1"
    return
  fi
  local name
  name=t_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
  psql "$CCHC_TEST_PG" -qAtX -v ON_ERROR_STOP=1 -c "CREATE DATABASE $name" >/dev/null || return 1
  echo "${CCHC_TEST_PG%/*}/$name"
}

# testdb_sql DB SQL: runs SQL on DB (a file or a PostgreSQL URL), prints rows as a|b lines.
testdb_sql() {
  case "$1" in
    postgres://* | postgresql://*) psql "$1" -qAtX -v ON_ERROR_STOP=1 -c "$2" ;;
    *) sqlite3 "$1" "$2" ;;
  esac
}
