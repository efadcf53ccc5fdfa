/* inspection_store.c — CCHC inspections in the shared SQL of both databases (migration 011):
 * the year's inspections of units below the inspecting unit, their checklist (a PAR set's
 * leaf criteria and items written for the inspection), findings, and remedies that are tasks
 * of the inspected unit's plan; an inspection closes in the transaction that closes its last
 * remedy. The rules are src/core/inspection.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blob.h"
#include "date.h"
#include "sqlite_par_int.h"
#include "store_reform.h"

static void bind_str(struct db_stmt *st, int i, const char *t)
{
    db_bind_text_copy(st, i, t ? t : "");
}

#define INSP_COLS                                                                                  \
    "i.id, i.year, i.inspector_unit, i.unit_code, i.team, i.planned_from, i.planned_to, "          \
    "i.status, i.concluded_day, "                                                                  \
    "(SELECT count(*) FROM inspection_checklist c WHERE c.inspection_id = i.id), "                 \
    "(SELECT count(*) FROM inspection_findings f WHERE f.inspection_id = i.id), "                  \
    "(SELECT count(*) FROM inspection_remedies r JOIN inspection_findings f ON f.id = "            \
    "r.finding_id WHERE f.inspection_id = i.id), "                                                 \
    "(SELECT count(*) FROM inspection_remedies r JOIN inspection_findings f ON f.id = "            \
    "r.finding_id JOIN reform_tasks t ON t.id = r.task_id WHERE f.inspection_id = i.id AND "       \
    "t.status NOT IN ('done', 'cancelled'))"
static const char SQL_INSP_GET[] = "SELECT " INSP_COLS " FROM inspections i WHERE i.id = ?1";
static const char SQL_INSP_LIST[] = "SELECT " INSP_COLS " FROM inspections i WHERE (?1 = 0 OR "
                                    "i.year = ?1) ORDER BY i.planned_from, i.id";
/* An inspection's province (migration 039; docs/scale.md, "What the schema needs first", step
 * 1) is the root of the inspected unit's tree when it is planned, never changed: the unit lies
 * below the inspector, so both are in one province as a rule, and the remedies are tasks of
 * the inspected unit's plan, which carries that unit's root: so the inspected unit's, not the
 * inspector's. Its checklist and findings carry the inspection's, a remedy its finding's,
 * bound at every insert. */
static const char SQL_INSP_INSERT[] =
    "INSERT INTO inspections (year, inspector_unit, unit_code, team, planned_from, planned_to, "
    "status, concluded_day, created_at, created_by, province) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
    "'planned', NULL, ?7, ?8, ?9) RETURNING id";
static const char SQL_INSP_PROVINCE[] = "SELECT province FROM inspections WHERE id = ?1";
static const char SQL_ITEM_INSERT[] =
    "INSERT INTO inspection_checklist (inspection_id, seq, item, node_code, result, note, "
    "province) VALUES (?1, ?2, ?3, ?4, '', '', ?5)";
static const char SQL_ITEM_SET[] = "UPDATE inspection_checklist SET result = ?3, note = ?4 WHERE "
                                   "inspection_id = ?1 AND seq = ?2";
static const char SQL_INSP_STATUS[] =
    "UPDATE inspections SET status = ?2, concluded_day = ?3 WHERE id = ?1";
static const char SQL_FINDING_INSERT[] =
    "INSERT INTO inspection_findings (inspection_id, kind, text, evidence_sha, added_at, "
    "added_by, evidence_name, province) VALUES (?1, ?2, ?3, ?6, ?4, ?5, ?7, ?8) RETURNING id";
static const char SQL_FINDING_GET[] =
    "SELECT inspection_id, kind, province FROM inspection_findings WHERE id = ?1";
static const char SQL_REMEDY_INSERT[] =
    "INSERT INTO inspection_remedies (finding_id, task_id, province) VALUES (?1, ?2, ?3)";
static const char SQL_REMEDY_OF[] =
    "SELECT f.inspection_id FROM inspection_remedies r JOIN inspection_findings f ON f.id = "
    "r.finding_id WHERE r.task_id = ?1";
static const char SQL_INSPECTED[] =
    "SELECT unit_code FROM inspections WHERE year = ?1 AND status IN ('concluded', 'closed')";

