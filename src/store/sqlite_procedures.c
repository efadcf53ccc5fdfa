/* sqlite_procedures.c — the procedures catalogue on SQLite: upsert of a procedure with its
 * documents and process steps (one transaction), lookup, and search that ignores case and
 * diacritics through a folded column (vntext_fold). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite_int.h"
#include "vntext.h"

static const char SQL_PUT[] =
    "INSERT INTO procedures (code, name, field, level, time_amount, time_unit, time_note, "
    "fee_vnd, fee_note, online, legal_basis, search_fold, decision, decision_date, "
    "basis_effective, posted_portal, posted_desk, receive, receive_basis) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
    "?19) "
    "ON CONFLICT (code) DO UPDATE SET name = excluded.name, field = excluded.field, "
    "level = excluded.level, time_amount = excluded.time_amount, time_unit = excluded.time_unit, "
    "time_note = excluded.time_note, fee_vnd = excluded.fee_vnd, fee_note = excluded.fee_note, "
    "online = excluded.online, legal_basis = excluded.legal_basis, "
    "search_fold = excluded.search_fold, decision = excluded.decision, "
    "decision_date = excluded.decision_date, basis_effective = excluded.basis_effective, "
    "posted_portal = excluded.posted_portal, posted_desk = excluded.posted_desk, "
    "receive = excluded.receive, receive_basis = excluded.receive_basis";
static const char SQL_DEL_DOCS[] = "DELETE FROM procedure_documents WHERE procedure_code = ?1";
static const char SQL_DEL_STEPS[] = "DELETE FROM procedure_steps WHERE procedure_code = ?1";
static const char SQL_ADD_DOC[] =
    "INSERT INTO procedure_documents (procedure_code, seq, text) VALUES (?1, ?2, ?3)";
static const char SQL_ADD_STEP[] =
    "INSERT INTO procedure_steps (procedure_code, seq, name, role, unit_kind, share_unit, share) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_GET[] =
    "SELECT code, name, field, level, time_amount, time_unit, time_note, fee_vnd, fee_note, "
    "online, legal_basis, decision, decision_date, basis_effective, posted_portal, posted_desk, "
    "receive, receive_basis FROM procedures WHERE code = ?1";
/* The same row with the day of the step version in force on day ?2 (store_procedure_get_on;
 * NULL: none), and its documents then its steps in one statement (kind 0 a document, 1 a
 * step): two round trips where four were on PostgreSQL. */
static const char SQL_GET_ON[] =
    "SELECT code, name, field, level, time_amount, time_unit, time_note, fee_vnd, fee_note, "
    "online, legal_basis, decision, decision_date, basis_effective, posted_portal, posted_desk, "
    "receive, receive_basis, (SELECT max(effective_from) FROM procedure_step_versions "
    "WHERE procedure_code = ?1 AND effective_from <= ?2) FROM procedures WHERE code = ?1";
static const char SQL_GET_PARTS[] =
    "SELECT 0, seq, text, CAST(NULL AS TEXT), CAST(NULL AS TEXT), CAST(NULL AS TEXT), "
    "CAST(NULL AS INTEGER) FROM procedure_documents WHERE procedure_code = ?1 UNION ALL "
    "SELECT 1, seq, name, role, unit_kind, share_unit, share FROM procedure_steps "
    "WHERE procedure_code = ?1 ORDER BY 1, 2";
static const char SQL_DELETE[] = "DELETE FROM procedures WHERE code = ?1";
static const char SQL_COUNT[] = "SELECT count(*) FROM procedures";
/* The list (store_procedure_list): the matching procedures, then their documents and steps
 * in one statement each, not three statements per procedure. */
#define SQL_MATCHES "search_fold LIKE ?1 ESCAPE '\\'"
static const char SQL_SEARCH[] =
    "SELECT code, name, field, level, time_amount, time_unit, time_note, fee_vnd, fee_note, "
    "online, legal_basis, decision, decision_date, basis_effective, posted_portal, posted_desk, "
    "receive, receive_basis FROM procedures WHERE " SQL_MATCHES " ORDER BY code";
static const char SQL_SEARCH_DOCS[] =
    "SELECT d.procedure_code, d.text FROM procedure_documents d JOIN procedures p ON p.code = "
    "d.procedure_code WHERE p." SQL_MATCHES " ORDER BY d.procedure_code, d.seq";
static const char SQL_SEARCH_STEPS[] =
    "SELECT s.procedure_code, s.name, s.role, s.unit_kind, s.share_unit, s.share FROM "
    "procedure_steps s JOIN procedures p ON p.code = s.procedure_code WHERE p." SQL_MATCHES
    " ORDER BY s.procedure_code, s.seq";

