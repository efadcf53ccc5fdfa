/* action_store.c — the action tracker in the shared SQL of both databases (migration 022): a
 * reform task made from a weak figure and its link to the figure, in one transaction; the
 * links with their tasks; the inspections' open remedies for the leaders' page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite_par_int.h"
#include "store_action.h"

static const char SQL_LINK_INSERT[] =
    "INSERT INTO reform_task_links (task_id, kind, unit_code, round_code, ref, value, created_at, "
    "created_by, province) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char SQL_LINKS[] =
    "SELECT l.task_id, l.kind, l.unit_code, l.round_code, l.ref, l.value, l.created_at, "
    "l.created_by, p.unit_code FROM reform_task_links l JOIN reform_tasks t ON t.id = l.task_id "
    "JOIN reform_plans p ON p.id = t.plan_id "
    "WHERE (?1 = '' OR l.kind = ?1) AND (?2 = '' OR l.round_code = ?2) "
    "AND (?3 = 0 OR t.status NOT IN ('done', 'cancelled')) AND (?4 = 0 OR l.task_id = ?4) "
    "ORDER BY l.unit_code, l.kind, l.ref, l.task_id";
static const char SQL_REMEDIES[] =
    "SELECT r.task_id, f.id, f.text, i.id, i.unit_code, i.inspector_unit, i.year "
    "FROM inspection_remedies r JOIN inspection_findings f ON f.id = r.finding_id "
    "JOIN inspections i ON i.id = f.inspection_id JOIN reform_tasks t ON t.id = r.task_id "
    "WHERE t.status NOT IN ('done', 'cancelled') ORDER BY t.due_day, t.id";

/* ---- a unit's scope as a set of codes --------------------------------------------------- */

struct codes {
    char (*c)[UNIT_CODE_MAX];
    size_t n, cap;
};

static int codes_add(const struct unit *u, void *ctx)
{
    struct codes *x = ctx;
    if (x->n == x->cap) {
        size_t cap = x->cap ? 2 * x->cap : 32;
        void *p = realloc(x->c, cap * sizeof *x->c);
        if (!p) return ERR_NOMEM;
        x->c = p;
        x->cap = cap;
    }
    snprintf(x->c[x->n++], UNIT_CODE_MAX, "%s", u->code);
    return 0;
}

static int codes_has(const struct codes *x, const char *code)
{
    for (size_t i = 0; i < x->n; i++)
        if (!strcmp(x->c[i], code)) return 1;
    return 0;
}

static int codes_scope(struct store *s, const char *unit, struct codes *x, struct err *e)
{
    int rc = store_unit_scope(s, unit, UNIT_DAY_MIN, codes_add, x, e);
    if (rc == ERR_NOMEM) rc = err_set(e, ERR_NOMEM, "", "out of memory");
    return rc;
}

/* ---- create ------------------------------------------------------------------------------ */

struct create {
    const struct action_in *in;
    struct action_link *out;
};

static int link_get(struct store *s, int64_t task_id, struct action_link *out, struct err *e);