static void read_insp(struct db_stmt *st, struct inspection *i)
{
    memset(i, 0, sizeof *i);
    i->id = db_col_int64(st, 0);
    i->year = (int)db_col_int64(st, 1);
    sq_col_text(st, 2, i->inspector, sizeof i->inspector);
    sq_col_text(st, 3, i->unit, sizeof i->unit);
    sq_col_text(st, 4, i->team, sizeof i->team);
    i->planned_from = db_col_int64(st, 5);
    i->planned_to = db_col_int64(st, 6);
    enum insp_status status = IS_PLANNED;
    insp_status_parse(db_col_text(st, 7), &status, "status", NULL);
    i->status = status;
    i->concluded_day = db_col_null(st, 8) ? 0 : db_col_int64(st, 8);
    i->nitems = (int)db_col_int64(st, 9);
    i->nfindings = (int)db_col_int64(st, 10);
    i->nremedies = (int)db_col_int64(st, 11);
    i->open_remedies = (int)db_col_int64(st, 12);
}

int store_insp_get(struct store *s, int64_t id, struct inspection *out, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_INSP_GET, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, id);
    int step = db_step(st);
    if (step == DB_ROW)
        read_insp(st, out);
    else if (step == DB_DONE)
        rc = err_set(e, ERR_NOT_FOUND, "inspection", "inspection #%lld does not exist",
                     (long long)id);
    else
        rc = sq_fail(s, step, "inspection", e);
    sq_done(s, st);
    return rc;
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

/* Item seq of inspection id's checklist; prov: the inspection's province. */
static int item_add(struct store *s, int64_t id, const char *prov, int seq, const char *item,
                    const char *node, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_ITEM_INSERT, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, id);
    bind_str(st, 5, prov);
    db_bind_int64(st, 2, seq);
    bind_str(st, 3, item);
    bind_str(st, 4, node);
    rc = sq_step_done(s, st, "inspection checklist", e);
    sq_done(s, st);
    return rc;
}

struct insp_create {
    const struct inspection_in *in;
    struct inspection *out;
};

static int insp_create_tx(struct store *s, void *ctx, struct err *e)
{
    struct insp_create *x = ctx;
    const struct inspection_in *in = x->in;
    struct unit u;
    int rc = store_unit_get(s, in->inspector, &u, e);
    if (!rc) rc = store_unit_get(s, in->unit, &u, e);
    if (rc) return rc;
    struct below b = {in->unit, 0};
    if (strcmp(in->unit, in->inspector) &&
        (rc = store_unit_subtree(s, in->inspector, in->planned_to, below_match, &b, e)))
        return rc;
    if (!b.found)
        return err_set(e, ERR_INVALID, "unit", "unit '%s': not a unit below inspector '%s'",
                       in->unit, in->inspector);
    char prov[UNIT_CODE_MAX]; /* the inspected unit's root (above) */
    if ((rc = sq_unit_root(s, in->unit, prov, sizeof prov, e))) return rc;
    struct par_set *set = NULL;
    if (in->set && in->set[0] && (rc = store_par_set_load(s, in->set, &set, e))) return rc;
    struct db_stmt *st;
    int64_t id = 0;
    if (!(rc = sq_prep(s, SQL_INSP_INSERT, &st, e))) {
        db_bind_int64(st, 1, in->year);
        bind_str(st, 9, prov);
        bind_str(st, 2, in->inspector);
        bind_str(st, 3, in->unit);
        bind_str(st, 4, in->team);
        db_bind_int64(st, 5, in->planned_from);
        db_bind_int64(st, 6, in->planned_to);
        db_bind_int64(st, 7, in->at);
        bind_str(st, 8, in->actor);
        rc = sq_insert_id(s, st, "inspection", &id, e);
        sq_done(s, st);
    }
    int seq = 0;
    for (int l = 0; !rc && set && l < set->nleaves; l++) {
        const struct par_node *n = &set->node[set->leaves[l]];
        if (n->method != PAR_SURVEY) rc = item_add(s, id, prov, ++seq, n->title, n->code, e);
    }
    par_set_free(set);
    for (int i = 0; !rc && i < in->nitems; i++) {
        if (!in->items[i] || !in->items[i][0] || strlen(in->items[i]) >= INSP_TEXT_MAX)
            rc = err_set(e, ERR_INVALID, "items", "items[%d]: 1 to %d bytes", i, INSP_TEXT_MAX - 1);
        else
            rc = item_add(s, id, prov, ++seq, in->items[i], "", e);
    }
    return rc ? rc : store_insp_get(s, id, x->out, e);
}

