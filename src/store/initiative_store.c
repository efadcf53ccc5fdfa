/* initiative_store.c — CCHC initiatives in the shared SQL of both databases (migration 020):
 * proposals tied to the PAR set whose areas they use, the council's evaluation, recognition,
 * the units applying them, their history and evidence (bytes in the PAR blobs), and the count
 * of recognised initiatives PAR scores. The rules are src/core/initiative.c's. An initiative
 * carries its province (migration 040), the root of its proposing unit's tree when it is
 * proposed, never changed; its history, evidence and applying units carry the initiative's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blob.h"
#include "date.h"
#include "sqlite_par_int.h"
#include "store_initiative.h"

static void bind_str(struct db_stmt *st, int i, const char *t)
{
    db_bind_text_copy(st, i, t ? t : "");
}

#define INIT_COLS                                                                                  \
    "i.id, i.unit_code, i.evaluator_unit, i.year, s.code, i.area, i.title, i.description, "        \
    "i.authors, i.effect, i.proposed_day, i.status, i.score, i.opinion, i.evaluated_day, "         \
    "i.reason, i.decision_no, i.decision_day, i.level, i.created_at, i.created_by, "               \
    "(SELECT count(*) FROM initiative_units u WHERE u.initiative_id = i.id)"
static const char SQL_INIT_GET[] = "SELECT " INIT_COLS " FROM initiatives i JOIN par_sets s ON "
                                   "s.id = i.set_id WHERE i.id = ?1";
static const char SQL_INIT_LIST[] =
    "SELECT " INIT_COLS " FROM initiatives i JOIN par_sets s ON s.id = i.set_id WHERE (?1 = 0 OR "
    "i.year = ?1) AND (CAST(?2 AS TEXT) IS NULL OR i.status = ?2) ORDER BY i.proposed_day DESC, "
    "i.id DESC";
static const char SQL_INIT_OF_UNIT[] =
    "SELECT " INIT_COLS " FROM initiatives i JOIN par_sets s ON s.id = i.set_id WHERE "
    "i.unit_code = ?1 ORDER BY i.proposed_day, i.id";
static const char SQL_INIT_INSERT[] =
    "INSERT INTO initiatives (unit_code, evaluator_unit, year, set_id, area, title, description, "
    "authors, effect, proposed_day, status, score, opinion, evaluated_day, reason, decision_no, "
    "decision_day, level, created_at, created_by, province) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
    "?8, ?9, ?10, 'proposed', NULL, '', NULL, '', '', NULL, '', ?11, ?12, ?13) RETURNING id";
static const char SQL_INIT_PROVINCE[] = "SELECT province FROM initiatives WHERE id = ?1";
static const char SQL_INIT_UPDATE[] =
    "UPDATE initiatives SET status = ?2, score = ?3, opinion = ?4, evaluated_day = ?5, reason = "
    "?6, decision_no = ?7, decision_day = ?8, level = ?9 WHERE id = ?1";
static const char SQL_EVENT_INSERT[] =
    "INSERT INTO initiative_events (initiative_id, at, actor, action, from_status, to_status, "
    "note, province) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char SQL_EVENTS[] =
    "SELECT id, at, actor, action, from_status, to_status, note FROM initiative_events WHERE "
    "initiative_id = ?1 ORDER BY id";
static const char SQL_UNIT_INSERT[] =
    "INSERT INTO initiative_units (initiative_id, unit_code, from_day, result, added_at, "
    "added_by, province) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_UNIT_HAS[] =
    "SELECT 1 FROM initiative_units WHERE initiative_id = ?1 AND unit_code = ?2";
static const char SQL_UNITS[] =
    "SELECT initiative_id, unit_code, from_day, result, added_at, added_by FROM initiative_units "
    "WHERE initiative_id = ?1 ORDER BY from_day, unit_code";
static const char SQL_SET_BY_CODE[] =
    "SELECT id FROM par_sets WHERE code = ?1 ORDER BY year DESC, id DESC LIMIT 1";
static const char SQL_SET_IN_FORCE[] =
    "SELECT id FROM par_sets WHERE scope = ?1 AND year <= ?2 ORDER BY year DESC, id DESC LIMIT 1";

static void read_init(struct db_stmt *st, struct initiative *i)
{
    memset(i, 0, sizeof *i);
    i->id = db_col_int64(st, 0);
    sq_col_text(st, 1, i->unit, sizeof i->unit);
    sq_col_text(st, 2, i->evaluator, sizeof i->evaluator);
    i->year = (int)db_col_int64(st, 3);
    sq_col_text(st, 4, i->set_code, sizeof i->set_code);
    sq_col_text(st, 5, i->area, sizeof i->area);
    sq_col_text(st, 6, i->title, sizeof i->title);
    sq_col_text(st, 7, i->description, sizeof i->description);
    sq_col_text(st, 8, i->authors, sizeof i->authors);
    sq_col_text(st, 9, i->effect, sizeof i->effect);
    i->proposed_day = db_col_int64(st, 10);
    enum init_status status = INS_PROPOSED;
    init_status_parse(db_col_text(st, 11), &status, "status", NULL);
    i->status = status;
    i->score = db_col_null(st, 12) ? -1 : (int)db_col_int64(st, 12);
    sq_col_text(st, 13, i->opinion, sizeof i->opinion);
    i->evaluated_day = db_col_null(st, 14) ? 0 : db_col_int64(st, 14);
    sq_col_text(st, 15, i->reason, sizeof i->reason);
    sq_col_text(st, 16, i->decision_no, sizeof i->decision_no);
    i->decision_day = db_col_null(st, 17) ? 0 : db_col_int64(st, 17);
    enum init_level level;
    i->level = init_level_parse(db_col_text(st, 18), &level, "level", NULL) ? -1 : (int)level;
    i->created_at = db_col_int64(st, 19);
    sq_col_text(st, 20, i->created_by, sizeof i->created_by);
    i->napplied = (int)db_col_int64(st, 21);
}

int store_init_get(struct store *s, int64_t id, struct initiative *out, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_INIT_GET, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, id);
    int step = db_step(st);
    if (step == DB_ROW)
        read_init(st, out);
    else if (step == DB_DONE)
        rc = err_set(e, ERR_NOT_FOUND, "initiative", "initiative #%lld does not exist",
                     (long long)id);
    else
        rc = sq_fail(s, step, "initiative", e);
    sq_done(s, st);
    return rc;
}

/* ---- proposal ---------------------------------------------------------------------------- */

