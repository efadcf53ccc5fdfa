/* unit_admin.c — units created, edited and merged by an administrator (migration 031), in the
 * shared SQL of both databases. Every write goes through store_unit_put() (unit_check() and
 * the parent/successor cycle checks the import uses) inside one store_tx, with a row of
 * unit_changes; a refusal anywhere rolls the whole request back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "sqlite_int.h"
#include "store_unitadmin.h"

/* Another unit holding identifier code ?1 in a period overlapping [?3, ?4] (NULL: open). */
static const char SQL_IDENT_TAKEN[] =
    "SELECT code FROM units WHERE ident_code = ?1 AND code <> ?2 AND "
    "(valid_to IS NULL OR CAST(?3 AS TEXT) IS NULL OR valid_to >= ?3) AND "
    "(valid_from IS NULL OR CAST(?4 AS TEXT) IS NULL OR valid_from <= ?4) ORDER BY code LIMIT 1";
static const char SQL_CHANGE_ADD[] =
    "INSERT INTO unit_changes (unit_code, at, actor, what, summary) VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_CHANGES[] = "SELECT id, at, actor, what, summary FROM unit_changes WHERE "
                                  "unit_code = ?1 ORDER BY id DESC LIMIT ?2";

static const char *day_text(int64_t day, char buf[16])
{
    if (day == UNIT_DAY_MIN || day == UNIT_DAY_MAX) return strcpy(buf, "-");
    return ymd_format(days_to_ymd(day), buf);
}

static int log_change(struct store *s, const char *code, int64_t now, const char *actor,
                      const char *what, const char *summary, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_CHANGE_ADD, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, code);
    db_bind_int64(st, 2, now);
    db_bind_text(st, 3, actor);
    db_bind_text(st, 4, what);
    db_bind_text(st, 5, summary);
    rc = sq_step_done(s, st, "logging the unit change", e);
    sq_done(s, st);
    return rc;
}

static int check_actor(const char *actor, struct err *e)
{
    if (!actor || !*actor || strlen(actor) >= 64)
        return err_set(e, ERR_INVALID, "actor", "who makes the change must be given (< 64 bytes)");
    return 0;
}

/* The parent of u must exist on day. */
static int check_parent(struct store *s, const struct unit *u, int64_t day, struct err *e)
{
    if (!u->parent[0]) return 0;
    struct unit p;
    struct err ge = {0};
    int rc = store_unit_get(s, u->parent, &p, &ge);
    if (rc == ERR_NOT_FOUND)
        return err_set(e, ERR_NOT_FOUND, "parent", "parent '%s': no such unit", u->parent);
    if (rc) return *e = ge, rc;
    char d[16];
    if (day != UNIT_DAY_MIN && !unit_valid_on(&p, day))
        return err_set(e, ERR_CONFLICT, "parent", "parent '%s': does not exist on %s", u->parent,
                       day_text(day, d));
    return 0;
}

/* No other unit holds u's identifier code in an overlapping period. */
static int check_ident(struct store *s, const struct unit *u, struct err *e)
{
    if (!u->ident_code[0]) return 0;
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_IDENT_TAKEN, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, u->ident_code);
    db_bind_text(st, 2, u->code);
    sq_bind_day(st, 3, u->valid_from);
    sq_bind_day(st, 4, u->valid_to);
    int step = db_step(st);
    char other[UNIT_CODE_MAX] = "";
    if (step == DB_ROW)
        sq_col_text(st, 0, other, sizeof other);
    else if (step != DB_DONE)
        rc = sq_fail(s, step, "units", e);
    sq_done(s, st);
    if (!rc && other[0])
        rc = err_set(e, ERR_CONFLICT, "ident_code",
                     "'%s': already the identifier code of unit '%s' in an overlapping period",
                     u->ident_code, other);
    return rc;
}

/* ---- create ---- */

struct create_ctx {
    const struct unit *u;
    const char *actor;
    int64_t now;
};

static int do_create(struct store *s, void *ctx, struct err *e)
{
    struct create_ctx *x = ctx;
    const struct unit *u = x->u;
    struct unit old;
    struct err ge = {0};
    int rc = unit_check(u, e);
    if (rc) return rc;
    if (u->valid_to != UNIT_DAY_MAX || u->successor[0])
        return err_set(e, ERR_INVALID, "valid_to", "a new unit is open: no end, no successor");
    rc = store_unit_get(s, u->code, &old, &ge);
    if (!rc) return err_set(e, ERR_CONFLICT, "code", "unit '%s' exists already", u->code);
    if (rc != ERR_NOT_FOUND) return *e = ge, rc;
    if ((rc = check_parent(s, u, u->valid_from, e)) || (rc = check_ident(s, u, e)) ||
        (rc = store_unit_put(s, u, e)))
        return rc;
    return log_change(s, u->code, x->now, x->actor, "create", u->name, e);
}