int store_insp_create(struct store *s, const struct inspection_in *in, struct inspection *out,
                      struct err *e)
{
    if (in->year < 2000 || in->year > 2100)
        return err_set(e, ERR_INVALID, "year", "year: %d is outside 2000..2100", in->year);
    if (!in->inspector || !in->unit || !in->actor || !in->actor[0])
        return err_set(e, ERR_INVALID, "unit", "an inspection needs its inspector and unit");
    if (in->team && strlen(in->team) >= INSP_TEAM_MAX)
        return err_set(e, ERR_INVALID, "team", "team: longer than %d bytes", INSP_TEAM_MAX - 1);
    if (in->planned_to < in->planned_from)
        return err_set(e, ERR_INVALID, "planned_to", "planned_to: before planned_from");
    if (days_to_ymd(in->planned_from).y != in->year || days_to_ymd(in->planned_to).y != in->year)
        return err_set(e, ERR_INVALID, "planned_from",
                       "planned_from: the planned dates must lie in %d", in->year);
    struct insp_create x = {in, out};
    return store_tx(s, insp_create_tx, &x, e);
}

struct insp_list {
    int filter;
    char (*codes)[UNIT_CODE_MAX];
    int n, cap;
};

static int list_add(const struct unit *u, void *ctx)
{
    struct insp_list *x = ctx;
    if (x->n == x->cap) {
        int cap = x->cap ? 2 * x->cap : 64;
        char(*g)[UNIT_CODE_MAX] = realloc(x->codes, sizeof *g * (size_t)cap);
        if (!g) return ERR_NOMEM;
        x->codes = g;
        x->cap = cap;
    }
    snprintf(x->codes[x->n++], UNIT_CODE_MAX, "%s", u->code);
    return 0;
}

static int list_has(const struct insp_list *x, const char *code)
{
    for (int i = 0; i < x->n; i++)
        if (!strcmp(x->codes[i], code)) return 1;
    return 0;
}

int store_insp_list(struct store *s, const char *scope, int year, inspection_fn fn, void *ctx,
                    struct err *e)
{
    struct insp_list x = {.filter = scope && scope[0]};
    int rc = x.filter ? store_unit_scope(s, scope, UNIT_DAY_MIN, list_add, &x, e) : 0;
    if (rc == ERR_NOMEM) rc = err_set(e, ERR_NOMEM, "", "out of memory");
    struct db_stmt *st = NULL;
    if (!rc) rc = sq_prep(s, SQL_INSP_LIST, &st, e);
    if (!rc) {
        db_bind_int64(st, 1, year);
        int step = DB_DONE, urc = 0;
        while (!urc && (step = db_step(st)) == DB_ROW) {
            struct inspection i;
            read_insp(st, &i);
            if (!x.filter || list_has(&x, i.unit) || list_has(&x, i.inspector)) urc = fn(&i, ctx);
        }
        rc = urc ? urc : step == DB_DONE ? 0 : sq_fail(s, step, "inspections", e);
        sq_done(s, st);
    }
    free(x.codes);
    return rc;
}

static int set_status(struct store *s, int64_t id, enum insp_status to, int64_t concluded,
                      struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_INSP_STATUS, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, id);
    bind_str(st, 2, insp_status_name(to));
    if (concluded) db_bind_int64(st, 3, concluded);
    rc = sq_step_done(s, st, "inspection", e);
    sq_done(s, st);
    return rc;
}

struct insp_act {
    int64_t id;
    enum insp_action a;
    const char *note;
    int64_t at;
    struct inspection *out;
};

