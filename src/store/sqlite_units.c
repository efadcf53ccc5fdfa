/* sqlite_units.c — units on SQLite: upsert with cycle checks, lookups, the tree as of a day
 * (children, subtree by recursive query) and successor chains for the 2025 mergers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "sqlite_int.h"

#define UNIT_COLS "code, name, kind, parent, valid_from, valid_to, successor, ident_code"
/* ?N is a day 'YYYY-MM-DD' or NULL (every period). */
#define VALID_ON(n)                                                                                \
    "(CAST(?" #n " AS TEXT) IS NULL OR ((valid_from IS NULL OR valid_from <= ?" #n ") AND "        \
    "(valid_to IS NULL OR valid_to >= ?" #n ")))"

/* province (?9) is written once, when the unit is created, and never updated (docs/scale.md,
 * item 6): a unit moved under another root keeps it, and so do the rows written for it */
static const char SQL_PUT[] =
    "INSERT INTO units (" UNIT_COLS ", province) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
    "ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
    "parent = excluded.parent, valid_from = excluded.valid_from, valid_to = excluded.valid_to, "
    "successor = excluded.successor, ident_code = excluded.ident_code";
/* Does the chain of parents (or successors) starting at ?1 reach ?2? The walk up is skipped
 * when no cycle can be new: when no unit has ?2 as its parent (successor) — nothing below it
 * to come back to — or when ?2 already has ?1 as its parent (successor) — the edge is not new
 * and every earlier write was checked. So importing a 5,000-deep tree, or importing it again,
 * is linear, not quadratic. */
static const char SQL_PARENT_CYCLE[] =
    "WITH RECURSIVE up(code) AS (SELECT CAST(?1 AS TEXT) WHERE EXISTS (SELECT 1 FROM units WHERE "
    "parent = ?2) "
    "AND NOT EXISTS (SELECT 1 FROM units WHERE code = ?2 AND parent = ?1) "
    "UNION SELECT u.parent FROM units u JOIN up ON u.code = up.code WHERE u.parent IS NOT NULL) "
    "SELECT 1 FROM up WHERE code = ?2";
static const char SQL_SUCC_CYCLE[] =
    "WITH RECURSIVE up(code) AS (SELECT CAST(?1 AS TEXT) WHERE EXISTS (SELECT 1 FROM units WHERE "
    "successor = "
    "?2) AND NOT EXISTS (SELECT 1 FROM units WHERE code = ?2 AND successor = ?1) "
    "UNION SELECT u.successor FROM units u JOIN up ON u.code = up.code WHERE u.successor IS "
    "NOT NULL) SELECT 1 FROM up WHERE code = ?2";
static const char SQL_GET[] = "SELECT " UNIT_COLS " FROM units WHERE code = ?1";
/* the province a unit was created in (migration 047) */
static const char SQL_ROOT[] = "SELECT province FROM units WHERE code = ?1";
static const char SQL_REFS[] = "SELECT (SELECT count(*) FROM units WHERE parent = ?1), "
                               "(SELECT count(*) FROM units WHERE successor = ?1)";
static const char SQL_DELETE[] = "DELETE FROM units WHERE code = ?1";
static const char SQL_COUNT[] = "SELECT count(*) FROM units";
static const char SQL_CHILDREN[] =
    "SELECT " UNIT_COLS
    " FROM units WHERE parent IS NOT DISTINCT FROM ?1 AND " VALID_ON(2) " ORDER BY code";
static const char SQL_LIST[] =
    "SELECT " UNIT_COLS " FROM units WHERE " VALID_ON(1) " ORDER BY code";
/* Depth first, code order: paths joined with "!", below every code character ([A-Za-z0-9._-]),
 * in byte order (a PostgreSQL database must use the C collation, docs/postgresql.md). */
static const char SQL_SUBTREE[] =
    "WITH RECURSIVE t(code, path) AS (SELECT code, code FROM units WHERE code = ?1 AND " VALID_ON(
        2) " UNION ALL SELECT u.code, t.path || '!' || u.code FROM units u JOIN t ON "
           "u.parent = t.code WHERE " VALID_ON(
               2) ") "
                  "SELECT u.code, u.name, u.kind, u.parent, u.valid_from, u.valid_to, u.successor, "
                  "u.ident_code FROM t JOIN units u ON u.code = t.code ORDER BY t.path";
/* The subtree as of ?2, then every unit merged into one of its units, transitively (UNION
 * drops repeats), in (ident_code, code) order. */
