/* dblimit.h — the sign-in and citizen-lookup failure limits, counted in the database so that
 * every `cchc serve` on it sees the same counts (issue 12, finding 2) and no traffic about
 * other keys can evict a key (each has its own row). A key is a kind ("ip", "net", "au" for
 * address and username, "u" for username, "lip", "lnet", "c" for a dossier code) and a value,
 * stored only as a keyed BLAKE2b hash under a key the servers share. The max-th failure of a
 * window locks the key; a lock that follows another within a day lasts twice as long, up to
 * limit_max_lock (docs/http.md "Sign-in locks"). */
#ifndef CCHC_DBLIMIT_H
#define CCHC_DBLIMIT_H

#include <stdint.h>

struct req;

/* 1 if kind:value is locked now; *retry = seconds left, *lock_start (may be NULL) = when the
 * lock began. A database error counts as not locked (logged); the failure that follows is
 * counted when the database answers again. */
int dblimit_blocked(struct req *r, const char *kind, const char *value, int *retry,
                    int64_t *lock_start);
/* dblimit_blocked of kind[0]:value[0], then [1], then [2], stopping at the first locked,
 * with one read of the database: 1 if one is locked (*retry as dblimit_blocked sets it). */
int dblimit_blocked3(struct req *r, const char *const kind[3], const char *const value[3],
                     int *retry);
/* Counts one failure of kind:value, whose limit is max failures per limit_window. */
void dblimit_fail(struct req *r, const char *kind, const char *value, int64_t max);
/* Forgets kind:value's failures and ends its lock (a success, an administrator's unlock). */
void dblimit_reset(struct req *r, const char *kind, const char *value);

#endif
