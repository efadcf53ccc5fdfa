/* strmap.c — string-to-int hash map used to look up codes (criteria, units) in O(1). */
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

void strmap_free(struct strmap *m)
{
    free(m->key);
    free(m->val);
    memset(m, 0, sizeof *m);
}

static size_t slot_of(const struct strmap *m, const char *key)
{
    size_t i = (size_t)fnv1a(key) & (m->cap - 1);
    while (m->key[i] && strcmp(m->key[i], key) != 0)
        i = (i + 1) & (m->cap - 1);
    return i;
}

int strmap_get(const struct strmap *m, const char *key)
{
    if (!m->cap) return -1;
    size_t i = slot_of(m, key);
    return m->key[i] ? m->val[i] : -1;
}

static int grow(struct strmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    struct strmap g = {cap, 0, calloc(cap, sizeof *g.key), calloc(cap, sizeof *g.val)};
    if (!g.key || !g.val) {
        free(g.key);
        free(g.val);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->key[i]) continue;
        size_t j = slot_of(&g, m->key[i]);
        g.key[j] = m->key[i];
        g.val[j] = m->val[i];
        g.n++;
    }
    free(m->key);
    free(m->val);
    *m = g;
    return 0;
}

int strmap_put(struct strmap *m, const char *key, int val)
{
    if ((m->n + 1) * 2 > m->cap && grow(m) != 0) return -1;
    size_t i = slot_of(m, key);
    if (!m->key[i]) {
        m->key[i] = key;
        m->n++;
    }
    m->val[i] = val;
    return 0;
}
