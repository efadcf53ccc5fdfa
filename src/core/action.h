/* action.h — the action tracker (issue 15): a task a leader creates from a weak figure, linked
 * to that figure so the figure shows the task and its progress beside it. The figures a task
 * can answer:
 *   par        a PAR criterion of a unit in a round, scoring below its maximum;
 *   indicator  a Decision 766 indicator group of a unit, losing points (Decision 766/QĐ-TTg of
 *              23/6/2022, the groups of docs/statistics.md);
 *   late       a unit's late (overdue) dossiers.
 * This file checks a figure and picks the plan area a task for it goes to when none is named;
 * the task itself is a reform task (reform.h) of the leader's unit's plan. */
#ifndef CCHC_ACTION_H
#define CCHC_ACTION_H

#include <stddef.h>

#include "err.h"
#include "par.h"

#define ACTION_VALUE_MAX 64 /* the figure as shown when the task was made ("2,5/4", "62 %") */

enum action_kind { AK_PAR = 0, AK_INDICATOR, AK_LATE, AK__COUNT };

const char *action_kind_name(enum action_kind k);
/* "par", "indicator" or "late"; ERR_INVALID naming field "kind" otherwise. */
int action_kind_parse(const char *s, enum action_kind *out, struct err *e);

struct action_figure {
    enum action_kind kind;
    const char *unit;  /* the unit whose figure it is */
    const char *round; /* par: the round's code; otherwise NULL or "" */
    const char *ref;   /* par: the criterion's code; indicator: "group_N"; late: NULL or "" */
    const char *value; /* NULL or the figure as shown */
};
/* Checks the figure's fields for its kind (field named in the error). */
int action_figure_check(const struct action_figure *f, struct err *e);

/* The reform area of set a task for the figure goes to when the leader names none: for a PAR
 * criterion the area it belongs to (when set has it); for an indicator or late dossiers the
 * area of administrative procedure reform (the area whose title reads "cải cách thủ tục hành
 * chính", area 3 of Decision 876/QĐ-BNV and of the commune sets), since Decision 766 measures
 * the handling of administrative procedures. Writes its code to out and returns 0, or returns
 * ERR_NOT_FOUND when set has no such area (the leader must name one). */
int action_default_area(const struct action_figure *f, const struct par_set *set, char *out,
                        size_t n);

#endif
