/* dialogue.c — dialogues and commitments in the store (store_dialogue.h, migration 010), in
 * the SQL both backends share. A dialogue carries its province (migration 038), the root of its
 * unit's tree when it is written; its commitments carry the dialogue's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "sqlite_int.h"
#include "store_dialogue.h"

static const char SQL_ADD[] =
    "INSERT INTO dialogues (unit_code, day, title, participants, questions, province) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id";
static const char SQL_GET[] =
    "SELECT id, unit_code, day, title, participants, questions FROM dialogues WHERE id = ?1";
static const char SQL_PROVINCE[] = "SELECT province FROM dialogues WHERE id = ?1";
static const char SQL_C_ADD[] = "INSERT INTO dialogue_commitments (dialogue_id, text, owner, "
                                "due_day, province) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id";
static const char SQL_C_GET[] = "SELECT id, dialogue_id, text, owner, due_day, closed_day, result "
                                "FROM dialogue_commitments WHERE id = ?1";
static const char SQL_C_CLOSE[] =
    "UPDATE dialogue_commitments SET closed_day = ?2, result = ?3 WHERE id = ?1 "
    "AND closed_day IS NULL";
static const char SQL_C_LIST[] =
    "SELECT c.id, c.dialogue_id, c.text, c.owner, c.due_day, c.closed_day, c.result, d.id, "
    "d.unit_code, d.day, d.title, d.participants, d.questions FROM dialogue_commitments c "
    "JOIN dialogues d ON d.id = c.dialogue_id WHERE (CAST(?1 AS TEXT) IS NULL OR d.unit_code = ?1) "
    "AND (?2 = 0 OR c.closed_day IS NULL) ORDER BY c.due_day, c.id";

static void read_dialogue(struct db_stmt *st, int k, struct dialogue *d)
{
    memset(d, 0, sizeof *d);
    d->id = db_col_int64(st, k);
    sq_col_text(st, k + 1, d->unit, sizeof d->unit);
    d->day = sq_col_day(st, k + 2, 0);
    sq_col_text(st, k + 3, d->title, sizeof d->title);
    sq_col_text(st, k + 4, d->participants, sizeof d->participants);
    sq_col_text(st, k + 5, d->questions, sizeof d->questions);
}

static void read_commitment(struct db_stmt *st, struct commitment *c)
{
    memset(c, 0, sizeof *c);
    c->id = db_col_int64(st, 0);
    c->dialogue_id = db_col_int64(st, 1);
    sq_col_text(st, 2, c->text, sizeof c->text);
    sq_col_text(st, 3, c->owner, sizeof c->owner);
    c->due_day = sq_col_day(st, 4, 0);
    c->closed_day = sq_col_day(st, 5, 0);
    sq_col_text(st, 6, c->result, sizeof c->result);
}

int store_dialogue_add(struct store *s, struct dialogue *d, struct err *e)
{
    int rc = dialogue_check(d, e);
    if (rc) return rc;
    struct unit u;
    rc = store_unit_get(s, d->unit, &u, e);
    if (rc == ERR_NOT_FOUND)
        return err_set(e, ERR_INVALID, "unit", "unit '%s' does not exist", d->unit);
    if (rc) return rc;
    char prov[UNIT_CODE_MAX];
    struct db_stmt *st;
    if ((rc = sq_unit_root(s, d->unit, prov, sizeof prov, e)) || (rc = sq_prep(s, SQL_ADD, &st, e)))
        return rc;
    db_bind_text(st, 1, d->unit);
    db_bind_text(st, 6, prov);
    sq_bind_day(st, 2, d->day);
    db_bind_text(st, 3, d->title);
    sq_bind_text(st, 4, d->participants);
    sq_bind_text(st, 5, d->questions);
    rc = sq_insert_id(s, st, "writing a dialogue", &d->id, e);
    sq_done(s, st);
    return rc;
}

int store_dialogue_get(struct store *s, int64_t id, struct dialogue *out, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_GET, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, id);
    int step = db_step(st);
    if (step == DB_ROW)
        read_dialogue(st, 0, out);
    else if (step == DB_DONE)
        rc = err_set(e, ERR_NOT_FOUND, "dialogue", "dialogue %lld does not exist", (long long)id);
    else
        rc = sq_fail(s, step, "reading a dialogue", e);
    sq_done(s, st);
    return rc;
}

static int province_of(struct store *s, int64_t id, char *out, size_t n, struct err *e)
{
    return sq_row_province(s, SQL_PROVINCE, id, "dialogue", out, n, e);
}

/* The dialogue read, checked against and its province bound in one transaction. */
static int commitment_add_tx(struct store *s, void *vctx, struct err *e)
{
    struct commitment *c = vctx;
    struct dialogue *d = malloc(sizeof *d);
    if (!d) return err_set(e, ERR_NOMEM, "dialogue", "out of memory");
    int rc = store_dialogue_get(s, c->dialogue_id, d, e);
    if (!rc) rc = commitment_check(c, d->day, e);
    free(d);
    if (rc) return rc;
    char prov[UNIT_CODE_MAX];
    struct db_stmt *st;
    if ((rc = province_of(s, c->dialogue_id, prov, sizeof prov, e)) ||
        (rc = sq_prep(s, SQL_C_ADD, &st, e)))
        return rc;
    db_bind_int64(st, 1, c->dialogue_id);
    db_bind_text(st, 5, prov);
    db_bind_text(st, 2, c->text);
    db_bind_text(st, 3, c->owner);
    sq_bind_day(st, 4, c->due_day);
    rc = sq_insert_id(s, st, "writing a commitment", &c->id, e);
    sq_done(s, st);
    return rc;
}

