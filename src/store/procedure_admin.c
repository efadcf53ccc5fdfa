/* procedure_admin.c — the procedures catalogue changed by an administrator, in the shared SQL
 * of both databases (migration 029): attributes replaced in place, the process template
 * versioned by the day it takes effect, and the log of changes. The rules of a procedure are
 * procedure_check()'s (src/core/procedure.c), the ones the CSV import applies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "sqlite_int.h"
#include "store_procadmin.h"

static const char SQL_VERSION_STEPS[] =
    "SELECT name, role, unit_kind, share_unit, share FROM procedure_step_versions "
    "WHERE procedure_code = ?1 AND effective_from = ?2 ORDER BY seq";
static const char SQL_VERSION_DAYS[] =
    "SELECT DISTINCT effective_from FROM procedure_step_versions WHERE procedure_code = ?1 "
    "ORDER BY effective_from";
static const char SQL_VERSION_DEL[] =
    "DELETE FROM procedure_step_versions WHERE procedure_code = ?1 AND effective_from = ?2";
static const char SQL_VERSION_ADD[] =
    "INSERT INTO procedure_step_versions (procedure_code, effective_from, seq, name, role, "
    "unit_kind, share_unit, share) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char SQL_LAST_RECEIVED[] =
    "SELECT max(received_at) FROM dossiers WHERE procedure_code = ?1 AND received_at > 0";
static const char SQL_CHANGE_ADD[] =
    "INSERT INTO procedure_changes (procedure_code, at, actor, what, effective_from, summary) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_CHANGES[] =
    "SELECT id, at, actor, what, effective_from, summary FROM procedure_changes WHERE "
    "procedure_code = ?1 ORDER BY id DESC LIMIT ?2";

/* Reads the steps of the version of code taking effect on day `from` into out/n. */
static int version_steps(struct store *s, const char *code, int64_t from, struct proc_step *out,
                         int *n, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_VERSION_STEPS, &st, e), step;
    if (rc) return rc;
    db_bind_text(st, 1, code);
    sq_bind_day(st, 2, from);
    *n = 0;
    while ((step = db_step(st)) == DB_ROW && *n < PROC_STEPS_MAX) {
        struct proc_step *ps = &out[(*n)++];
        char buf[32];
        memset(ps, 0, sizeof *ps);
        sq_col_text(st, 0, ps->name, sizeof ps->name);
        sq_col_text(st, 1, buf, sizeof buf);
        step_role_parse(buf, &ps->role, "role", NULL);
        sq_col_text(st, 2, buf, sizeof buf);
        enum unit_kind k;
        ps->unit_kind = buf[0] && !unit_kind_parse(buf, &k, "unit_kind", NULL) ? (int)k : -1;
        sq_col_text(st, 3, buf, sizeof buf);
        ps->share_unit = strcmp(buf, "hours") ? SHARE_PERCENT : SHARE_HOURS;
        ps->share = (int)db_col_int64(st, 4);
    }
    if (step != DB_ROW && step != DB_DONE) rc = sq_fail(s, step, "reading step versions", e);
    sq_done(s, st);
    return rc;
}

/* A procedure as store_procedure_get_on answered it, kept per connection: a dossier's read, the
 * citizen's lookup and every transition ask for the dossier's procedure, three statements
 * (the row, its documents and steps, the step version) that are the same for every dossier of
 * the procedure. An entry holds while units_version is the one it was read at: migration 052
 * makes every change to procedures, their documents, steps and step versions move it, from
 * any connection or process. With the days its step versions take effect, it answers for
 * every day that falls on the same version. */
#define SQ_PROC_MEMO 32
struct sq_proc_memo {
    struct procedure *p; /* malloc'd; NULL: the slot is empty */
    int64_t version;     /* units_version when read */
    int64_t from;        /* the step version it holds (-1: the procedure's own steps) */
    int ndays;
    int64_t *days; /* malloc'd: the days its step versions take effect, ascending */
};

