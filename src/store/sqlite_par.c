/* sqlite_par.c — PAR assessment rounds on SQLite (migration 005): criteria sets stored node by
 * node and reloaded through par.c's validation, rounds with their units and phases, score
 * cells whose every change is kept, evidence files (SHA-256 by libsodium, type sniffed by
 * libmagic, one blob per hash) and targets. Each write is one transaction that first reads the
 * round's phase, so a published round refuses every write. Computed criteria and results are
 * in sqlite_par_results.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blob.h"
#include "date.h"
#include "sqlite_par_int.h"
#include "strmap.h"

/* ---- criteria sets --------------------------------------------------------------------- */

static const char SQL_SET_INSERT[] =
    "INSERT INTO par_sets (code, version, year, scope, title, legal_source, source, decimals, "
    "max_pts, declared_max, imported_at, imported_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
    "?9, ?10, ?11, ?12) RETURNING id";
static const char SQL_SET_EXISTS[] = "SELECT 1 FROM par_sets WHERE code = ?1 AND version = ?2";
static const char SQL_NODE_INSERT[] =
    "INSERT INTO par_set_nodes (set_id, seq, code, parent, title, max_pts, method, metric, rule, "
    "evidence, decimals, origin) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
static const char SQL_SET_FIND[] =
    "SELECT id, version FROM par_sets WHERE code = ?1 AND (?2 = 0 OR version = ?3) "
    "ORDER BY version";
static const char SQL_SET_META[] =
    "SELECT code, version, year, scope, title, legal_source, source, decimals, declared_max "
    "FROM par_sets WHERE id = ?1";
static const char SQL_SET_LIST[] =
    "SELECT code, version, year, scope, title, legal_source FROM par_sets "
    "ORDER BY year DESC, code, version";
static const char SQL_SET_NODES[] =
    "SELECT code, parent, title, max_pts, method, metric, rule, evidence, decimals, origin "
    "FROM par_set_nodes WHERE set_id = ?1 ORDER BY seq";

static const char *nz(const char *s)
{
    return s ? s : "";
}

/* Binds text as is ("" stays "", unlike sq_bind_text which binds NULL). */
static void bind_str(struct db_stmt *st, int i, const char *t)
{
    db_bind_text_copy(st, i, nz(t));
}

static int insert_node(struct store *s, int64_t set_id, const struct par_set *set, int i,
                       struct err *e)
{
    const struct par_node *n = &set->node[i];
    char rule[256];
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_NODE_INSERT, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, set_id);
    db_bind_int64(st, 2, i + 1);
    bind_str(st, 3, n->code);
    bind_str(st, 4, n->parent_code);
    bind_str(st, 5, n->title);
    db_bind_int64(st, 6, n->max);
    bind_str(st, 7, par_method_name(n->method));
    bind_str(st, 8, n->metric);
    bind_str(st, 9, par_rule_format(&n->rule, rule, sizeof rule));
    bind_str(st, 10, n->evidence);
    db_bind_int64(st, 11, n->decimals);
    bind_str(st, 12, n->where);
    rc = sq_step_done(s, st, "PAR set node", e);
    sq_done(s, st);
    return rc;
}

struct set_import {
    const struct par_set *set;
    const char *actor;
    int64_t at;
};

static int set_import_tx(struct store *s, void *ctx, struct err *e)
{
    const struct set_import *x = ctx;
    const struct par_set *set = x->set;
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_SET_EXISTS, &st, e);
    if (rc) return rc;
    bind_str(st, 1, set->code);
    bind_str(st, 2, set->version);
    int exists = db_step(st) == DB_ROW;
    sq_done(s, st);
    if (exists)
        return err_set(e, ERR_CONFLICT, "set",
                       "criteria set '%s' version '%s' is already stored (sets are kept "
                       "unchanged once imported; give the new one another version)",
                       set->code, set->version);
    if ((rc = sq_prep(s, SQL_SET_INSERT, &st, e))) return rc;
    bind_str(st, 1, set->code);
    bind_str(st, 2, set->version);
    db_bind_int64(st, 3, set->year);
    bind_str(st, 4, par_scope_name(set->scope));
    bind_str(st, 5, set->title);
    bind_str(st, 6, set->legal_source);
    bind_str(st, 7, set->source);
    db_bind_int64(st, 8, set->decimals);
    db_bind_int64(st, 9, set->max);
    if (set->declared_max != PAR_NONE) db_bind_int64(st, 10, set->declared_max);
    db_bind_int64(st, 11, x->at);
    bind_str(st, 12, x->actor);
    int64_t id = 0;
    rc = sq_insert_id(s, st, "PAR set", &id, e);
    sq_done(s, st);
    for (int i = 0; !rc && i < set->n; i++)
        rc = insert_node(s, id, set, i, e);
    return rc;
}

int store_par_set_import(struct store *s, const struct par_set *set, const char *actor, int64_t at,
                         struct err *e)
{
    if (!set->valid)
        return err_set(e, ERR_INVALID, "set", "the criteria set must be validated before import");
    if (!actor || !*actor) return err_set(e, ERR_INVALID, "actor", "actor: must not be empty");
    struct set_import x = {set, actor, at};
    return store_tx(s, set_import_tx, &x, e);
}

static int set_meta(struct store *s, int64_t id, struct par_set *set, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_SET_META, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, id);
    int step = db_step(st);
    if (step != DB_ROW) {
        rc = step == DB_DONE ? err_set(e, ERR_NOT_FOUND, "set",
                                       "criteria set #%lld is not "
                                       "stored",
                                       (long long)id)
                             : sq_fail(s, step, "PAR set", e);
        goto out;
    }
    sq_col_text(st, 0, set->code, sizeof set->code);
    sq_col_text(st, 1, set->version, sizeof set->version);
    set->year = (int)db_col_int64(st, 2);
    enum par_scope scope = PAR_SCOPE_NONE;
    par_scope_parse(db_col_text(st, 3), &scope, NULL);
    set->scope = scope;
    const char *texts[3] = {db_col_text(st, 4), db_col_text(st, 5), db_col_text(st, 6)};
    if ((rc = par_set_text(&set->title, texts[0], e)) ||
        (rc = par_set_text(&set->legal_source, texts[1], e)) ||
        (rc = par_set_text(&set->source, texts[2], e)))
        goto out;
    set->decimals = (int)db_col_int64(st, 7);
    set->declared_max = db_col_null(st, 8) ? PAR_NONE : db_col_int64(st, 8);
out:
    sq_done(s, st);
    return rc;
}

