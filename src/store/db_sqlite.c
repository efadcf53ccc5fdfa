/* db_sqlite.c — the SQLite driver of db.h: opening a file (WAL, synchronous=FULL, foreign keys,
 * busy timeout, no per-connection mutex), statements as thin wrappers of sqlite3_stmt,
 * transactions with BEGIN IMMEDIATE for writers, and group commit across connections (one WAL
 * sync for the commits of many connections, db_group_commit). */
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "db_driver.h"

#define BUSY_TIMEOUT_MS 5000

struct db {
    const struct db_driver *drv; /* first: db.c finds the driver here */
    sqlite3 *db;
    /* BEGIN DEFERRED / IMMEDIATE, COMMIT, ROLLBACK prepared once: a GET request runs each. */
    sqlite3_stmt *tx[4];
    struct gc_group *group;     /* group commit: the WAL sync this connection's commits wait in */
    sqlite3_int64 seen_changes; /* sqlite3_total_changes64 as last counted (note_commit) */
};

/* This process's commits that changed rows, on any connection (db_sqlite_write_commits). */
static _Atomic uint64_t sq_write_commits;

uint64_t db_sqlite_write_commits(void)
{
    return atomic_load(&sq_write_commits);
}

/* After a COMMIT, or a statement run outside a transaction: counts one commit if rows were
 * changed since the last count (a failed COMMIT too: counting one too many is safe). */
static void note_commit(struct db *d)
{
    sqlite3_int64 tc = sqlite3_total_changes64(d->db);
    if (tc == d->seen_changes) return;
    d->seen_changes = tc;
    atomic_fetch_add(&sq_write_commits, 1);
}

struct db_stmt {
    const struct db_driver *drv;
    sqlite3_stmt *st;
    struct db *d;
};

/* --- opening --- */

/* Splits "sqlite:PATH?synchronous=normal" or a plain path into path and sync mode. */
static int parse_target(const char *url, char *path, size_t n, const char **sync, struct err *e)
{
    *sync = "FULL";
    if (!url || !*url) return err_set(e, ERR_INVALID, "db", "database: empty path");
    const char *p = url;
    if (!strncmp(url, "sqlite:", 7)) {
        p = url + 7;
        const char *q = strchr(p, '?');
        if (q) {
            if (!strcmp(q, "?synchronous=normal"))
                *sync = "NORMAL";
            else if (strcmp(q, "?synchronous=full"))
                return err_set(e, ERR_INVALID, "db",
                               "database '%s': the only option is ?synchronous=full|normal", url);
            if ((size_t)(q - p) >= n) goto too_long;
            memcpy(path, p, (size_t)(q - p));
            path[q - p] = '\0';
            goto check;
        }
    } else if (strstr(url, "://")) {
        return err_set(e, ERR_INVALID, "db",
                       "database '%s': unknown scheme (use a file path, sqlite:PATH or "
                       "postgresql://…)",
                       url);
    }
    if (strlen(p) >= n) goto too_long;
    strcpy(path, p);
check:
    if (!*path) return err_set(e, ERR_INVALID, "db", "database '%s': empty path", url);
    return 0;
too_long:
    return err_set(e, ERR_INVALID, "db", "database path is longer than %zu bytes", n - 1);
}

