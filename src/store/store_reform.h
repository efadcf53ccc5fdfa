/* store_reform.h — the store's door to reform management (issue 15): yearly CCHC plans,
 * their tasks and child tasks split down the unit tree, task history and comments, evidence
 * files (kept in the PAR evidence store's blobs) and the plan completion rate. The rules
 * (states, checks, roll-up, due classes, the rate) are src/core/reform.c's; this layer reads
 * and writes rows in the SQL both databases share. Errors, transactions and iteration as
 * store.h's opening comment defines them. */
#ifndef CCHC_STORE_REFORM_H
#define CCHC_STORE_REFORM_H

#include "par.h"
#include "par_round.h"
#include "inspection.h"
#include "reform.h"
#include "store.h"

#define REFORM_PLAN_TITLE_MAX 400

struct reform_plan {
    int64_t id;
    char unit[UNIT_CODE_MAX];
    int year;
    char set_code[PAR_CODE_MAX], set_version[32];
    char title[REFORM_PLAN_TITLE_MAX];
    int64_t created_at;
    char created_by[PAR_ACTOR_MAX];
    int ntasks;
};

struct reform_plan_in {
    const char *unit;
    int year;
    /* The PAR criteria set whose areas the plan uses: its code (latest version), or NULL for
     * the set in force — the newest set of the unit's scope (province, department, commune …)
     * whose year is not after the plan's. */
    const char *set;
    const char *title; /* NULL or "": "Kế hoạch cải cách hành chính năm YEAR" */
    const char *actor;
    int64_t at;
};
/* Creates the plan. ERR_NOT_FOUND for an unknown unit or set, or no set in force;
 * ERR_CONFLICT when the unit has a plan for that year already. */
int store_reform_plan_create(struct store *s, const struct reform_plan_in *in,
                             struct reform_plan *out, struct err *e);
/* The plan by id (ERR_NOT_FOUND if none). */
int store_reform_plan_get(struct store *s, int64_t id, struct reform_plan *out, struct err *e);
/* The plan of unit for year (ERR_NOT_FOUND if none). */
int store_reform_plan_find(struct store *s, const char *unit, int year, struct reform_plan *out,
                           struct err *e);
typedef int (*reform_plan_fn)(const struct reform_plan *p, void *ctx);
/* Plans of year (0: every year) of the units in scope's subtree (NULL: every unit), by year
 * then unit code. */
int store_reform_plan_list(struct store *s, const char *scope, int year, reform_plan_fn fn,
                           void *ctx, struct err *e);
/* The validated PAR set of the plan (its areas are the plan's); free with par_set_free. */
int store_reform_plan_set(struct store *s, int64_t plan_id, struct par_set **out, struct err *e);

/* A new task: top-level in plan_id, or a child of parent_id (plan_id then 0 or the parent's).
 * The owner must be the plan's unit or a unit below it (top-level), or the parent's owner or a
 * unit below it (child), existing on the due day; the area one of the plan's set (a child
 * keeps its parent's: NULL takes it). Checks reform_task_check and reform_child_check. Writes
 * the 'create' event and rolls the parent's progress up. */
struct reform_task_in {
    int64_t plan_id, parent_id;
    const char *area, *title, *owner, *lead, *product;
    int64_t start_day, due_day;
    int weight; /* 0: 1 */
    const char *actor;
    int64_t at;
};
int store_reform_task_add(struct store *s, const struct reform_task_in *in, struct reform_task *out,
                          struct err *e);
/* The task by id, nchildren filled (ERR_NOT_FOUND if none). */
int store_reform_task_get(struct store *s, int64_t id, struct reform_task *out, struct err *e);
/* Applies a task action in one transaction: reform_task_apply, the row, one event, and the
 * progress of every ancestor rolled up again. args->day 0: the day of at. */
int store_reform_task_act(struct store *s, int64_t id, enum task_action a,
                          const struct task_args *args, const char *actor, int64_t at,
                          struct reform_task *out, struct err *e);

