/* metrics.c — counters and histograms of answered requests, and /metrics: Prometheus text
 * with requests by route and status, latency histograms by route, requests in flight,
 * dossiers by state, open dossiers by outcome (in time / overdue) and the database's and its
 * write-ahead log's sizes. Label values are route patterns from the static table, so the text
 * needs no escaping. */
#include "metrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "http.h"
#include "readcache.h"
#include "server_int.h"
#include "store.h"

const int metric_status_codes[METRIC_NSTATUS - 1] = {200, 201, 204, 400, 401, 403, 404, 405,
                                                     409, 413, 415, 429, 500, 503, 0};
const double metric_buckets[METRIC_NBUCKETS - 1] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                    0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

int metrics_init(struct metrics *m, size_t nroutes)
{
    m->nroutes = nroutes;
    m->count = calloc(nroutes * METRIC_NSTATUS, sizeof *m->count);
    m->hist = calloc(nroutes * METRIC_NBUCKETS, sizeof *m->hist);
    m->sum_us = calloc(nroutes, sizeof *m->sum_us);
    atomic_store(&m->in_flight, 0);
    pthread_mutex_init(&m->dossiers_mu, NULL);
    m->dossiers_at = 0;
    m->open_at = 0;
    return m->count && m->hist && m->sum_us ? 0 : -1;
}

void metrics_free(struct metrics *m)
{
    free(m->count);
    free(m->hist);
    free(m->sum_us);
    if (m->count || m->hist || m->sum_us) pthread_mutex_destroy(&m->dossiers_mu);
    m->count = m->hist = m->sum_us = NULL;
}

static int status_slot(int status)
{
    for (int i = 0; i < METRIC_NSTATUS - 1 && metric_status_codes[i]; i++)
        if (metric_status_codes[i] == status) return i;
    return METRIC_NSTATUS - 1;
}

void metrics_observe(struct metrics *m, int route_index, int status, double seconds)
{
    if (!m->count) return;
    size_t ri = route_index < 0 ? m->nroutes - 1 : (size_t)route_index;
    atomic_fetch_add(&m->count[ri * METRIC_NSTATUS + (size_t)status_slot(status)], 1);
    int b = 0;
    while (b < METRIC_NBUCKETS - 1 && seconds > metric_buckets[b])
        b++;
    atomic_fetch_add(&m->hist[ri * METRIC_NBUCKETS + (size_t)b], 1);
    atomic_fetch_add(&m->sum_us[ri], (uint64_t)(seconds * 1e6));
}

/* A growing text buffer in the arena. */
struct text {
    struct arena *a;
    char *buf;
    size_t len, cap;
    int failed;
};

static void text_add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void text_add(struct text *t, const char *fmt, ...)
{
    if (t->failed) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->buf ? t->buf + t->len : NULL, t->buf ? t->cap - t->len : 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        t->failed = 1;
        return;
    }
    if (t->buf && t->len + (size_t)n < t->cap) {
        t->len += (size_t)n;
        return;
    }
    size_t cap = t->cap ? t->cap * 2 : 16384;
    while (cap <= t->len + (size_t)n)
        cap *= 2;
    char *b = arena_alloc(t->a, cap);
    if (!b) {
        t->failed = 1;
        return;
    }
    if (t->len) memcpy(b, t->buf, t->len);
    t->buf = b;
    t->cap = cap;
    va_start(ap, fmt);
    vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
    va_end(ap);
    t->len += (size_t)n;
}

static void route_labels(size_t i, size_t nroutes, const char **method, const char **pattern)
{
    if (i < nroutes - 1) {
        *method = routes[i].method;
        *pattern = routes[i].pattern;
    } else {
        *method = "";
        *pattern = "(none)";
    }
}

