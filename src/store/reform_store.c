/* reform_store.c — CCHC plans and tasks in the shared SQL of both databases (migration 011):
 * plan rows tied to the PAR set whose areas they use, task rows with their history, child
 * tasks whose owners lie below their parent's in the unit tree, progress rolled up to every
 * ancestor in the transaction that changes a task (src/core/reform.c decides), evidence in
 * the PAR blobs, and the completion rate PAR scores. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blob.h"
#include "date.h"
#include "sqlite_par_int.h"
#include "store_reform.h"

static const char *nz(const char *s)
{
    return s ? s : "";
}

static void bind_str(struct db_stmt *st, int i, const char *t)
{
    db_bind_text_copy(st, i, nz(t));
}

static int len_check(const char *field, const char *v, size_t max, int required, struct err *e)
{
    if (required && (!v || !v[0]))
        return err_set(e, ERR_INVALID, field, "%s: must not be empty", field);
    if (v && strlen(v) >= max)
        return err_set(e, ERR_INVALID, field, "%s: longer than %zu bytes", field, max - 1);
    return 0;
}

/* ---- plans ----------------------------------------------------------------------------- */

#define PLAN_COLS                                                                                  \
    "p.id, p.unit_code, p.year, s.code, s.version, p.title, p.created_at, p.created_by, "          \
    "(SELECT count(*) FROM reform_tasks t WHERE t.plan_id = p.id)"
static const char SQL_PLAN_GET[] =
    "SELECT " PLAN_COLS " FROM reform_plans p JOIN par_sets s ON s.id = p.set_id "
    "WHERE p.id = ?1";
static const char SQL_PLAN_FIND[] =
    "SELECT " PLAN_COLS " FROM reform_plans p JOIN par_sets s ON s.id = p.set_id "
    "WHERE p.unit_code = ?1 AND p.year = ?2";
static const char SQL_PLAN_LIST[] =
    "SELECT " PLAN_COLS " FROM reform_plans p JOIN par_sets s ON s.id = p.set_id "
    "WHERE (?1 = 0 OR p.year = ?1) ORDER BY p.year, p.unit_code";
/* A plan's province (migration 039) is the root of its unit's tree when it is created, never
 * changed; its tasks, their history, evidence and links carry the plan's, bound at every
 * insert (docs/scale.md, "What the schema needs first", step 1). */
static const char SQL_PLAN_INSERT[] =
    "INSERT INTO reform_plans (unit_code, year, set_id, title, created_at, created_by, province) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id";
static const char SQL_PLAN_PROVINCE[] = "SELECT province FROM reform_plans WHERE id = ?1";
static const char SQL_TASK_PROVINCE[] = "SELECT province FROM reform_tasks WHERE id = ?1";
static const char SQL_PLAN_SET_ID[] = "SELECT set_id FROM reform_plans WHERE id = ?1";
static const char SQL_SET_BY_CODE[] =
    "SELECT id FROM par_sets WHERE code = ?1 ORDER BY year DESC, id DESC LIMIT 1";
static const char SQL_SET_IN_FORCE[] =
    "SELECT id FROM par_sets WHERE scope = ?1 AND year <= ?2 ORDER BY year DESC, id DESC LIMIT 1";

static void read_plan(struct db_stmt *st, struct reform_plan *p)
{
    memset(p, 0, sizeof *p);
    p->id = db_col_int64(st, 0);
    sq_col_text(st, 1, p->unit, sizeof p->unit);
    p->year = (int)db_col_int64(st, 2);
    sq_col_text(st, 3, p->set_code, sizeof p->set_code);
    sq_col_text(st, 4, p->set_version, sizeof p->set_version);
    sq_col_text(st, 5, p->title, sizeof p->title);
    p->created_at = db_col_int64(st, 6);
    sq_col_text(st, 7, p->created_by, sizeof p->created_by);
    p->ntasks = (int)db_col_int64(st, 8);
}

static int plan_one(struct store *s, const char *sql, int64_t id, const char *unit, int year,
                    struct reform_plan *out, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, sql, &st, e);
    if (rc) return rc;
    if (unit) {
        bind_str(st, 1, unit);
        db_bind_int64(st, 2, year);
    } else {
        db_bind_int64(st, 1, id);
    }
    int step = db_step(st);
    if (step == DB_ROW)
        read_plan(st, out);
    else if (step == DB_DONE)
        rc = unit ? err_set(e, ERR_NOT_FOUND, "plan", "unit '%s' has no CCHC plan for %d", unit,
                            year)
                  : err_set(e, ERR_NOT_FOUND, "plan", "plan #%lld does not exist", (long long)id);
    else
        rc = sq_fail(s, step, "reform plan", e);
    sq_done(s, st);
    return rc;
}

