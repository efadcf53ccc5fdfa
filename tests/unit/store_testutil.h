/* store_testutil.h — helpers shared by the store tests: a fresh database file in a temporary
 * directory, raw SQL on it (to inject faults and look behind the store's back), and running an
 * import against a tests/data/import file to compare its reports with the .err file. */
#ifndef CCHC_STORE_TESTUTIL_H
#define CCHC_STORE_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "import.h"
#include "testdb.h"
#include "store.h"

/* A fresh store on a fresh file for each test: cmocka setup/teardown (state is a struct
 * fixture). */
struct fixture {
    struct tmpdb db;
    struct store *s;
};

static inline int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    tmpdb_make(&f->db);
    struct err e = {0};
    if (store_open(f->db.path, &f->s, &e)) fail_msg("open: %s", e.msg);
    *state = f;
    return 0;
}

static inline int teardown(void **state)
{
    struct fixture *f = *state;
    store_close(f->s);
    tmpdb_remove(&f->db);
    free(f);
    return 0;
}

static inline const char *testdata(const char *name, char *buf, size_t n)
{
    const char *dir = getenv("CCHC_TESTDATA");
    assert_non_null(dir);
    snprintf(buf, n, "%s/%s", dir, name);
    return buf;
}

/* Collects import reports with the directory part of the path removed. */
struct reports {
    char text[8192];
    int n;
};

static inline void collect_report(const char *line, void *ctx)
{
    struct reports *r = ctx;
    const char *dir = getenv("CCHC_TESTDATA");
    size_t k = strlen(dir);
    if (!strncmp(line, dir, k) && line[k] == '/') line += k + 1;
    if (!strncmp(line, "import/", 7)) line += 7;
    size_t len = strlen(r->text);
    snprintf(r->text + len, sizeof r->text - len, "%s\n", line);
    r->n++;
}

static inline void read_file(const char *path, char *buf, size_t n)
{
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("cannot open %s", path);
    size_t got = fread(buf, 1, n - 1, f);
    buf[got] = '\0';
    fclose(f);
}

typedef int (*import_fn)(struct store *, const char *, import_report_fn, void *,
                         struct import_result *, struct err *);

/* Imports tests/data/import/NAME.csv expecting failure with exactly the reports of NAME.err,
 * and checks that the number of rows in table is unchanged. */
static inline void expect_import_fails(struct store *s, const char *dbpath, import_fn fn,
                                       const char *name, const char *table)
{
    char path[600], errpath[600], want[8192], count_sql[128];
    char rel[300];
    snprintf(rel, sizeof rel, "import/%s.csv", name);
    testdata(rel, path, sizeof path);
    snprintf(rel, sizeof rel, "import/%s.err", name);
    read_file(testdata(rel, errpath, sizeof errpath), want, sizeof want);
    snprintf(count_sql, sizeof count_sql, "SELECT count(*) FROM %s", table);
    long long before = raw_int(dbpath, count_sql);
    struct reports r = {.n = 0};
    struct import_result res = {0};
    struct err e = {0};
    int rc = fn(s, path, collect_report, &r, &res, &e);
    if (rc != ERR_INVALID)
        fail_msg("%s: import returned %d (%s), want ERR_INVALID", name, rc, e.msg);
    if (strcmp(r.text, want))
        fail_msg("%s: reports differ\n--- got\n%s--- want\n%s", name, r.text, want);
    assert_int_equal(res.errors, r.n);
    assert_non_null(strstr(e.msg, "nothing imported"));
    assert_int_equal(raw_int(dbpath, count_sql), before);
}

/* --- fault injection: a VFS that passes everything to the default one, except that from the
 * fail_at-th write, truncate or sync on, every one fails with an I/O error (a disk that dies
 * in the middle of a transaction). Registered as the default VFS while armed. --- */

struct faultfile {
    sqlite3_file base;
    sqlite3_file *real; /* follows this struct in the same allocation */
};

static sqlite3_vfs *fault_real;
static sqlite3_vfs fault_vfs;
static sqlite3_io_methods fault_io;
static int fault_at;    /* 0: never fail */
static int fault_count; /* writes, truncates and syncs seen */
static int fault_fired;

#define REAL(p) (((struct faultfile *)(p))->real)

static inline int fault_hit(void)
{
    fault_count++;
    if (fault_at && fault_count >= fault_at) {
        fault_fired = 1;
        return 1;
    }
    return 0;
}

