/* test_groupcommit.c — group commit across connections on SQLite (db_group_commit, db.h):
 * a commit in group mode is counted and synced once it returned (autocommit statements and
 * explicit transactions alike; read-only transactions are not), the connection runs
 * synchronous=NORMAL, eight threads on eight connections lose no commit and never sync more
 * than they commit, and the WAL hook still checkpoints (the WAL stays bounded), since it
 * replaces SQLite's auto-checkpoint. SQLite only: PostgreSQL groups commits itself. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "db.h"

static char dir[256];

static void path_of(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", dir, name);
}

static struct db *open_group(const char *path)
{
    struct db *d = NULL;
    struct err e = {0};
    assert_int_equal(db_open(path, &d, &e), 0);
    assert_int_equal(db_group_commit(d, &e), 0);
    return d;
}

static int64_t one_int(struct db *d, const char *sql)
{
    struct db_stmt *st = NULL;
    assert_int_equal(db_prepare(d, sql, &st), 0);
    assert_int_equal(db_step(st), DB_ROW);
    int64_t v = db_col_int64(st, 0);
    db_finalize(st);
    return v;
}

static void test_counts_commits(void **state)
{
    (void)state;
    char path[512];
    path_of(path, sizeof path, "count.db");
    struct db *d = open_group(path);
    assert_int_equal(one_int(d, "PRAGMA synchronous"), 1); /* NORMAL: the hook syncs */
    assert_int_equal(db_exec(d, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"), 0);
    uint64_t c0, s0, c1, s1;
    db_group_commit_counts(&c0, &s0);
    assert_int_equal(db_exec(d, "INSERT INTO t (v) VALUES ('a')"), 0); /* autocommit */
    assert_int_equal(db_begin(d, 1), 0);
    assert_int_equal(db_exec(d, "INSERT INTO t (v) VALUES ('b'); INSERT INTO t (v) VALUES ('c')"),
                     0);
    assert_int_equal(db_commit(d), 0);
    db_group_commit_counts(&c1, &s1);
    assert_int_equal(c1 - c0, 2);        /* one per commit, not per statement */
    assert_int_equal(s1 - s0, 2);        /* alone, each commit has its own sync */
    assert_int_equal(db_begin(d, 0), 0); /* a read commits nothing */
    assert_int_equal(one_int(d, "SELECT count(*) FROM t"), 3);
    assert_int_equal(db_commit(d), 0);
    db_group_commit_counts(&c0, &s0);
    assert_int_equal(c0, c1);
    assert_int_equal(s0, s1);
    db_close(d);
}

#define THREADS 8
#define PER     40

static char shared_path[512];

static void *writer(void *arg)
{
    (void)arg;
    struct db *d = open_group(shared_path);
    for (int i = 0; i < PER; i++) {
        assert_int_equal(db_begin(d, 1), 0);
        assert_int_equal(db_exec(d, "INSERT INTO t (v) VALUES ('x')"), 0);
        assert_int_equal(db_commit(d), 0);
    }
    db_close(d);
    return NULL;
}

static void test_threads_lose_nothing(void **state)
{
    (void)state;
    path_of(shared_path, sizeof shared_path, "threads.db");
    struct db *d = open_group(shared_path);
    assert_int_equal(db_exec(d, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"), 0);
    uint64_t c0, s0, c1, s1;
    db_group_commit_counts(&c0, &s0);
    pthread_t th[THREADS];
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&th[i], NULL, writer, NULL), 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(th[i], NULL);
    db_group_commit_counts(&c1, &s1);
    assert_int_equal(one_int(d, "SELECT count(*) FROM t"), THREADS * PER);
    assert_int_equal(c1 - c0, THREADS * PER);
    assert_true(s1 - s0 >= 1);
    assert_true(s1 - s0 <= c1 - c0);
    printf("# %d commits from %d connections, %llu WAL syncs\n", THREADS * PER, THREADS,
           (unsigned long long)(s1 - s0));
    db_close(d);
}

static void test_checkpoints(void **state)
{
    (void)state;
    char path[512], wal[600];
    path_of(path, sizeof path, "ckpt.db");
    snprintf(wal, sizeof wal, "%s-wal", path);
    struct db *d = open_group(path);
    assert_int_equal(db_exec(d, "CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)"), 0);
    /* 1,500 commits of a 4,000-byte row: more than 1,500 pages of 4 KiB (6 MB) go through the
     * WAL; checkpointed at 1,000 pages, it restarts from its head and stays below that */
    for (int i = 0; i < 1500; i++)
        assert_int_equal(db_exec(d, "INSERT INTO t (v) VALUES (zeroblob(4000))"), 0);
    struct stat st;
    assert_int_equal(stat(wal, &st), 0);
    assert_true(st.st_size < 5 * 1024 * 1024);
    printf("# WAL after 1,500 commits of 4 kB: %lld bytes\n", (long long)st.st_size);
    db_close(d);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "%s/cchc-gc-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_commits),
        cmocka_unit_test(test_threads_lose_nothing),
        cmocka_unit_test(test_checkpoints),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