/* The PAR scope whose sets apply to a unit of kind k (as reform plans choose theirs). */
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
    if (step != DB_ROW && step != DB_DONE) rc = sq_fail(s, step, "initiative's set", e);
    sq_done(s, st);
    return rc;
}

/* The id of the set named (latest version) or in force for unit in year; ERR_NOT_FOUND. */
static int set_for(struct store *s, const struct unit *u, const char *set, int year,
                   int64_t *set_id, struct err *e)
{
    int rc;
    if (set && set[0]) {
        if ((rc = one_id(s, SQL_SET_BY_CODE, set, 0, set_id, e))) return rc;
        if (!*set_id)
            return err_set(e, ERR_NOT_FOUND, "set", "criteria set '%s' does not exist", set);
        return 0;
    }
    enum par_scope sc = scope_of(u->kind);
    if ((rc = one_id(s, SQL_SET_IN_FORCE, par_scope_name(sc), year, set_id, e))) return rc;
    if (!*set_id)
        return err_set(e, ERR_NOT_FOUND, "set",
                       "no PAR criteria set of scope '%s' for %d is imported: import one (cchc "
                       "par import) or name it",
                       par_scope_name(sc), year);
    return 0;
}

int store_init_set(struct store *s, const char *unit, const char *set, int year,
                   struct par_set **out, struct err *e)
{
    struct unit u;
    int64_t id = 0;
    int rc = store_unit_get(s, unit, &u, e);
    if (!rc) rc = set_for(s, &u, set, year, &id, e);
    return rc ? rc : par_set_load_id(s, id, out, e);
}

struct below {
    const char *code;
    int found;
};

