/* reform.h — reform management (quản lý công tác CCHC) as pure logic: a unit's annual CCHC
 * plan (kế hoạch CCHC năm) and its tasks (nhiệm vụ), grouped by reform area; the task state
 * machine; progress rolling up a tree of tasks split down the unit tree; due-date classes
 * (overdue, near due); the plan completion rate that feeds the PAR index.
 *
 * Legal frame: the State administrative reform master programme 2021–2030 (Resolution
 * 76/NQ-CP, 15/7/2021) has every ministry and province issue a yearly CCHC plan whose tasks
 * follow its reform areas (institutions, administrative procedures, apparatus, civil
 * servants, public finance, digital government); the PAR index sets (Decision 876/QĐ-BNV
 * 2022 for provinces; provinces' own sets for departments and communes) score "completing
 * the plan" as a criterion of their first area. The areas of a plan are therefore the
 * top-level nodes of the PAR criteria set in force for the unit (par.h). The task states and
 * actions below are cchc's working rule: no legal text prescribes them. */
#ifndef CCHC_REFORM_H
#define CCHC_REFORM_H

#include <stdint.h>

#include "err.h"
#include "par.h"

#define REFORM_TITLE_MAX   400
#define REFORM_PRODUCT_MAX 400
#define REFORM_LEAD_MAX    64
#define REFORM_NOTE_MAX    1000
#define REFORM_NEAR_DAYS   7 /* default window of "near due": due within the next 7 days */

enum task_status {
    TS_PLANNED = 0, /* chưa triển khai: in the plan, not started */
    TS_IN_PROGRESS, /* đang thực hiện */
    TS_PAUSED,      /* tạm dừng: waiting on something outside the owner (with a reason) */
    TS_DONE,        /* hoàn thành: the expected product delivered (closed) */
    TS_CANCELLED, /* hủy bỏ / không thực hiện: dropped from the plan, with a reason (closed) */
    TS__COUNT
};

/* The task actions, one row each for every layer (core names, CLI words, URL segments):
 *   X(enum, name, flags, summary)
 * RAF_REASON: needs a note saying why; RAF_PROGRESS: takes "progress" (0..100). */
#define RAF_REASON   1u
#define RAF_PROGRESS 2u
#define TASK_ACTIONS(X)                                                                            \
    X(TA_START, "start", 0u, "start the task")                                                     \
    X(TA_REPORT, "report", RAF_PROGRESS, "report progress (starts a planned task)")                \
    X(TA_PAUSE, "pause", RAF_REASON, "pause, with the reason")                                     \
    X(TA_RESUME, "resume", 0u, "resume a paused task")                                             \
    X(TA_COMPLETE, "complete", 0u, "the product is delivered: done, 100 %")                        \
    X(TA_REOPEN, "reopen", RAF_REASON, "reopen a done task, with the reason")                      \
    X(TA_CANCEL, "cancel", RAF_REASON, "drop the task from the plan, with the reason")             \
    X(TA_COMMENT, "comment", RAF_REASON, "add a comment (no change of state)")

enum task_action {
#define TASK_ACTION_ENUM(act, ...) act,
    TASK_ACTIONS(TASK_ACTION_ENUM)
#undef TASK_ACTION_ENUM
        TA__COUNT
};

struct task_action_desc {
    enum task_action action;
    const char *name;
    unsigned flags;
    const char *summary;
};
const struct task_action_desc *task_action_desc(enum task_action a);
/* The action named word, or NULL. */
const struct task_action_desc *task_action_find(const char *word);

const char *task_status_name(enum task_status s);  /* "planned" … ; NULL outside the enum */
const char *task_status_label(enum task_status s); /* Vietnamese: "Chưa triển khai" … */
int task_status_parse(const char *s, enum task_status *out, const char *field, struct err *e);
int task_action_parse(const char *s, enum task_action *out, const char *field, struct err *e);
/* 1 for done and cancelled. */
int task_status_closed(enum task_status s);