void sq_proc_memo_free(struct store *s)
{
    if (!s->proc_memo) return;
    for (int i = 0; i < SQ_PROC_MEMO; i++) {
        free(s->proc_memo[i].p);
        free(s->proc_memo[i].days);
    }
    free(s->proc_memo);
    s->proc_memo = NULL;
}

/* The step version in force on day: the last of days on or before it, -1 when none. */
static int64_t version_on(const int64_t *days, int n, int64_t day)
{
    int64_t from = -1;
    for (int i = 0; i < n && days[i] <= day; i++)
        from = days[i];
    return from;
}

static int version_days(struct store *s, const char *code, int64_t **days, int *n, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_VERSION_DAYS, &st, e), step, cap = 0;
    if (rc) return rc;
    db_bind_text(st, 1, code);
    *days = NULL;
    *n = 0;
    while ((step = db_step(st)) == DB_ROW) {
        if (*n == cap) {
            int64_t *d = realloc(*days, sizeof *d * (size_t)(cap = cap ? cap * 2 : 4));
            if (!d) {
                rc = err_set(e, ERR_NOMEM, "", "out of memory");
                break;
            }
            *days = d;
        }
        (*days)[(*n)++] = sq_col_day(st, 0, -1);
    }
    if (!rc && step != DB_DONE) rc = sq_fail(s, step, "reading step versions", e);
    sq_done(s, st);
    if (rc) {
        free(*days);
        *days = NULL;
        *n = 0;
    }
    return rc;
}

static int procedure_read_on(struct store *s, const char *code, int64_t day, struct procedure *out,
                             int64_t *from, struct err *e)
{
    *from = -1;
    int rc = sq_procedure_get_on(s, code, day, out, from, e);
    if (!rc && *from >= 0) rc = version_steps(s, code, *from, out->steps, &out->nsteps, e);
    return rc;
}

int store_procedure_get_on(struct store *s, const char *code, int64_t day, struct procedure *out,
                           struct err *e)
{
    int64_t from, version;
    int rc = strlen(code) < PROC_CODE_MAX ? sq_ref_version(s, &version, e) : 0;
    if (rc < 0) return -rc;
    if (!rc) return procedure_read_on(s, code, day, out, &from, e);
    if (!s->proc_memo && !(s->proc_memo = calloc(SQ_PROC_MEMO, sizeof *s->proc_memo)))
        return err_set(e, ERR_NOMEM, "", "out of memory");
    /* an entry per step version in use: dossiers received on either side of a new version's
     * first day do not push each other out */
    struct sq_proc_memo *m = NULL;
    for (int i = 0; i < SQ_PROC_MEMO; i++) {
        struct sq_proc_memo *c = &s->proc_memo[i];
        if (!c->p || strcmp(c->p->code, code)) continue;
        if (c->version != version) {
            m = m ? m : c; /* out of date: the slot to fill again */
        } else if (c->from == version_on(c->days, c->ndays, day)) {
            memcpy(out, c->p, sizeof *out);
            return 0;
        }
    }
    if ((rc = procedure_read_on(s, code, day, out, &from, e))) return rc;
    int64_t *days;
    int ndays;
    if ((rc = version_days(s, code, &days, &ndays, e))) return rc;
    if (!m) {
        m = &s->proc_memo[s->proc_memo_next];
        s->proc_memo_next = (s->proc_memo_next + 1) % SQ_PROC_MEMO;
    }
    if (!m->p && !(m->p = malloc(sizeof *m->p))) {
        free(days);
        return 0;
    }
    memcpy(m->p, out, sizeof *out);
    free(m->days);
    *m = (struct sq_proc_memo){m->p, version, from, ndays, days};
    return 0;
}

int store_dossier_procedure(struct store *s, const struct dossier *d, int64_t at,
                            struct procedure *out, struct err *e)
{
    int64_t t = d->st.received_at ? d->st.received_at : at;
    return store_procedure_get_on(s, d->procedure, instant_day(t), out, e);
}