static int below_match(const struct unit *u, void *ctx)
{
    struct below *b = ctx;
    if (!strcmp(u->code, b->code)) b->found = 1;
    return 0;
}

/* 0 when unit is root or lies below it on day; ERR_INVALID naming field otherwise. */
static int unit_under(struct store *s, const char *root, const char *unit, int64_t day,
                      const char *field, struct err *e)
{
    if (!strcmp(root, unit)) return 0;
    struct below b = {unit, 0};
    int rc = store_unit_subtree(s, root, day, below_match, &b, e);
    if (rc) return rc;
    if (!b.found)
        return err_set(e, ERR_INVALID, field, "%s '%s': not '%s' or a unit above it", field, root,
                       unit);
    return 0;
}

/* The province of initiative id (migration 040), read in the caller's transaction: its
 * history, evidence and applying units carry it. */
static int province_of(struct store *s, int64_t id, char *out, size_t n, struct err *e)
{
    return sq_row_province(s, SQL_INIT_PROVINCE, id, "initiative", out, n, e);
}

/* A history row of initiative id, which carries prov, the initiative's province. */
static int event_add(struct store *s, int64_t id, const char *prov, int64_t at, const char *actor,
                     const char *action, const char *from, const char *to, const char *note,
                     struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_EVENT_INSERT, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, id);
    db_bind_text_copy(st, 8, prov);
    db_bind_int64(st, 2, at);
    bind_str(st, 3, actor);
    bind_str(st, 4, action);
    bind_str(st, 5, from);
    bind_str(st, 6, to);
    bind_str(st, 7, note);
    rc = sq_step_done(s, st, "initiative history", e);
    sq_done(s, st);
    return rc;
}

struct create_ctx {
    const struct initiative_in *in;
    struct initiative *out;
};

static int create_tx(struct store *s, void *ctx, struct err *e)
{
    struct create_ctx *x = ctx;
    const struct initiative_in *in = x->in;
    int year = days_to_ymd(in->proposed_day).y;
    struct unit u, ev;
    int rc = store_unit_get(s, in->unit, &u, e);
    if (!rc) rc = store_unit_get(s, in->evaluator, &ev, e);
    if (!rc) rc = unit_under(s, in->evaluator, in->unit, in->proposed_day, "evaluator", e);
    if (rc) return rc;
    int64_t set_id = 0;
    if ((rc = set_for(s, &u, in->set, year, &set_id, e))) return rc;
    struct par_set *set = NULL;
    if ((rc = par_set_load_id(s, set_id, &set, e))) return rc;
    int area_ok = 0;
    for (int a = 0; a < set->nareas; a++)
        if (!strcmp(set->node[set->areas[a]].code, in->area)) area_ok = 1;
    if (!area_ok)
        rc = err_set(e, ERR_INVALID, "area", "area '%s': not a reform area of set '%s'", in->area,
                     set->code);
    par_set_free(set);
    if (rc) return rc;
    /* the root of the proposing unit's tree, kept for good (docs/scale.md, decision 6) */
    char prov[UNIT_CODE_MAX];
    struct db_stmt *st;
    if ((rc = sq_unit_root(s, in->unit, prov, sizeof prov, e)) ||
        (rc = sq_prep(s, SQL_INIT_INSERT, &st, e)))
        return rc;
    bind_str(st, 1, in->unit);
    bind_str(st, 13, prov);
    bind_str(st, 2, in->evaluator);
    db_bind_int64(st, 3, year);
    db_bind_int64(st, 4, set_id);
    bind_str(st, 5, in->area);
    bind_str(st, 6, in->title);
    bind_str(st, 7, in->description);
    bind_str(st, 8, in->authors);
    bind_str(st, 9, in->effect);
    db_bind_int64(st, 10, in->proposed_day);
    db_bind_int64(st, 11, in->at);
    bind_str(st, 12, in->actor);
    int64_t id = 0;
    rc = sq_insert_id(s, st, "initiative", &id, e);
    sq_done(s, st);
    if (!rc) rc = event_add(s, id, prov, in->at, in->actor, "propose", "", "proposed", "", e);
    return rc ? rc : store_init_get(s, id, x->out, e);
}