static int create_tx(struct store *s, void *ctx, struct err *e)
{
    struct create *x = ctx;
    const struct action_in *in = x->in;
    const struct action_figure *f = &in->fig;
    struct unit u;
    int rc = store_unit_get(s, f->unit, &u, e);
    if (rc) return rc;
    if (f->kind == AK_PAR) { /* the round, and the criterion in its set */
        struct par_round round;
        if ((rc = store_par_round_get(s, f->round, &round, e))) return rc;
        char ref[PAR_CODE_MAX + 40];
        snprintf(ref, sizeof ref, "%s@%s", round.set_code, round.set_version);
        struct par_set *set = NULL;
        if ((rc = store_par_set_load(s, ref, &set, e))) return rc;
        int found = par_set_find(set, f->ref) >= 0;
        par_set_free(set);
        if (!found)
            return err_set(e, ERR_NOT_FOUND, "ref", "criterion '%s' is not in round '%s'", f->ref,
                           f->round);
    }
    struct reform_plan plan;
    struct err e2 = {0};
    rc = store_reform_plan_find(s, in->plan_unit, in->year, &plan, &e2);
    if (rc == ERR_NOT_FOUND) {
        struct reform_plan_in pin = {in->plan_unit, in->year, NULL, NULL, in->actor, in->at};
        rc = store_reform_plan_create(s, &pin, &plan, e);
    } else if (rc) {
        *e = e2;
    }
    if (rc) return rc;
    char area[PAR_CODE_MAX];
    if (in->area && in->area[0]) {
        snprintf(area, sizeof area, "%s", in->area);
    } else {
        struct par_set *set = NULL;
        if ((rc = store_reform_plan_set(s, plan.id, &set, e))) return rc;
        rc = action_default_area(f, set, area, sizeof area);
        char setcode[PAR_CODE_MAX];
        snprintf(setcode, sizeof setcode, "%s", set->code);
        par_set_free(set);
        if (rc)
            return err_set(e, ERR_INVALID, "area",
                           "area: the plan's criteria set '%s' has no area for this figure; name "
                           "one",
                           setcode);
    }
    struct reform_task_in tin = {plan.id,     0,        area,        in->title,
                                 f->unit,     in->lead, in->product, in->start_day,
                                 in->due_day, 1,        in->actor,   in->at};
    struct reform_task t;
    if ((rc = store_reform_task_add(s, &tin, &t, e))) return rc;
    char prov[UNIT_CODE_MAX]; /* the task's (migration 039), not the figure unit's */
    if ((rc = reform_task_province(s, t.id, prov, sizeof prov, e))) return rc;
    struct db_stmt *st;
    if ((rc = sq_prep(s, SQL_LINK_INSERT, &st, e))) return rc;
    db_bind_int64(st, 1, t.id);
    db_bind_text_copy(st, 9, prov);
    db_bind_text_copy(st, 2, action_kind_name(f->kind));
    db_bind_text_copy(st, 3, f->unit);
    db_bind_text_copy(st, 4, f->round ? f->round : "");
    db_bind_text_copy(st, 5, f->ref ? f->ref : "");
    if (f->value && f->value[0]) db_bind_text_copy(st, 6, f->value);
    db_bind_int64(st, 7, in->at);
    db_bind_text_copy(st, 8, in->actor);
    rc = sq_step_done(s, st, "task link", e);
    sq_done(s, st);
    return rc ? rc : link_get(s, t.id, x->out, e);
}

int store_action_create(struct store *s, const struct action_in *in, struct action_link *out,
                        struct err *e)
{
    int rc = action_figure_check(&in->fig, e);
    if (rc) return rc;
    if (!in->plan_unit || !in->plan_unit[0] || strlen(in->plan_unit) >= UNIT_CODE_MAX)
        return err_set(e, ERR_INVALID, "plan_unit", "plan_unit: must be 1 to %d bytes long",
                       UNIT_CODE_MAX - 1);
    struct create x = {in, out};
    return store_tx(s, create_tx, &x, e);
}

/* ---- list ------------------------------------------------------------------------------- */

static void read_link(struct db_stmt *st, struct action_link *l)
{
    memset(l, 0, sizeof *l);
    l->task_id = db_col_int64(st, 0);
    struct err ignore = {0};
    action_kind_parse(db_col_text(st, 1), &l->kind, &ignore);
    sq_col_text(st, 2, l->unit, sizeof l->unit);
    sq_col_text(st, 3, l->round, sizeof l->round);
    sq_col_text(st, 4, l->ref, sizeof l->ref);
    sq_col_text(st, 5, l->value, sizeof l->value);
    l->created_at = db_col_int64(st, 6);
    sq_col_text(st, 7, l->created_by, sizeof l->created_by);
    sq_col_text(st, 8, l->plan_unit, sizeof l->plan_unit);
}

/* Every link row matching the filter, read whole before the tasks are (a statement of the
 * connection stays open only while it is stepped). */
struct rows {
    struct action_link *l;
    size_t n, cap;
};