int store_reform_plan_get(struct store *s, int64_t id, struct reform_plan *out, struct err *e)
{
    return plan_one(s, SQL_PLAN_GET, id, NULL, 0, out, e);
}

int store_reform_plan_find(struct store *s, const char *unit, int year, struct reform_plan *out,
                           struct err *e)
{
    return plan_one(s, SQL_PLAN_FIND, 0, nz(unit), year, out, e);
}

/* The PAR scope whose sets apply to a unit of kind k. */
static enum par_scope scope_of(enum unit_kind k)
{
    switch (k) {
    case UNIT_PROVINCE:
        return PAR_SCOPE_PROVINCE;
    case UNIT_DEPARTMENT:
    case UNIT_AGENCY:
    case UNIT_DESK:
        return PAR_SCOPE_DEPARTMENT;
    case UNIT_DISTRICT:
        return PAR_SCOPE_DISTRICT;
    default:
        return PAR_SCOPE_COMMUNE;
    }
}

static int one_id(struct store *s, const char *sql, const char *text, int64_t n, int64_t *id,
                  struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, sql, &st, e);
    if (rc) return rc;
    bind_str(st, 1, text);
    if (n) db_bind_int64(st, 2, n);
    int step = db_step(st);
    *id = step == DB_ROW ? db_col_int64(st, 0) : 0;
    if (step != DB_ROW && step != DB_DONE) rc = sq_fail(s, step, "reform plan's set", e);
    sq_done(s, st);
    return rc;
}

struct plan_create {
    const struct reform_plan_in *in;
    struct reform_plan *out;
};

static int plan_create_tx(struct store *s, void *ctx, struct err *e)
{
    struct plan_create *x = ctx;
    const struct reform_plan_in *in = x->in;
    struct unit u;
    int rc = store_unit_get(s, in->unit, &u, e);
    if (rc) return rc;
    int64_t set_id = 0;
    if (in->set && in->set[0]) {
        if ((rc = one_id(s, SQL_SET_BY_CODE, in->set, 0, &set_id, e))) return rc;
        if (!set_id)
            return err_set(e, ERR_NOT_FOUND, "set", "criteria set '%s' does not exist", in->set);
    } else {
        enum par_scope sc = scope_of(u.kind);
        if ((rc = one_id(s, SQL_SET_IN_FORCE, par_scope_name(sc), in->year, &set_id, e))) return rc;
        if (!set_id)
            return err_set(e, ERR_NOT_FOUND, "set",
                           "no PAR criteria set of scope '%s' for %d is imported: import one "
                           "(cchc par import) or name it",
                           par_scope_name(sc), in->year);
    }
    struct reform_plan old;
    struct err e2 = {0};
    if (!store_reform_plan_find(s, in->unit, in->year, &old, &e2))
        return err_set(e, ERR_CONFLICT, "year", "unit '%s' has a CCHC plan for %d already (#%lld)",
                       in->unit, in->year, (long long)old.id);
    char title[REFORM_PLAN_TITLE_MAX];
    if (in->title && in->title[0])
        snprintf(title, sizeof title, "%s", in->title);
    else
        snprintf(title, sizeof title, "Kế hoạch cải cách hành chính năm %d", in->year);
    char prov[UNIT_CODE_MAX];
    if ((rc = sq_unit_root(s, in->unit, prov, sizeof prov, e))) return rc;
    struct db_stmt *st;
    if ((rc = sq_prep(s, SQL_PLAN_INSERT, &st, e))) return rc;
    bind_str(st, 1, in->unit);
    bind_str(st, 7, prov);
    db_bind_int64(st, 2, in->year);
    db_bind_int64(st, 3, set_id);
    bind_str(st, 4, title);
    db_bind_int64(st, 5, in->at);
    bind_str(st, 6, in->actor);
    int64_t id;
    rc = sq_insert_id(s, st, "reform plan", &id, e);
    sq_done(s, st);
    return rc ? rc : store_reform_plan_get(s, id, x->out, e);
}

int store_reform_plan_create(struct store *s, const struct reform_plan_in *in,
                             struct reform_plan *out, struct err *e)
{
    int rc = len_check("unit", in->unit, UNIT_CODE_MAX, 1, e);
    if (!rc) rc = len_check("title", in->title, REFORM_PLAN_TITLE_MAX, 0, e);
    if (!rc) rc = len_check("actor", in->actor, PAR_ACTOR_MAX, 1, e);
    if (!rc && (in->year < 2000 || in->year > 2100))
        rc = err_set(e, ERR_INVALID, "year", "year: %d is outside 2000..2100", in->year);
    if (rc) return rc;
    struct plan_create x = {in, out};
    return store_tx(s, plan_create_tx, &x, e);
}