#define VALID_ON_DAY VALID_ON(2)
static const char SQL_SCOPE[] =
    "WITH RECURSIVE t(code) AS (SELECT code FROM units WHERE code = ?1 AND " VALID_ON_DAY
    " UNION ALL SELECT u.code FROM units u JOIN t ON u.parent = t.code WHERE " VALID_ON_DAY "), "
    "p(code) AS (SELECT code FROM t UNION SELECT u.code FROM units u JOIN p ON "
    "u.successor = p.code) "
    "SELECT u.code, u.name, u.kind, u.parent, u.valid_from, u.valid_to, u.successor, "
    "u.ident_code FROM p JOIN units u ON u.code = p.code ORDER BY u.ident_code NULLS FIRST, u.code";
/* every unit, for the copy (store_unit_get) */
static const char SQL_ALL[] = "SELECT " UNIT_COLS ", province FROM units";
static const char SQL_PREDECESSORS[] =
    "SELECT " UNIT_COLS " FROM units WHERE successor = ?1 ORDER BY code";

static void read_unit(struct db_stmt *st, struct unit *u)
{
    memset(u, 0, sizeof *u);
    sq_col_text(st, 0, u->code, sizeof u->code);
    sq_col_text(st, 1, u->name, sizeof u->name);
    char kind[24];
    sq_col_text(st, 2, kind, sizeof kind);
    enum unit_kind k = UNIT_AGENCY;
    unit_kind_parse(kind, &k, "kind", NULL); /* the schema's CHECK keeps it valid */
    u->kind = k;
    sq_col_text(st, 3, u->parent, sizeof u->parent);
    u->valid_from = sq_col_day(st, 4, UNIT_DAY_MIN);
    u->valid_to = sq_col_day(st, 5, UNIT_DAY_MAX);
    sq_col_text(st, 6, u->successor, sizeof u->successor);
    sq_col_text(st, 7, u->ident_code, sizeof u->ident_code);
}

static int root_query(struct store *s, const char *code, char *out, size_t n, struct err *e);

/* 1 if following sql's chain from start reaches code, 0 if not, < 0 on error (-code). */
static int chain_reaches(struct store *s, const char *sql, const char *start, const char *code,
                         struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, sql, &st, e);
    if (rc) return -rc;
    db_bind_text(st, 1, start);
    db_bind_text(st, 2, code);
    int step = db_step(st);
    int r = step == DB_ROW ? 1 : step == DB_DONE ? 0 : -sq_fail(s, step, "units", e);
    sq_done(s, st);
    return r;
}

int store_unit_put(struct store *s, const struct unit *u, struct err *e)
{
    s->root_unit[0] = '\0'; /* the tree changes: sq_unit_root asks again */
    int rc = unit_check(u, e);
    if (rc) return rc;
    if (u->parent[0]) {
        int r = chain_reaches(s, SQL_PARENT_CYCLE, u->parent, u->code, e);
        if (r < 0) return -r;
        if (r)
            return err_set(e, ERR_CONFLICT, "parent",
                           "'%s': unit '%s' is already above it, so this would make a cycle",
                           u->parent, u->code);
    }
    if (u->successor[0]) {
        int r = chain_reaches(s, SQL_SUCC_CYCLE, u->successor, u->code, e);
        if (r < 0) return -r;
        if (r)
            return err_set(e, ERR_CONFLICT, "successor",
                           "'%s': its successor chain leads back to '%s', a cycle", u->successor,
                           u->code);
    }
    /* a new unit's province: its parent's (the root of the tree it joins), or its own code
     * when it is a root. A unit that exists keeps its own (the statement does not update it).
     * A parent not written yet (an import writes parents first, import.c) is refused by the
     * foreign key at COMMIT; its code stands in until then. */
    char province[UNIT_CODE_MAX];
    /* from the database: a run of writes outside a transaction would otherwise reload the
     * copy of the units (copy_find) for each, since each moved the counter */
    if ((rc = root_query(s, u->parent[0] ? u->parent : u->code, province, sizeof province, e)))
        return rc;
    struct db_stmt *st;
    if ((rc = sq_prep(s, SQL_PUT, &st, e))) return rc;
    db_bind_text(st, 1, u->code);
    db_bind_text(st, 2, u->name);
    db_bind_text(st, 3, unit_kind_name(u->kind));
    sq_bind_text(st, 4, u->parent);
    sq_bind_day(st, 5, u->valid_from);
    sq_bind_day(st, 6, u->valid_to);
    sq_bind_text(st, 7, u->successor);
    sq_bind_text(st, 8, u->ident_code);
    db_bind_text(st, 9, province);
    int step = db_step(st);
    if (step == DB_ERROR && db_error_class(s->db) == DBE_FOREIGN_KEY) /* outside store_tx */
        rc = err_set(e, ERR_CONFLICT, u->parent[0] ? "parent" : "successor",
                     "unit '%s': its parent '%s' or successor '%s' does not exist", u->code,
                     u->parent, u->successor);
    else if (step != DB_DONE)
        rc = sq_fail(s, step, "writing unit", e);
    sq_done(s, st);
    return rc;
}

