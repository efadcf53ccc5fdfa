/* efile_index.h — Decision 766 group "Cung cấp dịch vụ trực tuyến" from the facts of online
 * filing (src/core/efile.h, docs/efile.md): the indicators whose metric is online_offered
 * (3.1), online_used (3.2) or online_served_full get their rate for one unit and period. */
#ifndef CCHC_EFILE_INDEX_H
#define CCHC_EFILE_INDEX_H

#include <stdint.h>

#include "indicators.h"
#include "store.h"

/* Fills in[i] for each indicator of set computed from online filing (a zero denominator
 * leaves it unknown). The procedures counted are those of the unit's catalogue level (a desk
 * counts its parent's). */
int efile_index_inputs(struct store *s, const struct indicator_set *set, const char *unit,
                       int64_t from_day, int64_t to_day, struct ind_input *in, struct err *e);

/* The same for n units at once (an index's ranked units) in a few statements whatever n:
 * units[u]'s inputs at in + u * stride. parent: the parent of every unit of the list, or NULL
 * for any units (store_efile_figures_units). */
int efile_index_inputs_units(struct store *s, const struct indicator_set *set, const char *parent,
                             int n, const char *const *units, int64_t from_day, int64_t to_day,
                             struct ind_input *in, size_t stride, struct err *e);

#endif