static int insp_act_tx(struct store *s, void *ctx, struct err *e)
{
    struct insp_act *x = ctx;
    struct inspection i;
    int rc = store_insp_get(s, x->id, &i, e);
    if (rc) return rc;
    struct insp_facts f = {i.id, i.status, i.nfindings, i.open_remedies};
    enum insp_status next;
    if ((rc = insp_apply(&f, x->a, x->note, &next, e))) return rc;
    int64_t concluded =
        next == IS_CONCLUDED && !i.concluded_day ? instant_day(x->at) : i.concluded_day;
    if ((rc = set_status(s, i.id, next, concluded, e))) return rc;
    /* concluded with every remedy already closed (or none needed): it closes at once */
    f.status = next;
    if (next == IS_CONCLUDED && i.nremedies > 0 && insp_should_close(&f))
        rc = set_status(s, i.id, IS_CLOSED, concluded, e);
    return rc ? rc : x->out ? store_insp_get(s, i.id, x->out, e) : 0;
}

int store_insp_act(struct store *s, int64_t id, enum insp_action a, const char *note,
                   const char *actor, int64_t at, struct inspection *out, struct err *e)
{
    (void)actor;
    struct insp_act x = {id, a, note, at, out};
    return store_tx(s, insp_act_tx, &x, e);
}

static int in_progress(struct store *s, int64_t id, int concluded_ok, struct err *e)
{
    struct inspection i;
    int rc = store_insp_get(s, id, &i, e);
    if (rc) return rc;
    if (i.status == IS_IN_PROGRESS || (concluded_ok && i.status == IS_CONCLUDED)) return 0;
    return err_set(e, ERR_CONFLICT, "inspection", "inspection #%lld is %s", (long long)id,
                   insp_status_name(i.status));
}

int store_insp_check(struct store *s, int64_t id, int seq, const char *result, const char *note,
                     struct err *e)
{
    if (!result || (result[0] && strcmp(result, "met") && strcmp(result, "not_met")))
        return err_set(e, ERR_INVALID, "result", "result '%s': must be met, not_met or empty",
                       result ? result : "");
    int rc = in_progress(s, id, 0, e);
    struct db_stmt *st;
    if (rc || (rc = sq_prep(s, SQL_ITEM_SET, &st, e))) return rc;
    db_bind_int64(st, 1, id);
    db_bind_int64(st, 2, seq);
    bind_str(st, 3, result);
    bind_str(st, 4, note);
    rc = sq_step_done(s, st, "inspection checklist", e);
    sq_done(s, st);
    if (!rc && db_changes(s->db) == 0)
        rc = err_set(e, ERR_NOT_FOUND, "seq", "inspection #%lld has no checklist item %d",
                     (long long)id, seq);
    return rc;
}

struct finding_add {
    int64_t id;
    enum finding_kind kind;
    const char *text, *actor, *mime;
    const struct insp_file *file;
    char sha[65];
    int64_t at, *finding_id;
};

static int finding_tx(struct store *s, void *ctx, struct err *e)
{
    struct finding_add *x = ctx;
    int rc = in_progress(s, x->id, 0, e);
    char prov[UNIT_CODE_MAX] = ""; /* the inspection's */
    if (!rc) rc = sq_row_province(s, SQL_INSP_PROVINCE, x->id, "inspection", prov, sizeof prov, e);
    struct db_stmt *st;
    if (!rc && x->file)
        rc = sq_blob_put(s, SQ_PAR_BLOBS, x->sha, x->file->data, x->file->size, prov,
                         "finding evidence content", e);
    if (rc || (rc = sq_prep(s, SQL_FINDING_INSERT, &st, e))) return rc;
    db_bind_int64(st, 1, x->id);
    bind_str(st, 8, prov);
    bind_str(st, 2, finding_kind_name(x->kind));
    bind_str(st, 3, x->text);
    db_bind_int64(st, 4, x->at);
    bind_str(st, 5, x->actor);
    if (x->file) {
        bind_str(st, 6, x->sha);
        bind_str(st, 7, x->file->name);
    } else {
        db_bind_null(st, 6);
        db_bind_null(st, 7);
    }
    rc = sq_insert_id(s, st, "inspection finding", x->finding_id, e);
    sq_done(s, st);
    return rc;
}

