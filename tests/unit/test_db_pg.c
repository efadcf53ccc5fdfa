/* test_db_pg.c — the PostgreSQL driver of db.h (db_pg.c) against a real server: placeholder
 * translation, binds and columns of every type, changes, error classes, savepoints, the
 * writers' advisory lock across two connections, read snapshots, and the PG migrations applied
 * by db_exec to a fresh database, whose tables and columns must be SQLite's. The server is
 * CCHC_TEST_PG (a URL) or, when unset, a throwaway cluster from scripts/pg-cluster.sh; without
 * PostgreSQL's server binaries the server tests are skipped with the reason printed. */
#include <glob.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "db.h"
#include "db_driver.h"
#include "sqlite_int.h"

static char g_cluster[512]; /* the server's URL (its postgres database) */
static int g_started;       /* 1: the cluster is ours to stop */
static char g_dbname[64];   /* the fresh database of this run */
static char g_url[600];     /* its URL */

/* ---- helpers --------------------------------------------------------------------------- */

static struct db *connect_to(const char *url)
{
    struct db *d = NULL;
    struct err e = {0};
    if (db_open(url, &d, &e)) fail_msg("db_open %s: %s", url, e.msg);
    assert_int_equal(db_kind(d), DB_POSTGRES);
    assert_null(db_sqlite_handle(d));
    return d;
}

static void exec_ok(struct db *d, const char *sql)
{
    if (db_exec(d, sql)) fail_msg("%s: %s", sql, db_errmsg(d));
}

static struct db_stmt *prep(struct db *d, const char *sql)
{
    struct db_stmt *st = NULL;
    if (db_prepare(d, sql, &st)) fail_msg("prepare %s: %s", sql, db_errmsg(d));
    return st;
}

/* The first column of the first row of sql, as an integer. */
static int64_t query_int(struct db *d, const char *sql)
{
    struct db_stmt *st = prep(d, sql);
    if (db_step(st) != DB_ROW) fail_msg("%s: no row (%s)", sql, db_errmsg(d));
    int64_t v = db_col_int64(st, 0);
    assert_int_equal(db_step(st), DB_DONE);
    db_finalize(st);
    return v;
}

/* url with its database replaced by name. */
static void url_with_db(char *out, size_t n, const char *url, const char *name)
{
    const char *host = strstr(url, "://");
    host = host ? host + 3 : url;
    const char *slash = strchr(host, '/'), *q = strchr(host, '?');
    size_t keep = slash ? (size_t)(slash - url) : q ? (size_t)(q - url) : strlen(url);
    snprintf(out, n, "%.*s/%s%s", (int)keep, url, name, q ? q : "");
}

/* ---- without a server ------------------------------------------------------------------ */

static void translate_is(const char *sql, const char *want, int want_n)
{
    char *out = NULL;
    int n = -1;
    if (db_pg_translate(sql, &out, &n)) fail_msg("translate refused %s", sql);
    if (strcmp(out, want)) fail_msg("translate %s\n  gave %s\n  want %s", sql, out, want);
    assert_int_equal(n, want_n);
    free(out);
}

static void test_translate(void **state)
{
    (void)state;
    translate_is("SELECT 1", "SELECT 1", 0);
    translate_is("SELECT ?1, ?2", "SELECT $1, $2", 2);
    translate_is("SELECT ?, ?", "SELECT $1, $2", 2);
    translate_is("SELECT ?3, ?", "SELECT $3, $4", 4); /* ? = one more than the largest */
    translate_is("SELECT ?2, ?1, ?", "SELECT $2, $1, $3", 3);
    translate_is("SELECT ?12", "SELECT $12", 12);
    translate_is("SELECT '?', ?1", "SELECT '?', $1", 1);
    translate_is("SELECT 'it''s ?1', ?", "SELECT 'it''s ?1', $1", 1);
    translate_is("SELECT '''?''' || ?", "SELECT '''?''' || $1", 1);
    translate_is("SELECT \"a?\"\"b\" FROM t WHERE x = ?", "SELECT \"a?\"\"b\" FROM t WHERE x = $1",
                 1);
    translate_is("SELECT 1 -- what? ?1\n, ?", "SELECT 1 -- what? ?1\n, $1", 1);
    translate_is("SELECT /* ?1 ? */ ?2", "SELECT /* ?1 ? */ $2", 2);
    translate_is("SELECT '?", "SELECT '?", 0); /* unterminated: the server will say so */
    translate_is("SELECT 'x' LIKE '$argon2id$%' AND ?1", "SELECT 'x' LIKE '$argon2id$%' AND $1", 1);
    char *out = NULL;
    int n;
    assert_int_equal(db_pg_translate("SELECT ?0", &out, &n), -1);
    assert_int_equal(db_pg_translate("SELECT ?40000", &out, &n), -1);
}