static void render_requests(struct text *t, const struct metrics *m)
{
    text_add(t, "# HELP cchc_http_requests_total Requests answered, by route and status.\n"
                "# TYPE cchc_http_requests_total counter\n");
    for (size_t i = 0; i < m->nroutes; i++) {
        const char *method, *pattern;
        route_labels(i, m->nroutes, &method, &pattern);
        for (int s = 0; s < METRIC_NSTATUS; s++) {
            uint64_t n = atomic_load(&m->count[i * METRIC_NSTATUS + (size_t)s]);
            if (!n) continue;
            char st[8];
            if (s < METRIC_NSTATUS - 1 && metric_status_codes[s])
                snprintf(st, sizeof st, "%d", metric_status_codes[s]);
            else
                snprintf(st, sizeof st, "other");
            text_add(t, "cchc_http_requests_total{method=\"%s\",route=\"%s\",status=\"%s\"} %llu\n",
                     method, pattern, st, (unsigned long long)n);
        }
    }
}

static void render_latency(struct text *t, const struct metrics *m)
{
    text_add(t, "# HELP cchc_http_request_duration_seconds Time from the request's first byte "
                "to the answer sent, by route.\n"
                "# TYPE cchc_http_request_duration_seconds histogram\n");
    for (size_t i = 0; i < m->nroutes; i++) {
        const char *method, *pattern;
        route_labels(i, m->nroutes, &method, &pattern);
        uint64_t cum = 0;
        for (int b = 0; b < METRIC_NBUCKETS; b++)
            cum += atomic_load(&m->hist[i * METRIC_NBUCKETS + (size_t)b]);
        if (!cum) continue;
        uint64_t total = cum;
        cum = 0;
        for (int b = 0; b < METRIC_NBUCKETS; b++) {
            cum += atomic_load(&m->hist[i * METRIC_NBUCKETS + (size_t)b]);
            char le[16];
            if (b < METRIC_NBUCKETS - 1)
                snprintf(le, sizeof le, "%g", metric_buckets[b]);
            else
                snprintf(le, sizeof le, "+Inf");
            text_add(t,
                     "cchc_http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\","
                     "le=\"%s\"} %llu\n",
                     method, pattern, le, (unsigned long long)cum);
        }
        text_add(t,
                 "cchc_http_request_duration_seconds_sum{method=\"%s\",route=\"%s\"} %.6f\n"
                 "cchc_http_request_duration_seconds_count{method=\"%s\",route=\"%s\"} %llu\n",
                 method, pattern, (double)atomic_load(&m->sum_us[i]) / 1e6, method, pattern,
                 (unsigned long long)total);
    }
}

_Static_assert(DS__COUNT <= 16, "struct metrics keeps 16 dossier states");

/* Dossiers by state, counted on the status index (it used to read every dossier row: about
 * 0.2 s per 20,000 dossiers); the count is still kept for METRIC_DOSSIERS_TTL seconds, so a
 * scrape every second costs one count per TTL. */
static void metrics_dossiers(struct req *r, struct text *t)
{
    struct metrics *m = &r->srv->metrics;
    int64_t n[DS__COUNT] = {0}, now = now_unix();
    pthread_mutex_lock(&m->dossiers_mu);
    if (!m->dossiers_at || now - m->dossiers_at >= METRIC_DOSSIERS_TTL) {
        struct err e = {0};
        if (!store_dossier_count_by_status(req_store(r), n, &e)) {
            memcpy(m->dossiers, n, sizeof n);
            m->dossiers_at = now;
        }
    }
    memcpy(n, m->dossiers, sizeof n);
    int known = m->dossiers_at != 0;
    pthread_mutex_unlock(&m->dossiers_mu);
    if (!known) return;
    text_add(t,
             "# HELP cchc_dossiers Dossiers by lifecycle state (counted at most every %d s).\n"
             "# TYPE cchc_dossiers gauge\n",
             METRIC_DOSSIERS_TTL);
    for (int i = 0; i < DS__COUNT; i++)
        text_add(t, "cchc_dossiers{status=\"%s\"} %lld\n",
                 dossier_status_name((enum dossier_status)i), (long long)n[i]);
}

