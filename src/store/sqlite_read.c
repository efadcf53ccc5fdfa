/* sqlite_read.c — store_read: several reads in one read transaction. Besides giving them one
 * consistent snapshot, on SQLite it takes the file and WAL locks once instead of once per
 * statement (each a handful of fcntl calls): the HTTP server runs every GET request in one,
 * which measured ~14 fcntl per dossier lookup before (bench/http.sh). */
#include "sqlite_int.h"

int store_read(struct store *s, store_tx_fn fn, void *ctx, struct err *e)
{
    /* Inside a transaction already: the snapshot is the enclosing one. */
    if (s->tx_depth > 0 || db_in_tx(s->db)) return fn(s, ctx, e);
    if (db_begin(s->db, 0)) return sq_fail(s, DB_ERROR, "starting a read transaction", e);
    s->reading = 1;
    s->read_gen++; /* a new snapshot: what sq_units_version kept on PostgreSQL is old */
    int rc = fn(s, ctx, e);
    s->reading = 0;
    /* Nothing was written, so ending the transaction cannot lose anything. */
    if (db_commit(s->db)) db_rollback(s->db);
    return rc;
}