static int set_node_row(struct db_stmt *st, struct par_set *set, struct err *e)
{
    const char *t[10];
    for (int i = 0; i < 10; i++)
        t[i] = nz(db_col_text(st, i));
    struct par_node_in in = {.code = t[0],
                             .parent = t[1],
                             .title = t[2],
                             .max = db_col_int64(st, 3),
                             .metric = t[5],
                             .evidence = t[7],
                             .decimals = (int)db_col_int64(st, 8),
                             .where = t[9]};
    enum par_method m = PAR_METHOD_NONE;
    int rc = par_method_parse(t[4], &m, e);
    if (!rc) rc = par_rule_parse(t[6], &in.rule, "rule", e);
    in.method = m;
    if (!rc) rc = par_set_add_node(set, &in, e);
    return rc;
}

int par_set_load_id(struct store *s, int64_t id, struct par_set **out, struct err *e)
{
    struct par_set *set = par_set_new();
    if (!set) return err_set(e, ERR_NOMEM, "", "out of memory");
    int rc = set_meta(s, id, set, e);
    struct db_stmt *st = NULL;
    if (!rc) rc = sq_prep(s, SQL_SET_NODES, &st, e);
    if (!rc) {
        db_bind_int64(st, 1, id);
        int step;
        while (!rc && (step = db_step(st)) == DB_ROW)
            rc = set_node_row(st, set, e);
        if (!rc && step != DB_DONE) rc = sq_fail(s, step, "PAR set nodes", e);
        sq_done(s, st);
    }
    if (!rc && (rc = par_set_validate(set, NULL, NULL, e)))
        rc = ERR_INTERNAL; /* it was valid when stored: the database was edited */
    if (rc) {
        par_set_free(set);
        return rc;
    }
    *out = set;
    return 0;
}

/* The id of the set named by ref ("CODE" or "CODE@VERSION"). */
static int set_find(struct store *s, const char *ref, int64_t *id, struct err *e)
{
    char code[PAR_CODE_MAX + 40];
    if (!ref || !*ref) return err_set(e, ERR_INVALID, "set", "set: must not be empty");
    if (strlen(ref) >= sizeof code)
        return err_set(e, ERR_INVALID, "set", "set '%.40s…': too long", ref);
    snprintf(code, sizeof code, "%s", ref);
    char *at = strchr(code, '@');
    if (at) *at++ = '\0';
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_SET_FIND, &st, e);
    if (rc) return rc;
    bind_str(st, 1, code);
    db_bind_int64(st, 2, at != NULL);
    bind_str(st, 3, at);
    int n = 0, step;
    char versions[200] = "";
    while ((step = db_step(st)) == DB_ROW) {
        if (n++ == 0) *id = db_col_int64(st, 0);
        size_t l = strlen(versions);
        snprintf(versions + l, sizeof versions - l, "%s'%s'", l ? ", " : "",
                 nz(db_col_text(st, 1)));
    }
    sq_done(s, st);
    if (step != DB_DONE) return sq_fail(s, step, "PAR sets", e);
    if (n == 0)
        return err_set(e, ERR_NOT_FOUND, "set",
                       "criteria set '%s' is not stored (import it: cchc par import-set FILE)",
                       ref);
    if (n > 1)
        return err_set(e, ERR_INVALID, "set",
                       "criteria set '%s' has versions %s: name one as %s@VERSION", code, versions,
                       code);
    return 0;
}

int store_par_set_load(struct store *s, const char *ref, struct par_set **out, struct err *e)
{
    int64_t id;
    int rc = set_find(s, ref, &id, e);
    return rc ? rc : par_set_load_id(s, id, out, e);
}

int store_par_set_list(struct store *s, par_set_info_fn fn, void *ctx, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_SET_LIST, &st, e), step;
    if (rc) return rc;
    while ((step = db_step(st)) == DB_ROW) {
        struct par_set_info i;
        memset(&i, 0, sizeof i);
        sq_col_text(st, 0, i.code, sizeof i.code);
        sq_col_text(st, 1, i.version, sizeof i.version);
        i.year = (int)db_col_int64(st, 2);
        sq_col_text(st, 3, i.scope, sizeof i.scope);
        sq_col_text(st, 4, i.title, sizeof i.title);
        sq_col_text(st, 5, i.legal_source, sizeof i.legal_source);
        if ((rc = fn(&i, ctx))) break;
    }
    sq_done(s, st);
    if (!rc && step != DB_DONE) rc = sq_fail(s, step, "PAR sets", e);
    return rc;
}

/* ---- rounds ---------------------------------------------------------------------------- */

#define ROUND_COLS                                                                                 \
    "r.id, r.set_id, r.code, r.title, r.year, s.code, s.version, r.period_from, r.period_to, "     \
    "r.phase, r.created_at, r.created_by, (SELECT count(*) FROM par_round_units u WHERE "          \
    "u.round_id = r.id), r.province FROM par_rounds r JOIN par_sets s ON s.id = r.set_id"
static const char SQL_ROUND_GET[] = "SELECT " ROUND_COLS " WHERE r.code = ?1";
static const char SQL_ROUND_LIST[] = "SELECT " ROUND_COLS " ORDER BY r.year DESC, r.code";
static const char SQL_ROUND_PHASES[] =
    "SELECT phase, closed_at, closed_by FROM par_round_phases WHERE round_id = ?1";
static const char SQL_ROUND_INSERT[] =
    "INSERT INTO par_rounds (code, title, year, set_id, period_from, period_to, phase, "
    "created_at, created_by, province) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'self', ?7, ?8, ?9) "
    "RETURNING id";
static const char SQL_ROUND_UNIT_INSERT[] =
    "INSERT INTO par_round_units (round_id, unit_code, province) VALUES (?1, ?2, ?3)";
static const char SQL_ROUND_UNITS[] =
    "SELECT unit_code FROM par_round_units WHERE round_id = ?1 ORDER BY unit_code";
static const char SQL_ROUND_HAS_UNIT[] =
    "SELECT 1 FROM par_round_units WHERE round_id = ?1 AND unit_code = ?2";
static const char SQL_PHASE_CLOSE[] =
    "INSERT INTO par_round_phases (round_id, phase, closed_at, closed_by, province) VALUES (?1, "
    "?2, ?3, ?4, ?5)";
static const char SQL_PHASE_SET[] = "UPDATE par_rounds SET phase = ?2 WHERE id = ?1";

static int read_phases(struct store *s, struct par_round *r, int64_t id, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_ROUND_PHASES, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, id);
    int step;
    while ((step = db_step(st)) == DB_ROW) {
        enum par_phase p;
        if (par_phase_parse(db_col_text(st, 0), &p, NULL) || p >= PAR_PHASE_PUBLISHED)
            continue; /* the schema's CHECK keeps it valid */
        r->closed_at[p] = db_col_int64(st, 1);
        sq_col_text(st, 2, r->closed_by[p], sizeof r->closed_by[p]);
    }
    rc = step == DB_DONE ? 0 : sq_fail(s, step, "PAR round phases", e);
    sq_done(s, st);
    return rc;
}

