/* readcache.c — readcache.h's cache: one uthash table (Debian's uthash-dev) under one mutex,
 * its entries in insertion order, so the oldest go first when it is full. The generation gen
 * moves with every drop and flush; a put carries the generation its request started at and is
 * refused if it moved (readcache.h). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <uthash.h>

#include "readcache.h"

struct entry {
    UT_hash_handle hh;
    size_t n;    /* value bytes */
    char *key;   /* points into data, after the value */
    char data[]; /* the value, then the key and its NUL */
};

struct readcache {
    pthread_mutex_t mu;
    struct entry *table;
    size_t bytes, max_bytes;
    uint64_t gen; /* under mu */
    atomic_int live;
    struct readcache_stats st; /* counts, under mu */
};

/* What an entry costs: its allocation and uthash's bookkeeping, roughly. */
static size_t cost(const struct entry *x)
{
    return sizeof *x + x->n + strlen(x->key) + 1 + 32;
}

static void remove_entry(struct readcache *c, struct entry *x)
{
    HASH_DEL(c->table, x);
    c->bytes -= cost(x);
    free(x);
}

static void clear(struct readcache *c)
{
    struct entry *x, *tmp;
    HASH_ITER(hh, c->table, x, tmp)
    remove_entry(c, x);
}

struct readcache *readcache_new(size_t max_bytes, int live)
{
    if (!max_bytes) return NULL;
    struct readcache *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    pthread_mutex_init(&c->mu, NULL);
    c->max_bytes = max_bytes;
    c->gen = 1;
    atomic_store(&c->live, live);
    return c;
}

void readcache_free(struct readcache *c)
{
    if (!c) return;
    clear(c);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

uint64_t readcache_ticket(struct readcache *c)
{
    if (!c || !atomic_load(&c->live)) return 0;
    pthread_mutex_lock(&c->mu);
    uint64_t g = c->gen;
    pthread_mutex_unlock(&c->mu);
    return g;
}

void readcache_sync(struct readcache *c, uint64_t *ticket, int changed)
{
    if (!c || !*ticket || !changed) return;
    pthread_mutex_lock(&c->mu);
    int mine = c->gen == *ticket;
    clear(c);
    c->gen++;
    c->st.flushes++;
    if (mine) *ticket = c->gen;
    pthread_mutex_unlock(&c->mu);
}

int readcache_get(struct readcache *c, const char *key, void *out, size_t n)
{
    if (!c) return 0;
    struct entry *x;
    pthread_mutex_lock(&c->mu);
    HASH_FIND_STR(c->table, key, x);
    int hit = x && x->n == n;
    if (hit) memcpy(out, x->data, n);
    if (hit)
        c->st.hits++;
    else
        c->st.misses++;
    pthread_mutex_unlock(&c->mu);
    return hit;
}

int readcache_get_copy(struct readcache *c, const char *key, void *(*alloc)(void *ctx, size_t n),
                       void *ctx, void **out, size_t *n)
{
    if (!c) return 0;
    struct entry *x;
    pthread_mutex_lock(&c->mu);
    HASH_FIND_STR(c->table, key, x);
    void *copy = x ? alloc(ctx, x->n ? x->n : 1) : NULL;
    if (copy) {
        memcpy(copy, x->data, x->n);
        *out = copy;
        *n = x->n;
        c->st.hits++;
    } else {
        c->st.misses++;
    }
    pthread_mutex_unlock(&c->mu);
    return copy != NULL;
}

void readcache_put(struct readcache *c, uint64_t ticket, const char *key, const void *val, size_t n)
{
    if (!c || !ticket) return;
    size_t klen = strlen(key);
    struct entry *x = malloc(sizeof *x + n + klen + 1);
    if (!x) return;
    x->n = n;
    memcpy(x->data, val, n);
    x->key = x->data + n;
    memcpy(x->key, key, klen + 1);
    size_t need = cost(x);
    pthread_mutex_lock(&c->mu);
    if (ticket != c->gen || need > c->max_bytes) {
        c->st.refused++;
        pthread_mutex_unlock(&c->mu);
        free(x);
        return;
    }
    struct entry *old;
    HASH_FIND_STR(c->table, key, old);
    if (old) remove_entry(c, old);
    while (c->table && c->bytes + need > c->max_bytes)
        remove_entry(c, c->table); /* the oldest: the table keeps insertion order */
    HASH_ADD_KEYPTR(hh, c->table, x->key, klen, x);
    c->bytes += need;
    c->st.puts++;
    pthread_mutex_unlock(&c->mu);
}

void readcache_drop(struct readcache *c, const char *key)
{
    if (!c) return;
    struct entry *x;
    pthread_mutex_lock(&c->mu);
    HASH_FIND_STR(c->table, key, x);
    if (x) remove_entry(c, x);
    c->gen++;
    c->st.drops++;
    pthread_mutex_unlock(&c->mu);
}

void readcache_flush(struct readcache *c)
{
    if (!c) return;
    pthread_mutex_lock(&c->mu);
    clear(c);
    c->gen++;
    c->st.flushes++;
    pthread_mutex_unlock(&c->mu);
}

void readcache_live(struct readcache *c, int live)
{
    if (!c) return;
    if (!live) atomic_store(&c->live, 0);
    readcache_flush(c); /* going live: what came before is unknown; going off: unused */
    if (!live) return;
    pthread_mutex_lock(&c->mu);
    c->st.lives++;
    pthread_mutex_unlock(&c->mu);
    atomic_store(&c->live, 1);
}

void readcache_stats(struct readcache *c, struct readcache_stats *out)
{
    memset(out, 0, sizeof *out);
    if (!c) return;
    pthread_mutex_lock(&c->mu);
    *out = c->st;
    out->entries = HASH_COUNT(c->table);
    out->bytes = c->bytes;
    pthread_mutex_unlock(&c->mu);
    out->live = atomic_load(&c->live);
}