int store_insp_finding_add_file(struct store *s, int64_t id, enum finding_kind kind,
                                const char *text, const struct insp_file *file, const char *actor,
                                int64_t at, int64_t *finding_id, struct err *e)
{
    if (!text || !text[0] || strlen(text) >= INSP_TEXT_MAX)
        return err_set(e, ERR_INVALID, "text", "text: 1 to %d bytes", INSP_TEXT_MAX - 1);
    if (finding_kind_name(kind) == NULL)
        return err_set(e, ERR_INVALID, "kind", "a finding is a strength or a shortcoming");
    struct finding_add x = {id, kind, text, actor, NULL, file, "", at, finding_id};
    if (file) { /* checked as PAR evidence: size first, then the type sniffed from the content */
        int64_t max = file->max_size > 0 ? file->max_size : PAR_EVIDENCE_MAX_DEFAULT;
        int rc = blob_evidence_check(file->name, file->data, file->size, max, &x.mime, x.sha, e);
        if (rc) return rc;
    }
    return store_tx(s, finding_tx, &x, e);
}

int store_insp_finding_add(struct store *s, int64_t id, enum finding_kind kind, const char *text,
                           const char *actor, int64_t at, int64_t *finding_id, struct err *e)
{
    return store_insp_finding_add_file(s, id, kind, text, NULL, actor, at, finding_id, e);
}

struct remedy_add {
    int64_t finding_id;
    const struct reform_task_in *task;
    struct reform_task *out;
};

static int remedy_tx(struct store *s, void *ctx, struct err *e)
{
    struct remedy_add *x = ctx;
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_FINDING_GET, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, x->finding_id);
    int step = db_step(st);
    int64_t insp_id = step == DB_ROW ? db_col_int64(st, 0) : 0;
    int shortcoming = step == DB_ROW && !strcmp(db_col_text(st, 1), "shortcoming");
    char prov[UNIT_CODE_MAX] = ""; /* the finding's, its task's too (both the inspected unit's) */
    if (step == DB_ROW) sq_col_text(st, 2, prov, sizeof prov);
    if (step == DB_DONE)
        rc = err_set(e, ERR_NOT_FOUND, "finding", "finding #%lld does not exist",
                     (long long)x->finding_id);
    else if (step != DB_ROW)
        rc = sq_fail(s, step, "inspection finding", e);
    sq_done(s, st);
    if (!rc && !shortcoming)
        rc = err_set(e, ERR_INVALID, "finding",
                     "finding #%lld is a strength: remedies follow "
                     "shortcomings",
                     (long long)x->finding_id);
    if (!rc) rc = in_progress(s, insp_id, 1, e);
    struct inspection i;
    struct reform_plan p;
    if (!rc) rc = store_insp_get(s, insp_id, &i, e);
    if (!rc) rc = store_reform_plan_find(s, i.unit, i.year, &p, e);
    if (rc) return rc;
    struct reform_task_in in = *x->task;
    in.plan_id = p.id;
    in.parent_id = 0;
    if ((rc = store_reform_task_add(s, &in, x->out, e))) return rc;
    if ((rc = sq_prep(s, SQL_REMEDY_INSERT, &st, e))) return rc;
    db_bind_int64(st, 1, x->finding_id);
    db_bind_int64(st, 2, x->out->id);
    bind_str(st, 3, prov);
    rc = sq_step_done(s, st, "inspection remedy", e);
    sq_done(s, st);
    /* a concluded inspection whose remedies were all closed takes a new open one */
    return rc;
}

int store_insp_remedy_add(struct store *s, int64_t finding_id, const struct reform_task_in *task,
                          struct reform_task *out, struct err *e)
{
    struct remedy_add x = {finding_id, task, out};
    return store_tx(s, remedy_tx, &x, e);
}

int insp_after_task(struct store *s, int64_t task_id, const char *actor, int64_t at, struct err *e)
{
    (void)actor;
    (void)at;
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_REMEDY_OF, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, task_id);
    int step = db_step(st);
    int64_t insp_id = step == DB_ROW ? db_col_int64(st, 0) : 0;
    if (step != DB_ROW && step != DB_DONE) rc = sq_fail(s, step, "inspection remedy", e);
    sq_done(s, st);
    if (rc || !insp_id) return rc;
    struct inspection i;
    if ((rc = store_insp_get(s, insp_id, &i, e))) return rc;
    struct insp_facts f = {i.id, i.status, i.nfindings, i.open_remedies};
    if (insp_should_close(&f)) return set_status(s, i.id, IS_CLOSED, i.concluded_day, e);
    if (i.status == IS_CLOSED && i.open_remedies > 0) /* a remedy reopened: so is the inspection */
        return set_status(s, i.id, IS_CONCLUDED, i.concluded_day, e);
    return 0;
}