static void test_migration_sets_match(void **state)
{
    (void)state;
    assert_int_equal(pg_migrations_count, sq_migrations_count);
    assert_true(pg_migrations_count > 0);
    for (int i = 0; i < sq_migrations_count; i++) {
        assert_int_equal(pg_migrations[i].version, sq_migrations[i].version);
        assert_string_equal(pg_migrations[i].name, sq_migrations[i].name);
    }
}

static void test_open_refuses(void **state)
{
    (void)state;
    struct db *d = (struct db *)1;
    struct err e = {0};
    /* nothing listens on port 1 */
    assert_int_equal(
        db_open("postgresql://postgres@127.0.0.1:1/postgres?connect_timeout=2", &d, &e), ERR_IO);
    assert_null(d);
    assert_non_null(strstr(e.msg, "cannot connect to PostgreSQL"));
}

/* ---- the server ------------------------------------------------------------------------ */

static int setup_server(void **state)
{
    (void)state;
    struct db *d = NULL;
    struct err e = {0};
    if (db_open(g_cluster, &d, &e)) {
        fprintf(stderr, "test_db_pg: %s\n", e.msg);
        return -1;
    }
    srand((unsigned)time(NULL) ^ (unsigned)getpid());
    snprintf(g_dbname, sizeof g_dbname, "cchc_t_%d_%d", (int)getpid(), rand() % 1000000);
    char sql[128];
    snprintf(sql, sizeof sql, "CREATE DATABASE %s ENCODING 'UTF8' TEMPLATE template0", g_dbname);
    int rc = db_exec(d, sql);
    if (rc) fprintf(stderr, "test_db_pg: %s: %s\n", sql, db_errmsg(d));
    db_close(d);
    url_with_db(g_url, sizeof g_url, g_cluster, g_dbname);
    return rc ? -1 : 0;
}

static int teardown_server(void **state)
{
    (void)state;
    struct db *d = NULL;
    struct err e = {0};
    if (db_open(g_cluster, &d, &e)) return -1;
    char sql[128];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", g_dbname);
    int rc = db_exec(d, sql);
    if (rc) fprintf(stderr, "test_db_pg: %s: %s\n", sql, db_errmsg(d));
    db_close(d);
    return rc ? -1 : 0;
}

