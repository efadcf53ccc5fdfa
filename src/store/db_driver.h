/* db_driver.h — what a database driver provides behind db.h: one table of functions per driver
 * (db_sqlite.c, db_pg.c). Every struct db and struct db_stmt of a driver starts with a pointer
 * to its table, through which db.c dispatches. */
#ifndef CCHC_DB_DRIVER_H
#define CCHC_DB_DRIVER_H

#include "db.h"

struct db_driver {
    const char *name;
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
    int (*commit)(struct db *d);
    int (*rollback)(struct db *d);
    int (*savepoint)(struct db *d, int depth);
    int (*release)(struct db *d, int depth);
    int (*rollback_to)(struct db *d, int depth);
    int (*in_tx)(struct db *d);
    unsigned (*data_version)(struct db *d);
};

/* The common head of every driver's connection and statement. */
struct db_head {
    const struct db_driver *drv;
};

extern const struct db_driver db_sqlite_driver;
extern const struct db_driver db_pg_driver __attribute__((weak));

#endif
