/* par.h — the PAR index (Chỉ số cải cách hành chính): criteria sets as trees, per-unit scores,
 * totals, component scores per area, index %, ranking with ties, change against the previous
 * year and target tracking. Pure logic: no files (src/report/par_io.c reads and writes them).
 *
 * Points are fixed-point integers in THOUSANDTHS of a point (par_pts): 12.5 points = 12500.
 * Sums, comparisons and ties are therefore exact; no floating point is used anywhere here.
 * Metric values (e.g. "99.4 % on time") use the same thousandths scale. An index % is kept in
 * thousandths of a percent (87.12 % = 87120). */
#ifndef CCHC_PAR_H
#define CCHC_PAR_H

#include <stdint.h>

#include "err.h"

typedef int64_t par_pts;
#define PAR_SCALE     1000
#define PAR_NONE      INT64_MIN /* "no value" in a score cell or an optional field */
#define PAR_CODE_MAX  32
#define PAR_RULE_MAX  8
#define PAR_DEPTH_MAX 8
#define PAR_DEC_MAX   3 /* decimals a set may allow: thousandths are the finest unit */

/* How a leaf node gets its points. Nodes with children get the sum of their children. */
enum par_method {
    PAR_METHOD_NONE = 0, /* not given: only valid for nodes with children */
    PAR_MANUAL,          /* self-assessed by the unit, appraised by the council */
    PAR_COMPUTED,        /* from a metric (e.g. % of dossiers on time) through a rule table */
    PAR_SURVEY,          /* from the sociological survey (điều tra xã hội học) */
};

enum par_scope {
    PAR_SCOPE_NONE = 0,
    PAR_SCOPE_MINISTRY,   /* bộ, cơ quan ngang bộ */
    PAR_SCOPE_PROVINCE,   /* UBND tỉnh, thành phố trực thuộc TW */
    PAR_SCOPE_DEPARTMENT, /* sở, ban, ngành */
    PAR_SCOPE_DISTRICT,   /* UBND huyện (abolished 1/7/2025; kept for history) */
    PAR_SCOPE_COMMUNE,    /* UBND xã, phường, thị trấn */
};

enum par_cmp { PAR_GE = 1, PAR_LE = 2 };

/* A rule table: for PAR_GE the first step whose threshold <= value gives its points
 * ("100% on time → 1.0, ≥ 90% → 0.5, else 0" is >=100:1;>=90:0.5;else:0); PAR_LE mirrors it
 * for metrics where lower is better (e.g. % late). */
struct par_rule_step {
    par_pts threshold;
    par_pts points;
};
struct par_rule {
    int n; /* 0: no rule */
    enum par_cmp cmp;
    struct par_rule_step step[PAR_RULE_MAX];
    par_pts otherwise; /* points when no step matches */
};

/* What an importer hands to par_set_add_node; strings are copied. */
struct par_node_in {
    const char *code, *parent; /* parent "" or NULL: a top-level area */
    const char *title, *evidence, *metric;
    par_pts max;
    enum par_method method;
    struct par_rule rule;
    int decimals;      /* -1: the set's */
    const char *where; /* "FILE:LINE" or "FILE: $.nodes[2]" for messages */
};

struct par_node {
    char code[PAR_CODE_MAX], parent_code[PAR_CODE_MAX];
    char *title, *evidence, *metric, *where;
    par_pts max;
    enum par_method method;
    struct par_rule rule;
    int decimals;
    /* filled by par_set_validate */
    int parent, depth, area, leaf; /* leaf: index among leaves, -1 for inner nodes */
    int first_child, next_sibling, nchildren;
};

struct par_set {
    char code[PAR_CODE_MAX], version[32];
    int year;
    enum par_scope scope;
    char *title, *legal_source, *source; /* source: file name, for messages */
    int decimals;                        /* decimals allowed in scores (0..3); default 2 */
    par_pts declared_max;                /* "max" in the file, or PAR_NONE */
    int n, cap;
    struct par_node *node;
    /* filled by par_set_validate */
    int valid, nareas, nleaves;
    par_pts max;
    int *areas, *leaves; /* node indices, in file order */
    int count_by_depth[PAR_DEPTH_MAX];
    void *index; /* code -> node */
};

