/* server_keys.c — the secrets every server on one database shares (store_keys.h, migration
 * 023). Portable SQL over db.h: INSERT … ON CONFLICT DO NOTHING, then the row that won. */
#include <sodium.h>
#include <string.h>

#include "sqlite_int.h"
#include "store_keys.h"

static const char SQL_ADD[] =
    "INSERT INTO server_keys (name, value) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING";
static const char SQL_GET[] = "SELECT value FROM server_keys WHERE name = ?1";

/* Reads the key called name into key: 0, ERR_NOT_FOUND when there is none, or an error. */
static int key_read(struct store *s, const char *name, unsigned char key[STORE_KEY_BYTES],
                    struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_GET, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, name);
    int step = db_step(st);
    if (step == DB_ROW) {
        char hex[2 * STORE_KEY_BYTES + 1];
        size_t got = 0;
        sq_col_text(st, 0, hex, sizeof hex);
        if (sodium_hex2bin(key, STORE_KEY_BYTES, hex, strlen(hex), NULL, &got, NULL) ||
            got != STORE_KEY_BYTES)
            rc = err_set(e, ERR_INTERNAL, "server_keys", "server key '%s' is not 64 hex digits",
                         name);
        sodium_memzero(hex, sizeof hex);
    } else if (step == DB_DONE) {
        rc = ERR_NOT_FOUND;
    } else {
        rc = sq_fail(s, step, "reading a server key", e);
    }
    sq_done(s, st);
    return rc;
}

/* Read first, so that a server on a database it may not write (a standby) starts when the key
 * exists; written only the first time. */
int store_server_key(struct store *s, const char *name, unsigned char key[STORE_KEY_BYTES],
                     struct err *e)
{
    size_t n = strlen(name);
    if (n < 1 || n > 63)
        return err_set(e, ERR_INVALID, "name", "key name '%.63s': must be 1 to 63 bytes", name);
    if (sodium_init() < 0) return err_set(e, ERR_INTERNAL, "sodium", "libsodium failed to start");
    int rc = key_read(s, name, key, e);
    if (rc != ERR_NOT_FOUND) return rc;
    unsigned char fresh[STORE_KEY_BYTES];
    char hex[2 * STORE_KEY_BYTES + 1];
    randombytes_buf(fresh, sizeof fresh);
    sodium_bin2hex(hex, sizeof hex, fresh, sizeof fresh);
    sodium_memzero(fresh, sizeof fresh);
    struct db_stmt *st;
    if ((rc = sq_prep(s, SQL_ADD, &st, e))) return rc;
    db_bind_text(st, 1, name);
    db_bind_text(st, 2, hex);
    rc = sq_step_done(s, st, "storing a server key", e);
    sq_done(s, st);
    sodium_memzero(hex, sizeof hex);
    if (rc) return rc;
    /* the row that won: ours, or a concurrent first server's */
    rc = key_read(s, name, key, e);
    return rc == ERR_NOT_FOUND
               ? err_set(e, ERR_INTERNAL, "server_keys", "server key '%s' vanished", name)
               : rc;
}
