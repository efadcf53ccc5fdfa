/* par_score.c — PAR index scoring: per-unit score cells, totals and area components, index %,
 * competition ranking (ties share a rank: 1, 2, 2, 4), comparison with the previous year
 * (through successor codes for merged units) and target tracking ("up 10 places").
 * One pass over the leaves per unit plus one sort: O(units × leaves + units log units). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "par.h"
#include "strmap.h"

struct unit_cells {
    char *code, *name;
    par_pts *cell; /* nleaves × PAR_NKINDS */
};

struct par_scores {
    const struct par_set *set;
    int n, cap;
    struct unit_cells *u;
    struct strmap map;
};

/* Element count for an allocation: at least 1, so that malloc(0) never returns NULL. */
static size_t alloc_n(int n)
{
    return n > 0 ? (size_t)n : 1;
}

static const char *const kind_names[PAR_NKINDS] = {"self", "appraised", "survey", "metric"};

const char *par_kind_name(enum par_kind k)
{
    return (unsigned)k < PAR_NKINDS ? kind_names[k] : "?";
}

int par_scores_new(const struct par_set *set, struct par_scores **out, struct err *e)
{
    if (!set->valid)
        return err_set(e, ERR_INVALID, "set", "the criteria set must be validated before scoring");
    struct par_scores *sc = calloc(1, sizeof *sc);
    if (!sc) return err_set(e, ERR_NOMEM, "", "out of memory");
    sc->set = set;
    *out = sc;
    return 0;
}

void par_scores_free(struct par_scores *sc)
{
    if (!sc) return;
    for (int i = 0; i < sc->n; i++) {
        free(sc->u[i].code);
        free(sc->u[i].name);
        free(sc->u[i].cell);
    }
    free(sc->u);
    strmap_free(&sc->map);
    free(sc);
}

static int add_unit(struct par_scores *sc, const char *code, struct err *e)
{
    if (sc->n == sc->cap) {
        int cap = sc->cap ? sc->cap * 2 : 64;
        struct unit_cells *g = realloc(sc->u, (size_t)cap * sizeof *g);
        if (!g) return err_set(e, ERR_NOMEM, "", "out of memory");
        sc->u = g;
        sc->cap = cap;
    }
    size_t ncell = (size_t)sc->set->nleaves * PAR_NKINDS;
    struct unit_cells u = {strdup(code), NULL, malloc(ncell * sizeof(par_pts))};
    if (!u.code || !u.cell || strmap_put(&sc->map, u.code, sc->n) != 0) {
        free(u.code);
        free(u.cell);
        return err_set(e, ERR_NOMEM, "", "out of memory");
    }
    for (size_t i = 0; i < ncell; i++)
        u.cell[i] = PAR_NONE;
    sc->u[sc->n++] = u;
    return 0;
}

int par_scores_unit(struct par_scores *sc, const char *code, const char *name, int *unit,
                    struct err *e)
{
    if (!code || !*code) return err_set(e, ERR_INVALID, "unit", "unit: the unit code is empty");
    if (strlen(code) >= PAR_CODE_MAX)
        return err_set(e, ERR_INVALID, "unit", "unit: '%s' is longer than %d characters", code,
                       PAR_CODE_MAX - 1);
    int i = strmap_get(&sc->map, code);
    if (i < 0) {
        int rc = add_unit(sc, code, e);
        if (rc) return rc;
        i = sc->n - 1;
    }
    if (name && *name && !sc->u[i].name && !(sc->u[i].name = strdup(name)))
        return err_set(e, ERR_NOMEM, "", "out of memory");
    *unit = i;
    return 0;
}

int par_scores_nunits(const struct par_scores *sc)
{
    return sc->n;
}

const struct par_set *par_scores_set(const struct par_scores *sc)
{
    return sc->set;
}

const char *par_scores_unit_code(const struct par_scores *sc, int unit)
{
    return sc->u[unit].code;
}