/* A task as the domain sees it. Days are days since 1970-01-01 (date.h). progress is a whole
 * percent 0..100; on a task with children it is the roll-up of theirs (reform_rollup). */
struct reform_task {
    int64_t id, parent_id, plan_id; /* parent_id 0: a top-level task of its plan */
    char area[PAR_CODE_MAX];        /* top-level node of the plan's PAR set */
    char title[REFORM_TITLE_MAX];
    char owner[32]; /* unit code (unit.h's UNIT_CODE_MAX) */
    char lead[REFORM_LEAD_MAX];
    char product[REFORM_PRODUCT_MAX];
    int64_t start_day, due_day, done_day; /* done_day 0 until done */
    enum task_status status;
    int progress;
    int weight; /* share in the parent's roll-up, >= 1 */
    int nchildren;
};

/* Checks a task on its own: title, owner and area given, lengths, start <= due, progress
 * 0..100, weight 1..1000. The message names the field, the value and the rule. */
int reform_task_check(const struct reform_task *t, struct err *e);
/* Checks a child against its parent: same area, dates inside the parent's [start, due],
 * parent not closed. (That the child's owner is in the parent owner's subtree is the
 * store's check: it needs the unit tree.) */
int reform_child_check(const struct reform_task *parent, const struct reform_task *child,
                       struct err *e);

/* What an action carries. */
struct task_args {
    int64_t day;  /* the day it happens: a done task's done_day */
    int progress; /* RAF_PROGRESS: 0..100; -1 when not given */
    const char *note;
};
/* Applies action a to t into next (t unchanged on failure). ERR_CONFLICT names the state and
 * the action when the pair is not in the table; ERR_INVALID for a missing reason, a progress
 * out of range or given to an action that does not take it, or a report of progress on a task
 * with children (theirs roll up). complete sets progress 100 and done_day; reopen clears
 * done_day. */
int reform_task_apply(const struct reform_task *t, enum task_action a, const struct task_args *in,
                      struct reform_task *next, struct err *e);

/* Roll-up of one parent from its n children: the weighted mean of the progress of the children
 * not cancelled (a done child counts 100), rounded down; -1 when every child is cancelled
 * (the parent keeps its own figure). */
int reform_rollup_children(const struct reform_task *child, int n);
/* Rolls progress up a forest of n tasks in place: each task with children (parent_id equal
 * to another task's id in the array) gets reform_rollup_children of its children, deepest
 * first, so three or more levels settle in one call. Returns 0 or ERR_INVALID for a cycle or
 * more than 16 levels. */
int reform_rollup(struct reform_task *t, int n, struct err *e);

/* Due class on day today: closed tasks are never overdue. */
enum task_due { TD_OK = 0, TD_NEAR, TD_OVERDUE, TD_CLOSED };
enum task_due reform_due_class(const struct reform_task *t, int64_t today, int near_days);
const char *task_due_name(enum task_due d); /* "ok", "near", "overdue", "closed" */

/* The plan completion rate of a set of tasks: den = tasks not cancelled whose due day is
 * <= as_of (tasks not yet due are not counted against the unit), plus tasks already done;
 * num = those of them done on or before as_of (late or not: PAR sets score completing the
 * plan; lateness shows in the overdue lists);
 * value in thousandths of a percent (PAR's scale), PAR_NONE when den is 0. */
struct reform_rate {
    int64_t num, den, value;
};
void reform_rate_add(struct reform_rate *r, const struct reform_task *t, int64_t as_of);
void reform_rate_finish(struct reform_rate *r);
/* 1 if t counts in the rate's denominator on as_of, and *in_num whether in the numerator. */
int reform_rate_counts(const struct reform_task *t, int64_t as_of, int *in_num);

/* The reform areas of a plan: the area codes of a validated PAR set. 0 if code is one, else
 * ERR_INVALID listing them. */
int reform_area_check(const struct par_set *set, const char *code, struct err *e);

#endif