int store_init_create(struct store *s, const struct initiative_in *in, struct initiative *out,
                      struct err *e)
{
    struct init_proposal p = {in->title,   in->area,   in->description,
                              in->authors, in->effect, in->proposed_day};
    int rc = init_proposal_check(&p, e);
    if (rc) return rc;
    if (!in->unit || !in->unit[0])
        return err_set(e, ERR_INVALID, "unit", "unit: the proposing unit is needed");
    if (!in->evaluator || !in->evaluator[0])
        return err_set(e, ERR_INVALID, "evaluator", "evaluator: the evaluating unit is needed");
    if (!in->actor || !in->actor[0] || strlen(in->actor) >= PAR_ACTOR_MAX)
        return err_set(e, ERR_INVALID, "actor", "actor: 1 to %d bytes", PAR_ACTOR_MAX - 1);
    int y = days_to_ymd(in->proposed_day).y;
    if (y < 2000 || y > 2100)
        return err_set(e, ERR_INVALID, "proposed", "proposed: year %d is outside 2000..2100", y);
    struct create_ctx x = {in, out};
    return store_tx(s, create_tx, &x, e);
}

/* ---- lists ------------------------------------------------------------------------------- */

struct codeset {
    int n, cap;
    char (*c)[UNIT_CODE_MAX];
};