/* --- the copy of the units table (struct sq_units_copy) --- */

void sq_units_copy_free(struct store *s)
{
    free(s->units.ent);
    free(s->units.pool);
    memset(&s->units, 0, sizeof s->units);
}

struct pool {
    char *p;
    size_t n, cap;
};

/* Appends t to the pool; its offset in *off. -1: out of memory. */
static int pool_add(struct pool *p, const char *t, uint32_t *off)
{
    size_t len = strlen(t) + 1;
    if (p->n + len > p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 4096;
        while (cap < p->n + len)
            cap *= 2;
        if (cap > UINT32_MAX) return -1;
        char *np = realloc(p->p, cap);
        if (!np) return -1;
        p->p = np;
        p->cap = cap;
    }
    memcpy(p->p + p->n, t, len);
    *off = (uint32_t)p->n;
    p->n += len;
    return 0;
}

static int cmp_ent(const void *a, const void *b)
{
    return strcmp(((const struct sq_unit_ent *)a)->code, ((const struct sq_unit_ent *)b)->code);
}

static int cmp_code_ent(const void *key, const void *el)
{
    return strcmp(key, ((const struct sq_unit_ent *)el)->code);
}

/* Reads every unit into the copy, which then stands for units_version version. The caller
 * read version first: a unit changed in between is newer than the version says, so the next
 * call sees the version moved and reads again; the copy is never older than its version. */
static int copy_load(struct store *s, int64_t version, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_ALL, &st, e), step = DB_DONE;
    if (rc) return rc;
    struct sq_unit_ent *ent = NULL;
    size_t n = 0, cap = 0;
    struct pool pool = {NULL, 0, 0};
    while (!rc && (step = db_step(st)) == DB_ROW) {
        struct unit u;
        read_unit(st, &u);
        char province[UNIT_CODE_MAX];
        sq_col_text(st, 8, province, sizeof province);
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            struct sq_unit_ent *ne = realloc(ent, ncap * sizeof *ne);
            if (!ne) {
                rc = err_set(e, ERR_NOMEM, "units", "out of memory");
                break;
            }
            ent = ne;
            cap = ncap;
        }
        struct sq_unit_ent *x = &ent[n];
        memcpy(x->code, u.code, sizeof x->code);
        x->kind = u.kind;
        x->valid_from = u.valid_from;
        x->valid_to = u.valid_to;
        if (pool_add(&pool, u.name, &x->name) || pool_add(&pool, u.parent, &x->parent) ||
            pool_add(&pool, u.successor, &x->successor) ||
            pool_add(&pool, u.ident_code, &x->ident_code) ||
            pool_add(&pool, province, &x->province))
            rc = err_set(e, ERR_NOMEM, "units", "out of memory");
        else
            n++;
    }
    if (!rc && step != DB_DONE) rc = sq_fail(s, step, "reading units", e);
    sq_done(s, st);
    if (rc) {
        free(ent);
        free(pool.p);
        return rc;
    }
    if (n) qsort(ent, n, sizeof *ent, cmp_ent); /* byte order whatever the database's collation */
    for (size_t i = 0; i < n; i++) {
        const struct sq_unit_ent *p = pool.p[ent[i].parent] ? bsearch(pool.p + ent[i].parent, ent,
                                                                      n, sizeof *ent, cmp_code_ent)
                                                            : NULL;
        const struct sq_unit_ent *q =
            pool.p[ent[i].successor]
                ? bsearch(pool.p + ent[i].successor, ent, n, sizeof *ent, cmp_code_ent)
                : NULL;
        ent[i].parent_i = p ? (int32_t)(p - ent) : -1;
        ent[i].successor_i = q ? (int32_t)(q - ent) : -1;
    }
    sq_units_copy_free(s);
    s->units = (struct sq_units_copy){1, version, n, ent, pool.p};
    return 0;
}

