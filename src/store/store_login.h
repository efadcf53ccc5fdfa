/* store_login.h — what sign-in keeps in the database beside users and sessions (migration
 * 025), part of store.h's contract (errors as defined there): failure counters shared by
 * every server on the database, the random keys those servers share, and each account's
 * second factor (a TOTP secret, the last step a code was accepted for, recovery codes). The
 * decisions (what a key is, when a lock holds, what a code is worth) are the http layer's;
 * this file reads and writes the rows, the same SQL on both backends (login_store.c). */
#ifndef CCHC_STORE_LOGIN_H
#define CCHC_STORE_LOGIN_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* The shared key called name as n random bytes: the first caller on a database draws it and
 * every later one (any process) reads the same. */
int store_server_key(struct store *s, const char *name, unsigned char *out, size_t n,
                     struct err *e);

/* One counted key. lock_until: the end of its current or last lock (0: never locked);
 * lock_len: that lock's length in seconds. */
struct limit_row {
    int64_t win_start, lock_until, lock_len;
    int fails;
};
/* Reads key k (all zero when it has no row). */
int store_limit_get(struct store *s, const char *k, struct limit_row *out, struct err *e);
/* The rows of three keys k[0..2] in one statement (the citizen lookup checks three locks per
 * request): out[i] as store_limit_get gives k[i]'s. */
int store_limit_get3(struct store *s, const char *const k[3], struct limit_row out[3],
                     struct err *e);
/* Counts one failure of k at now, atomically against other servers: a window older than
 * window seconds starts again; the max-th failure of a window locks k for window seconds, or
 * for twice the previous lock when that one ended less than a day before, at most cap. */
int store_limit_fail(struct store *s, const char *k, int64_t now, int64_t window, int64_t max,
                     int64_t cap, struct err *e);
/* Forgets k's failures and ends a lock that still runs (after a success, or an unlock); the
 * length of the last lock stays, so the next lock within a day still grows. */
int store_limit_reset(struct store *s, const char *k, int64_t now, struct err *e);
/* Deletes keys with no failure and no lock since before. */
int store_limit_purge(struct store *s, int64_t before, struct err *e);

/* A user's second factor. secret: base32, "" when none; confirmed: a first code proved it. */
struct user_totp {
    char secret[64];
    int confirmed;
    int64_t last_step;
    int recovery_left; /* recovery codes not used yet */
};
/* ERR_NOT_FOUND if there is no such user. */
int store_totp_get(struct store *s, const char *username, struct user_totp *out, struct err *e);
/* Starts an enrolment: a new unconfirmed secret; the old secret and recovery codes go. */
int store_totp_begin(struct store *s, const char *username, const char *secret, struct err *e);
/* Confirms the pending secret with the code of step and stores the recovery codes' argon2id
 * hashes, in one transaction; ERR_CONFLICT if there is no pending secret or it is confirmed. */
int store_totp_confirm(struct store *s, const char *username, int64_t step,
                       const char *const *hashes, int n, struct err *e);
/* Marks step used: ERR_CONFLICT when a code of this step or a later one was accepted already
 * (a replay, also from another server). */
int store_totp_use_step(struct store *s, const char *username, int64_t step, struct err *e);
/* Removes the second factor and the recovery codes (an administrator's reset). */
int store_totp_reset(struct store *s, const char *username, struct err *e);
typedef int (*recovery_fn)(const char *hash, void *ctx);
/* The hashes of username's unused recovery codes; fn returning non-zero stops (and is
 * returned). */
int store_recovery_each(struct store *s, const char *username, recovery_fn fn, void *ctx,
                        struct err *e);
/* Marks one recovery code used at now; ERR_CONFLICT if it was used already. */
int store_recovery_use(struct store *s, const char *username, const char *hash, int64_t now,
                       struct err *e);

#endif
