/* listcache.c — rendered list entries by (dossier id, event count) (listcache.h). */
#include "listcache.h"

#include <stdlib.h>
#include <string.h>

#define ENTRY_BYTES 1024 /* budget per slot: an entry and its share of the table */

struct listcache {
    size_t mask; /* slots - 1, a power of two */
    struct lc_entry *slot;
};

struct listcache *listcache_new(size_t max_bytes)
{
    size_t n = 1;
    while (n * 2 * ENTRY_BYTES <= max_bytes)
        n *= 2;
    if (max_bytes < ENTRY_BYTES) return NULL;
    struct listcache *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->slot = calloc(n, sizeof *c->slot);
    if (!c->slot) {
        free(c);
        return NULL;
    }
    c->mask = n - 1;
    return c;
}

void listcache_free(struct listcache *c)
{
    if (!c) return;
    for (size_t i = 0; i <= c->mask; i++)
        free(c->slot[i].text);
    free(c->slot);
    free(c);
}

static struct lc_entry *slot_of(struct listcache *c, int64_t id)
{
    uint64_t h = (uint64_t)id * 0x9E3779B97F4A7C15u; /* Fibonacci hashing */
    return &c->slot[(h >> 32) & c->mask];
}

const struct lc_entry *listcache_get(struct listcache *c, int64_t id, int version)
{
    if (!c) return NULL;
    const struct lc_entry *s = slot_of(c, id);
    return s->text && s->id == id && s->version == version ? s : NULL;
}

void listcache_put(struct listcache *c, int64_t id, int version, const char *pre, size_t npre,
                   const char *post, size_t npost)
{
    if (!c) return;
    struct lc_entry *s = slot_of(c, id);
    char *t = realloc(s->text, npre + npost);
    if (!t) {
        free(s->text);
        s->text = NULL;
        return;
    }
    memcpy(t, pre, npre);
    memcpy(t + npre, post, npost);
    s->text = t;
    s->id = id;
    s->version = version;
    s->npre = npre;
    s->npost = npost;
}
