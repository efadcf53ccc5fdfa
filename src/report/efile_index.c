/* efile_index.c — the online-service indicators from online filing's facts (efile_index.h). */
#include "efile_index.h"

#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "efile.h"
#include "store_efile.h"

/* Does set have an indicator computed from online filing? */
static int any_efile(const struct indicator_set *set)
{
    struct efile_figures f = {0};
    int64_t num, den;
    for (int i = 0; i < set->n; i++)
        if (efile_indicator_rate(set->ind[i].metric, &f, &num, &den)) return 1;
    return 0;
}

/* The catalogue level of unit's procedures into *level (-1: an unknown unit, every level);
 * 0 when its figures are not computed (a desk whose parent is missing). */
static int unit_level(struct store *s, const char *unit, int *level)
{
    struct unit u;
    struct err ue = {0};
    *level = -1;
    if (!store_unit_get(s, unit, &u, &ue)) {
        if (u.kind == UNIT_DESK && u.parent[0] && store_unit_get(s, u.parent, &u, &ue)) return 0;
        *level = (int)unit_kind_catalog_level(u.kind);
    }
    return 1;
}

static void fill(const struct indicator_set *set, const struct efile_figures *f,
                 struct ind_input *in)
{
    int64_t num, den;
    for (int i = 0; i < set->n; i++)
        if (efile_indicator_rate(set->ind[i].metric, f, &num, &den) && den > 0)
            in[i] = (struct ind_input){1, num, den};
}

int efile_index_inputs(struct store *s, const struct indicator_set *set, const char *unit,
                       int64_t from_day, int64_t to_day, struct ind_input *in, struct err *e)
{
    struct efile_figures f;
    int level;
    if (!any_efile(set) || !unit_level(s, unit, &level)) return 0;
    int rc = store_efile_figures(s, unit, level, from_day, to_day, &f, e);
    if (!rc) fill(set, &f, in);
    return rc;
}

int efile_index_inputs_units(struct store *s, const struct indicator_set *set, const char *parent,
                             int n, const char *const *units, int64_t from_day, int64_t to_day,
                             struct ind_input *in, size_t stride, struct err *e)
{
    if (n <= 0 || !any_efile(set)) return 0;
    int served = 0;
    for (int i = 0; i < set->n; i++)
        served |= !strcmp(set->ind[i].metric, "online_served_full");
    int *level = malloc(sizeof *level * (size_t)n);
    char *on = malloc((size_t)n);
    struct efile_figures *f = malloc(sizeof *f * (size_t)n);
    int rc = level && on && f ? 0 : err_set(e, ERR_NOMEM, "", "out of memory");
    for (int u = 0; !rc && u < n; u++)
        on[u] = (char)unit_level(s, units[u], &level[u]);
    if (!rc)
        rc = store_efile_figures_units(s, parent, n, units, level, from_day, to_day, served, f, e);
    for (int u = 0; !rc && u < n; u++)
        if (on[u]) fill(set, &f[u], &in[(size_t)u * stride]);
    free(level);
    free(on);
    free(f);
    return rc;
}