static int kind_fits(enum par_method m, enum par_kind k)
{
    switch (k) {
    case PAR_SELF:
    case PAR_APPRAISED:
        return m == PAR_MANUAL || m == PAR_COMPUTED;
    case PAR_SURVEYED:
        return m == PAR_SURVEY;
    case PAR_METRIC:
        return m == PAR_COMPUTED;
    default:
        return 0;
    }
}

static const char *kind_hint(enum par_method m)
{
    return m == PAR_SURVEY   ? "its points come from the survey column"
           : m == PAR_MANUAL ? "it takes self and appraised scores"
                             : "it takes a metric, or self and appraised scores";
}

int par_scores_put(struct par_scores *sc, int unit, const char *node, enum par_kind kind, par_pts v,
                   struct err *e)
{
    const struct par_set *s = sc->set;
    const char *ucode = sc->u[unit].code;
    int i = par_set_find(s, node);
    if (i < 0)
        return err_set(e, ERR_INVALID, "node",
                       "unit '%s': node '%s' is not a criterion of set '%s'", ucode, node, s->code);
    const struct par_node *n = &s->node[i];
    if (n->leaf < 0)
        return err_set(e, ERR_INVALID, "node",
                       "unit '%s': node '%s' has sub-criteria; its points are their sum, so score "
                       "the sub-criteria",
                       ucode, node);
    if (!kind_fits(n->method, kind))
        return err_set(e, ERR_INVALID, kind_names[kind],
                       "unit '%s': node '%s' is scored %s and takes no %s value (%s)", ucode, node,
                       par_method_name(n->method), kind_names[kind], kind_hint(n->method));
    char a[32], b[32];
    if (kind != PAR_METRIC) {
        if (v < 0)
            return err_set(e, ERR_INVALID, kind_names[kind],
                           "unit '%s': node '%s': %s points %s are negative", ucode, node,
                           kind_names[kind], par_pts_format(v, 0, a));
        if (v > n->max)
            return err_set(e, ERR_INVALID, kind_names[kind],
                           "unit '%s': node '%s': %s points %s exceed the node's max %s", ucode,
                           node, kind_names[kind], par_pts_format(v, 0, a),
                           par_pts_format(n->max, 0, b));
        int dec = par_node_decimals(s, i);
        int64_t unit_step = 1;
        for (int k = dec; k < PAR_DEC_MAX; k++)
            unit_step *= 10;
        if (v % unit_step)
            return err_set(e, ERR_INVALID, kind_names[kind],
                           "unit '%s': node '%s': %s points %s have more than the %d decimal%s "
                           "the set allows",
                           ucode, node, kind_names[kind], par_pts_format(v, 0, a), dec,
                           dec == 1 ? "" : "s");
    }
    sc->u[unit].cell[(size_t)n->leaf * PAR_NKINDS + kind] = v;
    return 0;
}

par_pts par_scores_get(const struct par_scores *sc, int unit, int leaf, enum par_kind kind)
{
    return sc->u[unit].cell[(size_t)leaf * PAR_NKINDS + kind];
}

/* ---- ranking --------------------------------------------------------------------------- */

struct rank_item {
    int64_t v;
    const char *key;
    int i;
};

static int rank_cmp(const void *pa, const void *pb)
{
    const struct rank_item *a = pa, *b = pb;
    if (a->v != b->v) return a->v > b->v ? -1 : 1;
    if (a->key && b->key) {
        int c = strcmp(a->key, b->key);
        if (c) return c;
    }
    return (a->i > b->i) - (a->i < b->i);
}