/* Which tasks a list shows. Zero fields do not filter. */
struct reform_task_filter {
    int64_t plan_id;
    int year;          /* the plan's year */
    const char *scope; /* owner in this unit's subtree (and the units merged into it) */
    const char *owner; /* owner exactly this unit */
    int64_t parent_id; /* > 0: children of that task; -1: top-level tasks only */
    int due;           /* 0: any; else 1 + enum task_due (1 ok, 2 near, 3 overdue, 4 closed) */
    int open_only;     /* 1: not done or cancelled */
    int64_t today;     /* for due; 0: no due class */
    int near_days;     /* for due; 0: REFORM_NEAR_DAYS */
};
typedef int (*reform_task_fn)(const struct reform_task *t, void *ctx);
/* Tasks by due day, then id. */
int store_reform_task_list(struct store *s, const struct reform_task_filter *f, reform_task_fn fn,
                           void *ctx, struct err *e);

struct reform_event {
    int64_t id, task_id, at;
    char actor[PAR_ACTOR_MAX], action[16], from[16], to[16];
    int progress;
    char note[REFORM_NOTE_MAX];
};
typedef int (*reform_event_fn)(const struct reform_event *ev, void *ctx);
/* The task's history and comments, oldest first. */
int store_reform_task_history(struct store *s, int64_t task_id, reform_event_fn fn, void *ctx,
                              struct err *e);

/* Evidence of a task: checked, sniffed and hashed as PAR evidence (par_evidence_check,
 * blob.h), the bytes in the PAR evidence store's blobs. */
struct reform_evidence_in {
    int64_t task_id;
    const char *name;
    const void *data;
    int64_t size, max_size; /* max_size 0: PAR_EVIDENCE_MAX_DEFAULT */
    const char *actor;
    int64_t at;
};
struct reform_evidence {
    int64_t id, task_id;
    char name[PAR_EVIDENCE_NAME_MAX], mime[PAR_MIME_MAX];
    int64_t size;
    char sha256[65];
    int64_t added_at;
    char added_by[PAR_ACTOR_MAX];
};
int store_reform_evidence_add(struct store *s, const struct reform_evidence_in *in,
                              struct reform_evidence *out, struct err *e);
typedef int (*reform_evidence_fn)(const struct reform_evidence *ev, void *ctx);
int store_reform_evidence_list(struct store *s, int64_t task_id, reform_evidence_fn fn, void *ctx,
                               struct err *e);
/* One file with its content (*data malloc'd, the caller frees). */
int store_reform_evidence_get(struct store *s, int64_t id, struct reform_evidence *out, void **data,
                              struct err *e);

/* The plan completion rate of unit in year on day as_of (reform_rate_add over the tasks the
 * unit owns, in any plan of that year, and those of the units merged into it). fn (may be
 * NULL) receives every task counted, with in_num saying whether it is in the numerator: the
 * drill-down of the PAR criterion. */
typedef int (*reform_rate_fn)(const struct reform_task *t, int in_num, void *ctx);
int store_reform_rate(struct store *s, const char *unit, int year, int64_t as_of,
                      struct reform_rate *out, reform_rate_fn fn, void *ctx, struct err *e);

/* --- inspections (kiểm tra công tác CCHC) --- */

#define INSP_TEAM_MAX 400
#define INSP_TEXT_MAX 2000

struct inspection {
    int64_t id;
    int year;
    char inspector[UNIT_CODE_MAX], unit[UNIT_CODE_MAX];
    char team[INSP_TEAM_MAX];
    int64_t planned_from, planned_to, concluded_day; /* days; concluded_day 0 until concluded */
    enum insp_status status;
    int nitems, nfindings, nremedies, open_remedies;
};

/* The year's inspection of unit by inspector (the unit itself or one above it is refused:
 * unit must lie below inspector), with a team and planned dates in the year, and a checklist:
 * every leaf criterion of the PAR set named by set (NULL: none), then items (may be NULL). */
struct inspection_in {
    int year;
    const char *inspector, *unit, *team, *set;
    int64_t planned_from, planned_to;
    const char *const *items;
    int nitems;
    const char *actor;
    int64_t at;
};
int store_insp_create(struct store *s, const struct inspection_in *in, struct inspection *out,
                      struct err *e);
int store_insp_get(struct store *s, int64_t id, struct inspection *out, struct err *e);
typedef int (*inspection_fn)(const struct inspection *i, void *ctx);
/* Inspections of year (0: all) whose unit or inspector is in scope's subtree (NULL: all), by
 * planned start then id. */
int store_insp_list(struct store *s, const char *scope, int year, inspection_fn fn, void *ctx,
                    struct err *e);
/* Applies an action (insp_apply with the inspection's findings and open remedies). */
int store_insp_act(struct store *s, int64_t id, enum insp_action a, const char *note,
                   const char *actor, int64_t at, struct inspection *out, struct err *e);