/* Codes of a unit's scope, collected before the rows are read (callbacks query the store). */
struct codeset {
    int n, cap;
    char (*c)[UNIT_CODE_MAX];
};

static int codeset_add(const struct unit *u, void *ctx)
{
    struct codeset *x = ctx;
    if (x->n == x->cap) {
        int cap = x->cap ? x->cap * 2 : 64;
        char(*g)[UNIT_CODE_MAX] = realloc(x->c, sizeof *g * (size_t)cap);
        if (!g) return ERR_NOMEM;
        x->c = g;
        x->cap = cap;
    }
    snprintf(x->c[x->n++], UNIT_CODE_MAX, "%s", u->code);
    return 0;
}

static int codeset_has(const struct codeset *x, const char *code)
{
    for (int i = 0; i < x->n; i++)
        if (!strcmp(x->c[i], code)) return 1;
    return 0;
}

static int codeset_scope(struct store *s, const char *unit, struct codeset *x, struct err *e)
{
    int rc = store_unit_scope(s, unit, UNIT_DAY_MIN, codeset_add, x, e);
    if (rc == ERR_NOMEM) rc = err_set(e, ERR_NOMEM, "", "out of memory");
    return rc;
}

struct plan_list {
    struct codeset scope;
    int filter;
    reform_plan_fn fn;
    void *ctx;
};

int store_reform_plan_list(struct store *s, const char *scope, int year, reform_plan_fn fn,
                           void *ctx, struct err *e)
{
    struct plan_list x = {.fn = fn, .ctx = ctx, .filter = scope && scope[0]};
    int rc = x.filter ? codeset_scope(s, scope, &x.scope, e) : 0;
    struct db_stmt *st = NULL;
    if (!rc) rc = sq_prep(s, SQL_PLAN_LIST, &st, e);
    if (!rc) {
        db_bind_int64(st, 1, year);
        int step = DB_DONE, urc = 0;
        while (!urc && (step = db_step(st)) == DB_ROW) {
            struct reform_plan p;
            read_plan(st, &p);
            if (!x.filter || codeset_has(&x.scope, p.unit)) urc = fn(&p, ctx);
        }
        rc = urc ? urc : step == DB_DONE ? 0 : sq_fail(s, step, "reform plans", e);
        sq_done(s, st);
    }
    free(x.scope.c);
    return rc;
}

int store_reform_plan_set(struct store *s, int64_t plan_id, struct par_set **out, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_PLAN_SET_ID, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, plan_id);
    int step = db_step(st);
    int64_t set_id = step == DB_ROW ? db_col_int64(st, 0) : 0;
    if (step == DB_DONE)
        rc = err_set(e, ERR_NOT_FOUND, "plan", "plan #%lld does not exist", (long long)plan_id);
    else if (step != DB_ROW)
        rc = sq_fail(s, step, "reform plan", e);
    sq_done(s, st);
    return rc ? rc : par_set_load_id(s, set_id, out, e);
}

/* ---- tasks ----------------------------------------------------------------------------- */

#define TASK_COLS                                                                                  \
    "t.id, t.plan_id, t.parent_id, t.area, t.title, t.owner_unit, t.lead, t.product, "             \
    "t.start_day, t.due_day, t.done_day, t.status, t.progress, t.weight, "                         \
    "(SELECT count(*) FROM reform_tasks c WHERE c.parent_id = t.id)"
static const char SQL_TASK_GET[] = "SELECT " TASK_COLS " FROM reform_tasks t WHERE t.id = ?1";
static const char SQL_TASK_LIST[] =
    "SELECT " TASK_COLS " FROM reform_tasks t JOIN reform_plans p ON p.id = t.plan_id "
    "WHERE (?1 = 0 OR t.plan_id = ?1) AND (?2 = 0 OR p.year = ?2) "
    "AND (?3 = 0 OR (?3 > 0 AND t.parent_id = ?3) OR (?3 < 0 AND t.parent_id IS NULL)) "
    "AND (CAST(?4 AS TEXT) IS NULL OR t.owner_unit = ?4) ORDER BY t.due_day, t.id";
static const char SQL_TASK_CHILDREN[] =
    "SELECT " TASK_COLS " FROM reform_tasks t WHERE t.parent_id = ?1 ORDER BY t.id";
