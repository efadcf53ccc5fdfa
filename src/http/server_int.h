/* server_int.h — the server's state, shared by server.c and the resource files that need
 * more than struct req gives (metrics, rate limiters). Internal to src/http. */
#ifndef CCHC_SERVER_INT_H
#define CCHC_SERVER_INT_H

#include <pthread.h>
#include <stdatomic.h>

#include "config.h"
#include "metrics.h"
#include "proxy.h"
#include "ratelimit.h"
#include "server.h"

struct store;
struct calendar;
struct calstate;
struct forms;
struct docsign;
struct MHD_Daemon;
struct payment_rt;

/* A fixed set of database connections; a request leases one while its handler runs. */
struct store_pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int n;
    struct store **s;
    struct listcache **cache; /* one per connection, used by the request leasing it */
    int *busy;
    /* readcache.h: each connection's last change mark (store_change_mark, SQLite), and
     * whether it has one */
    uint64_t *mark;
    int *marked;
};

struct server {
    struct serve_config cfg;
    struct MHD_Daemon *d;
    /* server.c: the listening socket is accepted from by a thread of ours, which hands each
     * connection to microhttpd (MHD_add_connection), so the pool's workers share connections
     * by their numbers, not by which worker woke first; wake[1] stops it. */
    int listen_fd, wake[2];
    pthread_t acceptor;
    int acceptor_running;
    /* connections handed over, and those microhttpd has started (on_connection): the ones
     * between are not yet in conns' count, and the acceptor counts them against max_conns */
    _Atomic int64_t handed, started;
    struct store_pool pool;
    struct calendar *cal;  /* the file calendar (data/calendar) */
    struct calstate *calx; /* calendar_http.c: it with the database's decisions */
    struct metrics metrics;
    unsigned char device_key[32]; /* auth.c: the known-device cookie's MAC key */
    unsigned char limit_key[32];  /* dblimit.c: the hash key of counted keys */
    struct conns *conns;
    /* monotonic milliseconds of the last write request answered 503 (the database failed)
     * and of the last that succeeded: /healthz reports "not ready" while the last failed. */
    _Atomic int64_t last_write_fail, last_write_ok;
    _Atomic int64_t probe_at; /* health.c's disk probe: when, and its errno (0: writable) */
    _Atomic int probe_errno;
    struct proxy_list proxies; /* trusted_proxies, parsed once at start */
    /* The options a reload (server_reload) may change while requests run. */
    _Atomic int64_t slow_ms;
    _Atomic int64_t request_log;
    enum proxy_header proxy_header;
    int port;
    /* forms.c: the form registry and the document-signing keys (NULL when data/forms or the
     * key are missing: the form routes then answer 503 with keys_error). */
    struct forms *forms;
    struct docsign *keys;
    char keys_error[400];
    struct payment_rt *pay;    /* payment.c: the test provider and the reconciler, or NULL */
    struct readcache *rcache;  /* readcache.h, NULL when off */
    struct readcache *pcache;  /* the same for whole list pages, emptied by any dossier change */
    struct store_watch *watch; /* PostgreSQL: other processes' changes, into rcache */
    pthread_mutex_t mark_mu;   /* the read cache's last check (server.c, read_cache_check): */
    uint64_t rc_own;           /* store_own_commits then */
    int64_t rc_checked_at;     /* its monotonic time, ns */
    int rc_checked;            /* whether there was one */
};
/* calendar_http.c: the calendar with the decisions recorded in the database, rebuilt when
 * their version changes (any server on the database may record one). */
int calendar_http_open(struct server *srv, struct err *e);
void calendar_http_close(struct server *srv);
const struct calendar *calendar_http_get(struct req *r);
void calendar_http_release(struct req *r);
int forms_http_open(struct server *srv, const char *data, struct err *e);
void forms_http_close(struct server *srv);

#endif
