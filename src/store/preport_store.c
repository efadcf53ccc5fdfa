/* preport_store.c — the periodic CCHC reports in the shared SQL of both databases (migration
 * 021): the report rows with their frozen JSON snapshot and narrative sections, every action
 * one transaction that asks src/core/preport.c for the next state and appends one history
 * row. A report carries its province (migration 038), the root of its unit's tree when it is
 * created; its history rows carry the report's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_period.h"
#include "sqlite_int.h"
#include "store_preport.h"

#define REPORT_COLS                                                                                \
    "id, unit_code, parent_code, year, period, from_day, to_day, status, consolidated, "           \
    "snapshot_at, created_at, updated_at, submitted_at, decided_at, created_by, submitted_by, "    \
    "decided_by, return_reason"
#define CONTENT_COLS ", snapshot, results, shortcomings, causes, next_tasks"
#define PERIOD_ORDER "CASE period WHEN 'Q1' THEN 1 WHEN '6M' THEN 2 WHEN 'Q3' THEN 3 ELSE 4 END"

static const char SQL_GET[] =
    "SELECT " REPORT_COLS CONTENT_COLS " FROM periodic_reports WHERE id = ?1";
static const char SQL_FIND[] =
    "SELECT id FROM periodic_reports WHERE unit_code = ?1 AND year = ?2 AND period = ?3";
static const char SQL_INSERT[] =
    "INSERT INTO periodic_reports (unit_code, year, period, from_day, to_day, parent_code, "
    "status, snapshot, snapshot_at, consolidated, results, shortcomings, causes, next_tasks, "
    "return_reason, created_at, created_by, updated_at, province) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
    "'draft', ?7, ?8, ?9, '', '', '', '', '', ?8, ?10, ?8, ?11) RETURNING id";
static const char SQL_PROVINCE[] = "SELECT province FROM periodic_reports WHERE id = ?1";
static const char SQL_LIST[] =
    "SELECT " REPORT_COLS " FROM periodic_reports WHERE (?1 = 0 OR year = ?1) "
    "AND (CAST(?2 AS TEXT) IS NULL OR period = ?2) "
    "AND (CAST(?3 AS TEXT) IS NULL OR parent_code = ?3) "
    "AND (CAST(?4 AS TEXT) IS NULL OR unit_code = ?4) "
    "ORDER BY year, " PERIOD_ORDER ", unit_code";
static const char SQL_EVENT[] =
    "INSERT INTO periodic_report_events (report_id, at, actor, action, from_state, to_state, "
    "note, province) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char SQL_HISTORY[] =
    "SELECT id, at, actor, action, from_state, to_state, note FROM periodic_report_events "
    "WHERE report_id = ?1 ORDER BY id";
static const char SQL_SET_STATUS[] =
    "UPDATE periodic_reports SET status = ?2, updated_at = ?3 WHERE id = ?1";
static const char SQL_REFRESH[] =
    "UPDATE periodic_reports SET snapshot = ?2, snapshot_at = ?3, consolidated = ?4, "
    "updated_at = ?3 WHERE id = ?1";
static const char SQL_EDIT[] =
    "UPDATE periodic_reports SET results = COALESCE(?2, results), "
    "shortcomings = COALESCE(?3, shortcomings), causes = COALESCE(?4, causes), "
    "next_tasks = COALESCE(?5, next_tasks), updated_at = ?6 WHERE id = ?1";
static const char SQL_SUBMIT[] =
    "UPDATE periodic_reports SET status = 'submitted', submitted_at = ?2, submitted_by = ?3, "
    "updated_at = ?2 WHERE id = ?1";
static const char SQL_DECIDE[] =
    "UPDATE periodic_reports SET status = ?2, decided_at = ?3, decided_by = ?4, "
    "return_reason = ?5, updated_at = ?3 WHERE id = ?1";

void preport_clear(struct preport *r)
{
    free(r->snapshot);
    r->snapshot = NULL;
    for (int i = 0; i < PS__COUNT; i++) {
        free(r->section[i]);
        r->section[i] = NULL;
    }
}

static const char *nz(const char *s)
{
    return s ? s : "";
}

static void read_report(struct db_stmt *st, struct preport *r)
{
    memset(r, 0, sizeof *r);
    r->id = db_col_int64(st, 0);
    sq_col_text(st, 1, r->unit, sizeof r->unit);
    sq_col_text(st, 2, r->parent, sizeof r->parent);
    r->year = (int)db_col_int64(st, 3);
    sq_col_text(st, 4, r->period, sizeof r->period);
    r->from_day = db_col_int64(st, 5);
    r->to_day = db_col_int64(st, 6);
    char status[16];
    sq_col_text(st, 7, status, sizeof status);
    if (preport_status_parse(status, &r->status, "status", NULL)) r->status = PR_DRAFT;
    r->consolidated = (int)db_col_int64(st, 8);
    r->snapshot_at = db_col_int64(st, 9);
    r->created_at = db_col_int64(st, 10);
    r->updated_at = db_col_int64(st, 11);
    r->submitted_at = db_col_null(st, 12) ? 0 : db_col_int64(st, 12);
    r->decided_at = db_col_null(st, 13) ? 0 : db_col_int64(st, 13);
    sq_col_text(st, 14, r->created_by, sizeof r->created_by);
    sq_col_text(st, 15, r->submitted_by, sizeof r->submitted_by);
    sq_col_text(st, 16, r->decided_by, sizeof r->decided_by);
    sq_col_text(st, 17, r->return_reason, sizeof r->return_reason);
}

static char *col_dup(struct db_stmt *st, int i)
{
    const char *t = db_col_text(st, i);
    return strdup(t ? t : "");
}

int store_preport_get(struct store *s, int64_t id, struct preport *out, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_GET, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, id);
    int step = db_step(st);
    if (step == DB_ROW) {
        read_report(st, out);
        out->snapshot = col_dup(st, 18);
        for (int i = 0; i < PS__COUNT; i++)
            out->section[i] = col_dup(st, 19 + i);
        int bad = !out->snapshot;
        for (int i = 0; i < PS__COUNT; i++)
            bad |= !out->section[i];
        if (bad) {
            preport_clear(out);
            rc = err_set(e, ERR_NOMEM, "", "out of memory");
        }
    } else if (step == DB_DONE)
        rc = err_set(e, ERR_NOT_FOUND, "report", "report #%lld does not exist", (long long)id);
    else
        rc = sq_fail(s, step, "periodic report", e);
    sq_done(s, st);
    return rc;
}

int store_preport_find(struct store *s, const char *unit, int year, const char *period, int64_t *id,
                       struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_FIND, &st, e);
    if (rc) return rc;
    db_bind_text_copy(st, 1, nz(unit));
    db_bind_int64(st, 2, year);
    db_bind_text_copy(st, 3, nz(period));
    int step = db_step(st);
    if (step == DB_ROW)
        *id = db_col_int64(st, 0);
    else if (step == DB_DONE)
        rc = err_set(e, ERR_NOT_FOUND, "report", "unit '%s' has no report %d-CCHC-%s", nz(unit),
                     year, nz(period));
    else
        rc = sq_fail(s, step, "periodic report", e);
    sq_done(s, st);
    return rc;
}

static int province_of(struct store *s, int64_t id, char *out, size_t n, struct err *e)
{
    return sq_row_province(s, SQL_PROVINCE, id, "report", out, n, e);
}

/* A history row of report id, which carries prov, the report's province. */
static int event_add(struct store *s, int64_t id, const char *prov, int64_t at, const char *actor,
                     const char *action, const char *from, const char *to, const char *note,
                     struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_EVENT, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, id);
    db_bind_text_copy(st, 8, prov);
    db_bind_int64(st, 2, at);
    db_bind_text_copy(st, 3, nz(actor));
    db_bind_text_copy(st, 4, action);
    db_bind_text_copy(st, 5, nz(from));
    db_bind_text_copy(st, 6, nz(to));
    db_bind_text_copy(st, 7, nz(note));
    rc = sq_step_done(s, st, "periodic report history", e);
    sq_done(s, st);
    return rc;
}