static const char SQL_TASK_INSERT[] =
    "INSERT INTO reform_tasks (plan_id, parent_id, area, title, owner_unit, lead, product, "
    "start_day, due_day, done_day, status, progress, weight, created_at, created_by, updated_at, "
    "province) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, NULL, 'planned', 0, ?10, ?11, ?12, ?11, "
    "?13) RETURNING id";
static const char SQL_TASK_UPDATE[] =
    "UPDATE reform_tasks SET status = ?2, progress = ?3, done_day = ?4, updated_at = ?5 "
    "WHERE id = ?1";
static const char SQL_TASK_PROGRESS[] = "UPDATE reform_tasks SET progress = ?2 WHERE id = ?1";
static const char SQL_EVENT_INSERT[] =
    "INSERT INTO reform_task_events (task_id, at, actor, action, from_status, to_status, "
    "progress, note, province) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char SQL_EVENTS[] =
    "SELECT id, task_id, at, actor, action, from_status, to_status, progress, note "
    "FROM reform_task_events WHERE task_id = ?1 ORDER BY id";

static void read_task(struct db_stmt *st, struct reform_task *t)
{
    memset(t, 0, sizeof *t);
    t->id = db_col_int64(st, 0);
    t->plan_id = db_col_int64(st, 1);
    t->parent_id = db_col_null(st, 2) ? 0 : db_col_int64(st, 2);
    sq_col_text(st, 3, t->area, sizeof t->area);
    sq_col_text(st, 4, t->title, sizeof t->title);
    sq_col_text(st, 5, t->owner, sizeof t->owner);
    sq_col_text(st, 6, t->lead, sizeof t->lead);
    sq_col_text(st, 7, t->product, sizeof t->product);
    t->start_day = db_col_int64(st, 8);
    t->due_day = db_col_int64(st, 9);
    t->done_day = db_col_null(st, 10) ? 0 : db_col_int64(st, 10);
    enum task_status ts = TS_PLANNED;
    task_status_parse(db_col_text(st, 11), &ts, "status", NULL);
    t->status = ts;
    t->progress = (int)db_col_int64(st, 12);
    t->weight = (int)db_col_int64(st, 13);
    t->nchildren = (int)db_col_int64(st, 14);
}

int store_reform_task_get(struct store *s, int64_t id, struct reform_task *out, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_TASK_GET, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, id);
    int step = db_step(st);
    if (step == DB_ROW)
        read_task(st, out);
    else if (step == DB_DONE)
        rc = err_set(e, ERR_NOT_FOUND, "task", "task #%lld does not exist", (long long)id);
    else
        rc = sq_fail(s, step, "reform task", e);
    sq_done(s, st);
    return rc;
}

int reform_task_province(struct store *s, int64_t task_id, char *out, size_t n, struct err *e)
{
    return sq_row_province(s, SQL_TASK_PROVINCE, task_id, "task", out, n, e);
}

/* One line of task_id's history; prov: the task's province. */
static int event_add(struct store *s, int64_t task_id, const char *prov, int64_t at,
                     const char *actor, const char *action, const char *from,
                     const struct reform_task *t, const char *note, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_EVENT_INSERT, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, task_id);
    bind_str(st, 9, prov);
    db_bind_int64(st, 2, at);
    bind_str(st, 3, actor);
    bind_str(st, 4, action);
    bind_str(st, 5, from);
    bind_str(st, 6, task_status_name(t->status));
    db_bind_int64(st, 7, t->progress);
    bind_str(st, 8, note);
    rc = sq_step_done(s, st, "reform task history", e);
    sq_done(s, st);
    return rc;
}

struct tasks {
    int n, cap;
    struct reform_task *t;
};

static int tasks_add(struct tasks *x, const struct reform_task *t)
{
    if (x->n == x->cap) {
        int cap = x->cap ? x->cap * 2 : 16;
        struct reform_task *g = realloc(x->t, sizeof *g * (size_t)cap);
        if (!g) return ERR_NOMEM;
        x->t = g;
        x->cap = cap;
    }
    x->t[x->n++] = *t;
    return 0;
}

static int children_of(struct store *s, int64_t id, struct tasks *x, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_TASK_CHILDREN, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, id);
    int step;
    while (!rc && (step = db_step(st)) == DB_ROW) {
        struct reform_task t;
        read_task(st, &t);
        if (tasks_add(x, &t)) rc = err_set(e, ERR_NOMEM, "", "out of memory");
    }
    if (!rc && step != DB_DONE) rc = sq_fail(s, step, "reform child tasks", e);
    sq_done(s, st);
    return rc;
}

/* Rolls progress up from task id's parent to the top: each ancestor (not done) takes the
 * weighted mean of its children's (reform_rollup_children). */
