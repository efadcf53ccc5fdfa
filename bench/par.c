/* bench/par.c — PAR index results for 3,300 communes × 100 criteria: the time to compute
 * totals, area components, index and competition ranks (par_compute: one pass over the leaves
 * per unit, one sort), against a same-run baseline that walks the criteria tree recursively per
 * unit (looking each leaf up by code) and ranks by counting better units (O(n²)). Both must give
 * the same totals and ranks; the bench prints times and ratios, and asserts nothing else. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "par.h"

#define UNITS  3300
#define REPEAT 5

static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void add(struct par_set *s, const char *code, const char *parent, par_pts max,
                enum par_method m)
{
    struct par_node_in in = {0};
    struct err e;
    in.code = code;
    in.parent = parent;
    in.title = code;
    in.max = max;
    in.method = m;
    in.decimals = -1;
    in.where = "bench";
    if (m == PAR_COMPUTED) {
        in.metric = "on_time_pct";
        par_rule_parse(">=100:1;>=90:0.5;else:0", &in.rule, "rule", &e);
    }
    if (par_set_add_node(s, &in, &e)) {
        fprintf(stderr, "%s\n", e.msg);
        exit(1);
    }
}

/* 8 areas × 4 criteria × 3 sub-criteria (+1 leaf criterion in areas 5–8): 100 leaves of 1 point;
 * every 10th leaf computed from a metric, area 8 from the survey. */
static struct par_set *build_set(void)
{
    struct par_set *s = par_set_new();
    snprintf(s->code, sizeof s->code, "BENCH");
    s->year = 2024;
    s->scope = PAR_SCOPE_COMMUNE;
    int leaf = 0;
    for (int a = 1; a <= 8; a++) {
        char ac[16], cc[40], sc[64];
        snprintf(ac, sizeof ac, "A%d", a);
        add(s, ac, "", (a <= 4 ? 12 : 13) * PAR_SCALE, PAR_METHOD_NONE);
        for (int c = 1; c <= (a <= 4 ? 4 : 5); c++) {
            snprintf(cc, sizeof cc, "%s.C%d", ac, c);
            int subs = c <= 4 ? 3 : 0;
            add(s, cc, ac, (subs ? subs : 1) * PAR_SCALE, PAR_METHOD_NONE);
            for (int k = 1; k <= (subs ? subs : 1); k++) {
                enum par_method m = a == 8             ? PAR_SURVEY
                                    : ++leaf % 10 == 0 ? PAR_COMPUTED
                                                       : PAR_MANUAL;
                if (!subs) { /* the criterion itself is the leaf */
                    s->node[s->n - 1].method = m;
                    if (m == PAR_COMPUTED) {
                        s->node[s->n - 1].metric[0] = 'x';
                        par_rule_parse(">=100:1;>=90:0.5;else:0", &s->node[s->n - 1].rule, "r",
                                       NULL);
                    }
                    continue;
                }
                snprintf(sc, sizeof sc, "%s.S%d", cc, k);
                add(s, sc, cc, PAR_SCALE, m);
            }
        }
    }
    struct err e;
    if (par_set_validate(s, NULL, NULL, &e)) {
        fprintf(stderr, "bench set: %s\n", e.msg);
        exit(1);
    }
    return s;
}

static struct par_scores *fill(const struct par_set *s)
{
    struct par_scores *sc;
    struct err e;
    par_scores_new(s, &sc, &e);
    for (int u = 0; u < UNITS; u++) {
        char code[16];
        int ui;
        snprintf(code, sizeof code, "X%05d", u);
        par_scores_unit(sc, code, NULL, &ui, &e);
        for (int l = 0; l < s->nleaves; l++) {
            const struct par_node *n = &s->node[s->leaves[l]];
            if (next() % 100 == 0) continue; /* 1% missing */
            int rc = 0;
            if (n->method == PAR_SURVEY)
                rc =
                    par_scores_put(sc, ui, n->code, PAR_SURVEYED, (par_pts)(next() % 101) * 10, &e);
            else if (n->method == PAR_COMPUTED)
                rc = par_scores_put(sc, ui, n->code, PAR_METRIC,
                                    80 * PAR_SCALE + (par_pts)(next() % 20001), &e);
            else {
                rc = par_scores_put(sc, ui, n->code, PAR_SELF, (par_pts)(next() % 5) * 250, &e);
                if (!rc && next() % 10 < 7)
                    rc = par_scores_put(sc, ui, n->code, PAR_APPRAISED, (par_pts)(next() % 5) * 250,
                                        &e);
            }
            if (rc) {
                fprintf(stderr, "fill: %s\n", e.msg);
                exit(1);
            }
        }
    }
    return sc;
}

