/* ratelimit.c — an open-addressing table of (hashed key, window start, failures). A key whose
 * window still runs is never evicted, however much traffic about other keys arrives: the
 * table grows (doubling) up to RL_CAP slots, and only expired windows are dropped when it is
 * rebuilt. If live keys would fill even RL_CAP slots, the table is saturated and an unknown
 * key counts as blocked (fail closed) until windows expire. */
#include "ratelimit.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RL_CAP (1u << 20) /* 24 MiB per table at most */

struct slot {
    uint64_t h; /* 0 = empty */
    int64_t start;
    int count;
};

struct ratelimit {
    pthread_mutex_t mu;
    unsigned n, used; /* slots, and slots not empty (live or expired) */
    int max, window;
    int saturated;
    unsigned char key[crypto_shorthash_KEYBYTES];
    struct slot *slots;
};

struct ratelimit *ratelimit_new(unsigned slots, int max, int window_s)
{
    struct ratelimit *rl = calloc(1, sizeof *rl);
    if (!rl) return NULL;
    unsigned n = 64;
    while (n < slots && n < RL_CAP)
        n *= 2;
    rl->slots = calloc(n, sizeof *rl->slots);
    if (!rl->slots) {
        free(rl);
        return NULL;
    }
    pthread_mutex_init(&rl->mu, NULL);
    rl->n = n;
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

static int expired(const struct ratelimit *rl, const struct slot *s, int64_t now)
{
    return !s->count || now - s->start >= rl->window;
}

/* Rebuilds the table with n slots, keeping live windows only. 0, or -1 out of memory. */
static int rebuild(struct ratelimit *rl, unsigned n, int64_t now)
{
    struct slot *t = calloc(n, sizeof *t);
    if (!t) return -1;
    unsigned used = 0;
    for (unsigned i = 0; i < rl->n; i++) {
        const struct slot *s = &rl->slots[i];
        if (!s->h || expired(rl, s, now)) continue;
        unsigned j = (unsigned)(s->h % n);
        while (t[j].h)
            j = (j + 1) % n;
        t[j] = *s;
        used++;
    }
    free(rl->slots);
    rl->slots = t;
    rl->n = n;
    rl->used = used;
    return 0;
}

/* The slot of h (its window reset if over), or with create a new one; NULL if absent (or,
 * with create, if the table is saturated). */
static struct slot *find(struct ratelimit *rl, uint64_t h, int64_t now, int create)
{
    struct slot *reuse = NULL;
    unsigned j = (unsigned)(h % rl->n);
    for (; rl->slots[j].h; j = (j + 1) % rl->n) {
        struct slot *s = &rl->slots[j];
        if (s->h == h) {
            if (now - s->start >= rl->window) {
                s->start = now;
                s->count = 0;
            }
            return s;
        }
        if (!reuse && expired(rl, s, now)) reuse = s;
    }
    if (!create) return NULL;
    if (!reuse) {
        if ((rl->used + 1) * 4 > rl->n * 3) { /* keep probe runs short: load at most 3/4 */
            unsigned n = rl->n < RL_CAP ? rl->n * 2 : rl->n;
            if (rebuild(rl, n, now) || (rl->used + 1) * 4 > rl->n * 3) {
                rl->saturated = 1;
                return NULL;
            }
            return find(rl, h, now, 1);
        }
        reuse = &rl->slots[j];
        rl->used++;
    }
    rl->saturated = 0;
    reuse->h = h;
    reuse->start = now;
    reuse->count = 0;
    return reuse;
}

int ratelimit_blocked(struct ratelimit *rl, const char *key, int64_t now, int *retry_after)
{
    uint64_t h = key_hash(rl, key);
    pthread_mutex_lock(&rl->mu);
    struct slot *s = find(rl, h, now, 0);
    int blocked = s ? s->count >= rl->max : rl->saturated;
    if (blocked && retry_after) *retry_after = s ? (int)(s->start + rl->window - now) : rl->window;
    pthread_mutex_unlock(&rl->mu);
    return blocked;
}

void ratelimit_fail(struct ratelimit *rl, const char *key, int64_t now)
{
    uint64_t h = key_hash(rl, key);
    pthread_mutex_lock(&rl->mu);
    struct slot *s = find(rl, h, now, 1);
    if (s) s->count++;
    pthread_mutex_unlock(&rl->mu);
}

int ratelimit_window_start(struct ratelimit *rl, const char *key, int64_t now, int64_t *start)
{
    uint64_t h = key_hash(rl, key);
    pthread_mutex_lock(&rl->mu);
    struct slot *s = find(rl, h, now, 0);
    int live = s && s->count > 0;
    if (live) *start = s->start;
    pthread_mutex_unlock(&rl->mu);
    return live;
}

void ratelimit_reset(struct ratelimit *rl, const char *key)
{
    uint64_t h = key_hash(rl, key);
    pthread_mutex_lock(&rl->mu);
    struct slot *s = find(rl, h, 0, 0);
    if (s) s->count = 0; /* stays as an expired slot, reused by the next insertion */
    pthread_mutex_unlock(&rl->mu);
}

int ratelimit_net_key(const char *ip, char *out, size_t n)
{
    struct in_addr a4;
    struct in6_addr a6;
    char buf[INET6_ADDRSTRLEN];
    if (inet_pton(AF_INET, ip, &a4) == 1) {
        a4.s_addr &= htonl(0xFFFFFF00u);
        inet_ntop(AF_INET, &a4, buf, sizeof buf);
        return snprintf(out, n, "n:%s/24", buf) >= (int)n ? -1 : 0;
    }
    if (inet_pton(AF_INET6, ip, &a6) == 1) {
        if (IN6_IS_ADDR_V4MAPPED(&a6)) {
            memcpy(&a4, &a6.s6_addr[12], 4);
            inet_ntop(AF_INET, &a4, buf, sizeof buf);
            return ratelimit_net_key(buf, out, n);
        }
        memset(&a6.s6_addr[8], 0, 8);
        inet_ntop(AF_INET6, &a6, buf, sizeof buf);
        return snprintf(out, n, "n:%s/64", buf) >= (int)n ? -1 : 0;
    }
    return snprintf(out, n, "n:%s", ip) >= (int)n ? -1 : 0;
}