static int rollup_ancestors(struct store *s, int64_t parent_id, struct err *e)
{
    int rc = 0;
    for (int depth = 0; !rc && parent_id && depth < 32; depth++) {
        struct reform_task p;
        struct tasks kids = {0};
        if ((rc = store_reform_task_get(s, parent_id, &p, e))) break;
        rc = children_of(s, p.id, &kids, e);
        int v = rc ? -1 : reform_rollup_children(kids.t, kids.n);
        free(kids.t);
        if (!rc && v >= 0 && v != p.progress && p.status != TS_DONE) {
            struct db_stmt *st;
            if ((rc = sq_prep(s, SQL_TASK_PROGRESS, &st, e))) break;
            db_bind_int64(st, 1, p.id);
            db_bind_int64(st, 2, v);
            rc = sq_step_done(s, st, "reform task progress", e);
            sq_done(s, st);
        }
        parent_id = p.parent_id;
    }
    return rc;
}

struct unit_in {
    const char *code;
    int found;
};

static int unit_match(const struct unit *u, void *ctx)
{
    struct unit_in *x = ctx;
    if (!strcmp(u->code, x->code)) x->found = 1;
    return 0;
}

/* ERR_INVALID unless owner is root or below it on day. */
static int owner_below(struct store *s, const char *root, const char *owner, int64_t day,
                       struct err *e)
{
    struct unit_in x = {owner, 0};
    int rc = store_unit_subtree(s, root, day, unit_match, &x, e);
    if (rc) return rc;
    if (!x.found) {
        char d[16];
        return err_set(e, ERR_INVALID, "owner",
                       "owner '%s': not unit '%s' or a unit below it on %s", owner, root,
                       day_format(day, d));
    }
    return 0;
}

struct task_add {
    const struct reform_task_in *in;
    struct reform_task *out;
};

static int task_add_tx(struct store *s, void *ctx, struct err *e)
{
    struct task_add *x = ctx;
    const struct reform_task_in *in = x->in;
    struct reform_task t = {0}, parent = {0};
    int rc = 0;
    int64_t plan_id = in->plan_id;
    if (in->parent_id) {
        if ((rc = store_reform_task_get(s, in->parent_id, &parent, e))) return rc;
        if (plan_id && plan_id != parent.plan_id)
            return err_set(e, ERR_INVALID, "plan", "parent task #%lld is in plan #%lld, not #%lld",
                           (long long)parent.id, (long long)parent.plan_id, (long long)plan_id);
        plan_id = parent.plan_id;
    }
    struct reform_plan plan;
    if ((rc = store_reform_plan_get(s, plan_id, &plan, e))) return rc;
    t.plan_id = plan_id;
    t.parent_id = in->parent_id;
    snprintf(t.area, sizeof t.area, "%s", in->area && in->area[0] ? in->area : parent.area);
    snprintf(t.title, sizeof t.title, "%s", nz(in->title));
    snprintf(t.owner, sizeof t.owner, "%s", nz(in->owner));
    snprintf(t.lead, sizeof t.lead, "%s", nz(in->lead));
    snprintf(t.product, sizeof t.product, "%s", nz(in->product));
    t.start_day = in->start_day;
    t.due_day = in->due_day;
    t.weight = in->weight ? in->weight : 1;
    if ((rc = reform_task_check(&t, e))) return rc;
    struct ymd sd = days_to_ymd(t.start_day), dd = days_to_ymd(t.due_day);
    if (dd.y != plan.year && sd.y != plan.year)
        return err_set(e, ERR_INVALID, "due", "due: a task of the %d plan must start or end in %d",
                       plan.year, plan.year);
    if (in->parent_id && (rc = reform_child_check(&parent, &t, e))) return rc;
    struct par_set *set = NULL;
    if ((rc = store_reform_plan_set(s, plan_id, &set, e))) return rc;
    rc = reform_area_check(set, t.area, e);
    par_set_free(set);
    if (rc) return rc;
    struct unit ou;
    if ((rc = store_unit_get(s, t.owner, &ou, e))) return rc;
    rc = owner_below(s, in->parent_id ? parent.owner : plan.unit, t.owner, t.due_day, e);
    if (rc) return rc;
    char prov[UNIT_CODE_MAX]; /* the plan's */
    if ((rc = sq_row_province(s, SQL_PLAN_PROVINCE, plan_id, "plan", prov, sizeof prov, e)))
        return rc;
    struct db_stmt *st;
    if ((rc = sq_prep(s, SQL_TASK_INSERT, &st, e))) return rc;
    db_bind_int64(st, 1, plan_id);
    bind_str(st, 13, prov);
    if (in->parent_id) db_bind_int64(st, 2, in->parent_id);
    bind_str(st, 3, t.area);
    bind_str(st, 4, t.title);
    bind_str(st, 5, t.owner);
    bind_str(st, 6, t.lead);
    bind_str(st, 7, t.product);
    db_bind_int64(st, 8, t.start_day);
    db_bind_int64(st, 9, t.due_day);
    db_bind_int64(st, 10, t.weight);
    db_bind_int64(st, 11, in->at);
    bind_str(st, 12, in->actor);
    rc = sq_insert_id(s, st, "reform task", &t.id, e);
    sq_done(s, st);
    if (!rc) rc = event_add(s, t.id, prov, in->at, in->actor, "create", "", &t, "", e);
    if (!rc) rc = rollup_ancestors(s, t.parent_id, e);
    if (!rc) rc = store_reform_task_get(s, t.id, x->out, e);
    return rc;
}