static void test_types(void **state)
{
    (void)state;
    struct db *d = connect_to(g_url);
    exec_ok(d, "DROP TABLE IF EXISTS t_types; CREATE TABLE t_types (k BIGINT PRIMARY KEY, "
               "i BIGINT, s TEXT, b BYTEA, f BOOLEAN)");
    struct db_stmt *ins =
        prep(d, "INSERT INTO t_types (k, i, s, b, f) VALUES (?1, ?2, ?3, ?4, ?5)");
    static const unsigned char bytes[] = {'a', 0, 'b', 0, 0xff, '\\', 'x'};
    char buf[32];

    /* row 1: extremes, a copied text overwritten before the step, zero bytes, true */
    db_bind_int64(ins, 1, 1);
    db_bind_int64(ins, 2, INT64_MIN);
    snprintf(buf, sizeof buf, "Hồ sơ '?' \\x");
    db_bind_text_copy(ins, 3, buf);
    memset(buf, 'Z', sizeof buf - 1);
    db_bind_blob(ins, 4, bytes, sizeof bytes);
    db_bind_text(ins, 5, "true");
    assert_int_equal(db_step(ins), DB_DONE);
    assert_int_equal(db_changes(d), 1);

    /* row 2: the other extreme, empty text and empty blob (not NULL), false */
    db_reset(ins);
    db_bind_int64(ins, 1, 2);
    db_bind_int64(ins, 2, INT64_MAX);
    db_bind_text(ins, 3, "");
    db_bind_blob(ins, 4, NULL, 0);
    db_bind_text(ins, 5, "false");
    assert_int_equal(db_step(ins), DB_DONE);

    /* row 3: NULLs, by db_bind_null, a NULL text, and bindings cleared by db_reset */
    db_reset(ins);
    db_bind_int64(ins, 1, 3);
    db_bind_null(ins, 2);
    db_bind_text(ins, 3, NULL);
    assert_int_equal(db_step(ins), DB_DONE);
    db_finalize(ins);

    struct db_stmt *st = prep(d, "SELECT k, i, s, b, f FROM t_types ORDER BY k");
    assert_int_equal(db_col_count(st), 5); /* before the first step too */
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_col_count(st), 5);
    assert_int_equal(db_col_int64(st, 0), 1);
    assert_true(db_col_int64(st, 1) == INT64_MIN);
    assert_string_equal(db_col_text(st, 1), "-9223372036854775808");
    assert_string_equal(db_col_text(st, 2), "Hồ sơ '?' \\x");
    assert_int_equal(db_col_bytes(st, 3), sizeof bytes);
    assert_memory_equal(db_col_blob(st, 3), bytes, sizeof bytes);
    assert_int_equal(db_col_int64(st, 4), 1);
    assert_string_equal(db_col_text(st, 4), "1");
    assert_false(db_col_null(st, 3));

    assert_int_equal(db_step(st), DB_ROW);
    assert_true(db_col_int64(st, 1) == INT64_MAX);
    assert_false(db_col_null(st, 2));
    assert_string_equal(db_col_text(st, 2), "");
    assert_false(db_col_null(st, 3));
    assert_int_equal(db_col_bytes(st, 3), 0);
    assert_int_equal(db_col_int64(st, 4), 0);
    assert_string_equal(db_col_text(st, 4), "0");

    assert_int_equal(db_step(st), DB_ROW);
    for (int i = 1; i <= 4; i++) {
        assert_true(db_col_null(st, i));
        assert_int_equal(db_col_int64(st, i), 0);
        assert_null(db_col_text(st, i));
        assert_null(db_col_blob(st, i));
        assert_int_equal(db_col_bytes(st, i), 0);
    }
    assert_int_equal(db_step(st), DB_DONE);
    assert_int_equal(db_step(st), DB_DONE); /* stays done */

    /* run again after a reset: the same first row */
    db_reset(st);
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_col_int64(st, 0), 1);
    db_finalize(st);

    /* a bare ? parameter, a '?' literal and a bytea parameter compared on the server */
    st = prep(d, "SELECT count(*), '?' FROM t_types WHERE b = ? AND s <> '?x'");
    db_bind_blob(st, 1, bytes, sizeof bytes);
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_col_int64(st, 0), 1);
    assert_string_equal(db_col_text(st, 1), "?");
    db_finalize(st);

    /* a parameter number the SQL skips (SQLite allows it) is bound but not sent */
    st = prep(d, "SELECT ?1 || 'x', ?3 + 1");
    db_bind_text(st, 1, "a");
    db_bind_blob(st, 2, bytes, sizeof bytes);
    db_bind_int64(st, 3, 41);
    assert_int_equal(db_step(st), DB_ROW);
    assert_string_equal(db_col_text(st, 0), "ax");
    assert_int_equal(db_col_int64(st, 1), 42);
    db_finalize(st);
    /* PostgreSQL types a parameter where it first appears: `?1 IS NULL` first needs a CAST */
    assert_int_equal(db_prepare(d, "SELECT 1 FROM t_types WHERE ?1 IS NULL OR s = ?1", &st),
                     DB_ERROR);
    assert_non_null(strstr(db_errmsg(d), "could not determine data type of parameter $1"));
    st = prep(d, "SELECT count(*) FROM t_types WHERE s = ?1 OR ?1 IS NULL");
    db_bind_null(st, 1);
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_col_int64(st, 0), 3);
    db_finalize(st);
    db_close(d);
}