static int child_add(const struct unit *u, void *ctx)
{
    return list_add(u, ctx);
}

int store_insp_share(struct store *s, const char *root, int year, struct insp_share *out,
                     struct err *e)
{
    return store_insp_share_units(s, root, year, out, NULL, NULL, e);
}

int store_insp_share_units(struct store *s, const char *root, int year, struct insp_share *out,
                           insp_share_fn fn, void *ctx, struct err *e)
{
    struct insp_list units = {0}, done = {0};
    struct ymd last = {year, 12, 31};
    struct unit r;
    int rc = store_unit_get(s, root, &r, e);
    if (!rc) rc = store_unit_children(s, root, ymd_to_days(last), child_add, &units, e);
    struct db_stmt *st = NULL;
    if (!rc) rc = sq_prep(s, SQL_INSPECTED, &st, e);
    if (!rc) {
        db_bind_int64(st, 1, year);
        int step;
        while (!rc && (step = db_step(st)) == DB_ROW) {
            struct unit u;
            memset(&u, 0, sizeof u);
            sq_col_text(st, 0, u.code, sizeof u.code);
            rc = list_add(&u, &done);
        }
        if (!rc && step != DB_DONE) rc = sq_fail(s, step, "inspections", e);
        sq_done(s, st);
    }
    if (rc == ERR_NOMEM) rc = err_set(e, ERR_NOMEM, "", "out of memory");
    if (!rc) {
        const char **a = malloc(sizeof *a * (size_t)(units.n + 1));
        const char **b = malloc(sizeof *b * (size_t)(done.n + 1));
        if (!a || !b) {
            rc = err_set(e, ERR_NOMEM, "", "out of memory");
        } else {
            for (int i = 0; i < units.n; i++)
                a[i] = units.codes[i];
            for (int i = 0; i < done.n; i++)
                b[i] = done.codes[i];
            insp_share(a, units.n, b, done.n, out);
        }
        free(a);
        free(b);
    }
    /* the drill-down: each unit as the store has it, with its inspected flag */
    for (int i = 0; !rc && fn && i < units.n; i++) {
        struct unit u;
        if (!(rc = store_unit_get(s, units.codes[i], &u, e)))
            rc = fn(&u, list_has(&done, u.code), ctx);
    }
    free(units.codes);
    free(done.codes);
    return rc;
}

/* ---- reading an inspection's checklist, findings and remedies ------------------------- */

static const char SQL_ITEMS[] = "SELECT seq, item, node_code, result, note FROM "
                                "inspection_checklist WHERE inspection_id = ?1 ORDER BY seq";
#define FINDING_COLS                                                                               \
    "id, inspection_id, kind, text, evidence_sha, added_at, added_by, evidence_name"
static const char SQL_FINDINGS[] = "SELECT " FINDING_COLS " FROM inspection_findings WHERE "
                                   "inspection_id = ?1 ORDER BY id";
static const char SQL_FINDING_ONE[] = "SELECT " FINDING_COLS " FROM inspection_findings WHERE "
                                      "id = ?1";
/* a finding's evidence: its own province's copy */
static const char SQL_BLOB_GET[] =
    "SELECT b.size, b.content FROM inspection_findings f JOIN par_blobs b ON b.sha256 = "
    "f.evidence_sha AND b.province = f.province WHERE f.id = ?1";
static const char SQL_REMEDIES[] =
    "SELECT r.finding_id, r.task_id FROM inspection_remedies r JOIN inspection_findings f ON "
    "f.id = r.finding_id WHERE f.inspection_id = ?1 ORDER BY r.finding_id, r.task_id";

int store_insp_items(struct store *s, int64_t id, insp_item_fn fn, void *ctx, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_ITEMS, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, id);
    int step = DB_DONE, urc = 0;
    while (!urc && (step = db_step(st)) == DB_ROW) {
        struct insp_item it;
        memset(&it, 0, sizeof it);
        it.seq = (int)db_col_int64(st, 0);
        sq_col_text(st, 1, it.item, sizeof it.item);
        sq_col_text(st, 2, it.node, sizeof it.node);
        sq_col_text(st, 3, it.result, sizeof it.result);
        sq_col_text(st, 4, it.note, sizeof it.note);
        urc = fn(&it, ctx);
    }
    rc = urc ? urc : step == DB_DONE ? 0 : sq_fail(s, step, "inspection checklist", e);
    sq_done(s, st);
    return rc;
}

