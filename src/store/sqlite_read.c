/* sqlite_read.c — store_read: several reads in one read transaction. Besides giving them one
 * consistent snapshot, on SQLite it takes the file and WAL locks once instead of once per
 * statement (each a handful of fcntl calls): the HTTP server runs every GET request in one,
 * which measured ~14 fcntl per dossier lookup before (bench/http.sh). */
#include "sqlite_int.h"

int store_read(struct store *s, store_tx_fn fn, void *ctx, struct err *e)
{
    /* Inside a transaction already: the snapshot is the enclosing one. */
    if (s->tx_depth > 0 || !sqlite3_get_autocommit(s->db)) return fn(s, ctx, e);
    int rc = sq_exec(s, "BEGIN DEFERRED", e);
    if (rc) return rc;
    rc = fn(s, ctx, e);
    /* Nothing was written, so ending the transaction cannot lose anything. */
    if (!sqlite3_get_autocommit(s->db)) sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    if (!sqlite3_get_autocommit(s->db)) sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}