/* The session settings db_open makes, and the URL overriding a default. */
static void test_settings(void **state)
{
    (void)state;
    struct db *d = connect_to(g_url);
    struct db_stmt *st = prep(d, "SELECT current_setting('client_encoding'), "
                                 "current_setting('lock_timeout'), "
                                 "current_setting('client_min_messages'), "
                                 "current_setting('application_name')");
    assert_int_equal(db_step(st), DB_ROW);
    assert_string_equal(db_col_text(st, 0), "UTF8");
    assert_string_equal(db_col_text(st, 1), "5s");
    assert_string_equal(db_col_text(st, 2), "warning");
    assert_string_equal(db_col_text(st, 3), "cchc");
    db_finalize(st);
    db_close(d);

    char url[700];
    snprintf(url, sizeof url, "%s%sapplication_name=other", g_url, strchr(g_url, '?') ? "&" : "?");
    d = connect_to(url);
    st = prep(d, "SELECT current_setting('application_name')");
    assert_int_equal(db_step(st), DB_ROW);
    assert_string_equal(db_col_text(st, 0), "other");
    db_finalize(st);
    db_close(d);
}

static void test_changes(void **state)
{
    (void)state;
    struct db *d = connect_to(g_url);
    exec_ok(d, "DROP TABLE IF EXISTS t_ch; CREATE TABLE t_ch (k BIGINT PRIMARY KEY, v TEXT)");
    exec_ok(d, "INSERT INTO t_ch VALUES (1, 'a'), (2, 'b'), (3, 'b')");
    assert_int_equal(db_changes(d), 3);
    struct db_stmt *st = prep(d, "UPDATE t_ch SET v = 'c' WHERE v = ?1");
    db_bind_text(st, 1, "b");
    assert_int_equal(db_step(st), DB_DONE);
    assert_int_equal(db_changes(d), 2);
    db_finalize(st);
    assert_int_equal(query_int(d, "SELECT count(*) FROM t_ch"), 3);
    assert_int_equal(db_changes(d), 2); /* a SELECT changes nothing */
    st = prep(d, "DELETE FROM t_ch WHERE k > ?1 RETURNING k");
    db_bind_int64(st, 1, 0);
    int rows = 0;
    while (db_step(st) == DB_ROW)
        rows++;
    assert_int_equal(rows, 3);
    assert_int_equal(db_changes(d), 3);
    db_finalize(st);
    db_close(d);
}

static void test_errors(void **state)
{
    (void)state;
    struct db *d = connect_to(g_url);
    exec_ok(d, "DROP TABLE IF EXISTS t_err; CREATE TABLE t_err (k BIGINT PRIMARY KEY, "
               "v TEXT NOT NULL CHECK (v <> ''))");
    struct db_stmt *st = prep(d, "INSERT INTO t_err (k, v) VALUES (?1, ?2)");
    db_bind_int64(st, 1, 1);
    db_bind_text(st, 2, "a");
    assert_int_equal(db_step(st), DB_DONE);
    const char *bad_v[] = {"b", NULL, ""}; /* duplicate key, NOT NULL, CHECK */
    for (int i = 0; i < 3; i++) {
        db_reset(st);
        db_bind_int64(st, 1, i ? 10 + i : 1);
        db_bind_text(st, 2, bad_v[i]);
        assert_int_equal(db_step(st), DB_ERROR);
        assert_int_equal(db_error_class(d), DBE_CONSTRAINT);
        assert_true(strlen(db_errmsg(d)) > 0);
    }
    assert_non_null(strstr(db_errmsg(d), "t_err_v_check"));
    db_finalize(st);
    assert_int_equal(query_int(d, "SELECT count(*) FROM t_err"), 1);

    assert_int_equal(db_prepare(d, "SELEKT 1", &st), DB_ERROR);
    assert_null(st);
    assert_int_equal(db_error_class(d), DBE_OTHER);
    assert_non_null(strstr(db_errmsg(d), "syntax error"));
    assert_int_equal(db_exec(d, "SELECT 1; SELECT * FROM no_such_table"), DB_ERROR);
    assert_non_null(strstr(db_errmsg(d), "no_such_table"));
    db_close(d);
}