static int codeset_add(const struct unit *u, void *ctx)
{
    struct codeset *x = ctx;
    for (int i = 0; i < x->n; i++)
        if (!strcmp(x->c[i], u->code)) return 0;
    if (x->n == x->cap) {
        int cap = x->cap ? 2 * x->cap : 64;
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

struct list_ctx {
    struct store *s;
    const struct codeset *scope;
    initiative_fn fn;
    void *ctx;
    int hit;
};

static int applier_match(const struct init_unit *u, void *ctx)
{
    struct list_ctx *x = ctx;
    if (codeset_has(x->scope, u->unit)) x->hit = 1;
    return 0;
}

int store_init_list(struct store *s, const struct init_filter *f, initiative_fn fn, void *ctx,
                    struct err *e)
{
    struct codeset scope = {0};
    int filter = f->scope && f->scope[0];
    int rc = filter ? store_unit_scope(s, f->scope, UNIT_DAY_MIN, codeset_add, &scope, e) : 0;
    if (rc == ERR_NOMEM) rc = err_set(e, ERR_NOMEM, "", "out of memory");
    /* collected first: the scope check of applying units queries the store */
    struct initiative *all = NULL;
    int n = 0, cap = 0;
    struct db_stmt *st = NULL;
    if (!rc) rc = sq_prep(s, SQL_INIT_LIST, &st, e);
    if (!rc) {
        db_bind_int64(st, 1, f->year);
        if (f->status >= 0) bind_str(st, 2, init_status_name((enum init_status)f->status));
        int step;
        while ((step = db_step(st)) == DB_ROW) {
            if (n == cap) {
                cap = cap ? 2 * cap : 16;
                struct initiative *g = realloc(all, sizeof *g * (size_t)cap);
                if (!g) {
                    rc = err_set(e, ERR_NOMEM, "", "out of memory");
                    break;
                }
                all = g;
            }
            read_init(st, &all[n++]);
        }
        if (!rc && step != DB_DONE) rc = sq_fail(s, step, "initiatives", e);
        sq_done(s, st);
    }
    for (int i = 0; !rc && i < n; i++) {
        struct list_ctx x = {s, &scope, fn, ctx, 0};
        if (!filter || codeset_has(&scope, all[i].unit) || codeset_has(&scope, all[i].evaluator) ||
            (f->recognized && all[i].status == INS_RECOGNIZED))
            x.hit = 1;
        else if (all[i].napplied)
            rc = store_init_units(s, all[i].id, applier_match, &x, e);
        if (!rc && x.hit) rc = fn(&all[i], ctx);
    }
    free(all);
    free(scope.c);
    return rc;
}

/* ---- actions ----------------------------------------------------------------------------- */

struct act_ctx {
    int64_t id;
    enum init_action a;
    const struct init_args *args;
    const char *actor;
    int64_t at;
    struct initiative *out;
};

static int act_tx(struct store *s, void *ctx, struct err *e)
{
    struct act_ctx *x = ctx;
    struct initiative i;
    int rc = store_init_get(s, x->id, &i, e);
    if (rc) return rc;
    struct init_facts f = {i.id, i.status, i.proposed_day, i.evaluated_day};
    enum init_status next;
    if ((rc = init_apply(&f, x->a, x->args, &next, e))) return rc;
    int64_t day = x->args->day ? x->args->day : instant_day(x->at);
    const char *note = x->args->note ? x->args->note : "";
    switch (x->a) {
    case INA_ACCEPT:
        i.score = x->args->score;
        snprintf(i.opinion, sizeof i.opinion, "%s", note);
        i.evaluated_day = day;
        break;
    case INA_REJECT:
        snprintf(i.reason, sizeof i.reason, "%s", note);
        if (!i.evaluated_day) i.evaluated_day = day;
        break;
    case INA_RECOGNIZE:
        snprintf(i.decision_no, sizeof i.decision_no, "%s", x->args->decision_no);
        i.decision_day = x->args->decision_day;
        i.level = x->args->level;
        break;
    case INA_WITHDRAW:
        snprintf(i.reason, sizeof i.reason, "%s", note);
        break;
    case INA_RESUBMIT: /* evaluated again from scratch; the old one stays in the history */
        i.score = -1;
        i.opinion[0] = i.reason[0] = '\0';
        i.evaluated_day = 0;
        break;
    default:
        return err_set(e, ERR_INVALID, "action", "'%s': use store_init_apply",
                       init_action_desc(x->a)->name);
    }
    struct db_stmt *st;
    if ((rc = sq_prep(s, SQL_INIT_UPDATE, &st, e))) return rc;
    db_bind_int64(st, 1, i.id);
    bind_str(st, 2, init_status_name(next));
    if (i.score >= 0) db_bind_int64(st, 3, i.score);
    bind_str(st, 4, i.opinion);
    if (i.evaluated_day) db_bind_int64(st, 5, i.evaluated_day);
    bind_str(st, 6, i.reason);
    bind_str(st, 7, i.decision_no);
    if (i.decision_day) db_bind_int64(st, 8, i.decision_day);
    bind_str(st, 9, i.level >= 0 ? init_level_name((enum init_level)i.level) : "");
    rc = sq_step_done(s, st, "initiative", e);
    sq_done(s, st);
    char text[INIT_TEXT_MAX + 96];
    if (x->a == INA_ACCEPT)
        snprintf(text, sizeof text, "%d/%d%s%s", i.score, INIT_SCORE_MAX, note[0] ? " — " : "",
                 note);
    else if (x->a == INA_RECOGNIZE)
        snprintf(text, sizeof text, "%s", i.decision_no);
    else
        snprintf(text, sizeof text, "%s", note);
    char prov[UNIT_CODE_MAX]; /* the initiative's (migration 040) */
    if (!rc) rc = province_of(s, i.id, prov, sizeof prov, e);
    if (!rc)
        rc = event_add(s, i.id, prov, x->at, x->actor, init_action_desc(x->a)->name,
                       init_status_name(i.status), init_status_name(next), text, e);
    return rc ? rc : store_init_get(s, i.id, x->out, e);
}

int store_init_act(struct store *s, int64_t id, enum init_action a, const struct init_args *args,
                   const char *actor, int64_t at, struct initiative *out, struct err *e)
{
    if (!actor || !actor[0] || strlen(actor) >= PAR_ACTOR_MAX)
        return err_set(e, ERR_INVALID, "actor", "actor: 1 to %d bytes", PAR_ACTOR_MAX - 1);
    struct act_ctx x = {id, a, args, actor, at, out};
    return store_tx(s, act_tx, &x, e);
}

struct apply_ctx {
    int64_t id;
    const char *unit, *result, *actor;
    int64_t from_day, at;
};

static int apply_tx(struct store *s, void *ctx, struct err *e)
{
    struct apply_ctx *x = ctx;
    struct initiative i;
    struct unit u;
    int rc = store_init_get(s, x->id, &i, e);
    if (!rc) rc = store_unit_get(s, x->unit, &u, e);
    if (rc) return rc;
    struct init_facts f = {i.id, i.status, i.proposed_day, i.evaluated_day};
    struct init_args args = {.score = -1, .level = -1, .note = x->result};
    enum init_status next;
    if ((rc = init_apply(&f, INA_APPLY, &args, &next, e))) return rc;
    struct db_stmt *st;
    if ((rc = sq_prep(s, SQL_UNIT_HAS, &st, e))) return rc;
    db_bind_int64(st, 1, i.id);
    bind_str(st, 2, x->unit);
    int step = db_step(st);
    sq_done(s, st);
    if (step == DB_ROW)
        return err_set(e, ERR_CONFLICT, "unit", "unit '%s' applies initiative #%lld already",
                       x->unit, (long long)i.id);
    if (step != DB_DONE) return sq_fail(s, step, "initiative units", e);
    /* the initiative's province (migration 040), not the applying unit's: a unit of another
     * province applying it still goes with the initiative, as its history does */
    char prov[UNIT_CODE_MAX];
    if ((rc = province_of(s, i.id, prov, sizeof prov, e)) ||
        (rc = sq_prep(s, SQL_UNIT_INSERT, &st, e)))
        return rc;
    db_bind_int64(st, 1, i.id);
    bind_str(st, 7, prov);
    bind_str(st, 2, x->unit);
    db_bind_int64(st, 3, x->from_day);
    bind_str(st, 4, x->result);
    db_bind_int64(st, 5, x->at);
    bind_str(st, 6, x->actor);
    rc = sq_step_done(s, st, "initiative units", e);
    sq_done(s, st);
    if (!rc) {
        char note[UNIT_CODE_MAX + 32];
        snprintf(note, sizeof note, "%s", x->unit);
        rc = event_add(s, i.id, prov, x->at, x->actor, "apply", init_status_name(i.status),
                       init_status_name(next), note, e);
    }
    return rc;
}

int store_init_apply(struct store *s, int64_t id, const char *unit, int64_t from_day,
                     const char *result, const char *actor, int64_t at, struct err *e)
{
    if (!unit || !unit[0]) return err_set(e, ERR_INVALID, "unit", "unit: the applying unit");
    if (result && strlen(result) >= INIT_TEXT_MAX)
        return err_set(e, ERR_INVALID, "result", "result: longer than %d bytes", INIT_TEXT_MAX - 1);
    if (from_day <= 0) return err_set(e, ERR_INVALID, "from", "from: the day it applies from");
    if (!actor || !actor[0] || strlen(actor) >= PAR_ACTOR_MAX)
        return err_set(e, ERR_INVALID, "actor", "actor: 1 to %d bytes", PAR_ACTOR_MAX - 1);
    struct apply_ctx x = {id, unit, result ? result : "", actor, from_day, at};
    return store_tx(s, apply_tx, &x, e);
}

int store_init_units(struct store *s, int64_t id, init_unit_fn fn, void *ctx, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_UNITS, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, id);
    int step = DB_DONE, urc = 0;
    while (!urc && (step = db_step(st)) == DB_ROW) {
        struct init_unit u;
        memset(&u, 0, sizeof u);
        u.initiative_id = db_col_int64(st, 0);
        sq_col_text(st, 1, u.unit, sizeof u.unit);
        u.from_day = db_col_int64(st, 2);
        sq_col_text(st, 3, u.result, sizeof u.result);
        u.added_at = db_col_int64(st, 4);
        sq_col_text(st, 5, u.added_by, sizeof u.added_by);
        urc = fn(&u, ctx);
    }
    rc = urc ? urc : step == DB_DONE ? 0 : sq_fail(s, step, "initiative units", e);
    sq_done(s, st);
    return rc;
}

int store_init_history(struct store *s, int64_t id, init_event_fn fn, void *ctx, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_EVENTS, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, id);
    int step = DB_DONE, urc = 0;
    while (!urc && (step = db_step(st)) == DB_ROW) {
        struct init_event ev;
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
    rc = urc ? urc : step == DB_DONE ? 0 : sq_fail(s, step, "initiative history", e);
    sq_done(s, st);
    return rc;
}

/* ---- evidence ---------------------------------------------------------------------------- */

static const char SQL_EV_INSERT[] =
    "INSERT INTO initiative_evidence (initiative_id, name, mime, size, sha256, added_at, "
    "added_by, province) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id";
#define EV_COLS "e.id, e.initiative_id, e.name, e.mime, e.size, e.sha256, e.added_at, e.added_by"
static const char SQL_EV_LIST[] =
    "SELECT " EV_COLS " FROM initiative_evidence e WHERE e.initiative_id = ?1 ORDER BY e.id";
static const char SQL_EV_GET[] = "SELECT " EV_COLS ", b.content FROM initiative_evidence e JOIN "
                                 "par_blobs b ON b.sha256 = e.sha256 AND b.province = e.province "
                                 "WHERE e.id = ?1";

struct ev_add {
    const struct init_evidence_in *in;
    struct init_evidence *out;
};

static int ev_add_tx(struct store *s, void *ctx, struct err *e)
{
    struct ev_add *x = ctx;
    struct initiative i;
    int rc = store_init_get(s, x->in->initiative_id, &i, e);
    char prov[UNIT_CODE_MAX]; /* the initiative's (migration 040) */
    if (rc || (rc = province_of(s, i.id, prov, sizeof prov, e))) return rc;
    struct db_stmt *st;
    if ((rc = sq_blob_put(s, SQ_PAR_BLOBS, x->out->sha256, x->in->data, x->out->size, prov,
                          "initiative evidence content", e)) ||
        (rc = sq_prep(s, SQL_EV_INSERT, &st, e)))
        return rc;
    db_bind_int64(st, 1, i.id);
    bind_str(st, 8, prov);
    bind_str(st, 2, x->out->name);
    bind_str(st, 3, x->out->mime);
    db_bind_int64(st, 4, x->out->size);
    bind_str(st, 5, x->out->sha256);
    db_bind_int64(st, 6, x->out->added_at);
    bind_str(st, 7, x->out->added_by);
    rc = sq_insert_id(s, st, "initiative evidence", &x->out->id, e);
    sq_done(s, st);
    return rc;
}

int store_init_evidence_add(struct store *s, const struct init_evidence_in *in,
                            struct init_evidence *out, struct err *e)
{
    int64_t max = in->max_size > 0 ? in->max_size : PAR_EVIDENCE_MAX_DEFAULT;
    const char *mime = NULL;
    char sha[65];
    int rc = 0;
    if (!in->actor || !in->actor[0] || strlen(in->actor) >= PAR_ACTOR_MAX)
        rc = err_set(e, ERR_INVALID, "actor", "actor: 1 to %d bytes", PAR_ACTOR_MAX - 1);
    if (!rc) rc = blob_evidence_check(in->name, in->data, in->size, max, &mime, sha, e);
    if (rc) return rc;
    memset(out, 0, sizeof *out);
    out->initiative_id = in->initiative_id;
    snprintf(out->name, sizeof out->name, "%s", in->name);
    snprintf(out->mime, sizeof out->mime, "%s", mime);
    out->size = in->size;
    memcpy(out->sha256, sha, sizeof sha);
    out->added_at = in->at;
    snprintf(out->added_by, sizeof out->added_by, "%s", in->actor);
    struct ev_add x = {in, out};
    return store_tx(s, ev_add_tx, &x, e);
}

static void read_ev(struct db_stmt *st, struct init_evidence *ev)
{
    memset(ev, 0, sizeof *ev);
    ev->id = db_col_int64(st, 0);
    ev->initiative_id = db_col_int64(st, 1);
    sq_col_text(st, 2, ev->name, sizeof ev->name);
    sq_col_text(st, 3, ev->mime, sizeof ev->mime);
    ev->size = db_col_int64(st, 4);
    sq_col_text(st, 5, ev->sha256, sizeof ev->sha256);
    ev->added_at = db_col_int64(st, 6);
    sq_col_text(st, 7, ev->added_by, sizeof ev->added_by);
}

int store_init_evidence_list(struct store *s, int64_t id, init_evidence_fn fn, void *ctx,
                             struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_EV_LIST, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, id);
    int step = DB_DONE, urc = 0;
    while (!urc && (step = db_step(st)) == DB_ROW) {
        struct init_evidence ev;
        read_ev(st, &ev);
        urc = fn(&ev, ctx);
    }
    rc = urc ? urc : step == DB_DONE ? 0 : sq_fail(s, step, "initiative evidence", e);
    sq_done(s, st);
    return rc;
}