/* The copy's entry for code: *out, or NULL when there is no such unit. Returns 1 when the copy
 * answered, 0 when the caller must read the database (inside a write transaction, where the
 * counter may be rolled back and the copy must be neither read nor filled), -code on error.
 * The counter is read first, so a unit changed by any connection or process shows at once. */
static int copy_find(struct store *s, const char *code, const struct sq_unit_ent **out,
                     struct err *e)
{
    *out = NULL;
    int64_t version;
    int rc = sq_ref_version(s, &version, e);
    if (rc <= 0) return rc;
    if (!(s->units.loaded && s->units.version == version) && (rc = copy_load(s, version, e)))
        return -rc;
    if (strlen(code) < UNIT_CODE_MAX && s->units.n)
        *out = bsearch(code, s->units.ent, s->units.n, sizeof *s->units.ent, cmp_code_ent);
    return 1;
}

/* The unit of entry x, as read_unit reads it from a row. */
static void copy_unit(const struct store *s, const struct sq_unit_ent *x, struct unit *u)
{
    const char *pool = s->units.pool;
    memset(u, 0, sizeof *u);
    memcpy(u->code, x->code, sizeof u->code);
    snprintf(u->name, sizeof u->name, "%s", pool + x->name);
    u->kind = x->kind;
    snprintf(u->parent, sizeof u->parent, "%s", pool + x->parent);
    u->valid_from = x->valid_from;
    u->valid_to = x->valid_to;
    snprintf(u->successor, sizeof u->successor, "%s", pool + x->successor);
    snprintf(u->ident_code, sizeof u->ident_code, "%s", pool + x->ident_code);
}

int store_unit_get(struct store *s, const char *code, struct unit *out, struct err *e)
{
    const struct sq_unit_ent *x;
    int r = copy_find(s, code, &x, e);
    if (r < 0) return -r;
    if (r && !x) return err_set(e, ERR_NOT_FOUND, "code", "unit '%s': no such unit", code);
    if (r) {
        copy_unit(s, x, out);
        return 0;
    }
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_GET, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, code);
    int step = db_step(st);
    if (step == DB_ROW)
        read_unit(st, out);
    else if (step == DB_DONE)
        rc = err_set(e, ERR_NOT_FOUND, "code", "unit '%s': no such unit", code);
    else
        rc = sq_fail(s, step, "reading unit", e);
    sq_done(s, st);
    return rc;
}

/* store_unit_root from the database. */
static int root_query(struct store *s, const char *code, char *out, size_t n, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_ROOT, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, code);
    int step = db_step(st);
    const char *root = step == DB_ROW ? db_col_text(st, 0) : NULL;
    if (step == DB_ROW || step == DB_DONE) {
        if ((size_t)snprintf(out, n, "%s", root ? root : code) >= n)
            rc = err_set(e, ERR_INTERNAL, "unit", "unit '%s': root code too long", code);
    } else {
        rc = sq_fail(s, step, "finding the root of a unit's tree", e);
    }
    sq_done(s, st);
    return rc;
}

int store_unit_root(struct store *s, const char *code, char *out, size_t n, struct err *e)
{
    const struct sq_unit_ent *x;
    int r = copy_find(s, code, &x, e);
    if (r < 0) return -r;
    if (r) {
        const char *root = x && s->units.pool[x->province] ? s->units.pool + x->province : code;
        if ((size_t)snprintf(out, n, "%s", root) >= n)
            return err_set(e, ERR_INTERNAL, "unit", "unit '%s': root code too long", code);
        return 0;
    }
    return root_query(s, code, out, n, e);
}

int sq_unit_root(struct store *s, const char *unit, char *out, size_t n, struct err *e)
{
    if (s->tx_depth > 0 && s->root_unit[0] && !strcmp(s->root_unit, unit)) {
        if ((size_t)snprintf(out, n, "%s", s->root) >= n)
            return err_set(e, ERR_INTERNAL, "unit", "unit '%s': root code too long", unit);
        return 0;
    }
    int rc = store_unit_root(s, unit, out, n, e);
    if (!rc && s->tx_depth > 0 && strlen(unit) < sizeof s->root_unit &&
        strlen(out) < sizeof s->root) {
        snprintf(s->root_unit, sizeof s->root_unit, "%s", unit);
        snprintf(s->root, sizeof s->root, "%s", out);
    }
    return rc;
}