static void read_round(struct db_stmt *st, struct par_round_row *rr)
{
    memset(rr, 0, sizeof *rr);
    struct par_round *r = &rr->r;
    rr->id = db_col_int64(st, 0);
    rr->set_id = db_col_int64(st, 1);
    sq_col_text(st, 2, r->code, sizeof r->code);
    sq_col_text(st, 3, r->title, sizeof r->title);
    r->year = (int)db_col_int64(st, 4);
    sq_col_text(st, 5, r->set_code, sizeof r->set_code);
    sq_col_text(st, 6, r->set_version, sizeof r->set_version);
    r->period_from = db_col_int64(st, 7);
    r->period_to = db_col_int64(st, 8);
    enum par_phase p = PAR_PHASE_SELF;
    par_phase_parse(db_col_text(st, 9), &p, NULL);
    r->phase = p;
    r->created_at = db_col_int64(st, 10);
    sq_col_text(st, 11, r->created_by, sizeof r->created_by);
    r->nunits = (int)db_col_int64(st, 12);
    sq_col_text(st, 13, rr->province, sizeof rr->province);
}

int par_round_row(struct store *s, const char *code, struct par_round_row *out, struct err *e)
{
    if (!code || !*code) return err_set(e, ERR_INVALID, "round", "round: must not be empty");
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_ROUND_GET, &st, e);
    if (rc) return rc;
    bind_str(st, 1, code);
    int step = db_step(st);
    if (step == DB_ROW)
        read_round(st, out);
    else
        rc = step == DB_DONE ? err_set(e, ERR_NOT_FOUND, "round", "round '%s' does not exist", code)
                             : sq_fail(s, step, "PAR round", e);
    sq_done(s, st);
    return rc ? rc : read_phases(s, &out->r, out->id, e);
}

int store_par_round_get(struct store *s, const char *code, struct par_round *out, struct err *e)
{
    struct par_round_row rr;
    int rc = par_round_row(s, code, &rr, e);
    if (!rc) *out = rr.r;
    return rc;
}

int store_par_round_list(struct store *s, par_round_fn fn, void *ctx, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_ROUND_LIST, &st, e);
    if (rc) return rc;
    int step = DB_DONE, urc = 0;
    while (!rc && !urc && (step = db_step(st)) == DB_ROW) {
        struct par_round_row rr;
        read_round(st, &rr);
        if (!(rc = read_phases(s, &rr.r, rr.id, e))) urc = fn(&rr.r, ctx);
    }
    if (!rc && !urc && step != DB_DONE) rc = sq_fail(s, step, "PAR rounds", e);
    sq_done(s, st);
    return rc ? rc : urc;
}

int par_round_has_unit(struct store *s, const struct par_round_row *rr, const char *unit,
                       struct err *e)
{
    if (!unit || !*unit) return err_set(e, ERR_INVALID, "unit", "unit: must not be empty");
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_ROUND_HAS_UNIT, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, rr->id);
    bind_str(st, 2, unit);
    int step = db_step(st);
    sq_done(s, st);
    if (step == DB_ROW) return 0;
    if (step != DB_DONE) return sq_fail(s, step, "PAR round units", e);
    return err_set(e, ERR_NOT_FOUND, "unit", "unit '%s' is not assessed in round '%s'", unit,
                   rr->r.code);
}

int store_par_round_has_unit(struct store *s, const char *round, const char *unit, struct err *e)
{
    struct par_round_row rr;
    int rc = par_round_row(s, round, &rr, e);
    return rc ? rc : par_round_has_unit(s, &rr, unit, e);
}

struct unit_walk {
    unit_fn fn;
    void *ctx;
};

int store_par_round_units(struct store *s, const char *round, unit_fn fn, void *ctx, struct err *e)
{
    struct par_round_row rr;
    int rc = par_round_row(s, round, &rr, e);
    struct db_stmt *st;
    if (rc || (rc = sq_prep(s, SQL_ROUND_UNITS, &st, e))) return rc;
    db_bind_int64(st, 1, rr.id);
    int step = DB_DONE, urc = 0;
    while (!rc && !urc && (step = db_step(st)) == DB_ROW) {
        char code[UNIT_CODE_MAX];
        struct unit u;
        sq_col_text(st, 0, code, sizeof code);
        if (!(rc = store_unit_get(s, code, &u, e))) urc = fn(&u, ctx);
    }
    if (!rc && !urc && step != DB_DONE) rc = sq_fail(s, step, "PAR round units", e);
    sq_done(s, st);
    return rc ? rc : urc;
}

/* ---- creating a round ------------------------------------------------------------------ */

struct round_create {
    const struct par_round_new *in;
    struct par_round *out;
    int64_t from, to;
    /* units chosen by kind */
    int kind_on[UNIT_KIND_COUNT];
    char (*codes)[UNIT_CODE_MAX];
    int n, cap;
};

/* The unit kinds a set's scope assesses. */
static int scope_kinds(enum par_scope scope, int *on, struct err *e)
{
    switch (scope) {
    case PAR_SCOPE_PROVINCE:
        on[UNIT_PROVINCE] = 1;
        return 0;
    case PAR_SCOPE_DEPARTMENT:
        on[UNIT_DEPARTMENT] = 1;
        return 0;
    case PAR_SCOPE_DISTRICT:
        on[UNIT_DISTRICT] = 1;
        return 0;
    case PAR_SCOPE_COMMUNE: /* xã, phường, thị trấn, đặc khu */
        on[UNIT_COMMUNE] = on[UNIT_WARD] = on[UNIT_TOWN] = on[UNIT_SPECIAL_ZONE] = 1;
        return 0;
    default:
        return err_set(e, ERR_INVALID, "units",
                       "units: no unit kind matches the set's scope '%s'; list the units",
                       par_scope_name(scope));
    }
}

static int kinds_parse(const char *list, int *on, struct err *e)
{
    char buf[256];
    if (strlen(list) >= sizeof buf) return err_set(e, ERR_INVALID, "kind", "kind: too long");
    snprintf(buf, sizeof buf, "%s", list);
    int any = 0;
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        enum unit_kind k;
        int rc = unit_kind_parse(t, &k, "kind", e);
        if (rc) return rc;
        on[k] = any = 1;
    }
    return any ? 0 : err_set(e, ERR_INVALID, "kind", "kind: '%s' names no unit kind", list);
}

static int add_code(struct round_create *x, const char *code, struct err *e)
{
    for (int i = 0; i < x->n; i++)
        if (!strcmp(x->codes[i], code))
            return err_set(e, ERR_INVALID, "units", "units: '%s' is listed twice", code);
    if (x->n == x->cap) {
        int cap = x->cap ? x->cap * 2 : 64;
        char(*g)[UNIT_CODE_MAX] = realloc(x->codes, sizeof *g * (size_t)cap);
        if (!g) return err_set(e, ERR_NOMEM, "", "out of memory");
        x->codes = g;
        x->cap = cap;
    }
    snprintf(x->codes[x->n++], UNIT_CODE_MAX, "%s", code);
    return 0;
}