int store_init_evidence_get(struct store *s, int64_t id, struct init_evidence *out, void **data,
                            struct err *e)
{
    *data = NULL;
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_EV_GET, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, id);
    int step = db_step(st);
    if (step == DB_ROW) {
        read_ev(st, out);
        size_t n = db_col_bytes(st, 8);
        *data = malloc(n ? n : 1);
        if (!*data)
            rc = err_set(e, ERR_NOMEM, "", "out of memory");
        else if (n)
            memcpy(*data, db_col_blob(st, 8), n);
    } else if (step == DB_DONE) {
        rc = err_set(e, ERR_NOT_FOUND, "id", "evidence #%lld does not exist", (long long)id);
    } else {
        rc = sq_fail(s, step, "initiative evidence", e);
    }
    sq_done(s, st);
    return rc;
}

/* ---- the PAR metric initiatives_count ---------------------------------------------------- */

struct init_all {
    struct initiative *it;
    int n, cap;
};

static int init_collect(const struct initiative *i, void *ctx)
{
    struct init_all *x = ctx;
    if (x->n == x->cap) {
        int cap = x->cap ? 2 * x->cap : 16;
        struct initiative *g = realloc(x->it, sizeof *g * (size_t)cap);
        if (!g) return ERR_NOMEM;
        x->it = g;
        x->cap = cap;
    }
    x->it[x->n++] = *i;
    return 0;
}

