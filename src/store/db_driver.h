/* db_driver.h — the table each database driver fills (db_sqlite.c, db_pg.c) and db.c dispatches
 * through, so that both drivers live in one binary. The functions mean exactly what db.h says
 * of the db_* function of the same name; each driver defines struct db and struct db_stmt for
 * itself, with `const struct db_driver *drv` as the FIRST member of both, which is how db.c
 * finds the driver of a connection or a statement. Only db.c and the drivers include this. */
#ifndef CCHC_DB_DRIVER_H
#define CCHC_DB_DRIVER_H

#include "db.h"

struct db_driver {
    const char *name; /* "sqlite", "postgresql": for messages */
    enum db_kind kind;

    int (*open)(const char *url, struct db **out, struct err *e);
    void (*close)(struct db *d);

    int (*prepare)(struct db *d, const char *sql, struct db_stmt **out);
    int (*exec)(struct db *d, const char *sql);
    void (*finalize)(struct db_stmt *st);
    void (*reset)(struct db_stmt *st);
    int (*step)(struct db_stmt *st);

    void (*bind_null)(struct db_stmt *st, int i);
    void (*bind_int64)(struct db_stmt *st, int i, int64_t v);
    void (*bind_text)(struct db_stmt *st, int i, const char *t);
    void (*bind_text_copy)(struct db_stmt *st, int i, const char *t);
    void (*bind_blob)(struct db_stmt *st, int i, const void *p, size_t n);

    int (*col_null)(struct db_stmt *st, int i);
    int64_t (*col_int64)(struct db_stmt *st, int i);
    const char *(*col_text)(struct db_stmt *st, int i);
    const void *(*col_blob)(struct db_stmt *st, int i);
    size_t (*col_bytes)(struct db_stmt *st, int i);
    int (*col_count)(struct db_stmt *st);

    int64_t (*changes)(struct db *d);
    enum db_error_class (*error_class)(struct db *d);
    const char *(*errmsg)(struct db *d);

    int (*begin)(struct db *d, int write);
    /* db_begin_province with the province's key (never negative), db_begin_shared with -1;
     * NULL: db_begin(d, 1) for both (one writer anyway) */
    int (*begin_province)(struct db *d, int32_t key);
    int (*commit)(struct db *d);
    int (*rollback)(struct db *d);
    int (*savepoint)(struct db *d, int depth);
    int (*release)(struct db *d, int depth);
    int (*rollback_to)(struct db *d, int depth);
    int (*in_tx)(struct db *d);
    unsigned (*data_version)(struct db *d);

    /* The sqlite3 handle (db_sqlite_handle); NULL in drivers other than SQLite's. */
    struct sqlite3 *(*sqlite_handle)(struct db *d);
    /* db_group_commit; NULL: no grouping (commits wait for their own sync) */
    int (*group_commit)(struct db *d, struct err *e);
};

extern const struct db_driver db_pg_driver;
/* Defined by db_sqlite.c; db.c refers to it only when the build has that file
 * (CCHC_HAVE_DB_SQLITE, set by src/store/deps.cmake). */
extern const struct db_driver db_sqlite_driver;

/* The PostgreSQL driver's placeholder translation, exposed for its tests: copies sql into a
 * new malloc'ed string (*out) with ?N and ? (the next number after the largest so far, as
 * SQLite counts) written $N, outside '…' literals ('' escapes), "…" identifiers, -- and
 * block comments; *nparams gets the largest parameter number. 0, or -1 when out of memory or
 * a number is out of range (1..32767). */
int db_pg_translate(const char *sql, char **out, int *nparams);

/* The process's group commit counters (db_group_commit_counts), moved by the drivers. */
extern _Atomic uint64_t db_gc_commits, db_gc_syncs;

#endif