struct kind_pick {
    struct round_create *x;
    struct err *e;
    int rc;
};

static int pick_by_kind(const struct unit *u, void *ctx)
{
    struct kind_pick *p = ctx;
    if (!p->x->kind_on[u->kind]) return 0;
    return (p->rc = add_code(p->x, u->code, p->e)) != 0;
}

static int choose_units(struct store *s, struct round_create *x, const struct par_set *set,
                        struct err *e)
{
    const struct par_round_new *in = x->in;
    char day[16];
    if (in->nunits > 0) {
        for (int i = 0; i < in->nunits; i++) {
            struct unit u;
            int rc = store_unit_get(s, in->units[i], &u, e);
            if (!rc && !unit_valid_on(&u, x->to) && !unit_valid_on(&u, x->from))
                rc = err_set(e, ERR_INVALID, "units",
                             "unit '%s' exists neither at the start nor at the end of the "
                             "round's period (until %s)",
                             u.code, day_format(x->to, day));
            if (!rc) rc = add_code(x, u.code, e);
            if (rc) return rc;
        }
        return 0;
    }
    int rc = in->kinds && *in->kinds ? kinds_parse(in->kinds, x->kind_on, e)
                                     : scope_kinds(set->scope, x->kind_on, e);
    if (rc) return rc;
    struct kind_pick p = {x, e, 0};
    rc = in->under && *in->under ? store_unit_subtree(s, in->under, x->to, pick_by_kind, &p, e)
                                 : store_unit_list(s, x->to, pick_by_kind, &p, e);
    if (p.rc) return p.rc;
    if (rc) return rc;
    if (x->n == 0)
        return err_set(e, ERR_INVALID, "units", "no unit of the kinds asked exists on %s%s%s",
                       day_format(x->to, day), in->under ? " under " : "", nz(in->under));
    return 0;
}

/* The round's province (docs/scale.md, step 1), as a survey round's: the root of the least
 * code (byte order) of its units, fixed at creation. A round always has units (choose_units);
 * every row of the round, of a unit under another root too, carries the round's province. */
static int round_province(struct store *s, const struct round_create *x, char *out, size_t n,
                          struct err *e)
{
    const char *least = NULL;
    for (int i = 0; i < x->n; i++)
        if (!least || strcmp(x->codes[i], least) < 0) least = x->codes[i];
    if (!least) return err_set(e, ERR_INVALID, "units", "units: the round has none");
    return sq_unit_root(s, least, out, n, e);
}

static int round_insert(struct store *s, struct round_create *x, int64_t set_id, struct err *e)
{
    const struct par_round_new *in = x->in;
    struct db_stmt *st;
    char prov[UNIT_CODE_MAX];
    int rc = round_province(s, x, prov, sizeof prov, e);
    if (rc || (rc = sq_prep(s, SQL_ROUND_INSERT, &st, e))) return rc;
    bind_str(st, 1, in->code);
    bind_str(st, 2, in->title);
    db_bind_int64(st, 3, in->year);
    db_bind_int64(st, 4, set_id);
    db_bind_int64(st, 5, x->from);
    db_bind_int64(st, 6, x->to);
    db_bind_int64(st, 7, in->at);
    bind_str(st, 8, in->actor);
    bind_str(st, 9, prov);
    int64_t id = 0;
    rc = sq_insert_id(s, st, "PAR round", &id, e);
    sq_done(s, st);
    for (int i = 0; !rc && i < x->n; i++) {
        if ((rc = sq_prep(s, SQL_ROUND_UNIT_INSERT, &st, e))) break;
        db_bind_int64(st, 1, id);
        bind_str(st, 2, x->codes[i]);
        bind_str(st, 3, prov);
        rc = sq_step_done(s, st, "PAR round unit", e);
        sq_done(s, st);
    }
    return rc;
}

static int round_create_tx(struct store *s, void *ctx, struct err *e)
{
    struct round_create *x = ctx;
    const struct par_round_new *in = x->in;
    struct par_round_row rr;
    int rc = par_round_row(s, in->code, &rr, e);
    if (rc == 0)
        return err_set(e, ERR_CONFLICT, "round", "round '%s' already exists (year %d)", in->code,
                       rr.r.year);
    if (rc != ERR_NOT_FOUND) return rc;
    int64_t set_id;
    struct par_set *set = NULL;
    if ((rc = set_find(s, in->set, &set_id, e)) || (rc = par_set_load_id(s, set_id, &set, e)))
        return rc;
    rc = choose_units(s, x, set, e);
    par_set_free(set);
    if (!rc) rc = round_insert(s, x, set_id, e);
    if (!rc) rc = store_par_round_get(s, in->code, x->out, e);
    return rc;
}

static int round_new_check(const struct par_round_new *in, struct err *e)
{
    if (!in->code || !*in->code) return err_set(e, ERR_INVALID, "round", "round: needs a code");
    if (strlen(in->code) >= PAR_CODE_MAX)
        return err_set(e, ERR_INVALID, "round", "round '%s': longer than %d characters", in->code,
                       PAR_CODE_MAX - 1);
    for (const char *p = in->code; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
              *p == '-' || *p == '_' || *p == '.'))
            return err_set(e, ERR_INVALID, "round",
                           "round '%s': may hold only letters, digits and . _ -", in->code);
    if (in->year < 2000 || in->year > 2100)
        return err_set(e, ERR_INVALID, "year", "year: %d is not between 2000 and 2100", in->year);
    if (in->title && strlen(in->title) >= PAR_TITLE_MAX)
        return err_set(e, ERR_INVALID, "title", "title: longer than %d bytes", PAR_TITLE_MAX - 1);
    if (!in->actor || !*in->actor || strlen(in->actor) >= PAR_ACTOR_MAX)
        return err_set(e, ERR_INVALID, "actor", "actor: 1 to %d bytes", PAR_ACTOR_MAX - 1);
    if (in->nunits > 0 && in->kinds && *in->kinds)
        return err_set(e, ERR_INVALID, "units", "give either a list of units or unit kinds");
    return 0;
}

int store_par_round_create(struct store *s, const struct par_round_new *in, struct par_round *out,
                           struct err *e)
{
    int rc = round_new_check(in, e);
    if (rc) return rc;
    struct round_create x = {.in = in, .out = out};
    x.from =
        in->period_from != INT64_MIN ? in->period_from : ymd_to_days((struct ymd){in->year, 1, 1});
    x.to =
        in->period_from != INT64_MIN ? in->period_to : ymd_to_days((struct ymd){in->year, 12, 31});
    if (x.to < x.from) return err_set(e, ERR_INVALID, "period", "period: ends before it starts");
    rc = store_tx(s, round_create_tx, &x, e);
    free(x.codes);
    return rc;
}

