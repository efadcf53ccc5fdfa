/* ratelimit.h — counts failures per key (a client address, a username, a dossier code) in
 * a fixed window, in a bounded table: keys are hashed with a random SipHash key
 * (libsodium's crypto_shorthash), so the table holds no personal data in clear and cannot
 * be flooded into one bucket; when full, the oldest window is evicted. Thread-safe. */
#ifndef CCHC_RATELIMIT_H
#define CCHC_RATELIMIT_H

#include <stdint.h>

struct ratelimit;

/* slots: table size (bounded memory); max failures allowed per window of window_s seconds. */
struct ratelimit *ratelimit_new(unsigned slots, int max, int window_s);
void ratelimit_free(struct ratelimit *rl);
/* 1 if key has used up its failures at time now (seconds); *retry_after = seconds left. */
int ratelimit_blocked(struct ratelimit *rl, const char *key, int64_t now, int *retry_after);
/* Counts one failure for key. */
void ratelimit_fail(struct ratelimit *rl, const char *key, int64_t now);
/* Forgets key (after a success). */
void ratelimit_reset(struct ratelimit *rl, const char *key);

#endif