static int rows_read(struct store *s, const struct action_filter *f, int64_t task_id,
                     struct rows *x, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_LINKS, &st, e);
    if (rc) return rc;
    db_bind_text_copy(st, 1, f->kind ? action_kind_name((enum action_kind)(f->kind - 1)) : "");
    db_bind_text_copy(st, 2, f->round ? f->round : "");
    db_bind_int64(st, 3, f->open_only);
    db_bind_int64(st, 4, task_id);
    int step = DB_DONE;
    while (!rc && (step = db_step(st)) == DB_ROW) {
        if (x->n == x->cap) {
            size_t cap = x->cap ? 2 * x->cap : 16;
            void *p = realloc(x->l, cap * sizeof *x->l);
            if (!p) {
                rc = err_set(e, ERR_NOMEM, "", "out of memory");
                break;
            }
            x->l = p;
            x->cap = cap;
        }
        read_link(st, &x->l[x->n++]);
    }
    if (!rc && step != DB_DONE) rc = sq_fail(s, step, "task links", e);
    sq_done(s, st);
    return rc;
}

int store_action_list(struct store *s, const struct action_filter *f, action_link_fn fn, void *ctx,
                      struct err *e)
{
    struct codes scope = {0};
    struct rows x = {0};
    int filter = f->scope && f->scope[0];
    int rc = filter ? codes_scope(s, f->scope, &scope, e) : 0;
    if (!rc) rc = rows_read(s, f, f->task_id, &x, e);
    for (size_t i = 0; !rc && i < x.n; i++) {
        if (filter && !codes_has(&scope, x.l[i].unit)) continue;
        if (!(rc = store_reform_task_get(s, x.l[i].task_id, &x.l[i].task, e)))
            rc = fn(&x.l[i], ctx);
    }
    free(x.l);
    free(scope.c);
    return rc;
}

static int link_get(struct store *s, int64_t task_id, struct action_link *out, struct err *e)
{
    struct rows x = {0};
    struct action_filter f = {0};
    int rc = rows_read(s, &f, task_id, &x, e);
    int found = 0;
    for (size_t i = 0; !rc && i < x.n && !found; i++)
        if (x.l[i].task_id == task_id) {
            *out = x.l[i];
            found = 1;
            rc = store_reform_task_get(s, task_id, &out->task, e);
        }
    free(x.l);
    if (!rc && !found)
        rc = err_set(e, ERR_NOT_FOUND, "task", "task #%lld has no figure", (long long)task_id);
    return rc;
}

/* ---- open remedies ---------------------------------------------------------------------- */

int store_open_remedies(struct store *s, const char *scope, open_remedy_fn fn, void *ctx,
                        struct err *e)
{
    struct codes sc = {0};
    int filter = scope && scope[0];
    int rc = filter ? codes_scope(s, scope, &sc, e) : 0;
    struct open_remedy *list = NULL;
    size_t n = 0, cap = 0;
    struct db_stmt *st = NULL;
    if (!rc) rc = sq_prep(s, SQL_REMEDIES, &st, e);
    if (!rc) {
        int step = DB_DONE;
        while (!rc && (step = db_step(st)) == DB_ROW) {
            struct open_remedy r;
            memset(&r, 0, sizeof r);
            r.task.id = db_col_int64(st, 0);
            r.finding_id = db_col_int64(st, 1);
            sq_col_text(st, 2, r.finding, sizeof r.finding);
            r.inspection_id = db_col_int64(st, 3);
            sq_col_text(st, 4, r.inspected, sizeof r.inspected);
            sq_col_text(st, 5, r.inspector, sizeof r.inspector);
            r.year = (int)db_col_int64(st, 6);
            if (filter && !codes_has(&sc, r.inspected) && !codes_has(&sc, r.inspector)) continue;
            if (n == cap) {
                cap = cap ? 2 * cap : 16;
                void *p = realloc(list, cap * sizeof *list);
                if (!p) {
                    rc = err_set(e, ERR_NOMEM, "", "out of memory");
                    break;
                }
                list = p;
            }
            list[n++] = r;
        }
        if (!rc && step != DB_DONE) rc = sq_fail(s, step, "open remedies", e);
        sq_done(s, st);
    }
    for (size_t i = 0; !rc && i < n; i++)
        if (!(rc = store_reform_task_get(s, list[i].task.id, &list[i].task, e)))
            rc = fn(&list[i], ctx);
    free(list);
    free(sc.c);
    return rc;
}
