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

#include <string.h>

int feedback_index_inputs(struct store *s, const struct indicator_set *set, const char *unit,
                          int64_t from_day, int64_t to_day, struct ind_input *in, struct err *e)
{
    int ontime = -1, satis = -1;
    for (int i = 0; i < set->n; i++) {
        if (!strcmp(set->ind[i].metric, "feedback_ontime_766")) ontime = i;
        if (!strcmp(set->ind[i].metric, "feedback_satisfaction_766")) satis = i;
    }
    if (ontime < 0 && satis < 0) return 0;
    int64_t now = ((int64_t)time(NULL) + 7 * 3600) / 60;
    if (to_day && (to_day + 1) * 1440 < now) now = (to_day + 1) * 1440;
    struct feedback_summary m;
    int rc = store_feedback_summary(s, unit, from_day, to_day, now, &m, e);
    if (rc) return rc;
    int64_t den = m.items - m.refused;
    if (den <= 0) return 0;
    if (ontime >= 0) in[ontime] = (struct ind_input){1, m.on_time + m.in_time + m.waiting, den};
    if (satis >= 0) {
        int64_t num = den - m.unsatisfied - m.late - m.overdue;
        in[satis] = (struct ind_input){1, num < 0 ? 0 : num, den};
    }
    return 0;
}