/* Baseline: recursive sum over the tree per unit, each leaf found by its code. */
static par_pts node_sum(const struct par_set *s, const struct par_scores *sc, int unit, int i)
{
    const struct par_node *n = &s->node[i];
    if (n->nchildren) {
        par_pts t = 0;
        for (int k = n->first_child; k >= 0; k = s->node[k].next_sibling)
            t += node_sum(s, sc, unit, k);
        return t;
    }
    int leaf = s->node[par_set_find(s, n->code)].leaf;
    par_pts ap = par_scores_get(sc, unit, leaf, PAR_APPRAISED),
            me = par_scores_get(sc, unit, leaf, PAR_METRIC),
            se = par_scores_get(sc, unit, leaf, PAR_SELF),
            sv = par_scores_get(sc, unit, leaf, PAR_SURVEYED);
    par_pts p = n->method == PAR_SURVEY                         ? sv
                : ap != PAR_NONE                                ? ap
                : (n->method == PAR_COMPUTED && me != PAR_NONE) ? par_rule_points(&n->rule, me)
                                                                : se;
    return p == PAR_NONE ? 0 : p;
}

int main(void)
{
    double t0 = now();
    struct par_set *s = build_set();
    struct par_scores *sc = fill(s);
    double t_fill = now() - t0;
    int nu = par_scores_nunits(sc);
    printf("PAR results: %d units × %d criteria (%d areas), best of %d runs\n", nu, s->nleaves,
           s->nareas, REPEAT);
    printf("  filling scores (par_scores_put, checked): %.1f ms\n", t_fill * 1e3);

    double best_ours = 1e9, best_agg = 1e9, best_rank = 1e9;
    struct par_results *r = NULL;
    par_pts *total = malloc(sizeof *total * (size_t)nu),
            *area = malloc(sizeof *area * (size_t)nu * 8);
    int *rank = malloc(sizeof *rank * (size_t)nu);
    for (int rep = 0; rep < REPEAT; rep++) {
        struct err e;
        par_results_free(r);
        double a = now();
        par_compute(s, sc, &r, &e);
        double b = now();
        for (int u = 0; u < nu; u++) {
            total[u] = 0;
            for (int k = 0; k < s->nareas; k++)
                total[u] += area[u * 8 + k] = node_sum(s, sc, u, s->areas[k]);
        }
        double c = now();
        for (int u = 0; u < nu; u++) {
            rank[u] = 1;
            for (int v = 0; v < nu; v++)
                rank[u] += total[v] > total[u];
        }
        double d = now();
        if (b - a < best_ours) best_ours = b - a;
        if (c - b < best_agg) best_agg = c - b;
        if (d - c < best_rank) best_rank = d - c;
    }
    int same = 1;
    for (int i = 0; i < r->n; i++) {
        const struct par_unit_result *u = &r->u[i];
        same &= u->total == total[u->unit] && u->rank == rank[u->unit];
        for (int k = 0; k < s->nareas; k++)
            same &= u->area[k] == area[u->unit * 8 + k];
    }
    int ties = 0;
    for (int i = 1; i < r->n; i++)
        ties += r->u[i].rank == r->u[i - 1].rank;
    double base = best_agg + best_rank;
    printf("  par_compute (leaf pass + sort ranking):  %8.2f ms\n", best_ours * 1e3);
    printf("  baseline: recursive tree walk per unit:  %8.2f ms\n", best_agg * 1e3);
    printf("  baseline: O(n^2) ranking:                %8.2f ms\n", best_rank * 1e3);
    printf("  baseline total:                          %8.2f ms  (ratio baseline / ours: %.1fx)\n",
           base * 1e3, base / best_ours);
    printf(
        "  results identical: %s; %d units share a rank with the unit above; missing cells: %d\n",
        same ? "yes" : "NO", ties, r->nmissing);
    printf("  best: %s %.2f%%, worst rank %d\n", r->u[0].code, r->u[0].index / 1000.0,
           r->u[r->n - 1].rank);
    free(total);
    free(area);
    free(rank);
    par_results_free(r);
    par_scores_free(sc);
    par_set_free(s);
    return same ? 0 : 1;
}