/* ---- phases ---------------------------------------------------------------------------- */

struct phase_change {
    const char *round, *expect, *actor;
    int64_t at;
    int publish;
    struct par_round *out;
};

static int close_phase(struct store *s, const struct par_round_row *rr, const char *actor,
                       int64_t at, struct err *e)
{
    enum par_phase p = rr->r.phase;
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_PHASE_CLOSE, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, rr->id);
    bind_str(st, 2, par_phase_name(p));
    db_bind_int64(st, 3, at);
    bind_str(st, 4, actor);
    bind_str(st, 5, rr->province);
    rc = sq_step_done(s, st, "PAR phase", e);
    sq_done(s, st);
    if (rc || (rc = sq_prep(s, SQL_PHASE_SET, &st, e))) return rc;
    db_bind_int64(st, 1, rr->id);
    bind_str(st, 2, par_phase_name(p + 1));
    rc = sq_step_done(s, st, "PAR phase", e);
    sq_done(s, st);
    return rc;
}

static int published_error(const struct par_round *r, struct err *e)
{
    char when[20];
    return err_set(e, ERR_CONFLICT, "phase", "round '%s' was published on %s by %s: it is frozen",
                   r->code, instant_format(r->closed_at[PAR_PHASE_SURVEY], when),
                   r->closed_by[PAR_PHASE_SURVEY]);
}

static int phase_tx(struct store *s, void *ctx, struct err *e)
{
    struct phase_change *x = ctx;
    struct par_round_row rr;
    int rc = par_round_row(s, x->round, &rr, e);
    if (rc) return rc;
    enum par_phase p = rr.r.phase;
    if (p == PAR_PHASE_PUBLISHED) return published_error(&rr.r, e);
    if (x->publish && p != PAR_PHASE_SURVEY)
        return err_set(e, ERR_CONFLICT, "phase",
                       "round '%s' is in phase '%s'; it is published after the survey phase "
                       "(close the earlier phases first: cchc par round close-phase %s)",
                       x->round, par_phase_name(p), x->round);
    if (!x->publish && p == PAR_PHASE_SURVEY)
        return err_set(e, ERR_CONFLICT, "phase",
                       "round '%s' is in the survey phase, which closes by publishing "
                       "(cchc par round publish %s)",
                       x->round, x->round);
    if (x->expect && *x->expect && strcmp(x->expect, par_phase_name(p)))
        return err_set(e, ERR_CONFLICT, "phase",
                       "round '%s' is in phase '%s', not '%s': nothing was closed", x->round,
                       par_phase_name(p), x->expect);
    if (x->publish && (rc = par_metrics_freeze(s, &rr, e))) return rc;
    if ((rc = close_phase(s, &rr, x->actor, x->at, e))) return rc;
    return x->out ? store_par_round_get(s, x->round, x->out, e) : 0;
}

static int phase_run(struct store *s, struct phase_change *x, struct err *e)
{
    if (!x->actor || !*x->actor || strlen(x->actor) >= PAR_ACTOR_MAX)
        return err_set(e, ERR_INVALID, "actor", "actor: 1 to %d bytes", PAR_ACTOR_MAX - 1);
    if (x->expect && *x->expect) {
        enum par_phase p;
        int rc = par_phase_parse(x->expect, &p, e);
        if (rc) return rc;
    }
    return store_tx(s, phase_tx, x, e);
}

int store_par_round_close_phase(struct store *s, const char *round, const char *expect,
                                const char *actor, int64_t at, struct par_round *out, struct err *e)
{
    struct phase_change x = {round, expect, actor, at, 0, out};
    return phase_run(s, &x, e);
}

int store_par_round_publish(struct store *s, const char *round, const char *actor, int64_t at,
                            struct par_round *out, struct err *e)
{
    struct phase_change x = {round, NULL, actor, at, 1, out};
    return phase_run(s, &x, e);
}

/* ---- scores ---------------------------------------------------------------------------- */

/* Per kind: the cell's column, its comment column (NULL: none) and the upsert. */
static const char SQL_OLD_SELF[] =
    "SELECT self_pts FROM par_scores WHERE round_id = ?1 AND unit_code = ?2 AND node_code = ?3";
static const char SQL_OLD_APPRAISED[] = "SELECT appraised_pts FROM par_scores WHERE round_id = ?1 "
                                        "AND unit_code = ?2 AND node_code = ?3";
static const char SQL_OLD_SURVEY[] =
    "SELECT survey_pts FROM par_scores WHERE round_id = ?1 AND unit_code = ?2 AND node_code = ?3";
/* the conflict target is the key with province, as PostgreSQL's (migration 045) */
#define SCORE_KEY "ON CONFLICT (round_id, unit_code, node_code, province) "
static const char SQL_PUT_SELF[] =
    "INSERT INTO par_scores (round_id, unit_code, node_code, self_pts, self_comment, province) "
    "VALUES (?1, ?2, ?3, ?4, coalesce(?5, ''), ?6) " SCORE_KEY "DO UPDATE SET "
    "self_pts = excluded.self_pts, self_comment = coalesce(?5, par_scores.self_comment)";
static const char SQL_PUT_APPRAISED[] =
    "INSERT INTO par_scores (round_id, unit_code, node_code, appraised_pts, appraisal_comment, "
    "province) VALUES (?1, ?2, ?3, ?4, coalesce(?5, ''), ?6) " SCORE_KEY "DO UPDATE SET "
    "appraised_pts = excluded.appraised_pts, appraisal_comment = coalesce(?5, "
    "par_scores.appraisal_comment)";
static const char SQL_PUT_SURVEY[] =
    "INSERT INTO par_scores (round_id, unit_code, node_code, survey_pts, province) VALUES (?1, "
    "?2, ?3, ?4, ?5) " SCORE_KEY "DO UPDATE SET survey_pts = excluded.survey_pts";
static const char SQL_CHANGE_INSERT[] =
    "INSERT INTO par_score_changes (round_id, unit_code, node_code, kind, old_pts, new_pts, "
    "comment, actor, at, province) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";

static const char *old_sql(enum par_kind k)
{
    return k == PAR_SELF ? SQL_OLD_SELF : k == PAR_APPRAISED ? SQL_OLD_APPRAISED : SQL_OLD_SURVEY;
}

static const char *put_sql(enum par_kind k)
{
    return k == PAR_SELF ? SQL_PUT_SELF : k == PAR_APPRAISED ? SQL_PUT_APPRAISED : SQL_PUT_SURVEY;
}

/* Checks the value as par.c does for score files: leaf, kind fits the method, 0..max,
 * decimals. */
