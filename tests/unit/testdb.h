/* testdb.h — the database a cmocka test runs on, for either backend: a file in a temporary
 * directory, or with CCHC_TEST_BACKEND=pg a fresh database on the throwaway PostgreSQL cluster
 * of CCHC_TEST_PG (scripts/pg-cluster.sh); raw SQL on it through a second connection. */
#ifndef CCHC_TESTDB_H
#define CCHC_TESTDB_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "db.h"

/* A test database: a file in a temporary directory, or with CCHC_TEST_BACKEND=pg a fresh
 * database on the throwaway PostgreSQL cluster of CCHC_TEST_PG (path is then its URL). */
struct tmpdb {
    char dir[256];
    char path[300];
    char pgname[40]; /* "" for SQLite */
};

static inline int testdb_pg(void)
{
    const char *b = getenv("CCHC_TEST_BACKEND");
    return b && !strcmp(b, "pg");
}

/* Skips the current test on PostgreSQL: for what only an SQLite file can show (its VFS, its
 * pragmas, copying the file). */
#define skip_on_pg()                                                                               \
    do {                                                                                           \
        if (testdb_pg()) skip();                                                                   \
    } while (0)

/* Runs sql on the server of CCHC_TEST_PG (CREATE / DROP DATABASE). */
static inline void pg_admin(const char *sql)
{
    struct db *d;
    struct err e = {0};
    if (db_open(getenv("CCHC_TEST_PG"), &d, &e)) fail_msg("CCHC_TEST_PG: %s", e.msg);
    if (db_exec(d, sql)) fail_msg("%s: %s", sql, db_errmsg(d));
    db_close(d);
}

static inline void tmpdb_make(struct tmpdb *t)
{
    snprintf(t->dir, sizeof t->dir, "/tmp/cchc-test-XXXXXX");
    assert_non_null(mkdtemp(t->dir));
    t->pgname[0] = '\0';
    if (!testdb_pg()) {
        snprintf(t->path, sizeof t->path, "%s/t.db", t->dir);
        return;
    }
    const char *url = getenv("CCHC_TEST_PG");
    if (!url) {
        fprintf(stderr, "SKIP: CCHC_TEST_BACKEND=pg needs CCHC_TEST_PG\n");
        exit(77);
    }
    snprintf(t->pgname, sizeof t->pgname, "t_%s", strrchr(t->dir, '-') + 1);
    for (char *c = t->pgname; *c; c++)
        if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
    char sql[80];
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", t->pgname);
    pg_admin(sql);
    const char *slash = strrchr(url, '/');
    snprintf(t->path, sizeof t->path, "%.*s/%s", (int)(slash - url), url, t->pgname);
}

static inline void tmpdb_remove(struct tmpdb *t)
{
    char p[400];
    const char *suffix[] = {"", "-wal", "-shm", "-journal"};
    for (int i = 0; !t->pgname[0] && i < 4; i++) {
        snprintf(p, sizeof p, "%s%s", t->path, suffix[i]);
        unlink(p);
    }
    rmdir(t->dir);
    if (t->pgname[0]) {
        char sql[80];
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", t->pgname);
        pg_admin(sql);
    }
}

/* Runs sql on the database through a separate raw connection (either backend). */
static inline void raw_exec(const char *path, const char *sql)
{
    struct db *d;
    struct err e = {0};
    if (db_open(path, &d, &e)) fail_msg("raw_exec: %s", e.msg);
    if (db_exec(d, sql)) fail_msg("raw_exec: %s", db_errmsg(d));
    db_close(d);
}

/* The single integer a query returns, through a raw connection. */
static inline long long raw_int(const char *path, const char *sql)
{
    struct db *d;
    struct db_stmt *st;
    struct err e = {0};
    if (db_open(path, &d, &e)) fail_msg("raw_int: %s", e.msg);
    if (db_prepare(d, sql, &st)) fail_msg("raw_int: %s: %s", sql, db_errmsg(d));
    assert_int_equal(db_step(st), DB_ROW);
    long long v = db_col_int64(st, 0);
    db_finalize(st);
    db_close(d);
    return v;
}

/* A fault: inserting into table a row for which when (an SQL condition on NEW, in the SQL both
 * dialects share) fails with the message msg, through a trigger added behind the store's
 * back. fault_drop removes it. */
static inline void fault_trigger(const char *path, const char *name, const char *table,
                                 const char *when, const char *msg)
{
    char sql[1024];
    if (testdb_pg())
        snprintf(sql, sizeof sql,
                 "CREATE FUNCTION %s_fn() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN IF %s "
                 "THEN RAISE EXCEPTION '%s' USING ERRCODE = 'check_violation'; END IF; RETURN NEW; "
                 "END $f$; CREATE TRIGGER %s "
                 "BEFORE INSERT ON %s FOR EACH ROW EXECUTE FUNCTION %s_fn()",
                 name, when, msg, name, table, name);
    else
        snprintf(sql, sizeof sql,
                 "CREATE TRIGGER %s BEFORE INSERT ON %s WHEN %s BEGIN SELECT RAISE(ABORT, '%s'); "
                 "END",
                 name, table, when, msg);
    raw_exec(path, sql);
}

static inline void fault_drop(const char *path, const char *name, const char *table)
{
    char sql[300];
    if (testdb_pg())
        snprintf(sql, sizeof sql, "DROP TRIGGER %s ON %s; DROP FUNCTION %s_fn()", name, table,
                 name);
    else
        snprintf(sql, sizeof sql, "DROP TRIGGER %s", name);
    raw_exec(path, sql);
}

#endif
