/* reform.c — CCHC plan tasks: the transition table (one row per legal (state, action) pair,
 * checked exhaustively by tests/data/task-transitions.tsv), field checks, progress roll-up
 * down any depth of the unit tree, due classes and the plan completion rate. */
#include "reform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const status_names[TS__COUNT] = {"planned", "in_progress", "paused", "done",
                                                    "cancelled"};
static const char *const status_labels[TS__COUNT] = {"Chưa triển khai", "Đang thực hiện",
                                                     "Tạm dừng", "Hoàn thành", "Hủy bỏ"};

static const struct task_action_desc actions[TA__COUNT] = {
#define TASK_ACTION_ROW(act, name, flags, summary) {act, name, flags, summary},
    TASK_ACTIONS(TASK_ACTION_ROW)
#undef TASK_ACTION_ROW
};

/* KEEP is "the same state" (report and comment do not move it). */
#define KEEP TS__COUNT
struct transition {
    enum task_status from;
    enum task_action action;
    enum task_status to;
};
static const struct transition transitions[] = {
    {TS_PLANNED, TA_START, TS_IN_PROGRESS},
    {TS_PLANNED, TA_REPORT, TS_IN_PROGRESS},
    {TS_PLANNED, TA_COMPLETE, TS_DONE}, /* a one-off task done on the day */
    {TS_PLANNED, TA_CANCEL, TS_CANCELLED},
    {TS_PLANNED, TA_COMMENT, KEEP},

    {TS_IN_PROGRESS, TA_REPORT, KEEP},
    {TS_IN_PROGRESS, TA_PAUSE, TS_PAUSED},
    {TS_IN_PROGRESS, TA_COMPLETE, TS_DONE},
    {TS_IN_PROGRESS, TA_CANCEL, TS_CANCELLED},
    {TS_IN_PROGRESS, TA_COMMENT, KEEP},

    {TS_PAUSED, TA_RESUME, TS_IN_PROGRESS},
    {TS_PAUSED, TA_CANCEL, TS_CANCELLED},
    {TS_PAUSED, TA_COMMENT, KEEP},

    /* a closed task takes comments; only a done one can be reopened (the product was found
     * wanting); a cancelled task stays cancelled: a new task is added instead */
    {TS_DONE, TA_REOPEN, TS_IN_PROGRESS},
    {TS_DONE, TA_COMMENT, KEEP},
    {TS_CANCELLED, TA_COMMENT, KEEP},
};

const struct task_action_desc *task_action_desc(enum task_action a)
{
    return (unsigned)a < TA__COUNT ? &actions[a] : NULL;
}

const struct task_action_desc *task_action_find(const char *word)
{
    for (int i = 0; word && i < TA__COUNT; i++)
        if (!strcmp(actions[i].name, word)) return &actions[i];
    return NULL;
}

const char *task_status_name(enum task_status s)
{
    return (unsigned)s < TS__COUNT ? status_names[s] : NULL;
}

const char *task_status_label(enum task_status s)
{
    return (unsigned)s < TS__COUNT ? status_labels[s] : NULL;
}

int task_status_closed(enum task_status s)
{
    return s == TS_DONE || s == TS_CANCELLED;
}

int task_status_parse(const char *s, enum task_status *out, const char *field, struct err *e)
{
    for (int i = 0; s && i < TS__COUNT; i++)
        if (!strcmp(status_names[i], s)) {
            *out = (enum task_status)i;
            return 0;
        }
    return err_set(e, ERR_INVALID, field,
                   "'%s': not a task status (planned, in_progress, paused, "
                   "done, cancelled)",
                   s ? s : "");
}

int task_action_parse(const char *s, enum task_action *out, const char *field, struct err *e)
{
    const struct task_action_desc *d = task_action_find(s);
    if (d) {
        *out = d->action;
        return 0;
    }
    return err_set(e, ERR_INVALID, field,
                   "'%s': not a task action (start, report, pause, resume, "
                   "complete, reopen, cancel, comment)",
                   s ? s : "");
}

static int text_check(const char *field, const char *v, size_t max, struct err *e)
{
    if (!v[0]) return err_set(e, ERR_INVALID, field, "%s: must not be empty", field);
    if (strlen(v) >= max)
        return err_set(e, ERR_INVALID, field, "%s: longer than %zu bytes", field, max - 1);
    return 0;
}

