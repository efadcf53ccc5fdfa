/* listcache.h — a dossier's list entry as the JSON writer rendered it, kept by (dossier id,
 * event count). Every change to a dossier appends an event and counts it in the row
 * (n_events, sqlite_dossiers.c), so an entry with the row's count is the row's rendering;
 * only the outcome depends on the clock and is written afresh each time. (A dossier changed
 * behind the store's back, by raw SQL, which the audit chain flags anyway, shows in lists
 * from its next event or the server's restart.) One cache per
 * database connection of the server's pool, used by the request leasing it, so no locks.
 * Direct-mapped and bounded: a slot holds one entry, a new one replaces it. Internal to
 * src/http. */
#ifndef CCHC_HTTP_LISTCACHE_H
#define CCHC_HTTP_LISTCACHE_H

#include <stddef.h>
#include <stdint.h>

struct listcache;

struct lc_entry {
    int64_t id;
    int version;        /* the dossier's n_events */
    size_t npre, npost; /* text = the object up to the outcome value, then the rest */
    char *text;
};

/* A cache of about max_bytes (entries take ~700 bytes); NULL for 0 or out of memory, and
 * every function accepts NULL as an empty cache that keeps nothing. */
struct listcache *listcache_new(size_t max_bytes);
void listcache_free(struct listcache *c);
/* The entry for (id, version), or NULL. Valid until the next listcache_put. */
const struct lc_entry *listcache_get(struct listcache *c, int64_t id, int version);
/* Keeps pre + post for (id, version), replacing what its slot held; nothing when out of
 * memory. */
void listcache_put(struct listcache *c, int64_t id, int version, const char *pre, size_t npre,
                   const char *post, size_t npost);

#endif