static int log_change(struct store *s, const char *code, int64_t now, const char *actor,
                      const char *what, int64_t from, const char *summary, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_CHANGE_ADD, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, code);
    db_bind_int64(st, 2, now);
    db_bind_text(st, 3, actor);
    db_bind_text(st, 4, what);
    if (from >= 0)
        sq_bind_day(st, 5, from);
    else
        db_bind_null(st, 5);
    db_bind_text(st, 6, summary);
    rc = sq_step_done(s, st, "logging the procedure change", e);
    sq_done(s, st);
    return rc;
}

static int check_actor(const char *actor, struct err *e)
{
    if (!actor || !*actor || strlen(actor) >= 64)
        return err_set(e, ERR_INVALID, "actor", "who makes the change must be given (< 64 bytes)");
    return 0;
}

/* ---- attributes ---- */

struct update_ctx {
    const struct procedure *p;
    const char *actor;
    int64_t now;
    struct procedure *old, *probe;
};

/* p's attributes with the steps of every version must pass procedure_check. */
static int check_versions(struct store *s, struct update_ctx *x, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_VERSION_DAYS, &st, e), step;
    if (rc) return rc;
    db_bind_text(st, 1, x->p->code);
    int64_t days[64];
    int nd = 0;
    while ((step = db_step(st)) == DB_ROW && nd < 64)
        days[nd++] = sq_col_day(st, 0, -1);
    if (step != DB_ROW && step != DB_DONE) rc = sq_fail(s, step, "reading step versions", e);
    sq_done(s, st);
    for (int i = 0; !rc && i < nd; i++) {
        *x->probe = *x->p;
        if ((rc = version_steps(s, x->p->code, days[i], x->probe->steps, &x->probe->nsteps, e)))
            break;
        struct err ce = {0};
        if (procedure_check(x->probe, &ce)) {
            char d[11];
            rc = err_set(e, ce.code, ce.field, "with the steps in force from %s: %s",
                         day_format(days[i], d), ce.msg);
        }
    }
    return rc;
}

static int update_tx(struct store *s, void *ctx, struct err *e)
{
    struct update_ctx *x = ctx;
    int rc = store_procedure_get(s, x->p->code, x->old, e);
    if (rc) return rc;
    *x->probe = *x->p;
    memcpy(x->probe->steps, x->old->steps, sizeof x->probe->steps);
    x->probe->nsteps = x->old->nsteps;
    if ((rc = procedure_check(x->probe, e)) || (rc = check_versions(s, x, e))) return rc;
    *x->probe = *x->p;
    memcpy(x->probe->steps, x->old->steps, sizeof x->probe->steps);
    x->probe->nsteps = x->old->nsteps;
    if ((rc = store_procedure_put(s, x->probe, e))) return rc;
    /* what changed, by field name, for the log */
    char sum[400] = "";
    size_t k = 0;
#define CHG(cond, name)                                                                            \
    if ((cond) && k + strlen(name) + 3 < sizeof sum)                                               \
    k += (size_t)snprintf(sum + k, sizeof sum - k, "%s%s", k ? ", " : "", name)
    const struct procedure *a = x->old, *b = x->p;
    CHG(strcmp(a->name, b->name), "name");
    CHG(strcmp(a->field, b->field), "field");
    CHG(a->level != b->level, "level");
    CHG(a->time_amount != b->time_amount || a->time_unit != b->time_unit, "time");
    CHG(strcmp(a->time_note, b->time_note), "time_note");
    CHG(a->fee_vnd != b->fee_vnd, "fee_vnd");
    CHG(strcmp(a->fee_note, b->fee_note), "fee_note");
    CHG(a->online != b->online, "online");
    CHG(strcmp(a->legal_basis, b->legal_basis), "legal_basis");
    int docs = a->ndocs != b->ndocs;
    for (int i = 0; !docs && i < a->ndocs; i++)
        docs = strcmp(a->docs[i], b->docs[i]) != 0;
    CHG(docs, "documents");
    CHG(strcmp(a->decision, b->decision) || strcmp(a->decision_date, b->decision_date), "decision");
    CHG(strcmp(a->basis_effective, b->basis_effective), "basis_effective");
    CHG(strcmp(a->posted_portal, b->posted_portal), "posted_portal");
    CHG(strcmp(a->posted_desk, b->posted_desk), "posted_desk");
    CHG(a->receive != b->receive || strcmp(a->receive_basis, b->receive_basis), "receive");
#undef CHG
    return log_change(s, b->code, x->now, x->actor, "attributes", -1, k ? sum : "(no change)", e);
}