int store_commitment_add(struct store *s, struct commitment *c, struct err *e)
{
    return store_tx(s, commitment_add_tx, c, e);
}

struct close_ctx {
    int64_t id, day;
    const char *result;
};

static int close_tx(struct store *s, void *vctx, struct err *e)
{
    struct close_ctx *x = vctx;
    struct commitment *c = malloc(sizeof *c);
    struct dialogue *d = malloc(sizeof *d);
    struct db_stmt *st;
    int rc = c && d ? sq_prep(s, SQL_C_GET, &st, e) : err_set(e, ERR_NOMEM, "c", "out of memory");
    if (!rc) {
        db_bind_int64(st, 1, x->id);
        int step = db_step(st);
        if (step == DB_ROW)
            read_commitment(st, c);
        else if (step == DB_DONE)
            rc = err_set(e, ERR_NOT_FOUND, "commitment", "commitment %lld does not exist",
                         (long long)x->id);
        else
            rc = sq_fail(s, step, "reading a commitment", e);
        sq_done(s, st);
    }
    if (!rc) rc = store_dialogue_get(s, c->dialogue_id, d, e);
    if (!rc) rc = commitment_close_check(c, d->day, x->day, x->result, e);
    if (!rc && !(rc = sq_prep(s, SQL_C_CLOSE, &st, e))) {
        db_bind_int64(st, 1, x->id);
        sq_bind_day(st, 2, x->day);
        db_bind_text(st, 3, x->result);
        rc = sq_step_done(s, st, "closing a commitment", e);
        sq_done(s, st);
    }
    free(c);
    free(d);
    return rc;
}

int store_commitment_get(struct store *s, int64_t id, struct commitment *c, struct dialogue *d,
                         struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_C_GET, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, id);
    int step = db_step(st);
    if (step == DB_ROW)
        read_commitment(st, c);
    else if (step == DB_DONE)
        rc = err_set(e, ERR_NOT_FOUND, "commitment", "commitment %lld does not exist",
                     (long long)id);
    else
        rc = sq_fail(s, step, "reading a commitment", e);
    sq_done(s, st);
    return rc ? rc : store_dialogue_get(s, c->dialogue_id, d, e);
}

int store_commitment_close(struct store *s, int64_t id, int64_t day, const char *result,
                           struct err *e)
{
    struct close_ctx x = {id, day, result};
    return store_tx(s, close_tx, &x, e);
}

struct list_ctx {
    struct store *s;
    int only_open;
    commitment_fn fn;
    void *ctx;
    struct err *e;
    int rc;
};

static int list_unit(struct store *s, const char *unit, struct list_ctx *x)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_C_LIST, &st, x->e);
    if (rc) return rc;
    sq_bind_text(st, 1, unit);
    db_bind_int64(st, 2, x->only_open);
    struct commitment *c = malloc(sizeof *c);
    struct dialogue *d = malloc(sizeof *d);
    int step = DB_DONE, urc = c && d ? 0 : err_set(x->e, ERR_NOMEM, "c", "out of memory");
    while (!urc && (step = db_step(st)) == DB_ROW) {
        read_commitment(st, c);
        read_dialogue(st, 7, d);
        urc = x->fn(d, c, x->ctx);
    }
    rc = urc ? urc : step == DB_DONE ? 0 : sq_fail(s, step, "reading commitments", x->e);
    sq_done(s, st);
    free(c);
    free(d);
    return rc;
}

static int scope_unit(const struct unit *u, void *vctx)
{
    struct list_ctx *x = vctx;
    return x->rc = list_unit(x->s, u->code, x);
}

int store_commitments(struct store *s, const char *unit, int64_t today, int only_open,
                      commitment_fn fn, void *ctx, struct err *e)
{
    struct list_ctx x = {s, only_open, fn, ctx, e, 0};
    if (!unit || !*unit) return list_unit(s, NULL, &x);
    int rc = store_unit_scope(s, unit, today, scope_unit, &x, e);
    return x.rc ? x.rc : rc;
}