void par_rank(const int64_t *value, const char *const *tiebreak, int n, int *order, int *rank)
{
    struct rank_item *it = malloc(sizeof *it * alloc_n(n));
    if (!it) { /* keep going without the sort's scratch: O(n^2) but correct */
        for (int i = 0; i < n; i++) {
            rank[i] = 1;
            order[i] = i;
            for (int j = 0; j < n; j++)
                rank[i] += value[j] > value[i];
        }
        return;
    }
    for (int i = 0; i < n; i++)
        it[i] = (struct rank_item){value[i], tiebreak ? tiebreak[i] : NULL, i};
    qsort(it, (size_t)n, sizeof *it, rank_cmp);
    for (int k = 0; k < n; k++) {
        order[k] = it[k].i;
        rank[it[k].i] = (k > 0 && it[k].v == it[k - 1].v) ? rank[it[k - 1].i] : k + 1;
    }
    free(it);
}

/* ---- results --------------------------------------------------------------------------- */

par_pts par_leaf_points(const struct par_node *n, const par_pts *cell)
{
    if (n->method == PAR_SURVEY) return cell[PAR_SURVEYED];
    if (cell[PAR_APPRAISED] != PAR_NONE) return cell[PAR_APPRAISED];
    if (n->method == PAR_COMPUTED && cell[PAR_METRIC] != PAR_NONE)
        return par_rule_points(&n->rule, cell[PAR_METRIC]);
    return cell[PAR_SELF];
}

static int add_missing(struct par_results *r, int *cap, int unit, int node)
{
    if (r->nmissing == *cap) {
        int c = *cap ? *cap * 2 : 64;
        struct par_missing *g = realloc(r->missing, (size_t)c * sizeof *g);
        if (!g) return -1;
        r->missing = g;
        *cap = c;
    }
    r->missing[r->nmissing++] = (struct par_missing){unit, node};
    return 0;
}

static int score_unit(const struct par_set *s, const struct unit_cells *uc, int unit,
                      struct par_unit_result *out, struct par_results *r, int *mcap)
{
    out->unit = unit;
    out->code = uc->code;
    out->name = uc->name ? uc->name : "";
    for (int l = 0; l < s->nleaves; l++) {
        const struct par_node *n = &s->node[s->leaves[l]];
        par_pts p = par_leaf_points(n, uc->cell + (size_t)l * PAR_NKINDS);
        if (p == PAR_NONE) {
            out->missing++;
            if (add_missing(r, mcap, unit, s->leaves[l]) != 0) return -1;
            continue;
        }
        out->area[n->area] += p;
        out->total += p;
        if (n->method == PAR_SURVEY) out->survey_total += p;
    }
    out->index = (out->total * 100 * PAR_SCALE + s->max / 2) / s->max;
    out->target_index = PAR_NONE;
    return 0;
}

static int sort_results(struct par_results *r)
{
    int n = r->n;
    int64_t *v = calloc(alloc_n(n), sizeof *v);
    const char **k = calloc(alloc_n(n), sizeof *k);
    int *order = malloc(sizeof *order * alloc_n(n));
    int *rank = malloc(sizeof *rank * alloc_n(n));
    struct par_unit_result *sorted = malloc(sizeof *sorted * alloc_n(n));
    int rc = -1;
    if (!v || !k || !order || !rank || !sorted) goto out;
    for (int i = 0; i < n; i++) {
        v[i] = r->u[i].total;
        k[i] = r->u[i].code;
    }
    par_rank(v, k, n, order, rank);
    for (int i = 0; i < n; i++) {
        sorted[i] = r->u[order[i]];
        sorted[i].rank = rank[order[i]];
    }
    memcpy(r->u, sorted, sizeof *sorted * (size_t)n);
    rc = 0;
out:
    free(v);
    free(k);
    free(order);
    free(rank);
    free(sorted);
    return rc;
}

