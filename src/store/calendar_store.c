/* calendar_store.c — the calendar decisions (migration 030) in the shared SQL of both
 * databases; their rules are caldec_check's (src/core/caldecision.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "sqlite_int.h"
#include "store_calendar.h"

static const char SQL_VERSION[] = "SELECT n FROM calendar_version WHERE id = 1";
static const char SQL_BUMP[] =
    "INSERT INTO calendar_version (id, n) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET n = "
    "calendar_version.n + 1";
static const char SQL_DECISIONS[] =
    "SELECT id, citation, issuer, signed_on, effective, actor, created_at FROM "
    "calendar_decisions ORDER BY signed_on, id";
static const char SQL_DAYS[] =
    "SELECT decision_id, kind, day, work_day, name FROM calendar_decision_days ORDER BY "
    "decision_id, seq";
static const char SQL_ADD[] =
    "INSERT INTO calendar_decisions (citation, issuer, signed_on, effective, actor, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id";
static const char SQL_ADD_DAY[] =
    "INSERT INTO calendar_decision_days (decision_id, seq, kind, day, work_day, name) VALUES "
    "(?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_DEL_DAYS[] = "DELETE FROM calendar_decision_days WHERE decision_id = ?1";
static const char SQL_DEL[] = "DELETE FROM calendar_decisions WHERE id = ?1";

int store_caldec_version(struct store *s, int64_t *version, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_VERSION, &st, e);
    if (rc) return rc;
    int step = db_step(st);
    *version = 0;
    if (step == DB_ROW)
        *version = db_col_int64(st, 0);
    else if (step != DB_DONE)
        rc = sq_fail(s, step, "reading the calendar version", e);
    sq_done(s, st);
    return rc;
}

static int bump(struct store *s, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_BUMP, &st, e);
    if (rc) return rc;
    rc = sq_step_done(s, st, "counting the calendar change", e);
    sq_done(s, st);
    return rc;
}

struct list_ctx {
    struct caldec *d;
    int n;
};

static struct caldec *find(struct list_ctx *x, int64_t id)
{
    for (int i = 0; i < x->n; i++)
        if (x->d[i].id == id) return &x->d[i];
    return NULL;
}

static int list_tx(struct store *s, void *ctx, struct err *e)
{
    struct list_ctx *x = ctx;
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_DECISIONS, &st, e), step, cap = 0;
    if (rc) return rc;
    while ((step = db_step(st)) == DB_ROW) {
        if (x->n == cap) {
            cap = cap ? 2 * cap : 8;
            struct caldec *nd = realloc(x->d, (size_t)cap * sizeof *nd);
            if (!nd) {
                rc = err_set(e, ERR_NOMEM, "", "out of memory");
                break;
            }
            x->d = nd;
        }
        struct caldec *d = &x->d[x->n++];
        memset(d, 0, sizeof *d);
        d->id = db_col_int64(st, 0);
        sq_col_text(st, 1, d->citation, sizeof d->citation);
        sq_col_text(st, 2, d->issuer, sizeof d->issuer);
        d->signed_on = sq_col_day(st, 3, -1);
        d->effective = sq_col_day(st, 4, -1);
        sq_col_text(st, 5, d->actor, sizeof d->actor);
        d->created_at = db_col_int64(st, 6);
    }
    if (!rc && step != DB_DONE) rc = sq_fail(s, step, "reading calendar decisions", e);
    sq_done(s, st);
    if (rc || (rc = sq_prep(s, SQL_DAYS, &st, e))) return rc;
    while ((step = db_step(st)) == DB_ROW) {
        struct caldec *d = find(x, db_col_int64(st, 0));
        if (!d || d->n == CALDEC_CHANGES_MAX) continue;
        struct caldec_change *c = &d->ch[d->n++];
        char kind[16];
        sq_col_text(st, 1, kind, sizeof kind);
        c->kind = strcmp(kind, "swap") ? CALDEC_HOLIDAY : CALDEC_SWAP;
        c->day = sq_col_day(st, 2, -1);
        c->work_day = sq_col_day(st, 3, -1);
        sq_col_text(st, 4, c->name, sizeof c->name);
    }
    if (step != DB_DONE) rc = sq_fail(s, step, "reading calendar decision days", e);
    sq_done(s, st);
    return rc;
}

int store_caldec_list(struct store *s, struct caldec **out, int *n, struct err *e)
{
    struct list_ctx x = {NULL, 0};
    int rc = store_read(s, list_tx, &x, e);
    if (rc) {
        free(x.d);
        return rc;
    }
    *out = x.d;
    *n = x.n;
    return 0;
}

struct overlay_ctx {
    struct list_ctx l;
    int64_t version;
};

static int overlay_tx(struct store *s, void *ctx, struct err *e)
{
    struct overlay_ctx *x = ctx;
    int rc = store_caldec_version(s, &x->version, e);
    return rc ? rc : list_tx(s, &x->l, e);
}

int store_calendar_overlay(struct store *s, const struct calendar *base, struct calendar **out,
                           int64_t *version, struct err *e)
{
    struct overlay_ctx x = {{NULL, 0}, 0};
    int rc = store_read(s, overlay_tx, &x, e);
    if (!rc) rc = caldec_overlay(base, x.l.d, x.l.n, out, e);
    if (!rc && version) *version = x.version;
    free(x.l.d);
    return rc;
}

int store_calendar_apply(struct store *s, struct calendar **cal, struct err *e)
{
    struct calendar *ov;
    int rc = store_calendar_overlay(s, *cal, &ov, NULL, e);
    if (rc) return rc;
    calendar_free(*cal);
    *cal = ov;
    return 0;
}

int store_calendar_refresh(struct store *s, const struct calendar *base, struct calendar **cur,
                           int64_t *version, struct err *e)
{
    int64_t v;
    int rc = store_caldec_version(s, &v, e);
    if (rc || (*cur && v == *version)) return rc;
    struct calendar *ov;
    if ((rc = store_calendar_overlay(s, base, &ov, &v, e))) return rc;
    calendar_free(*cur);
    *cur = ov;
    *version = v;
    return 0;
}

struct add_ctx {
    const struct calendar *base;
    struct caldec *d;
    int64_t today;
};

static int add_tx(struct store *s, void *ctx, struct err *e)
{
    struct add_ctx *x = ctx;
    struct list_ctx l = {NULL, 0};
    struct calendar *cal = NULL;
    struct db_stmt *st;
    int rc = list_tx(s, &l, e);
    if (!rc) rc = caldec_overlay(x->base, l.d, l.n, &cal, e);
    if (!rc) rc = caldec_check(x->d, cal, l.d, l.n, x->today, e);
    calendar_free(cal);
    free(l.d);
    if (rc || (rc = sq_prep(s, SQL_ADD, &st, e))) return rc;
    db_bind_text(st, 1, x->d->citation);
    db_bind_text(st, 2, x->d->issuer);
    sq_bind_day(st, 3, x->d->signed_on);
    sq_bind_day(st, 4, x->d->effective);
    db_bind_text(st, 5, x->d->actor);
    db_bind_int64(st, 6, x->d->created_at);
    rc = sq_insert_id(s, st, "recording the calendar decision", &x->d->id, e);
    sq_done(s, st);
    for (int i = 0; !rc && i < x->d->n; i++) {
        const struct caldec_change *c = &x->d->ch[i];
        if ((rc = sq_prep(s, SQL_ADD_DAY, &st, e))) break;
        db_bind_int64(st, 1, x->d->id);
        db_bind_int64(st, 2, i + 1);
        db_bind_text(st, 3, caldec_kind_name(c->kind));
        sq_bind_day(st, 4, c->day);
        if (c->kind == CALDEC_SWAP)
            sq_bind_day(st, 5, c->work_day);
        else
            db_bind_null(st, 5);
        db_bind_text(st, 6, c->name);
        rc = sq_step_done(s, st, "recording a day of the calendar decision", e);
        sq_done(s, st);
    }
    return rc ? rc : bump(s, e);
}

int store_caldec_add(struct store *s, const struct calendar *base, struct caldec *d, int64_t today,
                     struct err *e)
{
    if (!d->actor[0])
        return err_set(e, ERR_INVALID, "actor", "who records the decision must be given");
    struct add_ctx x = {base, d, today};
    return store_tx(s, add_tx, &x, e);
}

struct del_ctx {
    int64_t id, today;
};

static int del_tx(struct store *s, void *ctx, struct err *e)
{
    struct del_ctx *x = ctx;
    struct list_ctx l = {NULL, 0};
    int rc = list_tx(s, &l, e);
    struct caldec *d = rc ? NULL : find(&l, x->id);
    char a[11], b[11];
    if (!rc && !d)
        rc = err_set(e, ERR_NOT_FOUND, "decision", "calendar decision %lld does not exist",
                     (long long)x->id);
    if (!rc && d->effective <= x->today)
        rc = err_set(e, ERR_CONFLICT, "effective",
                     "decision %s: in effect since %s (today is %s); only a decision not yet in "
                     "effect is deleted",
                     d->citation, day_format(d->effective, a), day_format(x->today, b));
    for (int i = 0; !rc && i < d->n; i++) {
        int64_t first = d->ch[i].day;
        if (d->ch[i].kind == CALDEC_SWAP && d->ch[i].work_day < first) first = d->ch[i].work_day;
        if (first < x->today)
            rc = err_set(e, ERR_CONFLICT, "effective",
                         "decision %s: its day %s is past (today is %s); only a decision not yet "
                         "in effect is deleted",
                         d->citation, day_format(first, a), day_format(x->today, b));
    }
    free(l.d);
    struct db_stmt *st;
    static const char *const del[] = {SQL_DEL_DAYS, SQL_DEL};
    for (int k = 0; !rc && k < 2; k++) {
        if ((rc = sq_prep(s, del[k], &st, e))) break;
        db_bind_int64(st, 1, x->id);
        rc = sq_step_done(s, st, "deleting the calendar decision", e);
        sq_done(s, st);
    }
    return rc ? rc : bump(s, e);
}

int store_caldec_delete(struct store *s, int64_t id, int64_t today, struct err *e)
{
    struct del_ctx x = {id, today};
    return store_tx(s, del_tx, &x, e);
}