int store_unit_delete(struct store *s, const char *code, struct err *e)
{
    s->root_unit[0] = '\0'; /* the tree changes: sq_unit_root asks again */
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_REFS, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, code);
    int step = db_step(st);
    if (step != DB_ROW)
        rc = sq_fail(s, step, "reading unit", e);
    else if (db_col_int64(st, 0) || db_col_int64(st, 1))
        rc = err_set(e, ERR_CONFLICT, "code",
                     "unit '%s': %lld unit(s) have it as parent and %lld as successor", code,
                     (long long)db_col_int64(st, 0), (long long)db_col_int64(st, 1));
    sq_done(s, st);
    if (rc || (rc = sq_prep(s, SQL_DELETE, &st, e))) return rc;
    db_bind_text(st, 1, code);
    rc = sq_step_done(s, st, "deleting unit", e);
    if (!rc && db_changes(s->db) == 0)
        rc = err_set(e, ERR_NOT_FOUND, "code", "unit '%s': no such unit", code);
    sq_done(s, st);
    return rc;
}

int store_unit_count(struct store *s, int64_t *n, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_COUNT, &st, e);
    if (rc) return rc;
    int step = db_step(st);
    if (step == DB_ROW)
        *n = db_col_int64(st, 0);
    else
        rc = sq_fail(s, step, "counting units", e);
    sq_done(s, st);
    return rc;
}

/* Steps st to the end, calling fn per row; returns fn's non-zero value or an error. */
static int each_unit(struct store *s, struct db_stmt *st, unit_fn fn, void *ctx, struct err *e)
{
    int step, rc = 0;
    struct unit u;
    while ((step = db_step(st)) == DB_ROW) {
        read_unit(st, &u);
        if ((rc = fn(&u, ctx))) return rc;
    }
    return step == DB_DONE ? 0 : sq_fail(s, step, "reading units", e);
}

int store_unit_children(struct store *s, const char *code, int64_t as_of, unit_fn fn, void *ctx,
                        struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_CHILDREN, &st, e);
    if (rc) return rc;
    sq_bind_text(st, 1, code);
    sq_bind_day(st, 2, as_of);
    rc = each_unit(s, st, fn, ctx, e);
    sq_done(s, st);
    return rc;
}

int store_unit_list(struct store *s, int64_t as_of, unit_fn fn, void *ctx, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_LIST, &st, e);
    if (rc) return rc;
    sq_bind_day(st, 1, as_of);
    rc = each_unit(s, st, fn, ctx, e);
    sq_done(s, st);
    return rc;
}

int store_unit_subtree(struct store *s, const char *code, int64_t as_of, unit_fn fn, void *ctx,
                       struct err *e)
{
    struct unit root;
    int rc = store_unit_get(s, code, &root, e);
    if (rc) return rc;
    struct db_stmt *st;
    if ((rc = sq_prep(s, SQL_SUBTREE, &st, e))) return rc;
    db_bind_text(st, 1, code);
    sq_bind_day(st, 2, as_of);
    rc = each_unit(s, st, fn, ctx, e);
    sq_done(s, st);
    return rc;
}

void sq_scope_free(struct store *s)
{
    for (int i = 0; i < SQ_SCOPE_CACHE; i++) {
        free(s->scope[i].u);
        s->scope[i].u = NULL;
    }
}

struct scope_read {
    struct unit *u;
    int n, cap;
};

static int scope_add(const struct unit *u, void *arg)
{
    struct scope_read *r = arg;
    if (r->n == r->cap) {
        int cap = r->cap ? r->cap * 2 : 16;
        struct unit *nu = realloc(r->u, sizeof *nu * (size_t)cap);
        if (!nu) return -1;
        r->u = nu;
        r->cap = cap;
    }
    r->u[r->n++] = *u;
    return 0;
}

/* The scope from the database into r (ERR_NOT_FOUND for an unknown root). */
static int scope_query(struct store *s, const char *code, int64_t as_of, struct scope_read *r,
                       struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_SCOPE, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, code);
    sq_bind_day(st, 2, as_of);
    rc = each_unit(s, st, scope_add, r, e);
    sq_done(s, st);
    if (rc < 0) return err_set(e, ERR_NOMEM, "units", "out of memory");
    if (!rc && !r->n) { /* not that day, or no such unit (ERR_NOT_FOUND) */
        struct unit u;
        rc = store_unit_get(s, code, &u, e);
    }
    return rc;
}

