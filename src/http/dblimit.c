/* dblimit.c — failure limits kept in the database (dblimit.h): the row operations are
 * store_login.h's; here the key is hashed and the configuration applied. Every ~10 minutes a
 * process deletes the rows quiet for a day. */
#include "dblimit.h"

#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "http.h"
#include "readcache.h"
#include "server_int.h"
#include "store_login.h"

#define PURGE_EVERY 600
#define DAY         86400

/* Hex keyed BLAKE2b-128 of "kind\0value" under the servers' shared key. */
static void row_key(const struct req *r, const char *kind, const char *value, char out[33])
{
    unsigned char h[16];
    crypto_generichash_state st;
    crypto_generichash_init(&st, r->srv->limit_key, sizeof r->srv->limit_key, sizeof h);
    crypto_generichash_update(&st, (const unsigned char *)kind, strlen(kind) + 1);
    crypto_generichash_update(&st, (const unsigned char *)value, strlen(value));
    crypto_generichash_final(&st, h, sizeof h);
    sodium_bin2hex(out, 33, h, sizeof h);
}

int dblimit_blocked(struct req *r, const char *kind, const char *value, int *retry,
                    int64_t *lock_start)
{
    char k[33];
    row_key(r, kind, value, k);
    struct limit_row row;
    struct err e = {0};
    if (store_limit_get(req_store(r), k, &row, &e)) {
        fprintf(stderr, "cchc: rate limit: %s\n", e.msg);
        return 0;
    }
    int64_t now = now_unix();
    if (row.lock_until <= now) return 0;
    if (retry) *retry = (int)(row.lock_until - now);
    if (lock_start) *lock_start = row.lock_until - row.lock_len;
    return 1;
}

int dblimit_blocked3(struct req *r, const char *const kind[3], const char *const value[3],
                     int *retry)
{
    char k[3][33], ck[3][36];
    const char *kp[3];
    struct limit_row row[3];
    /* A row's lock_until as the read cache keeps it (key "l:" and the row key; 0 for no row):
     * the lock is decided against the clock at each use, and a change to it is a commit,
     * which empties the cache (this process's, or on SQLite any process's) or, on
     * PostgreSQL, notifies "l" and the key (migration 056). */
    struct readcache *rc = req_read_cache(r);
    int hits = 0;
    for (int i = 0; i < 3; i++) {
        row_key(r, kind[i], value[i], k[i]);
        kp[i] = k[i];
        snprintf(ck[i], sizeof ck[i], "l:%s", k[i]);
        memset(&row[i], 0, sizeof row[i]);
        if (rc) hits += readcache_get(rc, ck[i], &row[i].lock_until, sizeof row[i].lock_until);
    }
    if (hits < 3) {
        struct err e = {0};
        if (store_limit_get3(req_store(r), kp, row, &e)) {
            fprintf(stderr, "cchc: rate limit: %s\n", e.msg);
            return 0;
        }
        for (int i = 0; rc && i < 3; i++)
            readcache_put(rc, r->rc_ticket, ck[i], &row[i].lock_until, sizeof row[i].lock_until);
    }
    int64_t now = now_unix();
    for (int i = 0; i < 3; i++) {
        if (row[i].lock_until <= now) continue;
        if (retry) *retry = (int)(row[i].lock_until - now);
        return 1;
    }
    return 0;
}

void dblimit_fail(struct req *r, const char *kind, const char *value, int64_t max)
{
    static _Atomic int64_t last_purge;
    char k[33];
    row_key(r, kind, value, k);
    const struct serve_config *c = req_config(r);
    struct err e = {0};
    int64_t now = now_unix(), last = atomic_load(&last_purge);
    if (store_limit_fail(req_store(r), k, now, c->limit_window, max, c->limit_max_lock, &e))
        fprintf(stderr, "cchc: rate limit: %s\n", e.msg);
    if (now - last >= PURGE_EVERY && atomic_compare_exchange_strong(&last_purge, &last, now) &&
        store_limit_purge(req_store(r), now - DAY - c->limit_max_lock - c->limit_window, &e))
        fprintf(stderr, "cchc: rate limit: %s\n", e.msg);
}

void dblimit_reset(struct req *r, const char *kind, const char *value)
{
    char k[33];
    row_key(r, kind, value, k);
    struct err e = {0};
    if (store_limit_reset(req_store(r), k, now_unix(), &e))
        fprintf(stderr, "cchc: rate limit: %s\n", e.msg);
}