static int value_check(const struct par_set *set, const char *unit, const char *node,
                       enum par_kind kind, par_pts v, struct err *e)
{
    struct par_scores *sc;
    int u, rc = par_scores_new(set, &sc, e);
    if (rc) return rc;
    if (!(rc = par_scores_unit(sc, unit, NULL, &u, e)))
        rc = par_scores_put(sc, u, node, kind, v, e);
    par_scores_free(sc);
    return rc;
}

static int cell_write(struct store *s, const struct par_round_row *rr, const char *unit,
                      const char *node, enum par_kind kind, par_pts v, const char *comment,
                      const char *actor, int64_t at, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, old_sql(kind), &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, rr->id);
    bind_str(st, 2, unit);
    bind_str(st, 3, node);
    int step = db_step(st);
    par_pts old = step == DB_ROW && !db_col_null(st, 0) ? db_col_int64(st, 0) : PAR_NONE;
    sq_done(s, st);
    if (step != DB_ROW && step != DB_DONE) return sq_fail(s, step, "PAR score", e);
    if ((rc = sq_prep(s, put_sql(kind), &st, e))) return rc;
    db_bind_int64(st, 1, rr->id);
    bind_str(st, 2, unit);
    bind_str(st, 3, node);
    db_bind_int64(st, 4, v);
    if (kind != PAR_SURVEYED && comment) bind_str(st, 5, comment);
    bind_str(st, kind == PAR_SURVEYED ? 5 : 6, rr->province); /* the survey upsert has no comment */
    rc = sq_step_done(s, st, "PAR score", e);
    sq_done(s, st);
    if (rc || (rc = sq_prep(s, SQL_CHANGE_INSERT, &st, e))) return rc;
    db_bind_int64(st, 1, rr->id);
    bind_str(st, 2, unit);
    bind_str(st, 3, node);
    bind_str(st, 4, par_kind_name(kind) /* "survey" for PAR_SURVEYED */);
    if (old != PAR_NONE) db_bind_int64(st, 5, old);
    db_bind_int64(st, 6, v);
    bind_str(st, 7, comment);
    bind_str(st, 8, actor);
    db_bind_int64(st, 9, at);
    bind_str(st, 10, rr->province);
    rc = sq_step_done(s, st, "PAR score history", e);
    sq_done(s, st);
    return rc;
}

static int text_check(const char *what, const char *t, size_t max, int required, struct err *e)
{
    if (required && (!t || !*t))
        return err_set(e, ERR_INVALID, what, "%s: must not be empty", what);
    if (t && strlen(t) >= max)
        return err_set(e, ERR_INVALID, what, "%s: longer than %zu bytes", what, max - 1);
    return 0;
}

static int score_tx(struct store *s, void *ctx, struct err *e)
{
    const struct par_score_in *in = ctx;
    struct par_round_row rr;
    struct par_set *set = NULL;
    int rc = par_round_row(s, in->round, &rr, e);
    if (!rc) rc = par_phase_allows(rr.r.code, rr.r.phase, in->kind, e);
    if (!rc) rc = par_round_has_unit(s, &rr, in->unit, e);
    if (!rc) rc = par_set_load_id(s, rr.set_id, &set, e);
    if (!rc) rc = value_check(set, in->unit, in->node, in->kind, in->points, e);
    par_set_free(set);
    if (rc) return rc;
    return cell_write(s, &rr, in->unit, in->node, in->kind, in->points, in->comment, in->actor,
                      in->at, e);
}

int store_par_score_put(struct store *s, const struct par_score_in *in, struct err *e)
{
    int rc = text_check("actor", in->actor, PAR_ACTOR_MAX, 1, e);
    if (!rc) rc = text_check("comment", in->comment, 400, 0, e);
    if (!rc && in->kind != PAR_SELF && in->kind != PAR_APPRAISED && in->kind != PAR_SURVEYED)
        rc = err_set(e, ERR_INVALID, "kind",
                     "kind: only self, appraised or survey scores are "
                     "written");
    return rc ? rc : store_tx(s, score_tx, (void *)in, e);
}

struct survey_import {
    const char *round;
    const struct par_survey_row *rows;
    int n;
    const char *actor;
    int64_t at;
};

/* Prefixes e's message with the row's origin. */
static int at_row(const struct par_survey_row *r, int rc, struct err *e)
{
    if (!e || !r->where[0]) return rc;
    char msg[sizeof e->msg];
    snprintf(msg, sizeof msg, "%s", e->msg);
    snprintf(e->msg, sizeof e->msg, "%s: %.300s", r->where, msg);
    return rc;
}

/* ERR_INVALID naming both rows when a (unit, node) pair is given twice: a second value would
 * silently replace the first. */
static int survey_unique(const struct par_survey_row *rows, int n, struct err *e)
{
    char(*key)[2 * PAR_CODE_MAX] = malloc(sizeof *key * (size_t)(n + 1));
    struct strmap seen = {0};
    int rc = key ? 0 : err_set(e, ERR_NOMEM, "", "out of memory");
    for (int i = 0; !rc && i < n; i++) {
        snprintf(key[i], sizeof key[i], "%s\t%s", rows[i].unit, rows[i].node);
        int j = strmap_get(&seen, key[i]);
        if (j >= 0)
            rc = at_row(&rows[i],
                        err_set(e, ERR_INVALID, "node",
                                "unit '%s', node '%s': survey points given twice (also %s)",
                                rows[i].unit, rows[i].node, rows[j].where),
                        e);
        else if (strmap_put(&seen, key[i], i))
            rc = err_set(e, ERR_NOMEM, "", "out of memory");
    }
    strmap_free(&seen);
    free(key);
    return rc;
}

static int survey_tx(struct store *s, void *ctx, struct err *e)
{
    const struct survey_import *x = ctx;
    struct par_round_row rr;
    struct par_set *set = NULL;
    int rc = par_round_row(s, x->round, &rr, e);
    if (!rc) rc = par_phase_allows(rr.r.code, rr.r.phase, PAR_SURVEYED, e);
    if (!rc) rc = survey_unique(x->rows, x->n, e);
    if (!rc) rc = par_set_load_id(s, rr.set_id, &set, e);
    for (int i = 0; !rc && i < x->n; i++) {
        const struct par_survey_row *r = &x->rows[i];
        if ((rc = par_round_has_unit(s, &rr, r->unit, e)) ||
            (rc = value_check(set, r->unit, r->node, PAR_SURVEYED, r->points, e)) ||
            (rc = cell_write(s, &rr, r->unit, r->node, PAR_SURVEYED, r->points, NULL, x->actor,
                             x->at, e)))
            rc = at_row(r, rc, e);
    }
    par_set_free(set);
    return rc;
}

