/* metrics.h — request counters by route and status and a latency histogram per route,
 * lock-free (atomics), rendered as Prometheus text by /metrics. */
#ifndef CCHC_METRICS_H
#define CCHC_METRICS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define METRIC_NBUCKETS 13 /* latency buckets, the last is +Inf */
#define METRIC_NSTATUS  16 /* status slots, the last is "other" */

extern const int metric_status_codes[METRIC_NSTATUS - 1];
extern const double metric_buckets[METRIC_NBUCKETS - 1];

struct metrics {
    size_t nroutes; /* routes_count + 1: the last slot counts requests that matched no route */
    _Atomic uint64_t *count;  /* [nroutes][METRIC_NSTATUS] */
    _Atomic uint64_t *hist;   /* [nroutes][METRIC_NBUCKETS], not cumulative */
    _Atomic uint64_t *sum_us; /* [nroutes] total microseconds */
    _Atomic int64_t in_flight;
    /* dossiers by state, recounted at most every METRIC_DOSSIERS_TTL seconds */
    pthread_mutex_t dossiers_mu;
    int64_t dossiers_at; /* Unix seconds of the last count, 0 = never */
    int64_t dossiers[16];
    /* open dossiers in time / overdue, recounted at most every METRIC_OPEN_TTL seconds (under
     * dossiers_mu) */
    int64_t open_at;
    struct metrics_open {
        int64_t now; /* local minutes of the count */
        int64_t in_time, overdue;
    } open;
};

#define METRIC_DOSSIERS_TTL 10
#define METRIC_OPEN_TTL     60

int metrics_init(struct metrics *m, size_t nroutes);
void metrics_free(struct metrics *m);
/* route_index -1 for requests that matched no route. */
void metrics_observe(struct metrics *m, int route_index, int status, double seconds);

#endif