static int of_unit(struct store *s, const char *unit, struct init_all *all, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_INIT_OF_UNIT, &st, e);
    if (rc) return rc;
    bind_str(st, 1, unit);
    int step = DB_DONE;
    while (!rc && (step = db_step(st)) == DB_ROW) {
        struct initiative i;
        read_init(st, &i);
        if (init_collect(&i, all)) rc = err_set(e, ERR_NOMEM, "", "out of memory");
    }
    if (!rc && step != DB_DONE) rc = sq_fail(s, step, "initiatives", e);
    sq_done(s, st);
    return rc;
}

int store_init_count(struct store *s, const char *unit, int64_t from, int64_t to,
                     struct init_count *out, init_count_fn fn, void *ctx, struct err *e)
{
    memset(out, 0, sizeof *out);
    struct codeset ln = {0};
    struct unit u;
    int rc = store_unit_get(s, unit, &u, e);
    if (!rc && codeset_add(&u, &ln)) rc = err_set(e, ERR_NOMEM, "", "out of memory");
    /* the units merged into it, transitively, as the other PAR metrics count them */
    for (int i = 0; !rc && i < ln.n; i++) {
        char code[UNIT_CODE_MAX];
        memcpy(code, ln.c[i], sizeof code);
        rc = store_unit_predecessors(s, code, codeset_add, &ln, e);
        if (rc == ERR_NOMEM) rc = err_set(e, ERR_NOMEM, "", "out of memory");
    }
    struct init_all all = {0};
    for (int i = 0; !rc && i < ln.n; i++)
        rc = of_unit(s, ln.c[i], &all, e);
    for (int i = 0; !rc && i < all.n; i++) {
        struct init_fact f = {all.it[i].status, all.it[i].proposed_day, all.it[i].decision_day};
        int in_num;
        if (!init_counted(&f, from, to, &in_num)) continue;
        out->den++;
        out->num += in_num;
        if (fn) rc = fn(&all.it[i], in_num, ctx);
    }
    out->value = out->num * PAR_SCALE;
    free(all.it);
    free(ln.c);
    return rc;
}
