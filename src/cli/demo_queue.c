/* demo_queue.c — the demo's desk queue (docs/queue.md): the counters of Mỹ Tho and Cao Lãnh
 * wards (data/demo/counters.csv) and the three hours of Mỹ Tho's queue before now, dated
 * from the clock: numbers taken every few minutes at each counter, called in turn, most
 * served in 4–9 minutes, a few absent, the last ones still waiting and one being served, so
 * the display, the counter page and the waiting-time card show something real. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "date.h"
#include "demo_data.h"
#include "import.h"
#include "store_queue.h"

#define DEMO_QUEUE_UNIT "DT.MYTHO"
#define HISTORY_S       (3 * 3600)

static void print_problem(const char *line, void *ctx)
{
    (void)ctx;
    fprintf(stderr, "%s\n", line);
}

/* A small deterministic generator, so every demo run tells the same story. */
static unsigned rnd(unsigned *st)
{
    *st = *st * 1103515245u + 12345u;
    return (*st >> 16) & 0x7fff;
}

static int history(struct store *s, const struct queue_counter *c, int64_t day, int64_t now,
                   unsigned *st, struct err *e)
{
    int64_t at[64], call[64], done[64];
    int absent[64], n = 0, rc = 0;
    int64_t free_at = now - HISTORY_S;
    for (int64_t a = now - HISTORY_S + 60 * (int64_t)(rnd(st) % 10); a < now && n < 64;
         a += 60 * (3 + (int64_t)(rnd(st) % 6))) {
        at[n] = a;
        call[n] = a > free_at ? a : free_at;
        absent[n] = rnd(st) % 10 == 0;
        done[n] = call[n] + (absent[n] ? 120 : 60 * (4 + (int64_t)(rnd(st) % 6)));
        free_at = done[n];
        n++;
    }
    for (int k = 0; !rc && k < n; k++) {
        struct queue_take in = {.unit = c->unit,
                                .counter_no = c->no,
                                .field = c->fields[rnd(st) % (unsigned)c->n_fields],
                                .channel = rnd(st) % 3 ? QC_DESK : QC_PHONE,
                                .day = day,
                                .at = at[k]};
        struct queue_ticket t;
        rc = store_queue_take(s, &in, &t, e);
    }
    for (int k = 0; !rc && k < n && call[k] < now; k++) {
        struct queue_ticket t;
        struct queue_act a = {.unit = c->unit,
                              .day = day,
                              .at = call[k],
                              .action = QA_CALL,
                              .counter_no = c->no,
                              .officer = "motcua.mytho"};
        rc = store_queue_act(s, &a, &t, e);
        if (rc || done[k] >= now) break; /* being served now */
        a.number = t.number;
        a.at = done[k];
        a.action = absent[k] ? QA_NO_SHOW : QA_SERVE;
        rc = store_queue_act(s, &a, &t, e);
    }
    return rc;
}

struct counters {
    int n;
    struct queue_counter c[8];
};

static int keep(const struct queue_counter *c, void *ctx)
{
    struct counters *cs = ctx;
    if (cs->n < 8) cs->c[cs->n++] = *c;
    return 0;
}

int demo_queue(struct store *s, const char *data, struct err *e)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/demo/counters.csv", data);
    struct import_result res = {0};
    int rc = import_counters(s, path, print_problem, NULL, &res, e);
    if (rc) return rc;
    printf("cchc demo: %ld desk counters imported from %s\n", res.rows, path);
    int64_t now = (int64_t)time(NULL);
    int64_t day = instant_day((now + 7 * 3600) / 60);
    struct counters *cs = calloc(1, sizeof *cs);
    if (!cs) return err_set(e, ERR_NOMEM, "demo", "out of memory");
    unsigned st = 20250701u;
    rc = store_queue_counters(s, DEMO_QUEUE_UNIT, keep, cs, e);
    for (int i = 0; !rc && i < cs->n; i++)
        rc = history(s, &cs->c[i], day, now, &st, e);
    free(cs);
    if (!rc) printf("cchc demo: the last three hours of %s's queue\n", DEMO_QUEUE_UNIT);
    return rc;
}