static void test_savepoints(void **state)
{
    (void)state;
    struct db *d = connect_to(g_url);
    exec_ok(d, "DROP TABLE IF EXISTS t_sp; CREATE TABLE t_sp (k BIGINT PRIMARY KEY)");
    struct db_stmt *ins = prep(d, "INSERT INTO t_sp VALUES (?1)");
#define INS(k)                                                                                     \
    do {                                                                                           \
        db_reset(ins);                                                                             \
        db_bind_int64(ins, 1, (k));                                                                \
        assert_int_equal(db_step(ins), DB_DONE);                                                   \
    } while (0)
    assert_false(db_in_tx(d));
    assert_int_equal(db_begin(d, 1), 0);
    assert_true(db_in_tx(d));
    assert_int_equal(db_begin(d, 0), DB_ERROR); /* no nesting: savepoints are for that */
    assert_non_null(strstr(db_errmsg(d), "within a transaction"));
    assert_true(db_in_tx(d));
    INS(1);
    assert_int_equal(db_savepoint(d, 1), 0);
    INS(2);
    assert_int_equal(db_savepoint(d, 2), 0);
    INS(3);
    assert_int_equal(db_rollback_to(d, 2), 0); /* drops 3 */
    INS(4);
    assert_int_equal(db_savepoint(d, 2), 0);
    INS(6);
    assert_int_equal(db_release(d, 2), 0);     /* keeps 6 */
    assert_int_equal(db_rollback_to(d, 1), 0); /* drops 2, 4 and 6 */
    INS(5);
    /* a failed statement inside a savepoint: rolling back to it makes the transaction usable */
    assert_int_equal(db_savepoint(d, 1), 0);
    db_reset(ins);
    db_bind_int64(ins, 1, 5);
    assert_int_equal(db_step(ins), DB_ERROR);
    assert_int_equal(db_error_class(d), DBE_CONSTRAINT);
    assert_int_equal(db_rollback_to(d, 1), 0);
    INS(7);
    assert_int_equal(db_commit(d), 0);
    assert_false(db_in_tx(d));
    assert_int_equal(query_int(d, "SELECT sum(k) FROM t_sp"), 1 + 5 + 7);
    assert_int_equal(query_int(d, "SELECT count(*) FROM t_sp"), 3);

    /* a failure without a savepoint dooms the transaction: commit says so and writes nothing */
    assert_int_equal(db_begin(d, 1), 0);
    INS(8);
    db_reset(ins);
    db_bind_int64(ins, 1, 1);
    assert_int_equal(db_step(ins), DB_ERROR);
    assert_int_equal(db_commit(d), DB_ERROR);
    assert_non_null(strstr(db_errmsg(d), "rolled back"));
    assert_false(db_in_tx(d));
    assert_int_equal(query_int(d, "SELECT count(*) FROM t_sp WHERE k = 8"), 0);

    /* rollback */
    assert_int_equal(db_begin(d, 1), 0);
    INS(9);
    assert_int_equal(db_rollback(d), 0);
    assert_int_equal(db_rollback(d), 0); /* none open: nothing to do */
    assert_int_equal(query_int(d, "SELECT count(*) FROM t_sp WHERE k = 9"), 0);
#undef INS
    db_finalize(ins); /* outside a transaction: deallocated on the server */
    assert_int_equal(query_int(d, "SELECT count(*) FROM pg_prepared_statements "
                                  "WHERE statement NOT LIKE '%pg_prepared%'"),
                     0);
    assert_int_equal(db_data_version(d), 0);
    db_close(d);
}

/* A second writer: reads the counter and writes it back plus one, in a write transaction. */
struct writer {
    volatile int *a_committed; /* set by the first writer just before its commit */
    int saw_commit;            /* the first writer was committing when our lock came */
    int rc;
};

static void *second_writer(void *arg)
{
    struct writer *w = arg;
    struct db *d = NULL;
    struct err e = {0};
    w->rc = -1;
    if (db_open(g_url, &d, &e)) return NULL;
    if (!db_begin(d, 1)) {
        w->saw_commit = __atomic_load_n(w->a_committed, __ATOMIC_SEQ_CST);
        struct db_stmt *r = NULL, *u = NULL;
        if (!db_prepare(d, "SELECT n FROM t_lock", &r) && db_step(r) == DB_ROW &&
            !db_prepare(d, "UPDATE t_lock SET n = ?1", &u)) {
            db_bind_int64(u, 1, db_col_int64(r, 0) + 1);
            if (db_step(u) == DB_DONE && !db_commit(d)) w->rc = 0;
        }
        db_finalize(r);
        db_finalize(u);
        db_rollback(d);
    }
    db_close(d);
    return NULL;
}

