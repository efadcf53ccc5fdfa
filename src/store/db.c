/* db.c — db.h's functions: db_open picks the driver by the URL (postgres:// or postgresql://:
 * PostgreSQL, anything else SQLite); every other call goes to the driver recorded in the first
 * member of the connection or statement (db_driver.h). */
#include <stdatomic.h>
#include <string.h>

#include "db_driver.h"

#ifdef CCHC_HAVE_DB_SQLITE
#define SQLITE_DRIVER (&db_sqlite_driver)
#else
#define SQLITE_DRIVER ((const struct db_driver *)NULL) /* db_sqlite.c not in this build */
uint64_t db_sqlite_write_commits(void)
{
    return 0;
}
#endif

/* The driver of a connection or statement: the first member of both is its driver. */
static const struct db_driver *drv(const void *p)
{
    return *(const struct db_driver *const *)p;
}

int db_url_is_pg(const char *url)
{
    return !strncmp(url, "postgres://", 11) || !strncmp(url, "postgresql://", 13);
}

int db_open(const char *url, struct db **out, struct err *e)
{
    *out = NULL;
    if (!url || !*url) return err_set(e, ERR_INVALID, "db", "no database given");
    const struct db_driver *dr = SQLITE_DRIVER;
    if (db_url_is_pg(url)) dr = &db_pg_driver;
    if (!dr)
        return err_set(e, ERR_INVALID, "db", "'%s': SQLite driver not linked into this build", url);
    return dr->open(url, out, e);
}

void db_close(struct db *d)
{
    if (d) drv(d)->close(d);
}

enum db_kind db_kind(const struct db *d)
{
    return drv(d)->kind;
}

int db_prepare(struct db *d, const char *sql, struct db_stmt **out)
{
    return drv(d)->prepare(d, sql, out);
}

int db_exec(struct db *d, const char *sql)
{
    return drv(d)->exec(d, sql);
}

void db_finalize(struct db_stmt *st)
{
    if (st) drv(st)->finalize(st);
}

void db_reset(struct db_stmt *st)
{
    if (st) drv(st)->reset(st);
}

int db_step(struct db_stmt *st)
{
    return drv(st)->step(st);
}

void db_bind_null(struct db_stmt *st, int i)
{
    drv(st)->bind_null(st, i);
}

void db_bind_int64(struct db_stmt *st, int i, int64_t v)
{
    drv(st)->bind_int64(st, i, v);
}

void db_bind_text(struct db_stmt *st, int i, const char *t)
{
    drv(st)->bind_text(st, i, t);
}

void db_bind_text_copy(struct db_stmt *st, int i, const char *t)
{
    drv(st)->bind_text_copy(st, i, t);
}

void db_bind_blob(struct db_stmt *st, int i, const void *p, size_t n)
{
    drv(st)->bind_blob(st, i, p, n);
}

int db_col_null(struct db_stmt *st, int i)
{
    return drv(st)->col_null(st, i);
}

int64_t db_col_int64(struct db_stmt *st, int i)
{
    return drv(st)->col_int64(st, i);
}

const char *db_col_text(struct db_stmt *st, int i)
{
    return drv(st)->col_text(st, i);
}

const void *db_col_blob(struct db_stmt *st, int i)
{
    return drv(st)->col_blob(st, i);
}

size_t db_col_bytes(struct db_stmt *st, int i)
{
    return drv(st)->col_bytes(st, i);
}

int db_col_count(struct db_stmt *st)
{
    return drv(st)->col_count(st);
}

int64_t db_changes(struct db *d)
{
    return drv(d)->changes(d);
}

enum db_error_class db_error_class(struct db *d)
{
    return drv(d)->error_class(d);
}

const char *db_errmsg(struct db *d)
{
    return drv(d)->errmsg(d);
}

int db_begin(struct db *d, int write)
{
    return drv(d)->begin(d, write);
}

int db_begin_province(struct db *d, const char *province)
{
    if (!drv(d)->begin_province) return drv(d)->begin(d, 1);
    return drv(d)->begin_province(d, db_province_lock_key(province));
}

int db_begin_shared(struct db *d)
{
    if (!drv(d)->begin_province) return drv(d)->begin(d, 1);
    return drv(d)->begin_province(d, -1);
}

int32_t db_province_lock_key(const char *province)
{
    uint32_t h = 2166136261u; /* FNV-1a, 32 bits */
    for (const unsigned char *p = (const unsigned char *)province; *p; p++) {
        h ^= *p;
        h *= 16777619u;
    }
    return (int32_t)((h ^ (h >> 31)) & 0x7fffffffu);
}

int db_commit(struct db *d)
{
    return drv(d)->commit(d);
}

int db_rollback(struct db *d)
{
    return drv(d)->rollback(d);
}

int db_savepoint(struct db *d, int depth)
{
    return drv(d)->savepoint(d, depth);
}

int db_release(struct db *d, int depth)
{
    return drv(d)->release(d, depth);
}

int db_rollback_to(struct db *d, int depth)
{
    return drv(d)->rollback_to(d, depth);
}

int db_in_tx(struct db *d)
{
    return drv(d)->in_tx(d);
}

unsigned db_data_version(struct db *d)
{
    return drv(d)->data_version(d);
}

struct sqlite3 *db_sqlite_handle(struct db *d)
{
    const struct db_driver *dr = drv(d);
    return dr->sqlite_handle ? dr->sqlite_handle(d) : NULL;
}

_Atomic uint64_t db_gc_commits, db_gc_syncs;

int db_group_commit(struct db *d, struct err *e)
{
    return drv(d)->group_commit ? drv(d)->group_commit(d, e) : 0;
}

void db_group_commit_counts(uint64_t *commits, uint64_t *syncs)
{
    *commits = atomic_load(&db_gc_commits);
    *syncs = atomic_load(&db_gc_syncs);
}