/* Runs one statement whose only parameter ?1 is a procedure code. */
static int exec_code(struct store *s, const char *sql, const char *code, const char *what,
                     struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, sql, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, code);
    rc = sq_step_done(s, st, what, e);
    sq_done(s, st);
    return rc;
}

static int put_row(struct store *s, const struct procedure *p, struct err *e)
{
    char text[PROC_CODE_MAX + PROC_NAME_MAX + PROC_FIELD_MAX + 4], fold[sizeof text * 2];
    snprintf(text, sizeof text, "%s %s %s", p->code, p->name, p->field);
    if (vntext_fold(text, fold, sizeof fold))
        return err_set(e, ERR_INVALID, "name", "procedure %s: name or field is not valid UTF-8",
                       p->code);
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_PUT, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, p->code);
    db_bind_text(st, 2, p->name);
    db_bind_text(st, 3, p->field);
    db_bind_text(st, 4, proc_level_name(p->level));
    db_bind_int64(st, 5, p->time_amount);
    db_bind_text(st, 6, time_unit_name(p->time_unit));
    sq_bind_text(st, 7, p->time_note);
    if (p->fee_vnd >= 0)
        db_bind_int64(st, 8, p->fee_vnd);
    else
        db_bind_null(st, 8);
    sq_bind_text(st, 9, p->fee_note);
    db_bind_text(st, 10, online_mode_name(p->online));
    sq_bind_text(st, 11, p->legal_basis);
    db_bind_text(st, 12, fold);
    sq_bind_text(st, 13, p->decision);
    sq_bind_text(st, 14, p->decision_date);
    sq_bind_text(st, 15, p->basis_effective);
    sq_bind_text(st, 16, p->posted_portal);
    sq_bind_text(st, 17, p->posted_desk);
    db_bind_text(st, 18, recv_scope_name(p->receive));
    sq_bind_text(st, 19, p->receive_basis);
    rc = sq_step_done(s, st, "writing procedure", e);
    sq_done(s, st);
    return rc;
}

static int put_docs(struct store *s, const struct procedure *p, struct err *e)
{
    int rc = exec_code(s, SQL_DEL_DOCS, p->code, "writing procedure documents", e);
    for (int i = 0; !rc && i < p->ndocs; i++) {
        struct db_stmt *st;
        if ((rc = sq_prep(s, SQL_ADD_DOC, &st, e))) break;
        db_bind_text(st, 1, p->code);
        db_bind_int64(st, 2, i + 1);
        db_bind_text(st, 3, p->docs[i]);
        rc = sq_step_done(s, st, "writing procedure documents", e);
        sq_done(s, st);
    }
    return rc;
}

static int put_steps(struct store *s, const struct procedure *p, struct err *e)
{
    int rc = exec_code(s, SQL_DEL_STEPS, p->code, "writing procedure steps", e);
    for (int i = 0; !rc && i < p->nsteps; i++) {
        const struct proc_step *ps = &p->steps[i];
        struct db_stmt *st;
        if ((rc = sq_prep(s, SQL_ADD_STEP, &st, e))) break;
        db_bind_text(st, 1, p->code);
        db_bind_int64(st, 2, i + 1);
        db_bind_text(st, 3, ps->name);
        db_bind_text(st, 4, step_role_name(ps->role));
        sq_bind_text(st, 5,
                     ps->unit_kind >= 0 ? unit_kind_name((enum unit_kind)ps->unit_kind) : NULL);
        db_bind_text(st, 6, ps->share_unit == SHARE_PERCENT ? "percent" : "hours");
        db_bind_int64(st, 7, ps->share);
        rc = sq_step_done(s, st, "writing procedure steps", e);
        sq_done(s, st);
    }
    return rc;
}

static int put_tx(struct store *s, void *ctx, struct err *e)
{
    const struct procedure *p = ctx;
    int rc = put_row(s, p, e);
    if (!rc) rc = put_docs(s, p, e);
    if (!rc) rc = put_steps(s, p, e);
    return rc;
}

int store_procedure_put(struct store *s, const struct procedure *p, struct err *e)
{
    int rc = procedure_check(p, e);
    if (rc) return rc;
    return store_tx(s, put_tx, (void *)p, e);
}

/* A step from columns c .. c + 4: name, role, unit_kind, share_unit, share. */
static void read_step(struct db_stmt *st, int c, struct proc_step *ps)
{
    char buf[32];
    sq_col_text(st, c, ps->name, sizeof ps->name);
    sq_col_text(st, c + 1, buf, sizeof buf);
    step_role_parse(buf, &ps->role, "role", NULL);
    sq_col_text(st, c + 2, buf, sizeof buf);
    enum unit_kind k;
    ps->unit_kind = buf[0] && !unit_kind_parse(buf, &k, "unit_kind", NULL) ? (int)k : -1;
    sq_col_text(st, c + 3, buf, sizeof buf);
    ps->share_unit = strcmp(buf, "hours") ? SHARE_PERCENT : SHARE_HOURS;
    ps->share = (int)db_col_int64(st, c + 4);
}