static void test_writers_serialise(void **state)
{
    (void)state;
    struct db *a = connect_to(g_url), *b = connect_to(g_url);
    exec_ok(a, "DROP TABLE IF EXISTS t_lock; CREATE TABLE t_lock (n BIGINT NOT NULL);"
               "INSERT INTO t_lock VALUES (0)");

    /* while a holds the write lock, b's write transaction cannot start: DBE_BUSY */
    assert_int_equal(db_begin(a, 1), 0);
    exec_ok(b, "SET lock_timeout = '200ms'");
    assert_int_equal(db_begin(b, 1), DB_ERROR);
    assert_int_equal(db_error_class(b), DBE_BUSY);
    assert_false(db_in_tx(b));
    /* a reader is not held up */
    assert_int_equal(db_begin(b, 0), 0);
    assert_int_equal(query_int(b, "SELECT n FROM t_lock"), 0);
    assert_int_equal(db_exec(b, "UPDATE t_lock SET n = 5"), DB_ERROR); /* read only */
    assert_int_equal(db_rollback(b), 0);
    assert_int_equal(db_commit(a), 0);
    assert_int_equal(db_begin(b, 1), 0);
    assert_int_equal(db_commit(b), 0);

    /* read-modify-write from two connections: the second waits for the first, so neither
     * increment is lost (without the lock the second reads 0 and both write 1) */
    volatile int a_committed = 0;
    struct writer w = {.a_committed = &a_committed};
    assert_int_equal(db_begin(a, 1), 0);
    int64_t n = query_int(a, "SELECT n FROM t_lock");
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, second_writer, &w), 0);
    usleep(300 * 1000); /* let the second writer reach its lock (the result holds either way) */
    struct db_stmt *u = prep(a, "UPDATE t_lock SET n = ?1");
    db_bind_int64(u, 1, n + 1);
    assert_int_equal(db_step(u), DB_DONE);
    db_finalize(u);
    /* set before the commit: our lock is held until it, so a second writer that got its lock
     * earlier (no serialisation) sees 0, and one queued behind it must see 1 */
    __atomic_store_n(&a_committed, 1, __ATOMIC_SEQ_CST);
    assert_int_equal(db_commit(a), 0);
    assert_int_equal(pthread_join(th, NULL), 0);
    assert_int_equal(w.rc, 0);
    assert_true(w.saw_commit);
    assert_int_equal(query_int(a, "SELECT n FROM t_lock"), 2);

    /* a read snapshot does not see a commit made after it began */
    assert_int_equal(db_begin(b, 0), 0);
    assert_int_equal(query_int(b, "SELECT n FROM t_lock"), 2);
    exec_ok(a, "UPDATE t_lock SET n = 3");
    assert_int_equal(query_int(b, "SELECT n FROM t_lock"), 2);
    assert_int_equal(db_commit(b), 0);
    assert_int_equal(query_int(b, "SELECT n FROM t_lock"), 3);
    db_close(a);
    db_close(b);
}

/* A read transaction's BEGIN goes in one pipeline with its first statement and its COMMIT is
 * not waited for (db_pg.c: begin_and_exec, settle): the snapshot still starts with the first
 * statement and holds to the end, one that runs nothing sends nothing, and after it the
 * connection takes any command. */