/* Is x valid on day as_of? As VALID_ON: INT64_MIN and INT64_MAX (bound as NULL) mean every
 * period. */
static int ent_valid_on(const struct sq_unit_ent *x, int64_t as_of)
{
    return as_of == INT64_MIN || as_of == INT64_MAX ||
           (x->valid_from <= as_of && x->valid_to >= as_of);
}

struct scope_pick {
    const char *ident, *code; /* in the copy's pool and entry */
    int32_t i;                /* the entry */
};

/* SQL_SCOPE's order: ident_code NULLS FIRST (an empty one is written as NULL), then code. */
static int cmp_scope(const void *a, const void *b)
{
    const struct scope_pick *x = a, *y = b;
    if (!*x->ident != !*y->ident) return *x->ident ? 1 : -1;
    int c = strcmp(x->ident, y->ident);
    return c ? c : strcmp(x->code, y->code);
}

/* The scope as SQL_SCOPE reads it, from the copy of the units (copy_find's conditions: outside
 * a write transaction). Returns 1 with r filled, 0 when the caller must ask the database,
 * -code on error (ERR_NOT_FOUND for an unknown root, as scope_query). */
static int scope_from_copy(struct store *s, const char *code, int64_t as_of, struct scope_read *r,
                           struct err *e)
{
    const struct sq_unit_ent *root;
    int c = copy_find(s, code, &root, e);
    if (c <= 0) return c;
    if (!root) return -err_set(e, ERR_NOT_FOUND, "code", "unit '%s': no such unit", code);
    const struct sq_units_copy *u = &s->units;
    size_t n = u->n;
    unsigned char *in = calloc(n ? n : 1, 1); /* 1: in the subtree (t), 2: merged into it (p) */
    struct scope_pick *pick = malloc((n ? n : 1) * sizeof *pick);
    if (!in || !pick) {
        free(in);
        free(pick);
        return -err_set(e, ERR_NOMEM, "units", "out of memory");
    }
    /* the subtree on the day: units valid then whose parent is in it, level by level */
    size_t k = 0;
    if (ent_valid_on(root, as_of)) in[root - u->ent] = 1;
    for (int more = 1; more;) {
        more = 0;
        for (size_t i = 0; i < n; i++)
            if (!in[i] && u->ent[i].parent_i >= 0 && in[u->ent[i].parent_i] == 1 &&
                ent_valid_on(&u->ent[i], as_of))
                in[i] = more = 1;
    }
    /* then every unit whose successor is among them, transitively, whatever its period */
    for (int more = 1; more;) {
        more = 0;
        for (size_t i = 0; i < n; i++)
            if (!in[i] && u->ent[i].successor_i >= 0 && in[u->ent[i].successor_i])
                in[i] = 2, more = 1;
    }
    for (size_t i = 0; i < n; i++)
        if (in[i])
            pick[k++] =
                (struct scope_pick){u->pool + u->ent[i].ident_code, u->ent[i].code, (int32_t)i};
    free(in);
    qsort(pick, k, sizeof *pick, cmp_scope);
    int rc = 0;
    for (size_t i = 0; !rc && i < k; i++) {
        struct unit x;
        copy_unit(s, &u->ent[pick[i].i], &x);
        if (scope_add(&x, r)) rc = err_set(e, ERR_NOMEM, "units", "out of memory");
    }
    free(pick);
    return rc ? -rc : 1;
}

/* The scope is read once per connection and kept (SQ_SCOPE_CACHE of them) while the tree's
 * change counter (migration 007, sq_units_version) stays the same; inside a write transaction it is
 * neither taken from nor put into the cache, since the counter may be rolled back. */