struct create_ctx {
    const struct preport_in *in;
    int64_t *id;
};

static int create_tx(struct store *s, void *ctx, struct err *e)
{
    struct create_ctx *x = ctx;
    const struct preport_in *in = x->in;
    struct unit u;
    int rc = store_unit_get(s, in->unit, &u, e);
    if (rc) return rc;
    const struct report_period *p = report_period_find(in->period);
    int64_t from, to;
    report_period_days(p, in->year, &from, &to);
    int64_t old;
    struct err e2 = {0};
    if (!store_preport_find(s, in->unit, in->year, in->period, &old, &e2))
        return err_set(e, ERR_CONFLICT, "period",
                       "unit '%s' has the report %d-CCHC-%s already (#%lld)", in->unit, in->year,
                       in->period, (long long)old);
    /* the root of the unit's tree, kept for good (docs/scale.md, decision 6) */
    char prov[UNIT_CODE_MAX];
    struct db_stmt *st;
    if ((rc = sq_unit_root(s, in->unit, prov, sizeof prov, e)) ||
        (rc = sq_prep(s, SQL_INSERT, &st, e)))
        return rc;
    db_bind_text_copy(st, 1, in->unit);
    db_bind_int64(st, 2, in->year);
    db_bind_text_copy(st, 3, in->period);
    db_bind_int64(st, 4, from);
    db_bind_int64(st, 5, to);
    db_bind_text_copy(st, 6, u.parent);
    db_bind_text_copy(st, 7, in->snapshot);
    db_bind_int64(st, 8, in->at);
    db_bind_int64(st, 9, in->consolidated ? 1 : 0);
    db_bind_text_copy(st, 10, in->actor);
    db_bind_text_copy(st, 11, prov);
    rc = sq_insert_id(s, st, "periodic report", x->id, e);
    sq_done(s, st);
    if (!rc) rc = event_add(s, *x->id, prov, in->at, in->actor, "create", "", "draft", "", e);
    return rc;
}