int par_compute(const struct par_set *s, const struct par_scores *sc, struct par_results **out,
                struct err *e)
{
    if (!s->valid || sc->set != s)
        return err_set(e, ERR_INVALID, "set", "scores and results need the same validated set");
    struct par_results *r = calloc(1, sizeof *r);
    if (!r) return err_set(e, ERR_NOMEM, "", "out of memory");
    r->set = s;
    r->n = sc->n;
    r->u = calloc(alloc_n(sc->n), sizeof *r->u);
    r->area_store = calloc(alloc_n(sc->n) * (size_t)s->nareas, sizeof(par_pts));
    int mcap = 0;
    if (!r->u || !r->area_store) goto nomem;
    for (int i = 0; i < sc->n; i++) {
        r->u[i].area = r->area_store + (size_t)i * (size_t)s->nareas;
        if (score_unit(s, &sc->u[i], i, &r->u[i], r, &mcap) != 0) goto nomem;
    }
    if (sort_results(r) != 0) goto nomem;
    *out = r;
    return 0;
nomem:
    par_results_free(r);
    return err_set(e, ERR_NOMEM, "", "out of memory");
}

void par_results_free(struct par_results *r)
{
    if (!r) return;
    free(r->u);
    free(r->area_store);
    free(r->missing);
    free(r);
}

struct par_unit_result *par_results_find(struct par_results *r, const char *code)
{
    for (int i = 0; i < r->n; i++)
        if (!strcmp(r->u[i].code, code)) return &r->u[i];
    return NULL;
}

/* ---- previous year and targets --------------------------------------------------------- */

static int results_map(const struct par_results *r, struct strmap *m, struct err *e)
{
    for (int i = 0; i < r->n; i++)
        if (strmap_put(m, r->u[i].code, i) != 0) return err_set(e, ERR_NOMEM, "", "out of memory");
    return 0;
}

/* Ranks of the previous year: all given, or all computed from the index. */
static int prev_ranks(const struct par_prev_entry *p, int n, int *rank, struct err *e)
{
    int given = 0;
    for (int i = 0; i < n; i++) {
        if (p[i].rank < 0)
            return err_set(e, ERR_INVALID, "rank", "%s: rank: %d is not a rank (1, 2, …)",
                           p[i].where, p[i].rank);
        given += p[i].rank > 0;
    }
    if (given && given != n)
        return err_set(e, ERR_INVALID, "rank",
                       "previous results give a rank for %d of %d units; give all or none", given,
                       n);
    if (given) {
        for (int i = 0; i < n; i++)
            rank[i] = p[i].rank;
        return 0;
    }
    int64_t *v = malloc(sizeof *v * alloc_n(n));
    int *order = malloc(sizeof *order * alloc_n(n));
    if (!v || !order) {
        free(v);
        free(order);
        return err_set(e, ERR_NOMEM, "", "out of memory");
    }
    for (int i = 0; i < n; i++)
        v[i] = p[i].index;
    par_rank(v, NULL, n, order, rank);
    free(v);
    free(order);
    return 0;
}

static int check_prev_codes(const struct par_prev_entry *p, int n, struct err *e)
{
    struct strmap seen = {0};
    int rc = 0;
    for (int i = 0; i < n && !rc; i++) {
        int j = strmap_get(&seen, p[i].code);
        if (j >= 0)
            rc = err_set(e, ERR_INVALID, "unit", "%s: unit: '%s' already appears at %s", p[i].where,
                         p[i].code, p[j].where);
        else if (strmap_put(&seen, p[i].code, i) != 0)
            rc = err_set(e, ERR_NOMEM, "", "out of memory");
    }
    strmap_free(&seen);
    return rc;
}