int store_procedure_update(struct store *s, const struct procedure *p, const char *actor,
                           int64_t now, struct err *e)
{
    int rc = check_actor(actor, e);
    if (rc) return rc;
    struct update_ctx x = {p, actor, now, malloc(sizeof(struct procedure)),
                           malloc(sizeof(struct procedure))};
    if (!x.old || !x.probe)
        rc = err_set(e, ERR_NOMEM, "", "out of memory");
    else
        rc = store_tx(s, update_tx, &x, e);
    free(x.old);
    free(x.probe);
    return rc;
}

/* ---- steps ---- */

int store_procedure_steps_earliest(struct store *s, const char *code, int64_t today,
                                   int64_t *earliest, int64_t *last_received, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_LAST_RECEIVED, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, code);
    int step = db_step(st);
    *last_received = -1;
    if (step == DB_ROW && !db_col_null(st, 0))
        *last_received = instant_day(db_col_int64(st, 0));
    else if (step != DB_ROW)
        rc = sq_fail(s, step, "reading the dossiers of the procedure", e);
    sq_done(s, st);
    *earliest = *last_received + 1 > today ? *last_received + 1 : today;
    return rc;
}

struct steps_ctx {
    const char *code, *actor;
    int64_t from, today, now;
    const struct proc_step *steps;
    int n;
    struct procedure *p;
};

static int steps_tx(struct store *s, void *ctx, struct err *e)
{
    struct steps_ctx *x = ctx;
    int64_t earliest, last;
    int rc = store_procedure_get(s, x->code, x->p, e);
    if (!rc) rc = store_procedure_steps_earliest(s, x->code, x->today, &earliest, &last, e);
    if (rc) return rc;
    char d[11], l[11], f[11];
    day_format(x->from, f);
    if (x->from < x->today)
        return err_set(e, ERR_CONFLICT, "effective_from",
                       "%s is in the past: new steps take effect from today (%s) at the earliest",
                       f, day_format(x->today, d));
    if (x->from < earliest)
        return err_set(e, ERR_CONFLICT, "effective_from",
                       "%s: a dossier of %s was received on %s with the steps in force then; "
                       "new steps take effect from %s at the earliest, so no dossier received "
                       "changes",
                       f, x->code, day_format(last, l), day_format(earliest, d));
    memcpy(x->p->steps, x->steps, (size_t)x->n * sizeof *x->steps);
    x->p->nsteps = x->n;
    if ((rc = procedure_check(x->p, e))) return rc;
    struct db_stmt *st;
    if ((rc = sq_prep(s, SQL_VERSION_DEL, &st, e))) return rc;
    db_bind_text(st, 1, x->code);
    sq_bind_day(st, 2, x->from);
    rc = sq_step_done(s, st, "writing step versions", e);
    sq_done(s, st);
    for (int i = 0; !rc && i < x->n; i++) {
        const struct proc_step *ps = &x->steps[i];
        if ((rc = sq_prep(s, SQL_VERSION_ADD, &st, e))) break;
        db_bind_text(st, 1, x->code);
        sq_bind_day(st, 2, x->from);
        db_bind_int64(st, 3, i + 1);
        db_bind_text(st, 4, ps->name);
        db_bind_text(st, 5, step_role_name(ps->role));
        sq_bind_text(st, 6,
                     ps->unit_kind >= 0 ? unit_kind_name((enum unit_kind)ps->unit_kind) : NULL);
        db_bind_text(st, 7, ps->share_unit == SHARE_PERCENT ? "percent" : "hours");
        db_bind_int64(st, 8, ps->share);
        rc = sq_step_done(s, st, "writing step versions", e);
        sq_done(s, st);
    }
    if (rc) return rc;
    char sum[400];
    size_t k = (size_t)snprintf(sum, sizeof sum, "%d steps:", x->n);
    for (int i = 0; i < x->n && k < sizeof sum; i++)
        k += (size_t)snprintf(sum + k, sizeof sum - k, " %s%d%s", i ? "/ " : "", x->steps[i].share,
                              x->steps[i].share_unit == SHARE_PERCENT ? "%" : "h");
    return log_change(s, x->code, x->now, x->actor, "steps", x->from, sum, e);
}

