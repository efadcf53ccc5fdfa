/* sqlite_read.c — store_read: several reads in one read transaction. Besides giving them one
 * consistent snapshot, on SQLite it takes the file and WAL locks once instead of once per
 * statement (each a handful of fcntl calls): the HTTP server runs every GET request in one,
 * which measured ~14 fcntl per dossier lookup before (bench/http.sh). */
#include "sqlite_int.h"

/* Prepared once per connection (the statement cache) rather than parsed by sqlite3_exec on
 * every request. */
static const char SQL_BEGIN[] = "BEGIN DEFERRED";
static const char SQL_COMMIT[] = "COMMIT";
static const char SQL_ROLLBACK[] = "ROLLBACK";

static int run(struct store *s, const char *sql, struct err *e)
{
    sqlite3_stmt *st;
    int rc = sq_prep(s, sql, &st, e);
    if (rc) return rc;
    rc = sq_step_done(s, st, sql, e);
    sq_done(s, st);
    return rc;
}

int store_read(struct store *s, store_tx_fn fn, void *ctx, struct err *e)
{
    /* Inside a transaction already: the snapshot is the enclosing one. */
    if (s->tx_depth > 0 || !sqlite3_get_autocommit(s->db)) return fn(s, ctx, e);
    int rc = run(s, SQL_BEGIN, e);
    if (rc) return rc;
    rc = fn(s, ctx, e);
    /* Nothing was written, so ending the transaction cannot lose anything. */
    if (!sqlite3_get_autocommit(s->db)) run(s, SQL_COMMIT, NULL);
    if (!sqlite3_get_autocommit(s->db)) run(s, SQL_ROLLBACK, NULL);
    return rc;
}
