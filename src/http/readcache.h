/* readcache.h — what a server keeps between GET requests so that a repeated read needs no
 * database round trip: sessions, dossiers as one dossier's page shows them, and the units'
 * answers of the scope checks (docs/scale.md, "The read cache"). One per server, shared by its
 * threads, bounded in bytes (read_cache_mb).
 *
 * Correct across processes because nothing is used unchecked:
 * - every GET request first takes a ticket (readcache_ticket), then, inside its read
 *   transaction, checks the database's change mark (store_change_mark): when it moved since this
 *   connection last looked, everything is dropped (readcache_sync). On SQLite the mark is the
 *   file's data version, so any commit by any process is seen at the next request; on
 *   PostgreSQL it counts this process's own commits, and other processes' changes come as
 *   notifications (store_watch, migration 055) that drop the entries they name;
 * - a value read from the database is put only if nothing was dropped since the request's
 *   ticket, taken before its read snapshot: a change that raced the read cannot leave the old
 *   value behind;
 * - on PostgreSQL the cache is off while the listening connection is down (notifications may
 *   be lost), and emptied when it listens again. */
#ifndef CCHC_READCACHE_H
#define CCHC_READCACHE_H

#include <stddef.h>
#include <stdint.h>

struct readcache;

/* NULL if max_bytes is 0 (off) or out of memory. live: usable at once (SQLite), or only once
 * readcache_live(1) says so (PostgreSQL, when the listener runs). */
struct readcache *readcache_new(size_t max_bytes, int live);
void readcache_free(struct readcache *c);

/* The ticket of a request starting now: 0 (do not use the cache) when it is off. */
uint64_t readcache_ticket(struct readcache *c);
/* After the request's change check: changed drops everything; the ticket then moves past this
 * drop, unless something else was dropped since it was taken (then its puts are refused). */
void readcache_sync(struct readcache *c, uint64_t *ticket, int changed);
/* Copies the value of key into out (n bytes: the size it was put with) and returns 1; 0 if
 * absent (or of another size). */
int readcache_get(struct readcache *c, const char *key, void *out, size_t n);
/* The same for a value of any size: a copy made by alloc(ctx, size) (*out, *n); 0 if absent. */
int readcache_get_copy(struct readcache *c, const char *key, void *(*alloc)(void *ctx, size_t n),
                       void *ctx, void **out, size_t *n);
/* Keeps n bytes under key if nothing was dropped since ticket (else nothing). The oldest
 * entries go when the cache is full. */
void readcache_put(struct readcache *c, uint64_t ticket, const char *key, const void *val,
                   size_t n);
/* Drops key (another process changed what it holds). */
void readcache_drop(struct readcache *c, const char *key);
/* Drops everything. */
void readcache_flush(struct readcache *c);
/* PostgreSQL's listener: live 1 once listening (everything dropped: what was missed before is
 * unknown), 0 when its connection broke (the cache is off until live again). */
void readcache_live(struct readcache *c, int live);

struct readcache_stats {
    uint64_t hits, misses, puts, refused, drops, flushes, lives, entries, bytes;
    int live;
};
void readcache_stats(struct readcache *c, struct readcache_stats *out);

#endif
