/* strmap.h — a small open-addressing hash map from C strings to ints (FNV-1a, linear probing).
 * The map does not copy keys: each key must stay valid and unchanged while it is in the map. */
#ifndef CCHC_STRMAP_H
#define CCHC_STRMAP_H

#include <stddef.h>

struct strmap {
    size_t cap, n;
    const char **key;
    int *val;
};

/* Zero-initialised struct strmap is an empty map. */
void strmap_free(struct strmap *m);
/* The value of key, or -1. */
int strmap_get(const struct strmap *m, const char *key);
/* Inserts or replaces. Returns 0, or -1 when out of memory (the map is unchanged). */
int strmap_put(struct strmap *m, const char *key, int val);

#endif
