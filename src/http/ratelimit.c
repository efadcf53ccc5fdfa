/* ratelimit.c — a fixed table of (hashed key, window start, failures) with linear probing
 * over a short run; a full run evicts its oldest window, so memory stays bounded whatever
 * the traffic. */
#include "ratelimit.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define PROBE 8

struct slot {
    uint64_t h; /* 0 = empty */
    int64_t start;
    int count;
};

struct ratelimit {
    pthread_mutex_t mu;
    unsigned n;
    int max, window;
    unsigned char key[crypto_shorthash_KEYBYTES];
    struct slot *slots;
};

struct ratelimit *ratelimit_new(unsigned slots, int max, int window_s)
{
    struct ratelimit *rl = calloc(1, sizeof *rl);
    if (!rl) return NULL;
    rl->slots = calloc(slots, sizeof *rl->slots);
    if (!rl->slots) {
        free(rl);
        return NULL;
    }
    pthread_mutex_init(&rl->mu, NULL);
    rl->n = slots;
    rl->max = max;
    rl->window = window_s;
    crypto_shorthash_keygen(rl->key);
    return rl;
}

void ratelimit_free(struct ratelimit *rl)
{
    if (!rl) return;
    pthread_mutex_destroy(&rl->mu);
    free(rl->slots);
    free(rl);
}

static uint64_t key_hash(const struct ratelimit *rl, const char *key)
{
    unsigned char out[crypto_shorthash_BYTES];
    crypto_shorthash(out, (const unsigned char *)key, strlen(key), rl->key);
    uint64_t h;
    memcpy(&h, out, sizeof h);
    return h ? h : 1;
}

/* The slot holding h, or (create) a free or the oldest slot of its run, reset for h. */
static struct slot *find(struct ratelimit *rl, uint64_t h, int64_t now, int create)
{
    struct slot *oldest = NULL;
    for (unsigned i = 0; i < PROBE; i++) {
        struct slot *s = &rl->slots[(h + i) % rl->n];
        if (s->h == h) {
            if (now - s->start >= rl->window) {
                s->start = now;
                s->count = 0;
            }
            return s;
        }
        if (!oldest || !s->h || (oldest->h && s->start < oldest->start)) oldest = s;
    }
    if (!create) return NULL;
    oldest->h = h;
    oldest->start = now;
    oldest->count = 0;
    return oldest;
}

int ratelimit_blocked(struct ratelimit *rl, const char *key, int64_t now, int *retry_after)
{
    uint64_t h = key_hash(rl, key);
    pthread_mutex_lock(&rl->mu);
    struct slot *s = find(rl, h, now, 0);
    int blocked = s && s->count >= rl->max;
    if (blocked && retry_after) *retry_after = (int)(s->start + rl->window - now);
    pthread_mutex_unlock(&rl->mu);
    return blocked;
}

void ratelimit_fail(struct ratelimit *rl, const char *key, int64_t now)
{
    uint64_t h = key_hash(rl, key);
    pthread_mutex_lock(&rl->mu);
    struct slot *s = find(rl, h, now, 1);
    s->count++;
    pthread_mutex_unlock(&rl->mu);
}

void ratelimit_reset(struct ratelimit *rl, const char *key)
{
    uint64_t h = key_hash(rl, key);
    pthread_mutex_lock(&rl->mu);
    for (unsigned i = 0; i < PROBE; i++) {
        struct slot *s = &rl->slots[(h + i) % rl->n];
        if (s->h == h) memset(s, 0, sizeof *s);
    }
    pthread_mutex_unlock(&rl->mu);
}