int store_unit_create(struct store *s, const struct unit *u, const char *actor, int64_t now,
                      struct err *e)
{
    int rc = check_actor(actor, e);
    if (rc) return rc;
    struct create_ctx x = {u, actor, now};
    return store_tx(s, do_create, &x, e);
}

/* ---- edit ---- */

struct edit_ctx {
    const struct unit *u;
    int64_t today;
    const char *actor;
    int64_t now;
};

static int do_edit(struct store *s, void *ctx, struct err *e)
{
    struct edit_ctx *x = ctx;
    struct unit cur, nu;
    int rc = store_unit_get(s, x->u->code, &cur, e);
    if (rc) return rc;
    nu = cur;
    memcpy(nu.name, x->u->name, sizeof nu.name);
    nu.kind = x->u->kind;
    memcpy(nu.parent, x->u->parent, sizeof nu.parent);
    memcpy(nu.ident_code, x->u->ident_code, sizeof nu.ident_code);
    if ((rc = unit_check(&nu, e))) return rc;
    char changed[80] = "";
    const struct {
        const char *name;
        int differs;
    } f[] = {{"name", strcmp(cur.name, nu.name) != 0},
             {"kind", cur.kind != nu.kind},
             {"parent", strcmp(cur.parent, nu.parent) != 0},
             {"ident_code", strcmp(cur.ident_code, nu.ident_code) != 0}};
    for (size_t i = 0; i < sizeof f / sizeof *f; i++)
        if (f[i].differs) {
            if (changed[0]) strcat(changed, ",");
            strcat(changed, f[i].name);
        }
    if (!changed[0]) return 0;
    int64_t day = x->today < cur.valid_from ? cur.valid_from
                  : x->today > cur.valid_to ? cur.valid_to
                                            : x->today;
    if (strcmp(cur.parent, nu.parent) && (rc = check_parent(s, &nu, day, e))) return rc;
    if (strcmp(cur.ident_code, nu.ident_code) && (rc = check_ident(s, &nu, e))) return rc;
    if ((rc = store_unit_put(s, &nu, e))) return rc;
    return log_change(s, nu.code, x->now, x->actor, "edit", changed, e);
}

int store_unit_edit(struct store *s, const struct unit *u, int64_t today, const char *actor,
                    int64_t now, struct err *e)
{
    int rc = check_actor(actor, e);
    if (rc) return rc;
    struct edit_ctx x = {u, today, actor, now};
    return store_tx(s, do_edit, &x, e);
}

/* ---- merge ---- */

struct merge_ctx {
    const struct unit_merger *m;
    const char *actor;
    int64_t now;
    const char *succ;
    /* the first child of an ending unit that does not end with it */
    char child[UNIT_CODE_MAX], parent[UNIT_CODE_MAX];
};

static int ends(const struct unit_merger *m, const char *code)
{
    for (int i = 0; i < m->n; i++)
        if (!strcmp(m->ending[i], code)) return 1;
    return 0;
}

/* A child existing on or after the merger's day (one starting later too) that does not end. */
static int child_stays(const struct unit *u, void *ctx)
{
    struct merge_ctx *x = ctx;
    if (u->valid_to < x->m->effective || ends(x->m, u->code)) return 0;
    snprintf(x->child, sizeof x->child, "%s", u->code);
    snprintf(x->parent, sizeof x->parent, "%s", u->parent);
    return 1;
}

/* Checks and ends unit i of the merger. */
static int end_unit(struct store *s, struct merge_ctx *x, int i, struct err *e)
{
    const struct unit_merger *m = x->m;
    const char *code = m->ending[i];
    char d1[16];
    struct unit u;
    struct err ge = {0};
    int rc = store_unit_get(s, code, &u, &ge);
    if (rc == ERR_NOT_FOUND)
        return err_set(e, ERR_NOT_FOUND, "units", "unit '%s' does not exist", code);
    if (rc) return *e = ge, rc;
    if (u.valid_to != UNIT_DAY_MAX)
        return err_set(e, ERR_CONFLICT, "units", "unit '%s' ends on %s already", code,
                       day_text(u.valid_to, d1));
    if (!unit_valid_on(&u, m->effective - 1))
        return err_set(e, ERR_CONFLICT, "units",
                       "unit '%s' starts on %s: a merger of it takes effect after that day", code,
                       day_text(u.valid_from, d1));
    u.valid_to = m->effective - 1;
    snprintf(u.successor, sizeof u.successor, "%s", x->succ);
    if ((rc = store_unit_put(s, &u, e))) return rc;
    char sum[64];
    snprintf(sum, sizeof sum, "successor=%s;effective=%s", x->succ, day_text(m->effective, d1));
    return log_change(s, code, x->now, x->actor, "merge", sum, e);
}