int reform_task_check(const struct reform_task *t, struct err *e)
{
    int rc = text_check("title", t->title, sizeof t->title, e);
    if (!rc) rc = text_check("owner", t->owner, sizeof t->owner, e);
    if (!rc) rc = text_check("area", t->area, sizeof t->area, e);
    if (rc) return rc;
    if (t->start_day > t->due_day)
        return err_set(e, ERR_INVALID, "due", "due: the due date is before the start date");
    if (t->progress < 0 || t->progress > 100)
        return err_set(e, ERR_INVALID, "progress", "progress: %d is outside 0..100", t->progress);
    if (t->weight < 1 || t->weight > 1000)
        return err_set(e, ERR_INVALID, "weight", "weight: %d is outside 1..1000", t->weight);
    if ((unsigned)t->status >= TS__COUNT)
        return err_set(e, ERR_INVALID, "status", "status: not a task status");
    return 0;
}

int reform_child_check(const struct reform_task *parent, const struct reform_task *child,
                       struct err *e)
{
    if (task_status_closed(parent->status))
        return err_set(e, ERR_CONFLICT, "parent",
                       "parent task #%lld is %s: it takes no new "
                       "child tasks",
                       (long long)parent->id, status_names[parent->status]);
    if (strcmp(parent->area, child->area))
        return err_set(e, ERR_INVALID, "area",
                       "area '%s': a child task keeps its parent's area "
                       "'%s'",
                       child->area, parent->area);
    if (child->start_day < parent->start_day || child->due_day > parent->due_day)
        return err_set(e, ERR_INVALID, child->start_day < parent->start_day ? "start" : "due",
                       "%s: a child task's dates must lie inside its parent's",
                       child->start_day < parent->start_day ? "start" : "due");
    return 0;
}

int reform_task_apply(const struct reform_task *t, enum task_action a, const struct task_args *in,
                      struct reform_task *next, struct err *e)
{
    const struct task_action_desc *d = task_action_desc(a);
    if (!d) return err_set(e, ERR_INVALID, "action", "not a task action");
    const struct transition *tr = NULL;
    for (size_t i = 0; i < sizeof transitions / sizeof transitions[0]; i++)
        if (transitions[i].from == t->status && transitions[i].action == a) tr = &transitions[i];
    if (!tr)
        return err_set(e, ERR_CONFLICT, "action", "task #%lld is %s: '%s' is not allowed",
                       (long long)t->id, task_status_name(t->status), d->name);
    if ((d->flags & RAF_REASON) && (!in->note || !in->note[0]))
        return err_set(e, ERR_INVALID, "note", "note: '%s' needs a reason", d->name);
    if (in->note && strlen(in->note) >= REFORM_NOTE_MAX)
        return err_set(e, ERR_INVALID, "note", "note: longer than %d bytes", REFORM_NOTE_MAX - 1);
    if (!(d->flags & RAF_PROGRESS) && in->progress >= 0)
        return err_set(e, ERR_INVALID, "progress", "progress: '%s' does not take a progress",
                       d->name);
    if (d->flags & RAF_PROGRESS) {
        if (t->nchildren > 0)
            return err_set(e, ERR_INVALID, "progress",
                           "progress: task #%lld has child tasks; "
                           "its progress is rolled up from theirs",
                           (long long)t->id);
        if (in->progress < 0 || in->progress > 99)
            return err_set(e, ERR_INVALID, "progress",
                           "progress: %d is outside 0..99 (100 %% is "
                           "'complete')",
                           in->progress);
    }
    if (in->day < t->start_day && (a == TA_COMPLETE))
        return err_set(e, ERR_INVALID, "day", "day: a task cannot be done before its start date");
    *next = *t;
    if (tr->to != KEEP) next->status = tr->to;
    if (d->flags & RAF_PROGRESS) next->progress = in->progress;
    if (a == TA_COMPLETE) {
        next->progress = 100;
        next->done_day = in->day;
    }
    if (a == TA_REOPEN) next->done_day = 0;
    return 0;
}