static void test_read_transactions(void **state)
{
    (void)state;
    struct db *a = connect_to(g_url), *b = connect_to(g_url);
    exec_ok(a, "DROP TABLE IF EXISTS t_read; CREATE TABLE t_read (n BIGINT NOT NULL);"
               "INSERT INTO t_read VALUES (1)");
    /* nothing run: in a transaction until it ends, then in none */
    assert_int_equal(db_begin(b, 0), 0);
    assert_true(db_in_tx(b));
    assert_int_equal(db_begin(b, 0), DB_ERROR); /* no nesting */
    assert_int_equal(db_begin(b, 1), DB_ERROR);
    assert_int_equal(db_commit(b), 0);
    assert_false(db_in_tx(b));
    assert_int_equal(db_begin(b, 0), 0);
    assert_int_equal(db_rollback(b), 0);
    assert_false(db_in_tx(b));

    /* the snapshot, in read transactions one after the other (each COMMIT's answer read by the
     * next command): a change committed before the first statement is seen, one after is not */
    int64_t n = 1;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(db_begin(b, 0), 0);
        exec_ok(a, "UPDATE t_read SET n = n + 1");
        n++;
        assert_int_equal(query_int(b, "SELECT n FROM t_read"), n);
        assert_true(db_in_tx(b));
        exec_ok(a, "UPDATE t_read SET n = n + 1");
        assert_int_equal(query_int(b, "SELECT n FROM t_read"), n);
        assert_int_equal(db_commit(b), 0);
        assert_false(db_in_tx(b));
        n++;
    }
    /* after a COMMIT not waited for: a statement outside any transaction, db_exec, a writer */
    assert_int_equal(query_int(b, "SELECT n FROM t_read"), n);
    assert_int_equal(db_begin(b, 0), 0);
    assert_int_equal(query_int(b, "SELECT n FROM t_read"), n);
    assert_int_equal(db_commit(b), 0);
    exec_ok(b, "UPDATE t_read SET n = n + 1");
    n++;
    assert_int_equal(db_begin(b, 0), 0);
    assert_int_equal(query_int(b, "SELECT n FROM t_read"), n);
    assert_int_equal(db_commit(b), 0);
    assert_int_equal(db_begin(b, 1), 0);
    exec_ok(b, "UPDATE t_read SET n = n + 1");
    assert_int_equal(db_commit(b), 0);
    n++;
    assert_int_equal(query_int(a, "SELECT n FROM t_read"), n);

    /* a first statement that fails: the transaction is refused at its end, none is left */
    assert_int_equal(db_begin(b, 0), 0);
    struct db_stmt *st = prep(b, "SELECT 1 / (n - n) FROM t_read");
    assert_int_equal(db_step(st), DB_ERROR);
    db_finalize(st);
    assert_int_equal(db_commit(b), DB_ERROR);
    assert_false(db_in_tx(b));
    assert_int_equal(query_int(b, "SELECT n FROM t_read"), n);
    /* a first command other than a prepared statement runs inside it too: read only */
    assert_int_equal(db_begin(b, 0), 0);
    assert_int_equal(db_exec(b, "UPDATE t_read SET n = 0"), DB_ERROR);
    assert_int_equal(db_rollback(b), 0);
    assert_false(db_in_tx(b));
    assert_int_equal(query_int(a, "SELECT n FROM t_read"), n);
    db_close(a);
    db_close(b);
}

/* Tables and their columns, "table.column" sorted, of an SQLite database after sq_migrations. */
static int sqlite_columns(char ***out)
{
    sqlite3 *s = NULL;
    assert_int_equal(sqlite3_open(":memory:", &s), SQLITE_OK);
    for (int i = 0; i < sq_migrations_count; i++)
        if (sqlite3_exec(s, sq_migrations[i].sql, NULL, NULL, NULL) != SQLITE_OK)
            fail_msg("sqlite %s: %s", sq_migrations[i].name, sqlite3_errmsg(s));
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(s,
                                        "SELECT m.name || '.' || c.name FROM sqlite_master m, "
                                        "pragma_table_info(m.name) c WHERE m.type = 'table' "
                                        "ORDER BY 1 COLLATE BINARY",
                                        -1, &st, NULL),
                     SQLITE_OK);
    char **v = NULL;
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        v = realloc(v, (size_t)(n + 1) * sizeof *v);
        assert_non_null(v);
        v[n++] = strdup((const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    sqlite3_close(s);
    *out = v;
    return n;
}

static void test_migrations(void **state)
{
    (void)state;
    struct db *d = connect_to(g_url);
    exec_ok(d, "DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    assert_int_equal(db_begin(d, 1), 0);
    for (int i = 0; i < pg_migrations_count; i++)
        if (db_exec(d, pg_migrations[i].sql))
            fail_msg("migration %s: %s", pg_migrations[i].name, db_errmsg(d));
    assert_int_equal(db_commit(d), 0);

    /* the same tables and columns as SQLite's schema */
    char **want;
    int nwant = sqlite_columns(&want);
    struct db_stmt *st =
        prep(d, "SELECT table_name || '.' || column_name FROM "
                "information_schema.columns WHERE table_schema = 'public' "
                "ORDER BY (table_name::text || '.' || column_name::text) COLLATE \"C\"");
    int i = 0;
    while (db_step(st) == DB_ROW) {
        if (i >= nwant) fail_msg("PostgreSQL has %s, SQLite not", db_col_text(st, 0));
        assert_string_equal(db_col_text(st, 0), want[i]);
        i++;
    }
    assert_int_equal(i, nwant);
    db_finalize(st);
    for (i = 0; i < nwant; i++)
        free(want[i]);
    free(want);

    /* units_version's triggers, one bump per row */
    exec_ok(d, "INSERT INTO units (code, name, kind, province) VALUES "
               "('P', 'Tỉnh', 'province', 'P'), ('C', 'Xã', 'commune', 'C')");
    exec_ok(d, "UPDATE units SET parent = 'P' WHERE code = 'C'");
    exec_ok(d, "DELETE FROM units WHERE code = 'C'");
    assert_int_equal(query_int(d, "SELECT n FROM units_version"), 4);
    /* identity ids as SQLite's rowids: the next one when left out */
    st = prep(d, "INSERT INTO par_sets (code, version, year, scope, title, legal_source, source, "
                 "decimals, max_pts, imported_at, imported_by) VALUES (?1, '', 2025, "
                 "'province', 't', 'l', 's', 2, 100000, 0, 'test') RETURNING id");
    db_bind_text(st, 1, "A");
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_col_int64(st, 0), 1);
    db_reset(st);
    db_bind_text(st, 1, "B");
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_col_int64(st, 0), 2);
    db_finalize(st);
    /* the CHECKs hold */
    assert_int_equal(
        db_exec(d, "INSERT INTO units (code, name, kind, province) VALUES ('X', 'x', 'city', 'X')"),
        DB_ERROR);
    assert_int_equal(db_error_class(d), DBE_CONSTRAINT);
    db_close(d);
}

