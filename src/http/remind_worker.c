/* remind_worker.c — the reminder thread of `cchc serve` (remind_worker.h). */
#include "remind_worker.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar.h"
#include "date.h"
#include "remind.h"
#include "store.h"
#include "store_calendar.h"
#include "store_remind.h"

struct remind_worker {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop;
    int64_t interval;
    struct store *s;
    struct calendar *base; /* the file calendar */
    struct calendar *cal;  /* with the decisions recorded in the database, at version */
    int64_t version;
    struct remind_rules rules;
};

static void *worker_main(void *arg)
{
    struct remind_worker *w = arg;
    pthread_mutex_lock(&w->mu);
    while (!w->stop) {
        pthread_mutex_unlock(&w->mu);
        struct remind_sweep_stats st;
        struct err e = {0};
        int64_t now = ((int64_t)time(NULL) + 7 * 3600) / 60; /* local minutes (date.h) */
        /* a calendar decision recorded since the last sweep (by any server) is seen here */
        if (store_calendar_refresh(w->s, w->base, &w->cal, &w->version, &e))
            fprintf(stderr, "cchc serve: reminders: calendar decisions: %s\n", e.msg);
        if (w->cal && store_remind_sweep(w->s, &w->rules, w->cal, now, &st, &e))
            fprintf(stderr, "cchc serve: reminders: %s\n", e.msg);
        pthread_mutex_lock(&w->mu);
        if (w->stop) break;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += w->interval;
        pthread_cond_timedwait(&w->cv, &w->mu, &ts);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

static void worker_free(struct remind_worker *w)
{
    if (w->s) store_close(w->s);
    calendar_free(w->cal);
    calendar_free(w->base);
    free(w);
}

int remind_worker_start(const struct serve_config *cfg, struct remind_worker **out, struct err *e)
{
    *out = NULL;
    if (!cfg->remind_worker) return 0;
    struct remind_worker *w = calloc(1, sizeof *w);
    if (!w) return err_set(e, ERR_NOMEM, "", "out of memory");
    struct err we = {0};
    int year = days_to_ymd(((int64_t)time(NULL) + 7 * 3600) / 86400).y;
    if (remind_rules_load(config_data_dir(cfg), &w->rules, &we) ||
        calendar_load(config_data_dir(cfg), year - 1, year + 2, NULL, &w->base, &we)) {
        /* a data directory without the rules: the server serves without reminders */
        fprintf(stderr, "cchc serve: reminders off: %s\n", we.msg);
        worker_free(w);
        return 0;
    }
    int rc = store_open(cfg->db, &w->s, e);
    if (rc) {
        w->s = NULL;
        worker_free(w);
        return rc;
    }
    w->interval = cfg->remind_interval;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    if (pthread_create(&w->th, NULL, worker_main, w)) {
        worker_free(w);
        return err_set(e, ERR_INTERNAL, "remind_worker", "cannot start the reminder thread");
    }
    *out = w;
    return 0;
}

void remind_worker_stop(struct remind_worker *w)
{
    if (!w) return;
    pthread_mutex_lock(&w->mu);
    w->stop = 1;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->th, NULL);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    worker_free(w);
}
