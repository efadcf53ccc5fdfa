/* backdated_report.c — the backdated actions of a period (issue 12, finding 1): every event
 * recorded in the period whose claimed time was earlier than the backdating tolerance, by
 * unit and officer, with both times and the reason given, for `cchc report backdated`
 * (JSON, CSV, xlsx). GET /api/backdated serves the same rows to leaders and administrators
 * (src/http/backdated.c). The rule: docs/dossiers.md, "Backdated actions". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "stats_report.h"

static const struct rcol BACKDATED_COLS[] = {
    {"no", "TT", RC_INT, 6},
    {"unit", "Đơn vị", RC_TEXT, 16},
    {"officer", "Người ghi", RC_TEXT, 20},
    {"officer_count", "Số lần ghi lùi của người ghi", RC_INT, 10},
    {"code", "Mã hồ sơ", RC_TEXT, 26},
    {"action", "Thao tác", RC_TEXT, 18},
    {"at", "Thời điểm khai", RC_INSTANT, 16},
    {"recorded_at", "Thời điểm ghi nhận", RC_INSTANT, 16},
    {"reason", "Lý do", RC_TEXT, 40},
};
#define NBACKDATED ((int)(sizeof BACKDATED_COLS / sizeof BACKDATED_COLS[0]))

/* The rows come by unit and officer: each officer's group is held until it ends so that
 * every row carries the group's count. */
struct group {
    struct rwriter *w;
    struct err *e;
    int n, cap;
    struct backdated_event *v;
};

static int flush(struct group *g)
{
    int rc = 0;
    for (int i = 0; !rc && i < g->n; i++) {
        const struct backdated_event *ev = &g->v[i];
        struct rcell cells[NBACKDATED] = {
            {.v = rwriter_rows(g->w) + 1},
            {.text = ev->unit},
            {.text = ev->actor},
            {.v = g->n},
            {.text = ev->code},
            {.text = ev->action},
            {.v = ev->at},
            {.v = ev->recorded_at},
            {.text = ev->note},
        };
        rc = rwriter_row(g->w, cells, g->e);
    }
    g->n = 0;
    return rc;
}

static int one(const struct backdated_event *ev, void *ctx)
{
    struct group *g = ctx;
    int rc;
    if (g->n && (strcmp(g->v[0].unit, ev->unit) || strcmp(g->v[0].actor, ev->actor)) &&
        (rc = flush(g)))
        return rc;
    if (g->n == g->cap) {
        int cap = g->cap ? 2 * g->cap : 16;
        void *v = realloc(g->v, (size_t)cap * sizeof *g->v);
        if (!v) return err_set(g->e, ERR_NOMEM, "", "out of memory");
        g->v = v, g->cap = cap;
    }
    g->v[g->n++] = *ev;
    return 0;
}

int report_backdated(struct store *s, const struct stats_opts *o, enum rformat fmt, struct err *e)
{
    char sub[200];
    struct ymd a = days_to_ymd(o->q.from_day), b = days_to_ymd(o->q.to_day);
    snprintf(sub, sizeof sub,
             "Thao tác ghi nhận từ ngày %02d/%02d/%04d đến ngày %02d/%02d/%04d với thời điểm khai "
             "sớm hơn mốc cho phép",
             a.d, a.m, a.y, b.d, b.m, b.y);
    struct group g = {.e = e};
    int rc = rwriter_open(fmt, o->out, "DANH SÁCH THAO TÁC GHI LÙI THỜI GIAN", sub, BACKDATED_COLS,
                          NBACKDATED, &g.w, e);
    if (rc) return rc;
    rc = store_backdated_events(s, o->q.unit, o->q.from_day, o->q.to_day, one, &g, e);
    if (!rc) rc = flush(&g);
    int rc2 = rwriter_close(g.w, e);
    free(g.v);
    return rc ? rc : rc2;
}
