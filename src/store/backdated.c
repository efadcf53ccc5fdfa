/* backdated.c — the events recorded with a claimed time earlier than the backdating tolerance
 * (flag `backdated`, migration 009), read for the backdated report of `cchc report backdated`
 * and GET /api/backdated: one query over the events and their dossiers, in portable SQL. */
#include <stdlib.h>
#include <string.h>

#include "sqlite_int.h"

static const char SQL_BACKDATED[] =
    "SELECT e.id, d.code, d.unit_code, e.actor, e.action, e.at, e.recorded_at, e.note "
    "FROM events e JOIN dossiers d ON d.id = e.dossier_id "
    "WHERE e.backdated = 1 AND e.recorded_at >= ?1 AND e.recorded_at < ?2 "
    "ORDER BY d.unit_code, e.actor, e.recorded_at, e.id";

struct codes {
    int n, cap;
    char (*v)[UNIT_CODE_MAX];
};

static int add_code(const struct unit *u, void *ctx)
{
    struct codes *c = ctx;
    if (c->n == c->cap) {
        int cap = c->cap ? 2 * c->cap : 64;
        void *v = realloc(c->v, (size_t)cap * sizeof *c->v);
        if (!v) return -1;
        c->v = v, c->cap = cap;
    }
    memcpy(c->v[c->n++], u->code, UNIT_CODE_MAX);
    return 0;
}

static int cmp_code(const void *a, const void *b)
{
    return strcmp(a, b);
}

int store_backdated_events(struct store *s, const char *under, int64_t from_day, int64_t to_day,
                           backdated_fn fn, void *ctx, struct err *e)
{
    if (to_day < from_day)
        return err_set(e, ERR_INVALID, "period", "the period ends before it starts");
    struct codes scope = {0};
    int rc = 0;
    if (under && *under) {
        rc = store_unit_scope(s, under, to_day, add_code, &scope, e);
        if (rc < 0) rc = err_set(e, ERR_NOMEM, "", "out of memory");
        if (rc) goto out;
        qsort(scope.v, (size_t)scope.n, sizeof *scope.v, cmp_code);
    }
    struct db_stmt *st;
    if ((rc = sq_prep(s, SQL_BACKDATED, &st, e))) goto out;
    db_bind_int64(st, 1, from_day * MINUTES_PER_DAY);
    db_bind_int64(st, 2, (to_day + 1) * MINUTES_PER_DAY);
    int step;
    while ((step = db_step(st)) == DB_ROW) {
        struct backdated_event ev;
        memset(&ev, 0, sizeof ev);
        ev.id = db_col_int64(st, 0);
        sq_col_text(st, 1, ev.code, sizeof ev.code);
        sq_col_text(st, 2, ev.unit, sizeof ev.unit);
        if (under && *under &&
            !bsearch(ev.unit, scope.v, (size_t)scope.n, sizeof *scope.v, cmp_code))
            continue;
        sq_col_text(st, 3, ev.actor, sizeof ev.actor);
        sq_col_text(st, 4, ev.action, sizeof ev.action);
        ev.at = db_col_int64(st, 5);
        ev.recorded_at = db_col_int64(st, 6);
        sq_col_text(st, 7, ev.note, sizeof ev.note);
        if ((rc = fn(&ev, ctx))) break;
    }
    if (!rc && step != DB_DONE) rc = sq_fail(s, step, "reading backdated events", e);
    sq_done(s, st);
out:
    free(scope.v);
    return rc;
}