struct par_set *par_set_new(void);
void par_set_free(struct par_set *s);
/* Replaces a string field of the set (title, legal_source, source). */
int par_set_text(char **field, const char *value, struct err *e);
/* Appends a node; checks only what needs no other node (code syntax, max > 0, decimals). */
int par_set_add_node(struct par_set *s, const struct par_node_in *in, struct err *e);

/* Validates the whole set and builds its index. Every problem is passed to report (when not
 * NULL) as one message "WHERE: field: problem"; the first one is also left in e. Checks: set
 * code/year/scope; codes unique; parent exists; no cycles; depth <= PAR_DEPTH_MAX; for nodes
 * with children, children's maxima sum to the node's max and no method of its own; leaves have
 * a method; computed leaves have a metric and a rule whose thresholds are strictly ordered,
 * whose points never rise as the metric worsens and never exceed the node's max; the declared
 * set max (if any) equals the sum of the areas. Returns 0 or ERR_INVALID. */
typedef void (*par_report_fn)(void *ctx, const struct err *problem);
int par_set_validate(struct par_set *s, par_report_fn report, void *ctx, struct err *e);
/* Node index of a code in a validated set, or -1. */
int par_set_find(const struct par_set *s, const char *code);
/* Decimals allowed for scores of node i. */
int par_node_decimals(const struct par_set *s, int i);

/* Parses a decimal number "12", "12.5", "0,25" (either separator) with at most max_decimals
 * decimals into thousandths. allow_negative for metrics. Fills e naming field on failure. */
int par_decimal_parse(const char *s, int max_decimals, int allow_negative, par_pts *out,
                      const char *field, struct err *e);
/* Writes v with at least `decimals` decimals (more if v needs them, up to 3). buf >= 32 bytes. */
char *par_pts_format(par_pts v, int decimals, char *buf);
/* Parses ">=100:1; >=90:0.5; else:0" (or "<=" steps). Checks syntax only. */
int par_rule_parse(const char *s, struct par_rule *out, const char *field, struct err *e);
/* Writes a rule back in the same syntax. buf >= 256 bytes. */
char *par_rule_format(const struct par_rule *r, char *buf, int bufsize);
/* Points a rule gives for a metric value. */
par_pts par_rule_points(const struct par_rule *r, par_pts value);

int par_method_parse(const char *s, enum par_method *out, struct err *e);
const char *par_method_name(enum par_method m); /* "manual", "computed", "survey", "" */
int par_scope_parse(const char *s, enum par_scope *out, struct err *e);
const char *par_scope_name(enum par_scope s);  /* "province" … */
const char *par_scope_label(enum par_scope s); /* Vietnamese: "tỉnh" … */

/* ---- scores ---------------------------------------------------------------------------- */

enum par_kind { PAR_SELF = 0, PAR_APPRAISED, PAR_SURVEYED, PAR_METRIC, PAR_NKINDS };
const char *par_kind_name(enum par_kind k); /* "self", "appraised", "survey", "metric" */

struct par_scores;
/* Scores of units against one validated set (which must outlive the scores). */
int par_scores_new(const struct par_set *set, struct par_scores **out, struct err *e);
void par_scores_free(struct par_scores *sc);
/* Finds or adds a unit; name may be NULL (kept if a later call gives one). */
int par_scores_unit(struct par_scores *sc, const char *code, const char *name, int *unit,
                    struct err *e);
int par_scores_nunits(const struct par_scores *sc);
const struct par_set *par_scores_set(const struct par_scores *sc);
const char *par_scores_unit_code(const struct par_scores *sc, int unit);
/* Sets (or re-sets: a re-scored appraisal replaces the earlier value) one value. Rejects: an
 * unknown node, a node with children, a kind that does not fit the node's method (self and
 * appraised on manual/computed nodes, survey on survey nodes, metric on computed nodes),
 * negative points, points above the node's max, more decimals than the set allows. */