int reform_rollup_children(const struct reform_task *child, int n)
{
    int64_t sum = 0, w = 0;
    for (int i = 0; i < n; i++) {
        if (child[i].status == TS_CANCELLED) continue;
        int p = child[i].status == TS_DONE ? 100 : child[i].progress;
        sum += (int64_t)child[i].weight * p;
        w += child[i].weight;
    }
    return w ? (int)(sum / w) : -1;
}

#define ROLLUP_DEPTH_MAX 16

static int find_id(const struct reform_task *t, int n, int64_t id)
{
    for (int i = 0; i < n; i++)
        if (t[i].id == id) return i;
    return -1;
}

int reform_rollup(struct reform_task *t, int n, struct err *e)
{
    int *parent = malloc(sizeof *parent * (size_t)(n ? n : 1));
    int *depth = malloc(sizeof *depth * (size_t)(n ? n : 1));
    int rc = 0, maxd = 0;
    if (!parent || !depth) {
        rc = err_set(e, ERR_NOMEM, "", "out of memory");
        goto out;
    }
    for (int i = 0; i < n; i++) {
        parent[i] = t[i].parent_id ? find_id(t, n, t[i].parent_id) : -1;
        t[i].nchildren = 0;
    }
    for (int i = 0; i < n; i++) {
        if (parent[i] >= 0) t[parent[i]].nchildren++;
        int d = 0;
        for (int j = parent[i]; j >= 0; j = parent[j])
            if (++d > ROLLUP_DEPTH_MAX) {
                rc = err_set(e, ERR_INVALID, "parent",
                             "task #%lld: its parents form a cycle or "
                             "are deeper than %d levels",
                             (long long)t[i].id, ROLLUP_DEPTH_MAX);
                goto out;
            }
        depth[i] = d;
        if (d > maxd) maxd = d;
    }
    /* deepest parents first: a parent at depth d has children at d + 1, already settled */
    for (int d = maxd - 1; d >= 0; d--) {
        for (int i = 0; i < n; i++) {
            if (depth[i] != d || !t[i].nchildren) continue;
            int64_t sum = 0, w = 0;
            for (int j = 0; j < n; j++) {
                if (parent[j] != i || t[j].status == TS_CANCELLED) continue;
                sum += (int64_t)t[j].weight * (t[j].status == TS_DONE ? 100 : t[j].progress);
                w += t[j].weight;
            }
            if (w && t[i].status != TS_DONE) t[i].progress = (int)(sum / w);
        }
    }
out:
    free(parent);
    free(depth);
    return rc;
}

enum task_due reform_due_class(const struct reform_task *t, int64_t today, int near_days)
{
    if (task_status_closed(t->status)) return TD_CLOSED;
    if (t->due_day < today) return TD_OVERDUE;
    if (t->due_day <= today + near_days) return TD_NEAR;
    return TD_OK;
}

const char *task_due_name(enum task_due d)
{
    static const char *const names[] = {"ok", "near", "overdue", "closed"};
    return (unsigned)d <= TD_CLOSED ? names[d] : NULL;
}

int reform_rate_counts(const struct reform_task *t, int64_t as_of, int *in_num)
{
    *in_num = t->status == TS_DONE && t->done_day <= as_of;
    if (t->status == TS_CANCELLED) return 0;
    return t->due_day <= as_of || *in_num;
}

void reform_rate_add(struct reform_rate *r, const struct reform_task *t, int64_t as_of)
{
    int in_num;
    if (!reform_rate_counts(t, as_of, &in_num)) return;
    r->den++;
    r->num += in_num;
}

void reform_rate_finish(struct reform_rate *r)
{
    r->value = r->den ? r->num * 100 * PAR_SCALE / r->den : PAR_NONE;
}

int reform_area_check(const struct par_set *set, const char *code, struct err *e)
{
    char list[512] = "";
    size_t len = 0;
    for (int i = 0; i < set->nareas; i++) {
        const struct par_node *a = &set->node[set->areas[i]];
        if (code && !strcmp(a->code, code)) return 0;
        int w = snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", a->code);
        if (w > 0 && (size_t)w < sizeof list - len) len += (size_t)w;
    }
    return err_set(e, ERR_INVALID, "area",
                   "area '%s': not a reform area of criteria set '%s' "
                   "(%s)",
                   code ? code : "", set->code, list);
}