static int count_open(const struct dossier *d, void *ctx)
{
    struct metrics_open *c = ctx;
    enum dossier_outcome o = dossier_outcome_at(&d->st, c->now);
    if (o == OUT_IN_TIME) c->in_time++;
    if (o == OUT_OVERDUE) c->overdue++;
    return 0;
}

/* Open dossiers by outcome: in time or overdue at the scrape. The outcome depends on the
 * clock, so it is computed over the rows (store_dossier_list), which costs a pass over every
 * dossier: kept for METRIC_OPEN_TTL seconds. */
static void metrics_open(struct req *r, struct text *t)
{
    struct metrics *m = &r->srv->metrics;
    int64_t now = now_unix();
    pthread_mutex_lock(&m->dossiers_mu);
    if (!m->open_at || now - m->open_at >= METRIC_OPEN_TTL) {
        struct metrics_open c = {.now = now_local_minutes()};
        struct dossier_filter f = {NULL, -1, -1, NULL, INT64_MIN, INT64_MAX, c.now, 0, 0, NULL, 0};
        struct err e = {0};
        if (!store_dossier_list(req_store(r), &f, count_open, &c, &e)) {
            m->open = c;
            m->open_at = now;
        }
    }
    struct metrics_open c = m->open;
    int known = m->open_at != 0;
    pthread_mutex_unlock(&m->dossiers_mu);
    if (!known) return;
    text_add(t,
             "# HELP cchc_dossiers_open Open dossiers by outcome at the count: in time or overdue "
             "(counted at most every %d s).\n"
             "# TYPE cchc_dossiers_open gauge\n"
             "cchc_dossiers_open{outcome=\"in_time\"} %lld\n"
             "cchc_dossiers_open{outcome=\"overdue\"} %lld\n",
             METRIC_OPEN_TTL, (long long)c.in_time, (long long)c.overdue);
}

/* The database file and its write-ahead log, in bytes, when the store is an SQLite file
 * (a URL of another backend has no file: nothing is written). */
static void metrics_db_size(struct req *r, struct text *t)
{
    const char *db = r->srv->cfg.db;
    struct stat st;
    if (stat(db, &st) || !S_ISREG(st.st_mode)) return;
    char wal[CONFIG_STR_MAX + 8];
    snprintf(wal, sizeof wal, "%s-wal", db);
    struct stat ws;
    long long wal_bytes = stat(wal, &ws) ? 0 : (long long)ws.st_size;
    text_add(t,
             "# HELP cchc_db_size_bytes Size of the SQLite database file.\n"
             "# TYPE cchc_db_size_bytes gauge\ncchc_db_size_bytes %lld\n"
             "# HELP cchc_db_wal_size_bytes Size of its write-ahead log (0 when absent).\n"
             "# TYPE cchc_db_wal_size_bytes gauge\ncchc_db_wal_size_bytes %lld\n",
             (long long)st.st_size, wal_bytes);
}

/* Group commit (docs/scale.md): commits made durable through a shared WAL sync, and the
 * syncs; commits / syncs is the mean group size. Both 0 with group commit off. On PostgreSQL
 * the syncs are the flushes this process asked for (the server may share them further). */
static void metrics_group_commit(struct text *t)
{
    uint64_t commits, syncs;
    store_group_commit_counts(&commits, &syncs);
    text_add(t,
             "# HELP cchc_db_group_commits_total Commits that waited for a shared WAL sync "
             "(group commit).\n"
             "# TYPE cchc_db_group_commits_total counter\ncchc_db_group_commits_total %llu\n"
             "# HELP cchc_db_group_syncs_total WAL syncs made for group commit; each covers "
             "every commit completed before it began (PostgreSQL: flushes asked of the "
             "server, which may share them).\n"
             "# TYPE cchc_db_group_syncs_total counter\ncchc_db_group_syncs_total %llu\n",
             (unsigned long long)commits, (unsigned long long)syncs);
}

