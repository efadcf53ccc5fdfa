/* feedback_index.c — Decision 766 group 6 from cchc's own feedback data: indicator 5.2
 * (feedback handled on time) and 5.3 (satisfaction with feedback handling), in the portal
 * methodology's numbering that data/indicators/766-2022.tsv keeps, computed per unit and
 * period instead of being typed in as external values.
 *  - 5.2: (handled on time + still in time) / feedback the unit is competent for (refused
 *    items are not; forwarded items count at the unit that holds them).
 *  - 5.3: (competent feedback − unsatisfied (rated 1–2) − handled late or overdue) /
 *    competent feedback. The methodology also subtracts items "phản ánh tiếp" (reported
 *    again); cchc links a repeat within a day to its first item and does not yet count later
 *    repeats (verify the methodology's window). */
#include <time.h>

#include "date.h"
#include "stats_report.h"
#include "store_feedback.h"

#include <stdlib.h>
#include <string.h>

struct fb_metrics {
    int ontime, satis;
};

/* The positions of the two indicators in set (-1 if absent); 0 if neither is there. */
static int fb_metrics(const struct indicator_set *set, struct fb_metrics *m)
{
    m->ontime = m->satis = -1;
    for (int i = 0; i < set->n; i++) {
        if (!strcmp(set->ind[i].metric, "feedback_ontime_766")) m->ontime = i;
        if (!strcmp(set->ind[i].metric, "feedback_satisfaction_766")) m->satis = i;
    }
    return m->ontime >= 0 || m->satis >= 0;
}

/* Judged at the end of to_day, or now if earlier. */
static int64_t fb_now(int64_t to_day)
{
    int64_t now = ((int64_t)time(NULL) + 7 * 3600) / 60;
    if (to_day && (to_day + 1) * 1440 < now) now = (to_day + 1) * 1440;
    return now;
}

static void fb_fill(const struct fb_metrics *x, const struct feedback_summary *m,
                    struct ind_input *in)
{
    int64_t den = m->items - m->refused;
    if (den <= 0) return;
    if (x->ontime >= 0)
        in[x->ontime] = (struct ind_input){1, m->on_time + m->in_time + m->waiting, den};
    if (x->satis >= 0) {
        int64_t num = den - m->unsatisfied - m->late - m->overdue;
        in[x->satis] = (struct ind_input){1, num < 0 ? 0 : num, den};
    }
}

int feedback_index_inputs(struct store *s, const struct indicator_set *set, const char *unit,
                          int64_t from_day, int64_t to_day, struct ind_input *in, struct err *e)
{
    struct fb_metrics x;
    if (!fb_metrics(set, &x)) return 0;
    struct feedback_summary m;
    int rc = store_feedback_summary(s, unit, from_day, to_day, fb_now(to_day), &m, e);
    if (!rc) fb_fill(&x, &m, in);
    return rc;
}

int feedback_index_inputs_units(struct store *s, const struct indicator_set *set,
                                const char *parent, int n, const char *const *units,
                                int64_t from_day, int64_t to_day, struct ind_input *in,
                                size_t stride, struct err *e)
{
    struct fb_metrics x;
    if (n <= 0 || !fb_metrics(set, &x)) return 0;
    struct feedback_summary *m = malloc(sizeof *m * (size_t)n);
    if (!m) return err_set(e, ERR_NOMEM, "", "out of memory");
    int rc =
        store_feedback_summary_units(s, parent, n, units, from_day, to_day, fb_now(to_day), m, e);
    for (int u = 0; !rc && u < n; u++)
        fb_fill(&x, &m[u], in + (size_t)u * stride);
    free(m);
    return rc;
}