static int set_pragmas(struct db *d, const char *sync, struct err *e)
{
    sqlite3_busy_timeout(d->db, BUSY_TIMEOUT_MS);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(d->db, "PRAGMA journal_mode=WAL", -1, &st, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    int wal = rc == SQLITE_ROW && !sqlite3_stricmp((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    if (!wal)
        return err_set(e, ERR_IO, "db", "database: cannot switch to WAL mode: %s",
                       sqlite3_errmsg(d->db));
    /* temp_store=MEMORY keeps the sub-journal of savepoints and statement journals in memory:
     * with the default, it spills to a file in /var/tmp after 64 KiB and then every nested
     * transaction (one per change in a group commit) wrote each page it touched there: 28k of
     * 29k pwrite calls of a 256-change group commit run (bench/ingest). It only holds rollback
     * copies inside a transaction: durability is the WAL's, unchanged (synchronous stays FULL). */
    char sql[128];
    snprintf(sql, sizeof sql,
             "PRAGMA synchronous=%s; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY", sync);
    if (sqlite3_exec(d->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return err_set(e, ERR_IO, "db", "database: %s", sqlite3_errmsg(d->db));
    return 0;
}

/* SQLite's memory statistics (sqlite3_status) take a process-wide mutex on every allocation,
 * which the server's threads then contend for; cchc never reads them. The setting must come
 * before SQLite initialises, hence once, before the first connection. */
static void sqlite_setup(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static void gc_leave(struct gc_group *g);

static void drv_close(struct db *d)
{
    if (!d) return;
    if (d->group) {
        sqlite3_wal_hook(d->db, NULL, NULL);
        gc_leave(d->group);
    }
    for (size_t i = 0; i < sizeof d->tx / sizeof d->tx[0]; i++)
        sqlite3_finalize(d->tx[i]);
    sqlite3_close_v2(d->db);
    free(d);
}

static int drv_open(const char *url, struct db **out, struct err *e)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, sqlite_setup);
    char path[4096];
    const char *sync;
    int rc = parse_target(url, path, sizeof path, &sync, e);
    if (rc) return rc;
    struct db *d = calloc(1, sizeof *d);
    if (!d) return err_set(e, ERR_NOMEM, "", "out of memory");
    d->drv = &db_sqlite_driver;
    /* NOMUTEX: a connection is used by one thread at a time (store.h; the HTTP server leases
     * each connection to one request), so SQLite's per-connection mutex, taken by every step,
     * bind and column call, only costs time (~7% of a citizen lookup, bench/http.sh). */
    rc = sqlite3_open_v2(path, &d->db,
                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        rc = err_set(e, ERR_IO, "db", "database '%s': cannot open: %s", path,
                     d->db ? sqlite3_errmsg(d->db) : sqlite3_errstr(rc));
        drv_close(d);
        return rc;
    }
    sqlite3_extended_result_codes(d->db, 1);
    if ((rc = set_pragmas(d, sync, e))) {
        drv_close(d);
        return rc;
    }
    *out = d;
    return 0;
}

/* --- statements --- */

static int drv_prepare(struct db *d, const char *sql, struct db_stmt **out)
{
    struct db_stmt *s = calloc(1, sizeof *s);
    if (!s) return DB_ERROR;
    s->drv = &db_sqlite_driver;
    s->d = d;
    if (sqlite3_prepare_v3(d->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->st, NULL) != SQLITE_OK) {
        free(s);
        return DB_ERROR;
    }
    *out = s;
    return 0;
}

static int drv_exec(struct db *d, const char *sql)
{
    int rc = sqlite3_exec(d->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : DB_ERROR;
    if (sqlite3_get_autocommit(d->db)) note_commit(d);
    return rc;
}

static void drv_finalize(struct db_stmt *st)
{
    sqlite3_finalize(st->st);
    free(st);
}

static void drv_reset(struct db_stmt *st)
{
    sqlite3_reset(st->st);
    sqlite3_clear_bindings(st->st);
}

static int drv_step(struct db_stmt *st)
{
    int rc = sqlite3_step(st->st);
    if (rc != SQLITE_ROW && sqlite3_get_autocommit(st->d->db)) note_commit(st->d);
    return rc == SQLITE_ROW ? DB_ROW : rc == SQLITE_DONE ? DB_DONE : DB_ERROR;
}

static void drv_bind_null(struct db_stmt *st, int i)
{
    sqlite3_bind_null(st->st, i);
}
static void drv_bind_int64(struct db_stmt *st, int i, int64_t v)
{
    sqlite3_bind_int64(st->st, i, v);
}
static void drv_bind_text(struct db_stmt *st, int i, const char *t)
{
    if (t)
        sqlite3_bind_text(st->st, i, t, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st->st, i);
}
static void drv_bind_text_copy(struct db_stmt *st, int i, const char *t)
{
    if (t)
        sqlite3_bind_text(st->st, i, t, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st->st, i);
}
static void drv_bind_blob(struct db_stmt *st, int i, const void *p, size_t n)
{
    sqlite3_bind_blob64(st->st, i, p, (sqlite3_uint64)n, SQLITE_STATIC);
}

static int drv_col_null(struct db_stmt *st, int i)
{
    return sqlite3_column_type(st->st, i) == SQLITE_NULL;
}
static int64_t drv_col_int64(struct db_stmt *st, int i)
{
    return sqlite3_column_int64(st->st, i);
}
static const char *drv_col_text(struct db_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st->st, i);
}
static const void *drv_col_blob(struct db_stmt *st, int i)
{
    return sqlite3_column_blob(st->st, i);
}
static size_t drv_col_bytes(struct db_stmt *st, int i)
{
    return (size_t)sqlite3_column_bytes(st->st, i);
}
static int drv_col_count(struct db_stmt *st)
{
    return sqlite3_column_count(st->st);
}

static int64_t drv_changes(struct db *d)
{
    return sqlite3_changes64(d->db);
}

static enum db_error_class drv_error_class(struct db *d)
{
    int code = sqlite3_extended_errcode(d->db);
    if (code == SQLITE_CONSTRAINT_FOREIGNKEY) return DBE_FOREIGN_KEY;
    switch (code & 0xff) {
    case SQLITE_CONSTRAINT:
        return DBE_CONSTRAINT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return DBE_BUSY;
    default:
        return DBE_OTHER;
    }
}

static const char *drv_errmsg(struct db *d)
{
    return sqlite3_errmsg(d->db);
}

/* --- transactions --- */

enum { TX_BEGIN_READ, TX_BEGIN_WRITE, TX_COMMIT, TX_ROLLBACK };
static const char *const tx_sql[] = {"BEGIN DEFERRED", "BEGIN IMMEDIATE", "COMMIT", "ROLLBACK"};

static int tx_run(struct db *d, int k)
{
    if (!d->tx[k] &&
        sqlite3_prepare_v3(d->db, tx_sql[k], -1, SQLITE_PREPARE_PERSISTENT, &d->tx[k], NULL))
        return DB_ERROR;
    int rc = sqlite3_step(d->tx[k]);
    sqlite3_reset(d->tx[k]);
    return rc == SQLITE_DONE ? 0 : DB_ERROR;
}

static int drv_begin(struct db *d, int write)
{
    return tx_run(d, write ? TX_BEGIN_WRITE : TX_BEGIN_READ);
}
static int drv_commit(struct db *d)
{
    int rc = tx_run(d, TX_COMMIT);
    note_commit(d);
    return rc;
}
static int drv_rollback(struct db *d)
{
    int rc = sqlite3_get_autocommit(d->db) ? 0 : tx_run(d, TX_ROLLBACK);
    d->seen_changes = sqlite3_total_changes64(d->db); /* rolled back: nothing to count */
    return rc;
}

static int sp_exec(struct db *d, const char *fmt, int depth)
{
    char sql[64];
    snprintf(sql, sizeof sql, fmt, depth, depth);
    return drv_exec(d, sql);
}
static int drv_savepoint(struct db *d, int depth)
{
    return sp_exec(d, "SAVEPOINT sp%d", depth);
}
static int drv_release(struct db *d, int depth)
{
    return sp_exec(d, "RELEASE sp%d", depth);
}
static int drv_rollback_to(struct db *d, int depth)
{
    if (sqlite3_get_autocommit(d->db)) return 0;
    return sp_exec(d, "ROLLBACK TO sp%d; RELEASE sp%d", depth);
}

static int drv_in_tx(struct db *d)
{
    return !sqlite3_get_autocommit(d->db);
}

/* Inside a read transaction whose snapshot is taken (it read something), the data version of
 * that snapshot; 0 otherwise (no snapshot yet, or a write transaction whose own changes move
 * things that may still be rolled back). */
static unsigned drv_data_version(struct db *d)
{
    unsigned dv = 0;
    if (sqlite3_txn_state(d->db, "main") != SQLITE_TXN_READ) return 0;
    if (sqlite3_file_control(d->db, "main", SQLITE_FCNTL_DATA_VERSION, &dv) != SQLITE_OK) return 0;
    return dv ? dv : 1;
}

/* --- group commit across connections --- */

/* The commits of every connection of this process to one database file (the file's device
 * and inode) wait in one group. A commit in group mode is written to the WAL without a sync
 * (synchronous=NORMAL) and releases the write lock; then SQLite calls wal_hook, where the
 * commit takes a ticket (`committed`, counted only now that its frames are written) and waits
 * until `synced` reaches it. The first waiter finding no sync under way leads: it notes the
 * last ticket given, syncs the WAL file, and on success moves `synced` to that ticket,
 * releasing every commit that had completed before its sync began; commits arriving during
 * the sync wait for the next, which one of them leads. The leader/follower scheme is
 * PostgreSQL's WAL flush (XLogFlush) in small. One fsync of the file is enough for all:
 * fdatasync writes back every dirty page of the file, whichever descriptor wrote it. */
struct gc_group {
    struct gc_group *next;
    dev_t dev;
    ino_t ino;
    int refs;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    uint64_t committed; /* tickets given: commits whose frames are in the WAL */
    uint64_t synced;    /* every ticket up to this one is on disk */
    int syncing;        /* a leader is syncing now */
    int failed;         /* a sync failed: nothing after it is known durable (sticky) */
};

static pthread_mutex_t gc_list_mu = PTHREAD_MUTEX_INITIALIZER;
static struct gc_group *gc_list;

/* SQLite's default auto-checkpoint threshold, which the WAL hook replaces
 * (https://www.sqlite.org/c3ref/wal_hook.html: sqlite3_wal_autocheckpoint is a WAL hook too). */
#define GC_CHECKPOINT_PAGES 1000

static struct gc_group *gc_join(dev_t dev, ino_t ino)
{
    pthread_mutex_lock(&gc_list_mu);
    struct gc_group *g = gc_list;
    while (g && (g->dev != dev || g->ino != ino))
        g = g->next;
    if (!g && (g = calloc(1, sizeof *g))) {
        g->dev = dev;
        g->ino = ino;
        pthread_mutex_init(&g->mu, NULL);
        pthread_cond_init(&g->cv, NULL);
        g->next = gc_list;
        gc_list = g;
    }
    if (g) g->refs++;
    pthread_mutex_unlock(&gc_list_mu);
    return g;
}

static void gc_leave(struct gc_group *g)
{
    pthread_mutex_lock(&gc_list_mu);
    if (--g->refs == 0) {
        struct gc_group **p = &gc_list;
        while (*p != g)
            p = &(*p)->next;
        *p = g->next;
        pthread_mutex_destroy(&g->mu);
        pthread_cond_destroy(&g->cv);
        free(g);
    }
    pthread_mutex_unlock(&gc_list_mu);
}

/* Syncs the connection's WAL file through SQLite's own file object, with the flags SQLite
 * uses for a commit's WAL sync under synchronous=FULL (SQLITE_SYNC_NORMAL: fdatasync). */
static int gc_sync_wal(sqlite3 *db, const char *name)
{
    sqlite3_file *f = NULL;
    int rc = sqlite3_file_control(db, name, SQLITE_FCNTL_JOURNAL_POINTER, &f);
    if (rc != SQLITE_OK) return rc;
    if (!f || !f->pMethods) return SQLITE_IOERR_FSYNC;
    return f->pMethods->xSync(f, SQLITE_SYNC_NORMAL);
}

/* Called by SQLite after every commit that wrote to the WAL, once the write lock is released
 * (https://www.sqlite.org/c3ref/wal_hook.html); an error here fails the statement that
 * committed (COMMIT, or an autocommit statement), though the commit took place. */
static int gc_wal_hook(void *arg, sqlite3 *db, const char *name, int pages)
{
    struct gc_group *g = arg;
    pthread_mutex_lock(&g->mu);
    uint64_t mine = ++g->committed;
    atomic_fetch_add(&db_gc_commits, 1);
    while (!g->failed && g->synced < mine) {
        if (g->syncing) {
            pthread_cond_wait(&g->cv, &g->mu);
            continue;
        }
        g->syncing = 1;
        uint64_t upto = g->committed;
        pthread_mutex_unlock(&g->mu);
        int rc = gc_sync_wal(db, name);
        pthread_mutex_lock(&g->mu);
        g->syncing = 0;
        if (rc != SQLITE_OK)
            g->failed = rc;
        else if (upto > g->synced)
            g->synced = upto;
        atomic_fetch_add(&db_gc_syncs, 1);
        pthread_cond_broadcast(&g->cv);
    }
    int durable = g->synced >= mine;
    pthread_mutex_unlock(&g->mu);
    if (!durable) return SQLITE_IOERR_FSYNC;
    /* as SQLite's default hook: a passive checkpoint once the WAL is long (it syncs the WAL
     * before copying and the database after, https://www.sqlite.org/pragma.html#pragma_synchronous)
     */
    if (pages >= GC_CHECKPOINT_PAGES)
        sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    return SQLITE_OK;
}

static int drv_group_commit(struct db *d, struct err *e)
{
    if (d->group) return 0;
    if (!sqlite3_get_autocommit(d->db))
        return err_set(e, ERR_INTERNAL, "db", "group commit: switched inside a transaction");
    const char *file = sqlite3_db_filename(d->db, "main");
    struct stat st;
    if (!file || !*file || stat(file, &st))
        return err_set(e, ERR_IO, "db", "group commit: the database has no file");
    struct gc_group *g = gc_join(st.st_dev, st.st_ino);
    if (!g) return err_set(e, ERR_NOMEM, "", "out of memory");
    if (sqlite3_exec(d->db, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL) != SQLITE_OK) {
        gc_leave(g);
        return err_set(e, ERR_IO, "db", "group commit: %s", sqlite3_errmsg(d->db));
    }
    d->group = g;
    sqlite3_wal_hook(d->db, gc_wal_hook, g);
    return 0;
}

static struct sqlite3 *drv_sqlite_handle(struct db *d)
{
    return d->db;
}

const struct db_driver db_sqlite_driver = {
    .name = "sqlite",
    .kind = DB_SQLITE,
    .open = drv_open,
    .close = drv_close,
    .prepare = drv_prepare,
    .exec = drv_exec,
    .finalize = drv_finalize,
    .reset = drv_reset,
    .step = drv_step,
    .bind_null = drv_bind_null,
    .bind_int64 = drv_bind_int64,
    .bind_text = drv_bind_text,
    .bind_text_copy = drv_bind_text_copy,
    .bind_blob = drv_bind_blob,
    .col_null = drv_col_null,
    .col_int64 = drv_col_int64,
    .col_text = drv_col_text,
    .col_blob = drv_col_blob,
    .col_bytes = drv_col_bytes,
    .col_count = drv_col_count,
    .changes = drv_changes,
    .error_class = drv_error_class,
    .errmsg = drv_errmsg,
    .begin = drv_begin,
    .commit = drv_commit,
    .rollback = drv_rollback,
    .savepoint = drv_savepoint,
    .release = drv_release,
    .rollback_to = drv_rollback_to,
    .in_tx = drv_in_tx,
    .data_version = drv_data_version,
    .sqlite_handle = drv_sqlite_handle,
    .group_commit = drv_group_commit,
};