int store_par_survey_import(struct store *s, const char *round, const struct par_survey_row *rows,
                            int n, const char *actor, int64_t at, struct err *e)
{
    int rc = text_check("actor", actor, PAR_ACTOR_MAX, 1, e);
    if (rc) return rc;
    if (n <= 0) return err_set(e, ERR_INVALID, "rows", "the survey file has no rows");
    struct survey_import x = {round, rows, n, actor, at};
    return store_tx(s, survey_tx, &x, e);
}

static const char SQL_CELLS[] =
    "SELECT unit_code, node_code, self_pts, appraised_pts, survey_pts, self_comment, "
    "appraisal_comment FROM par_scores WHERE round_id = ?1 AND (CAST(?2 AS TEXT) IS NULL OR "
    "unit_code = ?2) "
    "ORDER BY unit_code, node_code";

static par_pts col_pts(struct db_stmt *st, int i)
{
    return db_col_null(st, i) ? PAR_NONE : db_col_int64(st, i);
}

int store_par_cells(struct store *s, const char *round, const char *unit, par_cell_fn fn, void *ctx,
                    struct err *e)
{
    struct par_round_row rr;
    struct db_stmt *st;
    int rc = par_round_row(s, round, &rr, e);
    if (rc || (rc = sq_prep(s, SQL_CELLS, &st, e))) return rc;
    db_bind_int64(st, 1, rr.id);
    sq_bind_text(st, 2, unit);
    int step = DB_DONE, urc = 0;
    while (!urc && (step = db_step(st)) == DB_ROW) {
        struct par_cell c;
        sq_col_text(st, 0, c.unit, sizeof c.unit);
        sq_col_text(st, 1, c.node, sizeof c.node);
        c.self = col_pts(st, 2);
        c.appraised = col_pts(st, 3);
        c.survey = col_pts(st, 4);
        sq_col_text(st, 5, c.self_comment, sizeof c.self_comment);
        sq_col_text(st, 6, c.appraisal_comment, sizeof c.appraisal_comment);
        urc = fn(&c, ctx);
    }
    rc = urc ? urc : step == DB_DONE ? 0 : sq_fail(s, step, "PAR scores", e);
    sq_done(s, st);
    return rc;
}

static const char SQL_HISTORY[] =
    "SELECT id, unit_code, node_code, kind, old_pts, new_pts, comment, actor, at FROM "
    "par_score_changes WHERE round_id = ?1 AND unit_code = ?2 AND (CAST(?3 AS TEXT) IS NULL OR "
    "node_code = ?3) "
    "ORDER BY id";

static enum par_kind kind_of(const char *name)
{
    return !strcmp(name, "self")        ? PAR_SELF
           : !strcmp(name, "appraised") ? PAR_APPRAISED
                                        : PAR_SURVEYED;
}

int store_par_score_history(struct store *s, const char *round, const char *unit, const char *node,
                            par_change_fn fn, void *ctx, struct err *e)
{
    struct par_round_row rr;
    struct db_stmt *st;
    int rc = par_round_row(s, round, &rr, e);
    if (!rc) rc = par_round_has_unit(s, &rr, unit, e);
    if (rc || (rc = sq_prep(s, SQL_HISTORY, &st, e))) return rc;
    db_bind_int64(st, 1, rr.id);
    bind_str(st, 2, unit);
    sq_bind_text(st, 3, node);
    int step = DB_DONE, urc = 0;
    while (!urc && (step = db_step(st)) == DB_ROW) {
        struct par_score_change c;
        char kind[16];
        c.id = db_col_int64(st, 0);
        sq_col_text(st, 1, c.unit, sizeof c.unit);
        sq_col_text(st, 2, c.node, sizeof c.node);
        sq_col_text(st, 3, kind, sizeof kind);
        c.kind = kind_of(kind);
        c.old_points = col_pts(st, 4);
        c.new_points = col_pts(st, 5);
        sq_col_text(st, 6, c.comment, sizeof c.comment);
        sq_col_text(st, 7, c.actor, sizeof c.actor);
        c.at = db_col_int64(st, 8);
        urc = fn(&c, ctx);
    }
    rc = urc ? urc : step == DB_DONE ? 0 : sq_fail(s, step, "PAR score history", e);
    sq_done(s, st);
    return rc;
}

/* ---- evidence -------------------------------------------------------------------------- */

static const char SQL_EVIDENCE_INSERT[] =
    "INSERT INTO par_evidence (round_id, unit_code, node_code, name, mime, size, sha256, "
    "added_at, added_by, province) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id";
#define EVIDENCE_COLS                                                                              \
    "e.id, e.unit_code, e.node_code, e.name, e.mime, e.size, e.sha256, e.added_at, e.added_by"
static const char SQL_EVIDENCE_LIST[] =
    "SELECT " EVIDENCE_COLS
    " FROM par_evidence e WHERE e.round_id = ?1 AND (CAST(?2 AS TEXT) IS NULL OR "
    "e.unit_code = ?2) AND (CAST(?3 AS TEXT) IS NULL OR e.node_code = ?3) ORDER BY e.unit_code, "
    "e.node_code, "
    "e.id";
static const char SQL_EVIDENCE_GET[] =
    "SELECT " EVIDENCE_COLS ", b.content FROM par_evidence e JOIN par_blobs b ON b.sha256 = "
    "e.sha256 AND b.province = e.province WHERE e.id = ?1";

struct evidence_add {
    const struct par_evidence_in *in;
    struct par_evidence *out;
};

static int evidence_rows(struct store *s, const struct par_round_row *rr,
                         const struct par_evidence *ev, const void *data, int64_t *id,
                         struct err *e)
{
    struct db_stmt *st;
    /* the content goes with the evidence row, in its round's province (migration 043) */
    int rc = sq_blob_put(s, SQ_PAR_BLOBS, ev->sha256, data, ev->size, rr->province,
                         "PAR evidence content", e);
    if (rc || (rc = sq_prep(s, SQL_EVIDENCE_INSERT, &st, e))) return rc;
    db_bind_int64(st, 1, rr->id);
    bind_str(st, 2, ev->unit);
    bind_str(st, 3, ev->node);
    bind_str(st, 4, ev->name);
    bind_str(st, 5, ev->mime);
    db_bind_int64(st, 6, ev->size);
    bind_str(st, 7, ev->sha256);
    db_bind_int64(st, 8, ev->added_at);
    bind_str(st, 9, ev->added_by);
    bind_str(st, 10, rr->province);
    rc = sq_insert_id(s, st, "PAR evidence", id, e);
    sq_done(s, st);
    return rc;
}

static int evidence_tx(struct store *s, void *ctx, struct err *e)
{
    struct evidence_add *x = ctx;
    const struct par_evidence_in *in = x->in;
    struct par_round_row rr;
    struct par_set *set = NULL;
    int rc = par_round_row(s, in->round, &rr, e);
    if (!rc) rc = par_phase_allows_evidence(rr.r.code, rr.r.phase, e);
    if (!rc) rc = par_round_has_unit(s, &rr, in->unit, e);
    if (!rc) rc = par_set_load_id(s, rr.set_id, &set, e);
    if (!rc && par_set_find(set, in->node) < 0)
        rc = err_set(e, ERR_INVALID, "node", "node '%s' is not a criterion of set '%s'", in->node,
                     set->code);
    par_set_free(set);
    if (rc) return rc;
    return evidence_rows(s, &rr, x->out, in->data, &x->out->id, e);
}