static void read_finding(struct db_stmt *st, struct insp_finding *f)
{
    memset(f, 0, sizeof *f);
    f->id = db_col_int64(st, 0);
    f->inspection_id = db_col_int64(st, 1);
    enum finding_kind k = FK_STRENGTH;
    finding_kind_parse(db_col_text(st, 2), &k, "kind", NULL);
    f->kind = k;
    sq_col_text(st, 3, f->text, sizeof f->text);
    if (!db_col_null(st, 4)) sq_col_text(st, 4, f->evidence_sha, sizeof f->evidence_sha);
    f->added_at = db_col_int64(st, 5);
    sq_col_text(st, 6, f->added_by, sizeof f->added_by);
    sq_col_text(st, 7, f->evidence_name, sizeof f->evidence_name);
}

int store_insp_findings(struct store *s, int64_t id, insp_finding_fn fn, void *ctx, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_FINDINGS, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, id);
    int step = DB_DONE, urc = 0;
    while (!urc && (step = db_step(st)) == DB_ROW) {
        struct insp_finding f;
        read_finding(st, &f);
        urc = fn(&f, ctx);
    }
    rc = urc ? urc : step == DB_DONE ? 0 : sq_fail(s, step, "inspection findings", e);
    sq_done(s, st);
    return rc;
}

int store_insp_finding_get(struct store *s, int64_t finding_id, struct insp_finding *out,
                           void **data, int64_t *size, struct err *e)
{
    if (data) *data = NULL;
    if (size) *size = 0;
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_FINDING_ONE, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, finding_id);
    int step = db_step(st);
    if (step == DB_ROW)
        read_finding(st, out);
    else if (step == DB_DONE)
        rc = err_set(e, ERR_NOT_FOUND, "finding", "finding #%lld does not exist",
                     (long long)finding_id);
    else
        rc = sq_fail(s, step, "inspection finding", e);
    sq_done(s, st);
    if (rc || !data || !out->evidence_sha[0]) return rc;
    if ((rc = sq_prep(s, SQL_BLOB_GET, &st, e))) return rc;
    db_bind_int64(st, 1, finding_id);
    step = db_step(st);
    if (step == DB_ROW) {
        int64_t n = db_col_int64(st, 0);
        *data = malloc(n > 0 ? (size_t)n : 1);
        if (!*data) {
            rc = err_set(e, ERR_NOMEM, "", "out of memory");
        } else {
            memcpy(*data, db_col_blob(st, 1), (size_t)n);
            if (size) *size = n;
        }
    } else {
        rc = step == DB_DONE
                 ? err_set(e, ERR_NOT_FOUND, "finding",
                           "finding #%lld: its evidence file is missing", (long long)finding_id)
                 : sq_fail(s, step, "finding evidence", e);
    }
    sq_done(s, st);
    return rc;
}

int store_insp_remedies(struct store *s, int64_t id, insp_remedy_fn fn, void *ctx, struct err *e)
{
    /* the pairs first, then each task: one statement open at a time */
    int64_t(*pairs)[2] = NULL;
    int n = 0, cap = 0;
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_REMEDIES, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, id);
    int step = DB_DONE;
    while (!rc && (step = db_step(st)) == DB_ROW) {
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            int64_t(*g)[2] = realloc(pairs, sizeof *g * (size_t)cap);
            if (!g) {
                rc = err_set(e, ERR_NOMEM, "", "out of memory");
                break;
            }
            pairs = g;
        }
        pairs[n][0] = db_col_int64(st, 0);
        pairs[n][1] = db_col_int64(st, 1);
        n++;
    }
    if (!rc && step != DB_DONE) rc = sq_fail(s, step, "inspection remedies", e);
    sq_done(s, st);
    for (int i = 0; !rc && i < n; i++) {
        struct reform_task t;
        if (!(rc = store_reform_task_get(s, pairs[i][1], &t, e))) rc = fn(pairs[i][0], &t, ctx);
    }
    free(pairs);
    return rc;
}
