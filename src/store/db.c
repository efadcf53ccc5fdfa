/* db.c — db.h's functions: each dispatches through the driver table at the head of the
 * connection or statement (db_driver.h); db_open picks the driver by the URL. */
#include <string.h>

#include "db_driver.h"

#define DRV(p) (((const struct db_head *)(const void *)(p))->drv)

int db_open(const char *url, struct db **out, struct err *e)
{
    *out = NULL;
    if (url && (!strncmp(url, "postgres://", 11) || !strncmp(url, "postgresql://", 13))) {
        if (!&db_pg_driver)
            return err_set(e, ERR_INVALID, "db",
                           "database '%s': this cchc was built without the PostgreSQL driver", url);
        return db_pg_driver.open(url, out, e);
    }
    return db_sqlite_driver.open(url, out, e);
}

void db_close(struct db *d)
{
    if (d) DRV(d)->close(d);
}

enum db_kind db_kind(const struct db *d)
{
    return DRV(d) == &db_sqlite_driver ? DB_SQLITE : DB_POSTGRES;
}

int db_prepare(struct db *d, const char *sql, struct db_stmt **out)
{
    return DRV(d)->prepare(d, sql, out);
}
int db_exec(struct db *d, const char *sql)
{
    return DRV(d)->exec(d, sql);
}
void db_finalize(struct db_stmt *st)
{
    if (st) DRV(st)->finalize(st);
}
void db_reset(struct db_stmt *st)
{
    DRV(st)->reset(st);
}
int db_step(struct db_stmt *st)
{
    return DRV(st)->step(st);
}
void db_bind_null(struct db_stmt *st, int i)
{
    DRV(st)->bind_null(st, i);
}
void db_bind_int64(struct db_stmt *st, int i, int64_t v)
{
    DRV(st)->bind_int64(st, i, v);
}
void db_bind_text(struct db_stmt *st, int i, const char *t)
{
    DRV(st)->bind_text(st, i, t);
}
void db_bind_text_copy(struct db_stmt *st, int i, const char *t)
{
    DRV(st)->bind_text_copy(st, i, t);
}
void db_bind_blob(struct db_stmt *st, int i, const void *p, size_t n)
{
    DRV(st)->bind_blob(st, i, p, n);
}
int db_col_null(struct db_stmt *st, int i)
{
    return DRV(st)->col_null(st, i);
}
int64_t db_col_int64(struct db_stmt *st, int i)
{
    return DRV(st)->col_int64(st, i);
}
const char *db_col_text(struct db_stmt *st, int i)
{
    return DRV(st)->col_text(st, i);
}
const void *db_col_blob(struct db_stmt *st, int i)
{
    return DRV(st)->col_blob(st, i);
}
size_t db_col_bytes(struct db_stmt *st, int i)
{
    return DRV(st)->col_bytes(st, i);
}
int db_col_count(struct db_stmt *st)
{
    return DRV(st)->col_count(st);
}
int64_t db_changes(struct db *d)
{
    return DRV(d)->changes(d);
}
enum db_error_class db_error_class(struct db *d)
{
    return DRV(d)->error_class(d);
}
const char *db_errmsg(struct db *d)
{
    return DRV(d)->errmsg(d);
}
int db_begin(struct db *d, int write)
{
    return DRV(d)->begin(d, write);
}
int db_commit(struct db *d)
{
    return DRV(d)->commit(d);
}
int db_rollback(struct db *d)
{
    return DRV(d)->rollback(d);
}
int db_savepoint(struct db *d, int depth)
{
    return DRV(d)->savepoint(d, depth);
}
int db_release(struct db *d, int depth)
{
    return DRV(d)->release(d, depth);
}
int db_rollback_to(struct db *d, int depth)
{
    return DRV(d)->rollback_to(d, depth);
}
int db_in_tx(struct db *d)
{
    return DRV(d)->in_tx(d);
}
unsigned db_data_version(struct db *d)
{
    return DRV(d)->data_version(d);
}