int store_par_evidence_add(struct store *s, const struct par_evidence_in *in,
                           struct par_evidence *out, struct err *e)
{
    int64_t max = in->max_size > 0 ? in->max_size : PAR_EVIDENCE_MAX_DEFAULT;
    const char *mime = NULL;
    char sha[65];
    int rc = text_check("actor", in->actor, PAR_ACTOR_MAX, 1, e);
    if (!rc) rc = text_check("node", in->node, PAR_CODE_MAX, 1, e);
    if (!rc) rc = blob_evidence_check(in->name, in->data, in->size, max, &mime, sha, e);
    if (rc) return rc;
    memset(out, 0, sizeof *out);
    snprintf(out->unit, sizeof out->unit, "%s", nz(in->unit));
    snprintf(out->node, sizeof out->node, "%s", in->node);
    snprintf(out->name, sizeof out->name, "%s", in->name);
    snprintf(out->mime, sizeof out->mime, "%s", mime);
    out->size = in->size;
    memcpy(out->sha256, sha, sizeof sha);
    out->added_at = in->at;
    snprintf(out->added_by, sizeof out->added_by, "%s", in->actor);
    struct evidence_add x = {in, out};
    return store_tx(s, evidence_tx, &x, e);
}

static void read_evidence(struct db_stmt *st, struct par_evidence *ev)
{
    ev->id = db_col_int64(st, 0);
    sq_col_text(st, 1, ev->unit, sizeof ev->unit);
    sq_col_text(st, 2, ev->node, sizeof ev->node);
    sq_col_text(st, 3, ev->name, sizeof ev->name);
    sq_col_text(st, 4, ev->mime, sizeof ev->mime);
    ev->size = db_col_int64(st, 5);
    sq_col_text(st, 6, ev->sha256, sizeof ev->sha256);
    ev->added_at = db_col_int64(st, 7);
    sq_col_text(st, 8, ev->added_by, sizeof ev->added_by);
}

int store_par_evidence_list(struct store *s, const char *round, const char *unit, const char *node,
                            par_evidence_fn fn, void *ctx, struct err *e)
{
    struct par_round_row rr;
    struct db_stmt *st;
    int rc = par_round_row(s, round, &rr, e);
    if (rc || (rc = sq_prep(s, SQL_EVIDENCE_LIST, &st, e))) return rc;
    db_bind_int64(st, 1, rr.id);
    sq_bind_text(st, 2, unit);
    sq_bind_text(st, 3, node);
    int step = DB_DONE, urc = 0;
    while (!urc && (step = db_step(st)) == DB_ROW) {
        struct par_evidence ev;
        read_evidence(st, &ev);
        urc = fn(&ev, ctx);
    }
    rc = urc ? urc : step == DB_DONE ? 0 : sq_fail(s, step, "PAR evidence", e);
    sq_done(s, st);
    return rc;
}

int store_par_evidence_get(struct store *s, int64_t id, struct par_evidence *out, void **data,
                           struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_EVIDENCE_GET, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, id);
    int step = db_step(st);
    if (step == DB_ROW) {
        read_evidence(st, out);
        *data = malloc((size_t)out->size);
        if (!*data)
            rc = err_set(e, ERR_NOMEM, "", "out of memory");
        else
            memcpy(*data, db_col_blob(st, 9), (size_t)out->size);
    } else {
        rc = step == DB_DONE
                 ? err_set(e, ERR_NOT_FOUND, "id", "evidence #%lld does not exist", (long long)id)
                 : sq_fail(s, step, "PAR evidence", e);
    }
    sq_done(s, st);
    return rc;
}

/* ---- targets --------------------------------------------------------------------------- */

static const char SQL_TARGETS_CLEAR[] = "DELETE FROM par_targets WHERE round_id = ?1";
static const char SQL_TARGET_INSERT[] =
    "INSERT INTO par_targets (round_id, unit_code, up, rank, index_pct, province) VALUES (?1, ?2, "
    "?3, ?4, ?5, ?6)";

struct targets_put {
    const char *round;
    const struct par_target *t;
    int n;
};

static int targets_tx(struct store *s, void *ctx, struct err *e)
{
    const struct targets_put *x = ctx;
    struct par_round_row rr;
    struct db_stmt *st;
    int rc = par_round_row(s, x->round, &rr, e);
    if (!rc && rr.r.phase == PAR_PHASE_PUBLISHED) rc = published_error(&rr.r, e);
    if (rc || (rc = sq_prep(s, SQL_TARGETS_CLEAR, &st, e))) return rc;
    db_bind_int64(st, 1, rr.id);
    rc = sq_step_done(s, st, "PAR targets", e);
    sq_done(s, st);
    for (int i = 0; !rc && i < x->n; i++) {
        const struct par_target *t = &x->t[i];
        if ((rc = par_round_has_unit(s, &rr, t->code, e))) {
            char msg[sizeof e->msg];
            snprintf(msg, sizeof msg, "%s", e->msg);
            err_set(e, rc, "unit", "%s: %.300s", nz(t->where), msg);
            break;
        }
        if ((rc = sq_prep(s, SQL_TARGET_INSERT, &st, e))) break;
        db_bind_int64(st, 1, rr.id);
        bind_str(st, 2, t->code);
        db_bind_int64(st, 3, t->up);
        db_bind_int64(st, 4, t->rank);
        if (t->index != PAR_NONE) db_bind_int64(st, 5, t->index);
        bind_str(st, 6, rr.province);
        rc = sq_step_done(s, st, "PAR target", e);
        sq_done(s, st);
        if (rc == ERR_CONFLICT)
            rc = err_set(e, ERR_INVALID, "unit", "%s: unit '%s' has two targets", nz(t->where),
                         t->code);
    }
    return rc;
}

int store_par_targets_put(struct store *s, const char *round, const struct par_target *t, int n,
                          struct err *e)
{
    for (int i = 0; i < n; i++)
        if (t[i].up < 0 || t[i].rank < 0 || (t[i].up && t[i].rank) ||
            (!t[i].up && !t[i].rank && t[i].index == PAR_NONE))
            return err_set(e, ERR_INVALID, "target",
                           "%s: target of '%s': give 'up' or 'rank' (positive, not both) "
                           "and/or 'index'",
                           nz(t[i].where), t[i].code);
    struct targets_put x = {round, t, n};
    return store_tx(s, targets_tx, &x, e);
}