static void read_proc(struct db_stmt *st, struct procedure *p);
static int get_parts(struct store *s, struct procedure *p, struct err *e);

/* Runs sql (?1 the code; ?2 the day, with from) and reads the procedure's own row into p, and
 * the column `from` (the step version's day) when from is not NULL; then its documents and
 * steps. */
static int get_row(struct store *s, const char *sql, const char *code, int64_t day,
                   struct procedure *p, int64_t *from, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, sql, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, code);
    if (from) sq_bind_day(st, 2, day);
    int step = db_step(st);
    if (step == DB_DONE)
        rc = err_set(e, ERR_NOT_FOUND, "code", "procedure '%s': no such procedure", code);
    else if (step != DB_ROW)
        rc = sq_fail(s, step, "reading procedure", e);
    if (!rc) {
        read_proc(st, p);
        if (from) *from = sq_col_day(st, 18, -1);
    }
    sq_done(s, st);
    return rc ? rc : get_parts(s, p, e);
}

int store_procedure_get(struct store *s, const char *code, struct procedure *p, struct err *e)
{
    return get_row(s, SQL_GET, code, 0, p, NULL, e);
}

/* Documents then steps of p->code in one statement (SQL_GET_PARTS), each in its order. */
static int get_parts(struct store *s, struct procedure *p, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_GET_PARTS, &st, e), step;
    if (rc) return rc;
    db_bind_text(st, 1, p->code);
    while ((step = db_step(st)) == DB_ROW) {
        if (db_col_int64(st, 0) == 0) {
            if (p->ndocs < PROC_DOCS_MAX) sq_col_text(st, 2, p->docs[p->ndocs++], PROC_TEXT_MAX);
        } else if (p->nsteps < PROC_STEPS_MAX) {
            read_step(st, 2, &p->steps[p->nsteps++]);
        }
    }
    if (step != DB_DONE) rc = sq_fail(s, step, "reading documents and steps", e);
    sq_done(s, st);
    return rc;
}

int sq_procedure_get_on(struct store *s, const char *code, int64_t day, struct procedure *p,
                        int64_t *from, struct err *e)
{
    return get_row(s, SQL_GET_ON, code, day, p, from, e);
}

/* A procedure's own row (SQL_GET's columns); its documents and steps left empty. */
static void read_proc(struct db_stmt *st, struct procedure *p)
{
    memset(p, 0, sizeof *p);
    char buf[32];
    sq_col_text(st, 0, p->code, sizeof p->code);
    sq_col_text(st, 1, p->name, sizeof p->name);
    sq_col_text(st, 2, p->field, sizeof p->field);
    sq_col_text(st, 3, buf, sizeof buf);
    proc_level_parse(buf, &p->level, "level", NULL);
    p->time_amount = (int)db_col_int64(st, 4);
    sq_col_text(st, 5, buf, sizeof buf);
    time_unit_parse(buf, &p->time_unit, "time_unit", NULL);
    sq_col_text(st, 6, p->time_note, sizeof p->time_note);
    p->fee_vnd = db_col_null(st, 7) ? -1 : db_col_int64(st, 7);
    sq_col_text(st, 8, p->fee_note, sizeof p->fee_note);
    sq_col_text(st, 9, buf, sizeof buf);
    online_mode_parse(buf, &p->online, "online", NULL);
    sq_col_text(st, 10, p->legal_basis, sizeof p->legal_basis);
    sq_col_text(st, 11, p->decision, sizeof p->decision);
    sq_col_text(st, 12, p->decision_date, sizeof p->decision_date);
    sq_col_text(st, 13, p->basis_effective, sizeof p->basis_effective);
    sq_col_text(st, 14, p->posted_portal, sizeof p->posted_portal);
    sq_col_text(st, 15, p->posted_desk, sizeof p->posted_desk);
    sq_col_text(st, 16, buf, sizeof buf);
    recv_scope_parse(buf, &p->receive, "receive", NULL);
    sq_col_text(st, 17, p->receive_basis, sizeof p->receive_basis);
}

int store_procedure_delete(struct store *s, const char *code, struct err *e)
{
    int rc = exec_code(s, SQL_DELETE, code, "deleting procedure", e);
    if (!rc && db_changes(s->db) == 0)
        rc = err_set(e, ERR_NOT_FOUND, "code", "procedure '%s': no such procedure", code);
    return rc;
}

int store_procedure_count(struct store *s, int64_t *n, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_COUNT, &st, e);
    if (rc) return rc;
    int step = db_step(st);
    if (step == DB_ROW)
        *n = db_col_int64(st, 0);
    else
        rc = sq_fail(s, step, "counting procedures", e);
    sq_done(s, st);
    return rc;
}