int par_scores_put(struct par_scores *sc, int unit, const char *node, enum par_kind kind, par_pts v,
                   struct err *e);
/* The value of one cell, or PAR_NONE. leaf is the node's leaf index. */
par_pts par_scores_get(const struct par_scores *sc, int unit, int leaf, enum par_kind kind);

/* ---- results --------------------------------------------------------------------------- */

enum par_prev_state { PAR_PREV_NONE = 0, PAR_PREV_ONE, PAR_PREV_MERGED };

struct par_unit_result {
    int unit;
    const char *code, *name;
    par_pts total, survey_total; /* survey_total: points from survey nodes */
    int64_t index;               /* thousandths of a percent: total / set max */
    par_pts *area;               /* nareas component scores, in the set's area order */
    int missing;                 /* leaves with no usable score (counted as 0) */
    int rank;                    /* competition ranking: 1, 2, 2, 4 */
    /* par_compare_previous */
    enum par_prev_state prev;
    int prev_rank, rank_change, npred; /* rank_change > 0: moved up */
    int64_t prev_index, index_change;
    /* par_apply_targets */
    int has_target, target_rank, target_met;
    int64_t target_index; /* PAR_NONE when no index target */
};

struct par_missing {
    int unit, node; /* node index in the set */
};

struct par_results {
    const struct par_set *set;
    int n; /* units, in rank order (ties by unit code) */
    struct par_unit_result *u;
    int nmissing;
    struct par_missing *missing; /* every missing leaf, by unit then node order */
    int prev_unmatched;          /* previous-year units matching no current unit */
    par_pts *area_store;
};

/* The points one leaf n earns from its cells (cell[k] for each enum par_kind, PAR_NONE when
 * absent): survey leaves their survey value; others the appraised score if present, else
 * (computed leaves) the rule applied to the metric, else the self score. PAR_NONE: missing. */
par_pts par_leaf_points(const struct par_node *n, const par_pts *cell);

/* Totals, components, index and ranks of every unit. A leaf's points: the appraised score if
 * present; else (computed nodes) the rule applied to the metric; else the self score; survey
 * nodes take the survey value. Leaves with none of these count 0 and are listed as missing. */
int par_compute(const struct par_set *set, const struct par_scores *sc, struct par_results **out,
                struct err *e);
void par_results_free(struct par_results *r);
/* Unit result by unit code, or NULL. */
struct par_unit_result *par_results_find(struct par_results *r, const char *code);

/* Previous year's published results. A unit matches a current unit by its successor code
 * when given (units merged on 1/7/2025), else by its own code. rank 0: computed from index. */
struct par_prev_entry {
    char code[PAR_CODE_MAX], successor[PAR_CODE_MAX];
    int64_t index; /* thousandths of a percent */
    int rank;
    const char *where;
};
/* Fills prev/rank_change/index_change. One predecessor: ranks and indexes compare directly.
 * Several predecessors (a merger): prev_index is their mean and the rank is not comparable
 * (prev_rank 0). Fails on duplicate codes or a non-positive rank. */
int par_compare_previous(struct par_results *r, const struct par_prev_entry *p, int n,
                         struct err *e);

/* A target: move up `up` places against last year, or reach `rank`, and/or reach `index`.
 * Fields not set are 0 (up, rank) or PAR_NONE (index). */
struct par_target {
    char code[PAR_CODE_MAX];
    int up, rank;
    int64_t index;
    const char *where;
};
int par_apply_targets(struct par_results *r, const struct par_target *t, int n, struct err *e);

/* Competition ranking of n values, higher is better: rank[i] = 1 + #values strictly greater.
 * order (n ints, caller-owned) receives indices sorted best first, ties by key order of
 * tiebreak (may be NULL: by index). O(n log n). */
void par_rank(const int64_t *value, const char *const *tiebreak, int n, int *order, int *rank);

#endif
