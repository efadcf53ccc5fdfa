/* ratelimit.h — counts failures per key (a client address, its network, a username, a
 * dossier code) in a fixed window: keys are hashed with a random SipHash key (libsodium's
 * crypto_shorthash), so the table holds no personal data in clear and cannot be flooded into
 * one bucket. A key whose window still runs is never evicted by traffic about other keys
 * (issue 12: 12,000 failures on made-up codes gave a locked code fresh guesses); the table
 * grows to a bounded size and, were even that full of live windows, refuses unknown keys
 * (fail closed). Counts live in this process: several servers each count their own.
 * Thread-safe. */
#ifndef CCHC_RATELIMIT_H
#define CCHC_RATELIMIT_H

#include <stddef.h>
#include <stdint.h>

struct ratelimit;

/* slots: table size (bounded memory); max failures allowed per window of window_s seconds. */
struct ratelimit *ratelimit_new(unsigned slots, int max, int window_s);
void ratelimit_free(struct ratelimit *rl);
/* 1 if key has used up its failures at time now (seconds); *retry_after = seconds left. */
int ratelimit_blocked(struct ratelimit *rl, const char *key, int64_t now, int *retry_after);
/* Counts one failure for key. */
void ratelimit_fail(struct ratelimit *rl, const char *key, int64_t now);
/* 1 and the start of key's window in *start if key has failures in a running window. */
int ratelimit_window_start(struct ratelimit *rl, const char *key, int64_t now, int64_t *start);
/* Forgets key (after a success). */
void ratelimit_reset(struct ratelimit *rl, const char *key);
/* The key of ip's network: "n:192.0.2.0/24" for IPv4 (and IPv4-mapped IPv6), "n:2001:db8::/64"
 * for IPv6 — one household, office or cloud tenant, which can take many addresses. */
int ratelimit_net_key(const char *ip, char *out, size_t n);

#endif