/* Builds the LIKE pattern '%folded%' with %, _ and \ escaped. */
static int search_pattern(const char *search, char *out, size_t n, struct err *e)
{
    char fold[512];
    if (vntext_fold(search ? search : "", fold, sizeof fold))
        return err_set(e, ERR_INVALID, "search", "search text: not valid UTF-8 or too long");
    size_t k = 0;
    out[k++] = '%';
    for (const char *p = fold; *p && k + 3 < n; p++) {
        if (*p == '%' || *p == '_' || *p == '\\') out[k++] = '\\';
        out[k++] = *p;
    }
    out[k++] = '%';
    out[k] = '\0';
    return 0;
}

/* The documents or steps of the listed procedures, in the order read (by code, then seq),
 * then sorted by code with that order kept, to be found by code. */
struct part_row {
    char code[PROC_CODE_MAX];
    int i;
    union {
        char doc[PROC_TEXT_MAX];
        struct proc_step step;
    } v;
};
struct parts {
    struct part_row *r;
    int n, cap;
};

static int part_cmp(const void *a, const void *b)
{
    const struct part_row *x = a, *y = b;
    int c = strcmp(x->code, y->code);
    return c ? c : x->i - y->i;
}

static int parts_read(struct store *s, const char *sql, const char *pattern, struct parts *out,
                      struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, sql, &st, e), step;
    if (rc) return rc;
    db_bind_text(st, 1, pattern);
    while ((step = db_step(st)) == DB_ROW) {
        if (out->n == out->cap) {
            int cap = out->cap ? out->cap * 2 : 64;
            void *v = realloc(out->r, sizeof *out->r * (size_t)cap);
            if (!v) {
                rc = err_set(e, ERR_NOMEM, "", "out of memory");
                break;
            }
            out->r = v;
            out->cap = cap;
        }
        struct part_row *r = &out->r[out->n];
        memset(r, 0, sizeof *r);
        r->i = out->n++;
        sq_col_text(st, 0, r->code, sizeof r->code);
        if (sql == SQL_SEARCH_DOCS)
            sq_col_text(st, 1, r->v.doc, sizeof r->v.doc);
        else
            read_step(st, 1, &r->v.step);
    }
    if (!rc && step != DB_DONE)
        rc = sq_fail(s, step, sql == SQL_SEARCH_DOCS ? "reading documents" : "reading steps", e);
    sq_done(s, st);
    if (!rc && out->n) qsort(out->r, (size_t)out->n, sizeof *out->r, part_cmp);
    return rc;
}

static const char *part_code_at(const void *base, int k)
{
    return ((const struct part_row *)base)[k].code;
}

/* The first row of code in parts (parts->n if none). */
static int parts_find(const struct parts *x, const char *code)
{
    return sq_code_lower_bound(x->r, x->n, part_code_at, code);
}

int store_procedure_list(struct store *s, const char *search, procedure_fn fn, void *ctx,
                         struct err *e)
{
    char pattern[1100];
    int rc = search_pattern(search, pattern, sizeof pattern, e);
    if (rc) return rc;
    struct parts docs = {0}, steps = {0};
    struct db_stmt *st = NULL;
    struct procedure *p = malloc(sizeof *p); /* ~14 KB: kept off the stack */
    int step = DB_DONE;
    if (!p) rc = err_set(e, ERR_NOMEM, "", "out of memory");
    if (rc || (rc = parts_read(s, SQL_SEARCH_DOCS, pattern, &docs, e)) ||
        (rc = parts_read(s, SQL_SEARCH_STEPS, pattern, &steps, e)) ||
        (rc = sq_prep(s, SQL_SEARCH, &st, e)))
        goto out;
    db_bind_text(st, 1, pattern);
    while ((step = db_step(st)) == DB_ROW) {
        read_proc(st, p);
        for (int k = parts_find(&docs, p->code);
             k < docs.n && !strcmp(docs.r[k].code, p->code) && p->ndocs < PROC_DOCS_MAX; k++)
            memcpy(p->docs[p->ndocs++], docs.r[k].v.doc, PROC_TEXT_MAX);
        for (int k = parts_find(&steps, p->code);
             k < steps.n && !strcmp(steps.r[k].code, p->code) && p->nsteps < PROC_STEPS_MAX; k++)
            p->steps[p->nsteps++] = steps.r[k].v.step;
        if ((rc = fn(p, ctx))) goto out;
    }
    if (step != DB_DONE) rc = sq_fail(s, step, "listing procedures", e);
out:
    free(p);
    free(docs.r);
    free(steps.r);
    sq_done(s, st);
    return rc;
}