int store_preport_create(struct store *s, const struct preport_in *in, int64_t *id, struct err *e)
{
    if (!in->unit || !in->unit[0])
        return err_set(e, ERR_INVALID, "unit", "unit: must not be empty");
    if (in->year < 2000 || in->year > 2100)
        return err_set(e, ERR_INVALID, "year", "year: %d is outside 2000..2100", in->year);
    if (!report_period_find(in->period))
        return err_set(e, ERR_INVALID, "period", "period '%s': must be Q1, 6M, Q3 or Y",
                       nz(in->period));
    if (!in->snapshot || !in->snapshot[0])
        return err_set(e, ERR_INVALID, "snapshot", "snapshot: must not be empty");
    if (!in->actor || !in->actor[0] || strlen(in->actor) >= PREPORT_ACTOR_MAX)
        return err_set(e, ERR_INVALID, "actor", "actor: 1..%d bytes", PREPORT_ACTOR_MAX - 1);
    struct create_ctx x = {in, id};
    return store_tx(s, create_tx, &x, e);
}

struct act_ctx {
    int64_t id;
    const struct preport_act *a;
};

static int act_tx(struct store *s, void *ctx, struct err *e)
{
    struct act_ctx *x = ctx;
    const struct preport_act *a = x->a;
    struct preport r;
    int rc = store_preport_get(s, x->id, &r, e);
    if (rc) return rc;
    preport_clear(&r);
    enum preport_status next;
    if ((rc = preport_apply(r.id, r.status, a->action, a->note, &next, e))) return rc;
    struct db_stmt *st;
    const char *name = preport_action_desc(a->action)->name;
    switch (a->action) {
    case PA_REFRESH:
        if ((rc = sq_prep(s, SQL_REFRESH, &st, e))) return rc;
        db_bind_int64(st, 1, r.id);
        db_bind_text_copy(st, 2, a->snapshot);
        db_bind_int64(st, 3, a->at);
        db_bind_int64(st, 4, a->consolidated ? 1 : 0);
        break;
    case PA_EDIT:
        if ((rc = sq_prep(s, SQL_EDIT, &st, e))) return rc;
        db_bind_int64(st, 1, r.id);
        for (int i = 0; i < PS__COUNT; i++)
            if (a->section[i])
                db_bind_text_copy(st, 2 + i, a->section[i]);
            else
                db_bind_null(st, 2 + i);
        db_bind_int64(st, 6, a->at);
        break;
    case PA_SUBMIT:
        if ((rc = sq_prep(s, SQL_SUBMIT, &st, e))) return rc;
        db_bind_int64(st, 1, r.id);
        db_bind_int64(st, 2, a->at);
        db_bind_text_copy(st, 3, a->actor);
        break;
    case PA_ACCEPT:
    case PA_RETURN:
        if ((rc = sq_prep(s, SQL_DECIDE, &st, e))) return rc;
        db_bind_int64(st, 1, r.id);
        db_bind_text_copy(st, 2, preport_status_name(next));
        db_bind_int64(st, 3, a->at);
        db_bind_text_copy(st, 4, a->actor);
        db_bind_text_copy(st, 5, a->action == PA_RETURN ? nz(a->note) : "");
        break;
    default:
        if ((rc = sq_prep(s, SQL_SET_STATUS, &st, e))) return rc;
        db_bind_int64(st, 1, r.id);
        db_bind_text_copy(st, 2, preport_status_name(next));
        db_bind_int64(st, 3, a->at);
        break;
    }
    rc = sq_step_done(s, st, "periodic report", e);
    sq_done(s, st);
    char prov[UNIT_CODE_MAX]; /* the report's (migration 038) */
    if (!rc) rc = province_of(s, r.id, prov, sizeof prov, e);
    if (!rc)
        rc = event_add(s, r.id, prov, a->at, a->actor, name, preport_status_name(r.status),
                       preport_status_name(next), a->note, e);
    return rc;
}