static inline int ff_close(sqlite3_file *p)
{
    return REAL(p)->pMethods->xClose(REAL(p));
}
static inline int ff_read(sqlite3_file *p, void *b, int n, sqlite3_int64 o)
{
    return REAL(p)->pMethods->xRead(REAL(p), b, n, o);
}
static inline int ff_write(sqlite3_file *p, const void *b, int n, sqlite3_int64 o)
{
    if (fault_hit()) return SQLITE_IOERR_WRITE;
    return REAL(p)->pMethods->xWrite(REAL(p), b, n, o);
}
static inline int ff_truncate(sqlite3_file *p, sqlite3_int64 size)
{
    if (fault_hit()) return SQLITE_IOERR_TRUNCATE;
    return REAL(p)->pMethods->xTruncate(REAL(p), size);
}
static inline int ff_sync(sqlite3_file *p, int flags)
{
    if (fault_hit()) return SQLITE_IOERR_FSYNC;
    return REAL(p)->pMethods->xSync(REAL(p), flags);
}
static inline int ff_size(sqlite3_file *p, sqlite3_int64 *size)
{
    return REAL(p)->pMethods->xFileSize(REAL(p), size);
}
static inline int ff_lock(sqlite3_file *p, int l)
{
    return REAL(p)->pMethods->xLock(REAL(p), l);
}
static inline int ff_unlock(sqlite3_file *p, int l)
{
    return REAL(p)->pMethods->xUnlock(REAL(p), l);
}
static inline int ff_reserved(sqlite3_file *p, int *out)
{
    return REAL(p)->pMethods->xCheckReservedLock(REAL(p), out);
}
static inline int ff_control(sqlite3_file *p, int op, void *arg)
{
    return REAL(p)->pMethods->xFileControl(REAL(p), op, arg);
}
static inline int ff_sector(sqlite3_file *p)
{
    return REAL(p)->pMethods->xSectorSize(REAL(p));
}
static inline int ff_devchar(sqlite3_file *p)
{
    return REAL(p)->pMethods->xDeviceCharacteristics(REAL(p));
}
static inline int ff_shmmap(sqlite3_file *p, int pg, int sz, int extend, void volatile **out)
{
    return REAL(p)->pMethods->xShmMap(REAL(p), pg, sz, extend, out);
}
static inline int ff_shmlock(sqlite3_file *p, int off, int n, int flags)
{
    return REAL(p)->pMethods->xShmLock(REAL(p), off, n, flags);
}
static inline void ff_shmbarrier(sqlite3_file *p)
{
    REAL(p)->pMethods->xShmBarrier(REAL(p));
}
static inline int ff_shmunmap(sqlite3_file *p, int del)
{
    return REAL(p)->pMethods->xShmUnmap(REAL(p), del);
}

static inline int fv_open(sqlite3_vfs *v, const char *name, sqlite3_file *f, int flags, int *out)
{
    (void)v;
    struct faultfile *ff = (struct faultfile *)f;
    ff->real = (sqlite3_file *)(ff + 1);
    int rc = fault_real->xOpen(fault_real, name, ff->real, flags, out);
    ff->base.pMethods = ff->real->pMethods ? &fault_io : NULL;
    return rc;
}

/* Makes the fault VFS the default: from the at-th write/truncate/sync on, all fail. */
static inline void fault_arm(int at)
{
    if (!fault_real) {
        fault_real = sqlite3_vfs_find(NULL);
        fault_vfs = *fault_real;
        fault_vfs.zName = "cchc-fault";
        fault_vfs.szOsFile = (int)sizeof(struct faultfile) + fault_real->szOsFile;
        fault_vfs.xOpen = fv_open;
        fault_vfs.pNext = NULL;
        fault_io = (sqlite3_io_methods){
            2,          ff_close,      ff_read,     ff_write,   ff_truncate, ff_sync,    ff_size,
            ff_lock,    ff_unlock,     ff_reserved, ff_control, ff_sector,   ff_devchar, ff_shmmap,
            ff_shmlock, ff_shmbarrier, ff_shmunmap, NULL,       NULL};
    }
    fault_at = at;
    fault_count = 0;
    fault_fired = 0;
    assert_int_equal(sqlite3_vfs_register(&fault_vfs, 1), SQLITE_OK);
}

/* Back to the real default VFS. */
static inline void fault_disarm(void)
{
    fault_at = 0;
    sqlite3_vfs_register(fault_real, 1);
    sqlite3_vfs_unregister(&fault_vfs);
}

static inline void copy_file(const char *from, const char *to)
{
    FILE *a = fopen(from, "rb"), *b = fopen(to, "wb");
    assert_non_null(a);
    assert_non_null(b);
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, a)) > 0)
        assert_int_equal(fwrite(buf, 1, n, b), n);
    fclose(a);
    fclose(b);
}

static inline void remove_db(const char *path)
{
    char p[400];
    const char *suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", path, suffix[i]);
        unlink(p);
    }
}

#endif