int store_reform_task_add(struct store *s, const struct reform_task_in *in, struct reform_task *out,
                          struct err *e)
{
    int rc = len_check("title", in->title, REFORM_TITLE_MAX, 1, e);
    if (!rc) rc = len_check("owner", in->owner, UNIT_CODE_MAX, 1, e);
    if (!rc) rc = len_check("lead", in->lead, REFORM_LEAD_MAX, 0, e);
    if (!rc) rc = len_check("product", in->product, REFORM_PRODUCT_MAX, 0, e);
    if (!rc) rc = len_check("area", in->area, PAR_CODE_MAX, 0, e);
    if (!rc) rc = len_check("actor", in->actor, PAR_ACTOR_MAX, 1, e);
    if (!rc && !in->plan_id && !in->parent_id)
        rc = err_set(e, ERR_INVALID, "plan", "plan: a task needs its plan or its parent task");
    if (rc) return rc;
    struct task_add x = {in, out};
    return store_tx(s, task_add_tx, &x, e);
}

struct task_act {
    int64_t id;
    enum task_action a;
    const struct task_args *args;
    const char *actor;
    int64_t at;
    struct reform_task *out;
};

static int task_act_tx(struct store *s, void *ctx, struct err *e)
{
    struct task_act *x = ctx;
    struct reform_task t, next;
    int rc = store_reform_task_get(s, x->id, &t, e);
    if (rc) return rc;
    struct task_args args = *x->args;
    if (!args.day) args.day = instant_day(x->at);
    if ((rc = reform_task_apply(&t, x->a, &args, &next, e))) return rc;
    char prov[UNIT_CODE_MAX];
    if ((rc = reform_task_province(s, t.id, prov, sizeof prov, e))) return rc;
    struct db_stmt *st;
    if ((rc = sq_prep(s, SQL_TASK_UPDATE, &st, e))) return rc;
    db_bind_int64(st, 1, t.id);
    bind_str(st, 2, task_status_name(next.status));
    db_bind_int64(st, 3, next.progress);
    if (next.done_day) db_bind_int64(st, 4, next.done_day);
    db_bind_int64(st, 5, x->at);
    rc = sq_step_done(s, st, "reform task", e);
    sq_done(s, st);
    if (!rc)
        rc = event_add(s, t.id, prov, x->at, x->actor, task_action_desc(x->a)->name,
                       task_status_name(t.status), &next, args.note, e);
    if (!rc) rc = rollup_ancestors(s, t.parent_id, e);
    if (!rc && task_status_closed(t.status) != task_status_closed(next.status))
        rc = insp_after_task(s, t.id, x->actor, x->at, e); /* a remedy closes its inspection */
    if (!rc && x->out) rc = store_reform_task_get(s, t.id, x->out, e);
    return rc;
}

int store_reform_task_act(struct store *s, int64_t id, enum task_action a,
                          const struct task_args *args, const char *actor, int64_t at,
                          struct reform_task *out, struct err *e)
{
    int rc = len_check("actor", actor, PAR_ACTOR_MAX, 1, e);
    if (rc) return rc;
    struct task_act x = {id, a, args, actor, at, out};
    return store_tx(s, task_act_tx, &x, e);
}