int par_compare_previous(struct par_results *r, const struct par_prev_entry *p, int n,
                         struct err *e)
{
    int rc = check_prev_codes(p, n, e);
    if (rc) return rc;
    int *rank = malloc(sizeof *rank * alloc_n(n));
    int64_t *sum = calloc(alloc_n(r->n), sizeof *sum);
    struct strmap m = {0};
    if (!rank || !sum) {
        rc = err_set(e, ERR_NOMEM, "", "out of memory");
        goto out;
    }
    if ((rc = prev_ranks(p, n, rank, e)) || (rc = results_map(r, &m, e))) goto out;
    for (int i = 0; i < r->n; i++)
        r->u[i].npred = 0;
    r->prev_unmatched = 0;
    for (int i = 0; i < n; i++) {
        int j = strmap_get(&m, p[i].successor[0] ? p[i].successor : p[i].code);
        if (j < 0) {
            r->prev_unmatched++;
            continue;
        }
        r->u[j].npred++;
        r->u[j].prev_rank = rank[i];
        sum[j] += p[i].index;
    }
    for (int j = 0; j < r->n; j++) {
        struct par_unit_result *u = &r->u[j];
        u->prev = u->npred == 0 ? PAR_PREV_NONE : u->npred == 1 ? PAR_PREV_ONE : PAR_PREV_MERGED;
        if (u->prev == PAR_PREV_NONE) continue;
        u->prev_index = (sum[j] + u->npred / 2) / u->npred;
        u->index_change = u->index - u->prev_index;
        if (u->prev == PAR_PREV_MERGED) u->prev_rank = 0;
        u->rank_change = u->prev == PAR_PREV_ONE ? u->prev_rank - u->rank : 0;
    }
out:
    strmap_free(&m);
    free(rank);
    free(sum);
    return rc;
}

static int check_target(const struct par_target *t, struct err *e)
{
    if (t->up < 0 || t->rank < 0)
        return err_set(e, ERR_INVALID, "target", "%s: target: places and ranks must be positive",
                       t->where);
    if (t->up && t->rank)
        return err_set(e, ERR_INVALID, "target",
                       "%s: target: give either 'up' (places) or 'rank' for unit '%s', not both",
                       t->where, t->code);
    if (!t->up && !t->rank && t->index == PAR_NONE)
        return err_set(e, ERR_INVALID, "target", "%s: target: unit '%s' has no target value",
                       t->where, t->code);
    return 0;
}

static void apply_target(struct par_unit_result *u, const struct par_target *t)
{
    u->has_target = 1;
    u->target_index = t->index;
    u->target_rank = t->rank;
    if (t->up) /* "up N places" is measured from last year's rank; unknown without one */
        u->target_rank =
            u->prev == PAR_PREV_ONE ? (u->prev_rank - t->up > 1 ? u->prev_rank - t->up : 1) : 0;
    if (t->up && !u->target_rank) {
        u->target_met = -1;
        return;
    }
    u->target_met = 1;
    if (u->target_rank && u->rank > u->target_rank) u->target_met = 0;
    if (t->index != PAR_NONE && u->index < t->index) u->target_met = 0;
}

/* Checks every target first, so that a bad one leaves the results unchanged. */
int par_apply_targets(struct par_results *r, const struct par_target *t, int n, struct err *e)
{
    struct strmap m = {0};
    int *at = malloc(sizeof *at * alloc_n(n));
    int *seen = calloc(alloc_n(r->n), sizeof *seen);
    int rc = (!at || !seen) ? err_set(e, ERR_NOMEM, "", "out of memory") : results_map(r, &m, e);
    for (int i = 0; i < n && !rc; i++) {
        int j = at[i] = strmap_get(&m, t[i].code);
        if (j < 0)
            rc = err_set(e, ERR_INVALID, "unit", "%s: unit: '%s' has no results in this round",
                         t[i].where, t[i].code);
        else if (seen[j])
            rc = err_set(e, ERR_INVALID, "unit", "%s: unit: '%s' already has a target at %s",
                         t[i].where, t[i].code, t[seen[j] - 1].where);
        else if (!(rc = check_target(&t[i], e)))
            seen[j] = i + 1;
    }
    for (int i = 0; i < r->n && !rc; i++)
        r->u[i].has_target = 0;
    for (int i = 0; i < n && !rc; i++)
        apply_target(&r->u[at[i]], &t[i]);
    strmap_free(&m);
    free(at);
    free(seen);
    return rc;
}