int store_unit_scope(struct store *s, const char *code, int64_t as_of, unit_fn fn, void *ctx,
                     struct err *e)
{
    int cacheable = !(s->tx_depth > 0) && strlen(code) < UNIT_CODE_MAX;
    int64_t version = 0;
    if (cacheable) {
        int rc = sq_units_version(s, &version, e);
        if (rc) return rc;
    }
    struct sq_scope *hit = NULL;
    for (int i = 0; cacheable && i < SQ_SCOPE_CACHE && !hit; i++) {
        struct sq_scope *c = &s->scope[i];
        if (c->u && c->version == version && c->day == as_of && !strcmp(c->root, code)) hit = c;
    }
    if (!hit) {
        struct scope_read r = {NULL, 0, 0};
        int rc = scope_from_copy(s, code, as_of, &r, e);
        rc = rc < 0 ? -rc : rc ? 0 : scope_query(s, code, as_of, &r, e);
        /* A slot to replace: the next one not being handed out by an outer call. */
        for (int i = 0; !rc && cacheable && i < SQ_SCOPE_CACHE && !hit; i++) {
            struct sq_scope *c = &s->scope[(s->scope_next + i) % SQ_SCOPE_CACHE];
            if (!c->pinned) hit = c;
        }
        if (rc || !hit) {
            for (int i = 0; !rc && i < r.n; i++)
                rc = fn(&r.u[i], ctx);
            free(r.u);
            return rc;
        }
        s->scope_next = (int)(hit - s->scope + 1) % SQ_SCOPE_CACHE;
        free(hit->u);
        snprintf(hit->root, sizeof hit->root, "%s", code);
        hit->day = as_of;
        hit->version = version;
        hit->n = r.n;
        hit->u = r.u ? r.u : malloc(sizeof *r.u); /* an empty scope is kept too */
        if (!hit->u) return err_set(e, ERR_NOMEM, "units", "out of memory");
    }
    /* Pinned while the callback runs, in case it asks for scopes itself. */
    int rc = 0;
    hit->pinned++;
    for (int i = 0; !rc && i < hit->n; i++)
        rc = fn(&hit->u[i], ctx);
    hit->pinned--;
    return rc;
}

int store_unit_resolve(struct store *s, const char *code, int64_t as_of, struct unit *out,
                       struct err *e)
{
    char cur[UNIT_CODE_MAX], day[16], day2[16];
    snprintf(cur, sizeof cur, "%s", code);
    for (int hops = 0; hops < 64; hops++) {
        int rc = store_unit_get(s, cur, out, e);
        if (rc) return rc;
        if (unit_valid_on(out, as_of)) return 0;
        if (as_of < out->valid_from)
            return err_set(e, ERR_NOT_FOUND, "as_of", "unit '%s' did not exist yet on %s", cur,
                           day_format(as_of, day));
        if (!out->successor[0])
            return err_set(e, ERR_NOT_FOUND, "as_of",
                           "unit '%s' ended on %s with no successor, so nothing stands for it "
                           "on %s",
                           cur, day_format(out->valid_to, day), day_format(as_of, day2));
        snprintf(cur, sizeof cur, "%s", out->successor);
    }
    return err_set(e, ERR_CONFLICT, "successor", "unit '%s': successor chain longer than 64", code);
}

int store_unit_predecessors(struct store *s, const char *code, unit_fn fn, void *ctx, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_PREDECESSORS, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, code);
    rc = each_unit(s, st, fn, ctx, e);
    sq_done(s, st);
    return rc;
}

/* --- contacts (migration 014) --- */

/* keyed with the unit's province since migration 035 (store_unit_root): one shard */
static const char SQL_CONTACT_PUT[] =
    "INSERT INTO unit_contacts (province, unit, address, phone, hours) "
    "VALUES (?5, ?1, ?2, ?3, ?4) "
    "ON CONFLICT (province, unit) DO UPDATE SET address = excluded.address, "
    "phone = excluded.phone, hours = excluded.hours";
/* The unit (rank 0), its desks (1), then its ancestors (2, 4 …): the first with a contact. */
static const char SQL_CONTACT_FIND[] =
    "WITH RECURSIVE up(code, depth) AS (SELECT CAST(?1 AS TEXT), 0 UNION ALL "
    "SELECT u.parent, up.depth + 2 FROM units u JOIN up ON u.code = up.code "
    "WHERE u.parent IS NOT NULL AND up.depth < 64), "
    "cand(code, depth) AS (SELECT code, depth FROM up UNION ALL "
    "SELECT code, 1 FROM units WHERE parent = ?1 AND kind = 'desk') "
    "SELECT c.unit, c.address, c.phone, c.hours FROM cand JOIN unit_contacts c "
    "ON c.province = ?2 AND c.unit = cand.code ORDER BY cand.depth, c.unit LIMIT 1";

