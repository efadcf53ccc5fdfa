/* efile_index.c — the online-service indicators from online filing's facts (efile_index.h). */
#include "efile_index.h"

#include "catalog.h"
#include "efile.h"
#include "store_efile.h"

int efile_index_inputs(struct store *s, const struct indicator_set *set, const char *unit,
                       int64_t from_day, int64_t to_day, struct ind_input *in, struct err *e)
{
    struct efile_figures f;
    int64_t num, den;
    int any = 0;
    for (int i = 0; i < set->n && !any; i++)
        any = efile_indicator_rate(set->ind[i].metric, &f, &num, &den);
    if (!any) return 0;
    struct unit u;
    struct err ue = {0};
    int level = -1;
    if (!store_unit_get(s, unit, &u, &ue)) {
        if (u.kind == UNIT_DESK && u.parent[0] && store_unit_get(s, u.parent, &u, &ue)) return 0;
        level = (int)unit_kind_catalog_level(u.kind);
    }
    int rc = store_efile_figures(s, unit, level, from_day, to_day, &f, e);
    if (rc) return rc;
    for (int i = 0; i < set->n; i++)
        if (efile_indicator_rate(set->ind[i].metric, &f, &num, &den) && den > 0)
            in[i] = (struct ind_input){1, num, den};
    return 0;
}