int store_preport_act(struct store *s, int64_t id, const struct preport_act *a, struct err *e)
{
    if (!a->actor || !a->actor[0] || strlen(a->actor) >= PREPORT_ACTOR_MAX)
        return err_set(e, ERR_INVALID, "actor", "actor: 1..%d bytes", PREPORT_ACTOR_MAX - 1);
    if (a->action == PA_REFRESH && (!a->snapshot || !a->snapshot[0]))
        return err_set(e, ERR_INVALID, "snapshot", "snapshot: must not be empty");
    if (a->action == PA_EDIT) {
        int any = 0;
        for (int i = 0; i < PS__COUNT; i++) {
            int rc = preport_section_check((enum preport_section)i, a->section[i], e);
            if (rc) return rc;
            any |= a->section[i] != NULL;
        }
        if (!any)
            return err_set(e, ERR_INVALID, "section",
                           "edit: give at least one section (results, shortcomings, causes, "
                           "next)");
    }
    struct act_ctx x = {id, a};
    return store_tx(s, act_tx, &x, e);
}

/* Codes of a unit's subtree (and the units merged into it), collected first. */
struct codes {
    int n, cap;
    char (*c)[UNIT_CODE_MAX];
};

static int codes_add(const struct unit *u, void *ctx)
{
    struct codes *x = ctx;
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

static int codes_has(const struct codes *x, const char *code)
{
    for (int i = 0; i < x->n; i++)
        if (!strcmp(x->c[i], code)) return 1;
    return 0;
}

int store_preport_list(struct store *s, const struct preport_filter *f, preport_fn fn, void *ctx,
                       struct err *e)
{
    struct codes scope = {0};
    int filter = f->scope && f->scope[0], rc = 0;
    if (filter) {
        rc = store_unit_scope(s, f->scope, UNIT_DAY_MIN, codes_add, &scope, e);
        if (rc == ERR_NOMEM) rc = err_set(e, ERR_NOMEM, "", "out of memory");
    }
    struct db_stmt *st = NULL;
    if (!rc) rc = sq_prep(s, SQL_LIST, &st, e);
    if (!rc) {
        db_bind_int64(st, 1, f->year);
        sq_bind_text(st, 2, f->period);
        sq_bind_text(st, 3, f->parent);
        sq_bind_text(st, 4, f->unit);
        int step = DB_DONE, urc = 0;
        while (!urc && (step = db_step(st)) == DB_ROW) {
            struct preport r;
            read_report(st, &r);
            if (!filter || codes_has(&scope, r.unit)) urc = fn(&r, ctx);
        }
        rc = urc ? urc : step == DB_DONE ? 0 : sq_fail(s, step, "periodic reports", e);
        sq_done(s, st);
    }
    free(scope.c);
    return rc;
}

int store_preport_history(struct store *s, int64_t id, preport_event_fn fn, void *ctx,
                          struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_HISTORY, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, id);
    int step = DB_DONE, urc = 0;
    while (!urc && (step = db_step(st)) == DB_ROW) {
        struct preport_event ev;
        memset(&ev, 0, sizeof ev);
        ev.id = db_col_int64(st, 0);
        ev.at = db_col_int64(st, 1);
        sq_col_text(st, 2, ev.actor, sizeof ev.actor);
        sq_col_text(st, 3, ev.action, sizeof ev.action);
        sq_col_text(st, 4, ev.from, sizeof ev.from);
        sq_col_text(st, 5, ev.to, sizeof ev.to);
        sq_col_text(st, 6, ev.note, sizeof ev.note);
        urc = fn(&ev, ctx);
    }
    rc = urc ? urc : step == DB_DONE ? 0 : sq_fail(s, step, "periodic report history", e);
    sq_done(s, st);
    return rc;
}