int store_reform_task_list(struct store *s, const struct reform_task_filter *f, reform_task_fn fn,
                           void *ctx, struct err *e)
{
    struct codeset scope = {0};
    int filter = f->scope && f->scope[0];
    int rc = filter ? codeset_scope(s, f->scope, &scope, e) : 0;
    struct db_stmt *st = NULL;
    if (!rc) rc = sq_prep(s, SQL_TASK_LIST, &st, e);
    if (!rc) {
        db_bind_int64(st, 1, f->plan_id);
        db_bind_int64(st, 2, f->year);
        db_bind_int64(st, 3, f->parent_id);
        sq_bind_text(st, 4, f->owner);
        int near = f->near_days ? f->near_days : REFORM_NEAR_DAYS;
        int step = DB_DONE, urc = 0;
        while (!urc && (step = db_step(st)) == DB_ROW) {
            struct reform_task t;
            read_task(st, &t);
            if (filter && !codeset_has(&scope, t.owner)) continue;
            if (f->open_only && task_status_closed(t.status)) continue;
            if (f->due && f->today && (int)reform_due_class(&t, f->today, near) + 1 != f->due)
                continue;
            urc = fn(&t, ctx);
        }
        rc = urc ? urc : step == DB_DONE ? 0 : sq_fail(s, step, "reform tasks", e);
        sq_done(s, st);
    }
    free(scope.c);
    return rc;
}

int store_reform_task_history(struct store *s, int64_t task_id, reform_event_fn fn, void *ctx,
                              struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_EVENTS, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, task_id);
    int step = DB_DONE, urc = 0;
    while (!urc && (step = db_step(st)) == DB_ROW) {
        struct reform_event ev;
        memset(&ev, 0, sizeof ev);
        ev.id = db_col_int64(st, 0);
        ev.task_id = db_col_int64(st, 1);
        ev.at = db_col_int64(st, 2);
        sq_col_text(st, 3, ev.actor, sizeof ev.actor);
        sq_col_text(st, 4, ev.action, sizeof ev.action);
        sq_col_text(st, 5, ev.from, sizeof ev.from);
        sq_col_text(st, 6, ev.to, sizeof ev.to);
        ev.progress = (int)db_col_int64(st, 7);
        sq_col_text(st, 8, ev.note, sizeof ev.note);
        urc = fn(&ev, ctx);
    }
    rc = urc ? urc : step == DB_DONE ? 0 : sq_fail(s, step, "reform task history", e);
    sq_done(s, st);
    return rc;
}

/* ---- evidence -------------------------------------------------------------------------- */

static const char SQL_EV_INSERT[] =
    "INSERT INTO reform_evidence (task_id, name, mime, size, sha256, added_at, added_by, "
    "province) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id";
#define EV_COLS "e.id, e.task_id, e.name, e.mime, e.size, e.sha256, e.added_at, e.added_by"
static const char SQL_EV_LIST[] =
    "SELECT " EV_COLS " FROM reform_evidence e WHERE e.task_id = ?1 ORDER BY e.id";
static const char SQL_EV_GET[] = "SELECT " EV_COLS ", b.content FROM reform_evidence e JOIN "
                                 "par_blobs b ON b.sha256 = e.sha256 AND b.province = e.province "
                                 "WHERE e.id = ?1";

struct ev_add {
    const struct reform_evidence_in *in;
    struct reform_evidence *out;
};

static int ev_add_tx(struct store *s, void *ctx, struct err *e)
{
    struct ev_add *x = ctx;
    struct reform_task t;
    int rc = store_reform_task_get(s, x->in->task_id, &t, e);
    char prov[UNIT_CODE_MAX]; /* the task's */
    if (rc || (rc = reform_task_province(s, t.id, prov, sizeof prov, e))) return rc;
    struct db_stmt *st;
    if ((rc = sq_blob_put(s, SQ_PAR_BLOBS, x->out->sha256, x->in->data, x->out->size, prov,
                          "task evidence content", e)) ||
        (rc = sq_prep(s, SQL_EV_INSERT, &st, e)))
        return rc;
    db_bind_int64(st, 1, t.id);
    bind_str(st, 8, prov);
    bind_str(st, 2, x->out->name);
    bind_str(st, 3, x->out->mime);
    db_bind_int64(st, 4, x->out->size);
    bind_str(st, 5, x->out->sha256);
    db_bind_int64(st, 6, x->out->added_at);
    bind_str(st, 7, x->out->added_by);
    rc = sq_insert_id(s, st, "task evidence", &x->out->id, e);
    sq_done(s, st);
    return rc;
}

int store_reform_evidence_add(struct store *s, const struct reform_evidence_in *in,
                              struct reform_evidence *out, struct err *e)
{
    int64_t max = in->max_size > 0 ? in->max_size : PAR_EVIDENCE_MAX_DEFAULT;
    const char *mime = NULL;
    char sha[65];
    int rc = len_check("actor", in->actor, PAR_ACTOR_MAX, 1, e);
    if (!rc) rc = blob_evidence_check(in->name, in->data, in->size, max, &mime, sha, e);
    if (rc) return rc;
    memset(out, 0, sizeof *out);
    out->task_id = in->task_id;
    snprintf(out->name, sizeof out->name, "%s", in->name);
    snprintf(out->mime, sizeof out->mime, "%s", mime);
    out->size = in->size;
    memcpy(out->sha256, sha, sizeof sha);
    out->added_at = in->at;
    snprintf(out->added_by, sizeof out->added_by, "%s", in->actor);
    struct ev_add x = {in, out};
    return store_tx(s, ev_add_tx, &x, e);
}