int store_procedure_steps_set(struct store *s, const char *code, int64_t from, int64_t today,
                              const struct proc_step *steps, int n, const char *actor, int64_t now,
                              struct err *e)
{
    int rc = check_actor(actor, e);
    if (rc) return rc;
    if (n < 1 || n > PROC_STEPS_MAX)
        return err_set(e, ERR_INVALID, "steps", "%d steps: a process has 1 to %d steps", n,
                       PROC_STEPS_MAX);
    struct steps_ctx x = {code, actor, from, today,
                          now,  steps, n,    malloc(sizeof(struct procedure))};
    if (!x.p) return err_set(e, ERR_NOMEM, "", "out of memory");
    rc = store_tx(s, steps_tx, &x, e);
    free(x.p);
    return rc;
}

int store_procedure_versions(struct store *s, const char *code, proc_version_fn fn, void *ctx,
                             struct err *e)
{
    struct procedure *p = malloc(sizeof *p);
    if (!p) return err_set(e, ERR_NOMEM, "", "out of memory");
    int rc = store_procedure_get(s, code, p, e);
    if (!rc && (rc = fn(-1, p->steps, p->nsteps, ctx))) goto out;
    if (rc) goto out;
    struct db_stmt *st;
    if ((rc = sq_prep(s, SQL_VERSION_DAYS, &st, e))) goto out;
    db_bind_text(st, 1, code);
    int64_t days[64];
    int nd = 0, step;
    while ((step = db_step(st)) == DB_ROW && nd < 64)
        days[nd++] = sq_col_day(st, 0, -1);
    if (step != DB_ROW && step != DB_DONE) rc = sq_fail(s, step, "reading step versions", e);
    sq_done(s, st);
    for (int i = 0; !rc && i < nd; i++)
        if (!(rc = version_steps(s, code, days[i], p->steps, &p->nsteps, e)))
            rc = fn(days[i], p->steps, p->nsteps, ctx);
out:
    free(p);
    return rc;
}

int store_procedure_changes(struct store *s, const char *code, int limit, proc_change_fn fn,
                            void *ctx, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_CHANGES, &st, e), step;
    if (rc) return rc;
    db_bind_text(st, 1, code);
    db_bind_int64(st, 2, limit);
    while ((step = db_step(st)) == DB_ROW) {
        struct procedure_change c;
        memset(&c, 0, sizeof c);
        c.id = db_col_int64(st, 0);
        c.at = db_col_int64(st, 1);
        sq_col_text(st, 2, c.actor, sizeof c.actor);
        sq_col_text(st, 3, c.what, sizeof c.what);
        c.effective_from = sq_col_day(st, 4, -1);
        sq_col_text(st, 5, c.summary, sizeof c.summary);
        if ((rc = fn(&c, ctx))) break;
    }
    if (!rc && step != DB_DONE) rc = sq_fail(s, step, "reading procedure changes", e);
    sq_done(s, st);
    return rc;
}