/* Answers checklist item seq: result "met", "not_met" or "" (not checked), with a note; only
 * while the inspection is in progress. */
int store_insp_check(struct store *s, int64_t id, int seq, const char *result, const char *note,
                     struct err *e);
/* A finding, while the inspection is in progress; *finding_id receives its id. */
int store_insp_finding_add(struct store *s, int64_t id, enum finding_kind kind, const char *text,
                           const char *actor, int64_t at, int64_t *finding_id, struct err *e);
/* A remedy of a shortcoming: a new task in the inspected unit's plan of the inspection's year
 * (task->plan_id and parent_id are ignored; that plan must exist), linked to the finding.
 * While the inspection is in progress or concluded. When every remedy of a concluded
 * inspection closes, the inspection closes in the same transaction (store_reform_task_act). */
int store_insp_remedy_add(struct store *s, int64_t finding_id, const struct reform_task_in *task,
                          struct reform_task *out, struct err *e);
/* The share of the units directly under root (existing on 31/12 of year) with an inspection
 * of the year concluded or closed (insp_share). */
int store_insp_share(struct store *s, const char *root, int year, struct insp_share *out,
                     struct err *e);

/* The units directly under root on 31/12 of year, each with whether it was inspected in the
 * year (an inspection concluded or closed), by code: the share's drill-down. fn may be NULL. */
typedef int (*insp_share_fn)(const struct unit *u, int inspected, void *ctx);
int store_insp_share_units(struct store *s, const char *root, int year, struct insp_share *out,
                           insp_share_fn fn, void *ctx, struct err *e);

/* One checklist item: result "" (not checked yet), "met" or "not_met". */
struct insp_item {
    int seq;
    char item[INSP_TEXT_MAX], node[PAR_CODE_MAX], result[8], note[INSP_TEXT_MAX];
};
typedef int (*insp_item_fn)(const struct insp_item *it, void *ctx);
/* The checklist of inspection id, by seq. */
int store_insp_items(struct store *s, int64_t id, insp_item_fn fn, void *ctx, struct err *e);

struct insp_finding {
    int64_t id, inspection_id;
    enum finding_kind kind;
    char text[INSP_TEXT_MAX];
    char evidence_sha[65];                     /* "" without a file */
    char evidence_name[PAR_EVIDENCE_NAME_MAX]; /* as given; "" without (or from before 026) */
    int64_t added_at;
    char added_by[PAR_ACTOR_MAX];
};
typedef int (*insp_finding_fn)(const struct insp_finding *f, void *ctx);
/* The findings of inspection id, oldest first. */
int store_insp_findings(struct store *s, int64_t id, insp_finding_fn fn, void *ctx, struct err *e);
/* One finding (ERR_NOT_FOUND if none); data (may be NULL) receives its evidence file's bytes
 * (malloc'd, *size of them; NULL and 0 without a file). */
int store_insp_finding_get(struct store *s, int64_t finding_id, struct insp_finding *out,
                           void **data, int64_t *size, struct err *e);
/* A finding with an evidence file, checked, sniffed and hashed as PAR evidence
 * (par_evidence_check; the bytes in the PAR evidence store's blobs), in one transaction with
 * the finding; file NULL: none (store_insp_finding_add). The column keeps the content's
 * SHA-256 only: the file's name is not kept. */
struct insp_file {
    const char *name;
    const void *data;
    int64_t size, max_size; /* max_size 0: PAR_EVIDENCE_MAX_DEFAULT */
};
int store_insp_finding_add_file(struct store *s, int64_t id, enum finding_kind kind,
                                const char *text, const struct insp_file *file, const char *actor,
                                int64_t at, int64_t *finding_id, struct err *e);
/* The remedies of inspection id: each finding's tasks, by finding then task id. */
typedef int (*insp_remedy_fn)(int64_t finding_id, const struct reform_task *t, void *ctx);
int store_insp_remedies(struct store *s, int64_t id, insp_remedy_fn fn, void *ctx, struct err *e);

/* Internal to the store: after remedy task task_id moved to status, closes (or reopens) its
 * inspection when insp_should_close says so. No-op for a task that is not a remedy. */
int insp_after_task(struct store *s, int64_t task_id, const char *actor, int64_t at, struct err *e);
/* The province of task task_id, which its history, evidence and link carry. */
int reform_task_province(struct store *s, int64_t task_id, char *out, size_t n, struct err *e);

#endif