static void read_ev(struct db_stmt *st, struct reform_evidence *ev)
{
    memset(ev, 0, sizeof *ev);
    ev->id = db_col_int64(st, 0);
    ev->task_id = db_col_int64(st, 1);
    sq_col_text(st, 2, ev->name, sizeof ev->name);
    sq_col_text(st, 3, ev->mime, sizeof ev->mime);
    ev->size = db_col_int64(st, 4);
    sq_col_text(st, 5, ev->sha256, sizeof ev->sha256);
    ev->added_at = db_col_int64(st, 6);
    sq_col_text(st, 7, ev->added_by, sizeof ev->added_by);
}

int store_reform_evidence_list(struct store *s, int64_t task_id, reform_evidence_fn fn, void *ctx,
                               struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_EV_LIST, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, task_id);
    int step = DB_DONE, urc = 0;
    while (!urc && (step = db_step(st)) == DB_ROW) {
        struct reform_evidence ev;
        read_ev(st, &ev);
        urc = fn(&ev, ctx);
    }
    rc = urc ? urc : step == DB_DONE ? 0 : sq_fail(s, step, "task evidence", e);
    sq_done(s, st);
    return rc;
}

int store_reform_evidence_get(struct store *s, int64_t id, struct reform_evidence *out, void **data,
                              struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_EV_GET, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, id);
    int step = db_step(st);
    if (step == DB_ROW) {
        read_ev(st, out);
        *data = malloc((size_t)out->size);
        if (!*data)
            rc = err_set(e, ERR_NOMEM, "", "out of memory");
        else
            memcpy(*data, db_col_blob(st, 8), (size_t)out->size);
    } else {
        rc = step == DB_DONE
                 ? err_set(e, ERR_NOT_FOUND, "id", "evidence #%lld does not exist", (long long)id)
                 : sq_fail(s, step, "task evidence", e);
    }
    sq_done(s, st);
    return rc;
}

/* ---- the plan completion rate ---------------------------------------------------------- */

struct rate_walk {
    struct tasks all;
};

static int rate_collect(const struct reform_task *t, void *ctx)
{
    return tasks_add(&((struct rate_walk *)ctx)->all, t);
}

static int lineage_add(const struct unit *u, void *ctx)
{
    return codeset_add(u, ctx);
}

int store_reform_rate(struct store *s, const char *unit, int year, int64_t as_of,
                      struct reform_rate *out, reform_rate_fn fn, void *ctx, struct err *e)
{
    memset(out, 0, sizeof *out);
    struct codeset ln = {0};
    struct unit u;
    int rc = store_unit_get(s, unit, &u, e);
    if (!rc) rc = codeset_add(&u, &ln) ? err_set(e, ERR_NOMEM, "", "out of memory") : 0;
    /* the units merged into it, transitively, as dossier metrics count them */
    for (int i = 0; !rc && i < ln.n; i++) {
        char code[UNIT_CODE_MAX];
        memcpy(code, ln.c[i], sizeof code);
        int n0 = ln.n;
        rc = store_unit_predecessors(s, code, lineage_add, &ln, e);
        for (int j = n0; j < ln.n; j++) /* drop repeats */
            for (int k = 0; k < j; k++)
                if (!strcmp(ln.c[j], ln.c[k])) {
                    memmove(ln.c[j], ln.c[--ln.n], UNIT_CODE_MAX);
                    j--;
                    break;
                }
    }
    struct rate_walk w = {0};
    for (int i = 0; !rc && i < ln.n; i++) {
        struct reform_task_filter f = {.year = year, .owner = ln.c[i]};
        rc = store_reform_task_list(s, &f, rate_collect, &w, e);
        if (rc == ERR_NOMEM) rc = err_set(e, ERR_NOMEM, "", "out of memory");
    }
    for (int i = 0; !rc && i < w.all.n; i++) {
        int in_num;
        if (!reform_rate_counts(&w.all.t[i], as_of, &in_num)) continue;
        reform_rate_add(out, &w.all.t[i], as_of);
        if (fn) rc = fn(&w.all.t[i], in_num, ctx);
    }
    reform_rate_finish(out);
    free(w.all.t);
    free(ln.c);
    return rc;
}