/* ---- the cluster ----------------------------------------------------------------------- */

static const char *cluster_script(char *buf, size_t n)
{
    const char *data = getenv("CCHC_DATA"); /* <source>/data under ctest */
    snprintf(buf, n, "%s/../scripts/pg-cluster.sh", data ? data : ".");
    return buf;
}

/* Starts a throwaway cluster: 0, 1 when this machine has no PostgreSQL server, -1 failed. */
static int start_cluster(void)
{
    glob_t g;
    int have = glob("/usr/lib/postgresql/*/bin/initdb", 0, NULL, &g) == 0;
    globfree(&g);
    if (!have) return 1;
    char script[4096], cmd[4200];
    snprintf(cmd, sizeof cmd, "bash '%s' start", cluster_script(script, sizeof script));
    FILE *p = popen(cmd, "r");
    if (!p) return -1;
    if (!fgets(g_cluster, sizeof g_cluster, p)) g_cluster[0] = 0;
    int rc = pclose(p);
    g_cluster[strcspn(g_cluster, "\n")] = 0;
    if (rc || !g_cluster[0]) return -1;
    g_started = 1;
    return 0;
}

static void stop_cluster(void)
{
    if (!g_started) return;
    char script[4096], cmd[5000];
    snprintf(cmd, sizeof cmd, "bash '%s' stop '%s'", cluster_script(script, sizeof script),
             g_cluster);
    if (system(cmd)) fprintf(stderr, "test_db_pg: stopping the cluster failed\n");
}

int main(void)
{
    const struct CMUnitTest local[] = {
        cmocka_unit_test(test_translate),
        cmocka_unit_test(test_migration_sets_match),
        cmocka_unit_test(test_open_refuses),
    };
    int failed = cmocka_run_group_tests_name("db_pg without a server", local, NULL, NULL);

    const char *url = getenv("CCHC_TEST_PG");
    if (url && *url) {
        snprintf(g_cluster, sizeof g_cluster, "%s", url);
    } else {
        int rc = start_cluster();
        if (rc > 0) {
            printf("test_db_pg: SKIPPED the server tests: no PostgreSQL server here "
                   "(/usr/lib/postgresql/*/bin/initdb); install it with scripts/deps.sh or "
                   "set CCHC_TEST_PG to a server's URL\n");
            return failed;
        }
        if (rc < 0) {
            fprintf(stderr, "test_db_pg: scripts/pg-cluster.sh start failed\n");
            return 1;
        }
    }
    const struct CMUnitTest server[] = {
        cmocka_unit_test(test_types),
        cmocka_unit_test(test_settings),
        cmocka_unit_test(test_changes),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_savepoints),
        cmocka_unit_test(test_writers_serialise),
        cmocka_unit_test(test_read_transactions),
        cmocka_unit_test(test_migrations),
    };
    failed +=
        cmocka_run_group_tests_name("db_pg on a server", server, setup_server, teardown_server);
    stop_cluster();
    return failed;
}
