/* notify_worker.c — the delivery thread of `cchc serve` (notify_worker.h). It holds its own
 * store connection, so requests never wait for a slow SMTP server, and leases what it sends
 * (store_notify.h), so several servers and `cchc notify run` may deliver from one database. */
#include "notify_worker.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "notify.h"
#include "store.h"

#define BATCH 32

struct notify_worker {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop;
    int64_t interval, lease;
    struct store *s;
    struct notify_templates *t;
    struct notify_channels c;
    char owner[128];
};

void notify_channels_of(const struct serve_config *cfg, struct notify_channels *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->sink, sizeof c->sink, "%s", cfg->notify_sink);
    snprintf(c->smtp_url, sizeof c->smtp_url, "%s", cfg->smtp_url);
    snprintf(c->smtp_from, sizeof c->smtp_from, "%s", cfg->smtp_from);
    snprintf(c->smtp_user, sizeof c->smtp_user, "%s", cfg->smtp_user);
    snprintf(c->smtp_password, sizeof c->smtp_password, "%s", cfg->smtp_password);
    snprintf(c->sms_url, sizeof c->sms_url, "%s", cfg->sms_url);
    snprintf(c->sms_token, sizeof c->sms_token, "%s", cfg->sms_token);
    snprintf(c->zalo_url, sizeof c->zalo_url, "%s", cfg->zalo_url);
    snprintf(c->zalo_token, sizeof c->zalo_token, "%s", cfg->zalo_token);
    snprintf(c->public_url, sizeof c->public_url, "%s", cfg->public_url);
    c->timeout_s = 20;
}

int notify_templates_of(const struct serve_config *cfg, struct notify_templates **out,
                        struct err *e)
{
    char path[CONFIG_STR_MAX + 32];
    snprintf(path, sizeof path, "%s/notify/templates.tsv", config_data_dir(cfg));
    return notify_templates_load(path, out, e);
}

static void *worker_main(void *arg)
{
    struct notify_worker *w = arg;
    pthread_mutex_lock(&w->mu);
    while (!w->stop) {
        pthread_mutex_unlock(&w->mu);
        struct notify_run_stats st;
        struct err e = {0};
        if (notify_run_once(w->s, w->t, &w->c, w->owner, BATCH, (int)w->lease, &st, &e))
            fprintf(stderr, "cchc serve: notification delivery: %s\n", e.msg);
        pthread_mutex_lock(&w->mu);
        if (w->stop || st.claimed == BATCH) continue; /* more may be due at once */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += w->interval;
        pthread_cond_timedwait(&w->cv, &w->mu, &ts);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

int notify_worker_start(const struct serve_config *cfg, struct notify_worker **out, struct err *e)
{
    *out = NULL;
    if (!cfg->notify_worker) return 0;
    struct notify_worker *w = calloc(1, sizeof *w);
    if (!w) return err_set(e, ERR_NOMEM, "", "out of memory");
    struct err te = {0};
    if (notify_templates_of(cfg, &w->t, &te)) {
        /* a data directory without the templates (a partial copy): the server serves, the
         * outbox keeps filling, and a process with the templates delivers it */
        fprintf(stderr, "cchc serve: notification delivery off: %s\n", te.msg);
        free(w);
        return 0;
    }
    int rc = store_open(cfg->db, &w->s, e);
    if (rc) {
        notify_templates_free(w->t);
        free(w);
        return rc;
    }
    notify_channels_of(cfg, &w->c);
    notify_owner_id(w->owner, sizeof w->owner);
    w->interval = cfg->notify_interval;
    w->lease = cfg->notify_lease;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    if (pthread_create(&w->th, NULL, worker_main, w)) {
        store_close(w->s);
        notify_templates_free(w->t);
        free(w);
        return err_set(e, ERR_INTERNAL, "notify_worker", "cannot start the delivery thread");
    }
    *out = w;
    return 0;
}

void notify_worker_stop(struct notify_worker *w)
{
    if (!w) return;
    pthread_mutex_lock(&w->mu);
    w->stop = 1;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->th, NULL);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    store_close(w->s);
    notify_templates_free(w->t);
    free(w);
}
