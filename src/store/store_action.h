/* store_action.h — the action tracker's store (issue 15, migration 022): a reform task created
 * from a weak figure (action.h) and linked to it, the links listed with their tasks for the
 * pages that show the figures, and the open remedies of inspections for the leaders' page.
 * Errors, transactions and iteration as store.h's opening comment defines them. */
#ifndef CCHC_STORE_ACTION_H
#define CCHC_STORE_ACTION_H

#include "action.h"
#include "store_reform.h"

struct action_link {
    int64_t task_id;
    enum action_kind kind;
    char unit[UNIT_CODE_MAX], round[PAR_CODE_MAX], ref[PAR_CODE_MAX];
    char value[ACTION_VALUE_MAX]; /* "" when none was given */
    int64_t created_at;
    char created_by[PAR_ACTOR_MAX];
    struct reform_task task; /* the task as it stands */
    char plan_unit[UNIT_CODE_MAX];
};

/* A task for a figure. It goes into the CCHC plan of plan_unit for year (the plan is created
 * with the criteria set in force when the unit has none), owned by the figure's unit, which
 * must be plan_unit or a unit below it. area NULL or "": action_default_area. A PAR figure's
 * round must exist and its criterion be a node of the round's set. */
struct action_in {
    struct action_figure fig;
    const char *plan_unit;
    int year;
    const char *area, *title, *lead, *product;
    int64_t start_day, due_day;
    const char *actor;
    int64_t at;
};
int store_action_create(struct store *s, const struct action_in *in, struct action_link *out,
                        struct err *e);

/* Which links a list gives. Zero fields do not filter. */
struct action_filter {
    const char *scope; /* the figure's unit in this unit's subtree (and the units merged in) */
    int kind;          /* 1 + enum action_kind; 0: any */
    const char *round; /* PAR round code */
    int open_only;     /* tasks not done or cancelled */
    int64_t task_id;   /* the link of this task only */
};
typedef int (*action_link_fn)(const struct action_link *l, void *ctx);
/* Links by the figure's unit, kind, reference, then task. */
int store_action_list(struct store *s, const struct action_filter *f, action_link_fn fn, void *ctx,
                      struct err *e);

/* An inspection remedy still open: its task, the finding it answers and the inspection. */
struct open_remedy {
    struct reform_task task;
    int64_t inspection_id, finding_id;
    char inspected[UNIT_CODE_MAX], inspector[UNIT_CODE_MAX];
    int year;
    char finding[INSP_TEXT_MAX];
};
typedef int (*open_remedy_fn)(const struct open_remedy *r, void *ctx);
/* Open remedies of inspections whose inspected or inspecting unit lies in scope's subtree
 * (NULL: all), by due day then task. */
int store_open_remedies(struct store *s, const char *scope, open_remedy_fn fn, void *ctx,
                        struct err *e);

#endif