int store_unit_contact_put(struct store *s, const struct unit_contact *c, struct err *e)
{
    int rc = unit_contact_check(c, e);
    if (rc) return rc;
    struct unit u;
    if ((rc = store_unit_get(s, c->unit, &u, e))) return rc;
    char province[UNIT_CODE_MAX];
    if ((rc = store_unit_root(s, c->unit, province, sizeof province, e))) return rc;
    struct db_stmt *st;
    if ((rc = sq_prep(s, SQL_CONTACT_PUT, &st, e))) return rc;
    db_bind_text(st, 5, province);
    db_bind_text(st, 1, c->unit);
    db_bind_text(st, 2, c->address);
    db_bind_text(st, 3, c->phone);
    db_bind_text(st, 4, c->hours);
    int step = db_step(st);
    if (step != DB_DONE) rc = sq_fail(s, step, "writing a unit's contact", e);
    sq_done(s, st);
    return rc;
}

/* The refusal for a unit with no contact, read or remembered. */
static int no_contact(const char *unit, struct err *e)
{
    return err_set(e, ERR_NOT_FOUND, "unit", "unit '%s': no contact for it, its desk or above",
                   unit);
}

static int contact_read(struct store *s, const char *unit, struct unit_contact *out, struct err *e)
{
    char province[UNIT_CODE_MAX];
    int rc = store_unit_root(s, unit, province, sizeof province, e);
    if (rc) return rc;
    struct db_stmt *st;
    if ((rc = sq_prep(s, SQL_CONTACT_FIND, &st, e))) return rc;
    db_bind_text(st, 1, unit);
    db_bind_text(st, 2, province);
    int step = db_step(st);
    if (step == DB_ROW) {
        memset(out, 0, sizeof *out);
        snprintf(out->unit, sizeof out->unit, "%s", db_col_text(st, 0) ? db_col_text(st, 0) : "");
        snprintf(out->address, sizeof out->address, "%s",
                 db_col_text(st, 1) ? db_col_text(st, 1) : "");
        snprintf(out->phone, sizeof out->phone, "%s", db_col_text(st, 2) ? db_col_text(st, 2) : "");
        snprintf(out->hours, sizeof out->hours, "%s", db_col_text(st, 3) ? db_col_text(st, 3) : "");
    } else if (step == DB_DONE)
        rc = no_contact(unit, e);
    else
        rc = sq_fail(s, step, "reading a unit's contact", e);
    sq_done(s, st);
    return rc;
}

/* The answers of store_unit_contact_find kept per connection: the citizen's lookup asks for
 * the receiving unit's contact on every request, a recursive statement over the units and
 * unit_contacts that changes only with them. An answer holds while units_version is the one
 * it was read at (migrations 007 and 052 move it with every change to either table); "no
 * contact" is kept too. As the units' copy: not used inside a write transaction. */
#define SQ_CONTACT_MEMO 16
struct sq_contact_memo {
    char unit[UNIT_CODE_MAX]; /* "": the slot is empty */
    int64_t version;
    int found;
    struct unit_contact c;
};

void sq_contact_memo_free(struct store *s)
{
    free(s->contact_memo);
    s->contact_memo = NULL;
}

int store_unit_contact_find(struct store *s, const char *unit, struct unit_contact *out,
                            struct err *e)
{
    int64_t version;
    int rc = strlen(unit) < UNIT_CODE_MAX ? sq_ref_version(s, &version, e) : 0;
    if (rc < 0) return -rc;
    if (!rc) return contact_read(s, unit, out, e);
    if (!s->contact_memo && !(s->contact_memo = calloc(SQ_CONTACT_MEMO, sizeof *s->contact_memo)))
        return err_set(e, ERR_NOMEM, "", "out of memory");
    struct sq_contact_memo *m = NULL;
    for (int i = 0; i < SQ_CONTACT_MEMO && !m; i++)
        if (!strcmp(s->contact_memo[i].unit, unit)) m = &s->contact_memo[i];
    if (m && m->version == version) {
        if (m->found) {
            *out = m->c;
            return 0;
        }
        return no_contact(unit, e);
    }
    rc = contact_read(s, unit, out, e);
    if (rc && rc != ERR_NOT_FOUND) return rc;
    if (!m) {
        m = &s->contact_memo[s->contact_memo_next];
        s->contact_memo_next = (s->contact_memo_next + 1) % SQ_CONTACT_MEMO;
    }
    snprintf(m->unit, sizeof m->unit, "%s", unit);
    m->version = version;
    m->found = !rc;
    if (!rc) m->c = *out;
    return rc;
}
