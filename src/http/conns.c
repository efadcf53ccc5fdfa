/* conns.c — connection deadlines and shedding (see conns.h): a list of open connections under
 * one mutex, and a watchdog thread that looks at it five times a second. */
#include "conns.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

struct conn {
    struct conn *prev, *next;
    int fd;
    int shut;            /* shutdown() done: waiting for microhttpd to close it */
    int64_t since_ms;    /* when the current request began (opened, or last answer sent) */
    int64_t deadline_ms; /* 0 while a whole request is being handled */
};

struct conns {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t thread;
    int stop;
    int64_t timeout_ms;
    unsigned limit;
    struct conn head; /* circular list */
    int64_t open, timed_out, shed;
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sweep(struct conns *cs)
{
    int64_t now = now_ms();
    int shedding = (uint64_t)cs->open * 4 > (uint64_t)cs->limit * 3;
    for (struct conn *c = cs->head.next; c != &cs->head; c = c->next) {
        if (c->shut || !c->deadline_ms) continue;
        int late = now >= c->deadline_ms;
        int shed = !late && shedding && now - c->since_ms >= CONNS_SHED_MS;
        if (!late && !shed) continue;
        /* Wakes the worker polling it with end-of-file; microhttpd closes the connection. */
        shutdown(c->fd, SHUT_RDWR);
        c->shut = 1;
        if (late)
            cs->timed_out++;
        else
            cs->shed++;
    }
}

static void *watchdog(void *arg)
{
    struct conns *cs = arg;
    pthread_mutex_lock(&cs->mu);
    while (!cs->stop) {
        sweep(cs);
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 200 * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&cs->cv, &cs->mu, &ts);
    }
    pthread_mutex_unlock(&cs->mu);
    return NULL;
}

struct conns *conns_new(int64_t timeout_ms, unsigned limit)
{
    struct conns *cs = calloc(1, sizeof *cs);
    if (!cs) return NULL;
    pthread_mutex_init(&cs->mu, NULL);
    pthread_cond_init(&cs->cv, NULL);
    cs->timeout_ms = timeout_ms;
    cs->limit = limit;
    cs->head.next = cs->head.prev = &cs->head;
    if (pthread_create(&cs->thread, NULL, watchdog, cs)) {
        pthread_mutex_destroy(&cs->mu);
        pthread_cond_destroy(&cs->cv);
        free(cs);
        return NULL;
    }
    return cs;
}

void conns_free(struct conns *cs)
{
    if (!cs) return;
    pthread_mutex_lock(&cs->mu);
    cs->stop = 1;
    pthread_cond_signal(&cs->cv);
    pthread_mutex_unlock(&cs->mu);
    pthread_join(cs->thread, NULL);
    while (cs->head.next != &cs->head) { /* none left once microhttpd has stopped */
        struct conn *c = cs->head.next;
        cs->head.next = c->next;
        free(c);
    }
    pthread_mutex_destroy(&cs->mu);
    pthread_cond_destroy(&cs->cv);
    free(cs);
}

void conns_opened(struct conns *cs, int fd, void **ctx)
{
    struct conn *c = calloc(1, sizeof *c);
    *ctx = c;
    if (!c) return;
    c->fd = fd;
    c->since_ms = now_ms();
    c->deadline_ms = c->since_ms + cs->timeout_ms;
    pthread_mutex_lock(&cs->mu);
    c->next = &cs->head;
    c->prev = cs->head.prev;
    c->prev->next = c;
    cs->head.prev = c;
    cs->open++;
    pthread_mutex_unlock(&cs->mu);
}

void conns_closed(struct conns *cs, void **ctx)
{
    struct conn *c = *ctx;
    if (!c) return;
    pthread_mutex_lock(&cs->mu);
    c->prev->next = c->next;
    c->next->prev = c->prev;
    cs->open--;
    pthread_mutex_unlock(&cs->mu);
    free(c);
    *ctx = NULL;
}

void conns_request_read(struct conns *cs, void *ctx)
{
    struct conn *c = ctx;
    if (!c) return;
    pthread_mutex_lock(&cs->mu);
    c->deadline_ms = 0;
    pthread_mutex_unlock(&cs->mu);
}

void conns_request_done(struct conns *cs, void *ctx)
{
    struct conn *c = ctx;
    if (!c) return;
    pthread_mutex_lock(&cs->mu);
    c->since_ms = now_ms();
    c->deadline_ms = c->since_ms + cs->timeout_ms;
    pthread_mutex_unlock(&cs->mu);
}

void conns_counts(struct conns *cs, int64_t *open, int64_t *timed_out, int64_t *shed)
{
    pthread_mutex_lock(&cs->mu);
    *open = cs->open;
    *timed_out = cs->timed_out;
    *shed = cs->shed;
    pthread_mutex_unlock(&cs->mu);
}
