/* watch.c — store_watch: one thread that LISTENs on PostgreSQL's channel cchc_cache and hands
 * each notification to its caller (the HTTP server's read cache, src/http/readcache.h). The
 * notifications come from the triggers of migration 055 (pg/055_cache_notify.sql), in the
 * changing transaction, so they arrive after its commit, in commit order; a connection that
 * breaks may lose some, which the caller learns as STORE_WATCH_LOST (and, once listening again,
 * STORE_WATCH_LIVE). libpq's asynchronous notification interface: PQconsumeInput, PQnotifies. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "sqlite_int.h"
#include "store.h"

/* sq_watch_epoch's: moved on every '*' notification and every start or loss of listening;
 * live counts the watches listening (one per server). */
static _Atomic uint64_t ref_epoch = 1;
static atomic_int ref_live;

uint64_t sq_watch_epoch(int *live)
{
    *live = atomic_load(&ref_live) > 0;
    return atomic_load(&ref_epoch);
}

struct store_watch {
    pthread_t th;
    char *url;
    store_watch_fn fn;
    void *arg;
    atomic_int stop;
    int wake[2];  /* written to by store_watch_stop: the thread leaves its poll */
    int delay_ms; /* CCHC_WATCH_DELAY_MS (tests): each notification handed over that late */
};

/* Waits up to ms for the stop pipe; 1 when stopping. */
static int wait_stop(struct store_watch *w, int ms)
{
    struct pollfd p = {w->wake[0], POLLIN, 0};
    if (poll(&p, 1, ms) < 0 && errno != EINTR) usleep((useconds_t)ms * 1000);
    return atomic_load(&w->stop);
}

static PGconn *listen_conn(const struct store_watch *w)
{
    /* keepalives: a server gone silent (not closed) is noticed in about 11 s, not the system's
     * two hours; the URL may override them */
    const char *const keys[] = {
        "connect_timeout",     "application_name", "keepalives", "keepalives_idle",
        "keepalives_interval", "keepalives_count", "dbname",     NULL};
    const char *const vals[] = {"10", "cchc-watch", "1", "5", "2", "3", w->url, NULL};
    PGconn *c = PQconnectdbParams(keys, vals, 1);
    if (!c) return NULL;
    PGresult *res = NULL;
    if (PQstatus(c) != CONNECTION_OK || !(res = PQexec(c, "LISTEN cchc_cache")) ||
        PQresultStatus(res) != PGRES_COMMAND_OK || PQsetnonblocking(c, 1)) {
        PQclear(res);
        PQfinish(c);
        return NULL;
    }
    PQclear(res);
    return c;
}

static void *watch_main(void *p)
{
    struct store_watch *w = p;
    int backoff = 50;
    while (!atomic_load(&w->stop)) {
        PGconn *c = listen_conn(w);
        if (c) {
            backoff = 50;
            atomic_fetch_add(&ref_epoch, 1);
            atomic_fetch_add(&ref_live, 1);
            w->fn(STORE_WATCH_LIVE, NULL, w->arg);
            while (!atomic_load(&w->stop)) {
                struct pollfd pf[2] = {{PQsocket(c), POLLIN, 0}, {w->wake[0], POLLIN, 0}};
                if (poll(pf, 2, -1) < 0) {
                    if (errno == EINTR) continue;
                    break;
                }
                if (pf[1].revents) break;
                if (!PQconsumeInput(c)) break;
                PGnotify *n;
                while ((n = PQnotifies(c))) {
                    if (w->delay_ms) usleep((useconds_t)w->delay_ms * 1000);
                    if (n->extra[0] == '*') atomic_fetch_add(&ref_epoch, 1);
                    w->fn(STORE_WATCH_CHANGE, n->extra, w->arg);
                    PQfreemem(n);
                }
                if (PQstatus(c) != CONNECTION_OK) break;
            }
            atomic_fetch_sub(&ref_live, 1);
            atomic_fetch_add(&ref_epoch, 1);
            w->fn(STORE_WATCH_LOST, NULL, w->arg);
            PQfinish(c);
        }
        if (wait_stop(w, backoff)) break;
        backoff = backoff < 1000 ? backoff * 2 : 2000;
    }
    return NULL;
}

int store_watch_start(const char *db, store_watch_fn fn, void *arg, struct store_watch **out,
                      struct err *e)
{
    *out = NULL;
    if (!store_url_is_pg(db)) return 0;
    struct store_watch *w = calloc(1, sizeof *w);
    if (!w || !(w->url = strdup(db))) {
        free(w);
        return err_set(e, ERR_NOMEM, "watch", "out of memory");
    }
    w->fn = fn;
    w->arg = arg;
    /* a listener slow to hand notifications over, as on a loaded machine: the tests show that
     * the server's own writes do not wait for them (readcache.h) */
    const char *delay = getenv("CCHC_WATCH_DELAY_MS");
    if (delay && *delay) {
        char *end;
        long v = strtol(delay, &end, 10);
        if (!*end && v > 0 && v <= 5000) w->delay_ms = (int)v;
    }
    if (pipe(w->wake)) {
        free(w->url);
        free(w);
        return err_set(e, ERR_IO, "watch", "cannot make a pipe: %s", strerror(errno));
    }
    if ((errno = pthread_create(&w->th, NULL, watch_main, w))) {
        int why = errno;
        close(w->wake[0]);
        close(w->wake[1]);
        free(w->url);
        free(w);
        return err_set(e, ERR_IO, "watch", "cannot start the listening thread: %s", strerror(why));
    }
    *out = w;
    return 0;
}

void store_watch_stop(struct store_watch *w)
{
    if (!w) return;
    atomic_store(&w->stop, 1);
    ssize_t n = write(w->wake[1], "x", 1);
    (void)n;
    pthread_join(w->th, NULL);
    close(w->wake[0]);
    close(w->wake[1]);
    free(w->url);
    free(w);
}