static int do_merge(struct store *s, void *ctx, struct err *e)
{
    struct merge_ctx *x = ctx;
    const struct unit_merger *m = x->m;
    char d[16];
    int rc;
    for (int i = 0; i < m->n; i++) {
        if ((rc = unit_code_check(m->ending[i], "units", e))) return rc;
        for (int j = 0; j < i; j++)
            if (!strcmp(m->ending[i], m->ending[j]))
                return err_set(e, ERR_INVALID, "units", "unit '%s' given twice", m->ending[i]);
        if (!strcmp(m->ending[i], x->succ))
            return err_set(e, ERR_INVALID, "successor",
                           "'%s': the successor is among the units that end", x->succ);
    }
    if (!m->new_successor) {
        struct unit su;
        struct err ge = {0};
        rc = store_unit_get(s, x->succ, &su, &ge);
        if (rc == ERR_NOT_FOUND)
            return err_set(e, ERR_NOT_FOUND, "successor", "successor '%s': no such unit", x->succ);
        if (rc) return *e = ge, rc;
        if (!unit_valid_on(&su, m->effective))
            return err_set(e, ERR_CONFLICT, "successor", "successor '%s': does not exist on %s",
                           x->succ, day_text(m->effective, d));
    }
    /* every unit below one that ends must end with it */
    for (int i = 0; i < m->n; i++) {
        struct err ce = {0};
        x->child[0] = 0;
        rc = store_unit_children(s, m->ending[i], UNIT_DAY_MIN, child_stays, x, &ce);
        if (x->child[0])
            return err_set(e, ERR_CONFLICT, "units",
                           "unit '%s' has unit '%s' below it on %s or later: include it in the "
                           "merger or move it under another unit first",
                           x->parent, x->child, day_text(m->effective, d));
        if (rc) return *e = ce, rc;
    }
    for (int i = 0; i < m->n; i++)
        if ((rc = end_unit(s, x, i, e))) return rc;
    if (m->new_successor) {
        /* after the ends: the successor may take over an identifier code of one of them */
        struct create_ctx c = {m->new_successor, x->actor, x->now};
        if ((rc = do_create(s, &c, e))) {
            /* named as the request names it: successor_new.ident_code … */
            char f[sizeof e->field + 16] = "";
            snprintf(f, sizeof f, "successor_new.%s", e->field);
            memcpy(e->field, f, sizeof e->field - 1);
            e->field[sizeof e->field - 1] = 0;
            return rc;
        }
    }
    char sum[400];
    size_t len = (size_t)snprintf(sum, sizeof sum, "from=");
    for (int i = 0; i < m->n && len < sizeof sum; i++)
        len += (size_t)snprintf(sum + len, sizeof sum - len, "%s%s", i ? "," : "", m->ending[i]);
    if (len < sizeof sum)
        snprintf(sum + len, sizeof sum - len, ";effective=%s", day_text(m->effective, d));
    return log_change(s, x->succ, x->now, x->actor, "merge", sum, e);
}

int store_unit_merge(struct store *s, const struct unit_merger *m, const char *actor, int64_t now,
                     struct err *e)
{
    int rc = check_actor(actor, e);
    if (rc) return rc;
    if (m->n < 1 || m->n > UNIT_MERGE_MAX)
        return err_set(e, ERR_INVALID, "units", "%d units: a merger ends 1 to %d units", m->n,
                       UNIT_MERGE_MAX);
    if (!m->successor == !m->new_successor)
        return err_set(e, ERR_INVALID, "successor",
                       "give the successor: an existing unit or a new one, not both");
    if (m->new_successor && m->new_successor->valid_from != m->effective)
        return err_set(e, ERR_INVALID, "successor_new",
                       "a new successor starts on the merger's day");
    struct merge_ctx x = {.m = m,
                          .actor = actor,
                          .now = now,
                          .succ = m->successor ? m->successor : m->new_successor->code};
    if ((rc = unit_code_check(x.succ, m->successor ? "successor" : "successor_new.code", e)))
        return rc;
    return store_tx(s, do_merge, &x, e);
}

/* ---- log ---- */

int store_unit_changes(struct store *s, const char *code, int limit, unit_change_fn fn, void *ctx,
                       struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_CHANGES, &st, e), step;
    if (rc) return rc;
    db_bind_text(st, 1, code);
    db_bind_int64(st, 2, limit);
    while ((step = db_step(st)) == DB_ROW) {
        struct unit_change c;
        memset(&c, 0, sizeof c);
        c.id = db_col_int64(st, 0);
        c.at = db_col_int64(st, 1);
        sq_col_text(st, 2, c.actor, sizeof c.actor);
        sq_col_text(st, 3, c.what, sizeof c.what);
        sq_col_text(st, 4, c.summary, sizeof c.summary);
        if (fn(&c, ctx)) {
            step = DB_DONE;
            break;
        }
    }
    if (step != DB_DONE) rc = sq_fail(s, step, "reading unit changes", e);
    sq_done(s, st);
    return rc;
}
