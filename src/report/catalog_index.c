/* catalog_index.c — the publicity indicators of Decision 766 (group 1: 1.1 published on time,
 * 1.2 updated on the national database on time, 1.3 complete) computed from the procedures
 * catalogue (src/core/catalog.h) instead of being supplied as external input: each unit is
 * judged on the procedures of the level its desk publishes (a commune, or a commune's desk,
 * the commune level; a department or the province the province level), over the decisions
 * of the period. */
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "store_calendar.h"
#include "stats_report.h"

#define CAL_FIRST 2010
#define CAL_LAST  2040

struct count_ctx {
    const struct publicity_rules *rules;
    const struct calendar *cal;
    int64_t from, to;
    struct publicity_counts by_level[LEVEL_COUNT];
};

static int count_one(const struct procedure *p, void *arg)
{
    struct count_ctx *c = arg;
    struct publicity_eval ev;
    procedure_publicity(p, c->rules, c->cal, &ev);
    publicity_count(&c->by_level[p->level], &ev, c->from, c->to);
    return 0;
}

static struct ind_input rate(int64_t num, int64_t den)
{
    return den > 0 ? (struct ind_input){1, num, den} : (struct ind_input){0, 0, 0};
}

/* 1 if the set has an indicator computed from the catalogue. */
static int wants_catalog(const struct indicator_set *set)
{
    for (int i = 0; i < set->n; i++)
        if (!strncmp(set->ind[i].metric, "catalog_", 8)) return 1;
    return 0;
}

int catalog_index_inputs(struct store *s, const struct stats_opts *o, struct stats_index *ix,
                         struct ind_input *in, struct err *e)
{
    if (!wants_catalog(&ix->set) || ix->n == 0) return 0;
    struct publicity_rules *rules = malloc(sizeof *rules);
    struct count_ctx *c = calloc(1, sizeof *c);
    struct calendar *cal = NULL;
    int rc = 0;
    if (!rules || !c) {
        rc = err_set(e, ERR_NOMEM, "", "out of memory");
        goto out;
    }
    if ((rc = publicity_rules_load(o->data, rules, e)) ||
        (rc = calendar_load(o->data, CAL_FIRST, CAL_LAST, NULL, &cal, e)) ||
        (rc = store_calendar_apply(s, &cal, e))) /* with the database's decisions */
        goto out;
    *c = (struct count_ctx){.rules = rules, .cal = cal, .from = o->q.from_day, .to = o->q.to_day};
    if ((rc = store_procedure_list(s, NULL, count_one, c, e))) goto out;
    for (int u = 0; u < ix->n; u++) {
        struct unit un;
        struct err ue = {0};
        if (store_unit_get(s, ix->rows[u].unit, &un, &ue)) continue; /* judged on nothing */
        /* a desk publishes the catalogue of the unit it serves */
        if (un.kind == UNIT_DESK && un.parent[0] && store_unit_get(s, un.parent, &un, &ue))
            continue;
        const struct publicity_counts *pc = &c->by_level[unit_kind_catalog_level(un.kind)];
        for (int i = 0; i < ix->set.n; i++) {
            const char *m = ix->set.ind[i].metric;
            struct ind_input *v = &in[(size_t)u * IND_MAX_ROWS + (size_t)i];
            if (!strcmp(m, "catalog_published"))
                *v = rate(pc->published_on_time, pc->published);
            else if (!strcmp(m, "catalog_updated"))
                *v = rate(pc->updated_on_time, pc->to_update);
            else if (!strcmp(m, "catalog_complete"))
                *v = rate(pc->complete, pc->on_portal);
        }
    }
out:
    calendar_free(cal);
    free(rules);
    free(c);
    return rc;
}