/* The read cache (readcache.h): absent when read_cache_mb = 0. */
static void metrics_read_cache(struct server *srv, struct text *t)
{
    if (!srv->rcache) return;
    struct readcache_stats st;
    readcache_stats(srv->rcache, &st);
    text_add(t,
             "# HELP cchc_read_cache_hits_total Reads answered from the read cache.\n"
             "# TYPE cchc_read_cache_hits_total counter\ncchc_read_cache_hits_total %llu\n"
             "# HELP cchc_read_cache_misses_total Reads the read cache did not hold.\n"
             "# TYPE cchc_read_cache_misses_total counter\ncchc_read_cache_misses_total %llu\n"
             "# HELP cchc_read_cache_refused_total Values read but not kept: something was "
             "dropped while they were read.\n"
             "# TYPE cchc_read_cache_refused_total counter\ncchc_read_cache_refused_total %llu\n"
             "# HELP cchc_read_cache_drops_total Entries dropped because another process changed "
             "them (PostgreSQL notifications).\n"
             "# TYPE cchc_read_cache_drops_total counter\ncchc_read_cache_drops_total %llu\n"
             "# HELP cchc_read_cache_flushes_total Times the whole read cache was dropped (a "
             "change seen by the change check, or a notification naming no one thing).\n"
             "# TYPE cchc_read_cache_flushes_total counter\ncchc_read_cache_flushes_total %llu\n"
             "# HELP cchc_read_cache_listens_total Times the listening connection started "
             "listening (PostgreSQL; 0 on SQLite).\n"
             "# TYPE cchc_read_cache_listens_total counter\ncchc_read_cache_listens_total %llu\n"
             "# HELP cchc_read_cache_live Whether the read cache is in use (PostgreSQL: while "
             "its listener listens).\n"
             "# TYPE cchc_read_cache_live gauge\ncchc_read_cache_live %d\n"
             "# HELP cchc_read_cache_bytes Bytes the read cache holds.\n"
             "# TYPE cchc_read_cache_bytes gauge\ncchc_read_cache_bytes %llu\n",
             (unsigned long long)st.hits, (unsigned long long)st.misses,
             (unsigned long long)st.refused, (unsigned long long)st.drops,
             (unsigned long long)st.flushes, (unsigned long long)st.lives, st.live,
             (unsigned long long)st.bytes);
    readcache_stats(srv->pcache, &st);
    text_add(t,
             "# HELP cchc_list_page_cache_hits_total List pages answered whole from the page "
             "cache (emptied by any change to any dossier).\n"
             "# TYPE cchc_list_page_cache_hits_total counter\ncchc_list_page_cache_hits_total "
             "%llu\n"
             "# HELP cchc_list_page_cache_misses_total List pages rendered from the database.\n"
             "# TYPE cchc_list_page_cache_misses_total counter\n"
             "cchc_list_page_cache_misses_total %llu\n",
             (unsigned long long)st.hits, (unsigned long long)st.misses);
}

void h_metrics(struct req *r)
{
    if (auth_metrics_refused(r) || req_query_check(r, NULL)) return;
    struct server *srv = r->srv;
    struct text t = {r->arena, NULL, 0, 0, 0};
    render_requests(&t, &srv->metrics);
    render_latency(&t, &srv->metrics);
    text_add(&t,
             "# HELP cchc_http_requests_in_flight Requests being handled now.\n"
             "# TYPE cchc_http_requests_in_flight gauge\ncchc_http_requests_in_flight %lld\n",
             (long long)atomic_load(&srv->metrics.in_flight));
    metrics_dossiers(r, &t);
    metrics_open(r, &t);
    metrics_db_size(r, &t);
    metrics_group_commit(&t);
    metrics_read_cache(srv, &t);
    if (t.failed) {
        reply_error(r, 500, "internal", NULL, "out of memory");
        return;
    }
    reply_text(r, 200, "text/plain; version=0.0.4; charset=utf-8", t.buf, t.len);
}
