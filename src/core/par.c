/* par.c — PAR criteria sets: building the tree, parsing points and rule tables, and validating
 * a set so that every problem is named with the file line (or JSON path) of the node at fault.
 * Points are integer thousandths (see par.h), so "children sum to the parent" is exact.
 * Scoring and ranking live in par_score.c. */
#include "par.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strmap.h"

struct par_set *par_set_new(void)
{
    struct par_set *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->decimals = 2;
    s->declared_max = PAR_NONE;
    return s;
}

static void node_free(struct par_node *n)
{
    free(n->title);
    free(n->evidence);
    free(n->metric);
    free(n->where);
}

static void index_free(struct par_set *s)
{
    if (s->index) {
        strmap_free(s->index);
        free(s->index);
    }
    s->index = NULL;
    free(s->areas);
    free(s->leaves);
    s->areas = s->leaves = NULL;
    s->valid = 0;
}

void par_set_free(struct par_set *s)
{
    if (!s) return;
    for (int i = 0; i < s->n; i++)
        node_free(&s->node[i]);
    free(s->node);
    free(s->title);
    free(s->legal_source);
    free(s->source);
    index_free(s);
    free(s);
}

int par_set_text(char **field, const char *value, struct err *e)
{
    char *copy = strdup(value ? value : "");
    if (!copy) return err_set(e, ERR_NOMEM, "", "out of memory");
    free(*field);
    *field = copy;
    return 0;
}

/* Codes are short identifiers: letters, digits and . _ - (e.g. "3", "3.2", "3.2.1", "TTHC-1"). */
static int code_check(const char *code, const char *where, const char *field, struct err *e)
{
    if (!code || !*code)
        return err_set(e, ERR_INVALID, field, "%s: %s: must not be empty", where, field);
    if (strlen(code) >= PAR_CODE_MAX)
        return err_set(e, ERR_INVALID, field, "%s: %s: '%s' is longer than %d characters", where,
                       field, code, PAR_CODE_MAX - 1);
    for (const char *p = code; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '.' && *p != '_' && *p != '-')
            return err_set(e, ERR_INVALID, field,
                           "%s: %s: '%s' may hold only letters, digits and . _ -", where, field,
                           code);
    return 0;
}

static char *dup_or_empty(const char *s)
{
    return strdup(s ? s : "");
}

int par_set_add_node(struct par_set *s, const struct par_node_in *in, struct err *e)
{
    const char *where = in->where ? in->where : "?";
    int rc = code_check(in->code, where, "code", e);
    if (rc) return rc;
    if (in->parent && *in->parent && (rc = code_check(in->parent, where, "parent", e))) return rc;
    if (in->max <= 0)
        return err_set(e, ERR_INVALID, "max", "%s: max: node '%s' needs a maximum above 0", where,
                       in->code);
    if (in->decimals < -1 || in->decimals > PAR_DEC_MAX)
        return err_set(e, ERR_INVALID, "decimals", "%s: decimals: %d is not between 0 and %d",
                       where, in->decimals, PAR_DEC_MAX);
    if (s->n == s->cap) {
        int cap = s->cap ? s->cap * 2 : 32;
        struct par_node *g = realloc(s->node, (size_t)cap * sizeof *g);
        if (!g) return err_set(e, ERR_NOMEM, "", "out of memory");
        s->node = g;
        s->cap = cap;
    }
    struct par_node *n = &s->node[s->n];
    memset(n, 0, sizeof *n);
    snprintf(n->code, sizeof n->code, "%s", in->code);
    snprintf(n->parent_code, sizeof n->parent_code, "%s", in->parent ? in->parent : "");
    n->title = dup_or_empty(in->title);
    n->evidence = dup_or_empty(in->evidence);
    n->metric = dup_or_empty(in->metric);
    n->where = dup_or_empty(where);
    if (!n->title || !n->evidence || !n->metric || !n->where) {
        node_free(n);
        return err_set(e, ERR_NOMEM, "", "out of memory");
    }
    n->max = in->max;
    n->method = in->method;
    n->rule = in->rule;
    n->decimals = in->decimals;
    s->n++;
    index_free(s);
    return 0;
}

/* ---- numbers --------------------------------------------------------------------------- */

int par_decimal_parse(const char *s, int max_decimals, int allow_negative, par_pts *out,
                      const char *field, struct err *e)
{
    const char *p = s ? s : "";
    while (*p == ' ')
        p++;
    int neg = 0;
    if (*p == '-' && allow_negative) {
        neg = 1;
        p++;
    }
    int64_t whole = 0, frac = 0;
    int digits = 0, decimals = 0;
    for (; isdigit((unsigned char)*p); p++, digits++) {
        if (whole > 1000000000LL) goto bad; /* 10^9 points is far beyond any index */
        whole = whole * 10 + (*p - '0');
    }
    if (*p == '.' || *p == ',') {
        p++;
        for (; isdigit((unsigned char)*p); p++, decimals++) {
            if (decimals >= PAR_DEC_MAX) {
                if (*p != '0') goto too_fine;
                continue; /* trailing zeros beyond thousandths are harmless */
            }
            frac = frac * 10 + (*p - '0');
        }
        if (!decimals) goto bad;
    }
    while (*p == ' ')
        p++;
    if (!digits || *p) goto bad;
    for (int i = decimals < PAR_DEC_MAX ? decimals : PAR_DEC_MAX; i < PAR_DEC_MAX; i++)
        frac *= 10;
    int64_t v = whole * PAR_SCALE + frac;
    /* decimals beyond max_decimals are allowed only when they are zeros ("1.50" with 1 decimal) */
    int64_t unit = 1;
    for (int i = max_decimals; i < PAR_DEC_MAX; i++)
        unit *= 10;
    if (v % unit) goto too_fine;
    *out = neg ? -v : v;
    return 0;
bad:
    return err_set(e, ERR_INVALID, field,
                   "%s: '%s' is not a %snumber (digits, '.' or ',' then decimals)", field,
                   s ? s : "", allow_negative ? "" : "non-negative ");
too_fine:
    return err_set(e, ERR_INVALID, field, "%s: '%s' has more than %d decimal%s (the set allows %d)",
                   field, s ? s : "", max_decimals, max_decimals == 1 ? "" : "s", max_decimals);
}

char *par_pts_format(par_pts v, int decimals, char *buf)
{
    buf[0] = '\0';
    if (v == PAR_NONE) return buf;
    int neg = v < 0;
    uint64_t a = neg ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
    unsigned frac = (unsigned)(a % PAR_SCALE);
    char f[8];
    snprintf(f, sizeof f, "%03u", frac);
    int need = PAR_DEC_MAX;
    while (need > 0 && need > decimals && f[need - 1] == '0')
        need--;
    f[need] = '\0';
    snprintf(buf, 32, "%s%llu%s%s", neg ? "-" : "", (unsigned long long)(a / PAR_SCALE),
             need ? "." : "", f);
    return buf;
}

/* ---- rule tables ----------------------------------------------------------------------- */

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

static int rule_step_parse(char *tok, struct par_rule *r, int *seen_else, const char *field,
                           struct err *e)
{
    char *colon = strchr(tok, ':');
    if (!colon)
        return err_set(e, ERR_INVALID, field, "%s: step '%s' needs the form '>=THRESHOLD:POINTS'",
                       field, tok);
    *colon = '\0';
    char *lhs = trim(tok), *rhs = trim(colon + 1);
    par_pts pts;
    int rc = par_decimal_parse(rhs, PAR_DEC_MAX, 0, &pts, field, e);
    if (rc) return rc;
    if (!strcmp(lhs, "else")) {
        if (*seen_else) return err_set(e, ERR_INVALID, field, "%s: 'else' given twice", field);
        *seen_else = 1;
        r->otherwise = pts;
        return 0;
    }
    if (*seen_else)
        return err_set(e, ERR_INVALID, field,
                       "%s: step '%s' comes after 'else'; 'else' must be last", field, lhs);
    enum par_cmp cmp;
    if (!strncmp(lhs, ">=", 2))
        cmp = PAR_GE;
    else if (!strncmp(lhs, "<=", 2))
        cmp = PAR_LE;
    else
        return err_set(e, ERR_INVALID, field, "%s: step '%s' must start with '>=' or '<='", field,
                       lhs);
    if (r->n && cmp != r->cmp)
        return err_set(e, ERR_INVALID, field, "%s: mixes '>=' and '<=' steps; use one direction",
                       field);
    if (r->n == PAR_RULE_MAX)
        return err_set(e, ERR_INVALID, field, "%s: more than %d steps", field, PAR_RULE_MAX);
    par_pts thr;
    if ((rc = par_decimal_parse(lhs + 2, PAR_DEC_MAX, 1, &thr, field, e))) return rc;
    r->cmp = cmp;
    r->step[r->n].threshold = thr;
    r->step[r->n].points = pts;
    r->n++;
    return 0;
}

int par_rule_parse(const char *s, struct par_rule *out, const char *field, struct err *e)
{
    struct par_rule r = {0};
    char buf[512];
    if (strlen(s) >= sizeof buf)
        return err_set(e, ERR_INVALID, field, "%s: rule is too long", field);
    snprintf(buf, sizeof buf, "%s", s);
    int seen_else = 0;
    for (char *save = NULL, *tok = strtok_r(buf, ";", &save); tok;
         tok = strtok_r(NULL, ";", &save)) {
        tok = trim(tok);
        if (!*tok) continue;
        int rc = rule_step_parse(tok, &r, &seen_else, field, e);
        if (rc) return rc;
    }
    if (!r.n && *trim(buf))
        return err_set(e, ERR_INVALID, field, "%s: '%s' has no '>=' or '<=' step", field, s);
    *out = r;
    return 0;
}

char *par_rule_format(const struct par_rule *r, char *buf, int bufsize)
{
    int off = 0;
    char a[32], b[32];
    buf[0] = '\0';
    for (int i = 0; i < r->n && off < bufsize; i++)
        off += snprintf(buf + off, (size_t)(bufsize - off), "%s%s%s:%s", i ? ";" : "",
                        r->cmp == PAR_GE ? ">=" : "<=", par_pts_format(r->step[i].threshold, 0, a),
                        par_pts_format(r->step[i].points, 0, b));
    if (r->n && off < bufsize)
        snprintf(buf + off, (size_t)(bufsize - off), ";else:%s",
                 par_pts_format(r->otherwise, 0, a));
    return buf;
}

par_pts par_rule_points(const struct par_rule *r, par_pts value)
{
    for (int i = 0; i < r->n; i++)
        if (r->cmp == PAR_GE ? value >= r->step[i].threshold : value <= r->step[i].threshold)
            return r->step[i].points;
    return r->otherwise;
}

/* ---- names ----------------------------------------------------------------------------- */

static const char *const method_names[] = {"", "manual", "computed", "survey"};

int par_method_parse(const char *s, enum par_method *out, struct err *e)
{
    for (int i = 0; i < 4; i++)
        if (!strcmp(s, method_names[i])) {
            *out = (enum par_method)i;
            return 0;
        }
    return err_set(e, ERR_INVALID, "method",
                   "method: '%s' is not one of manual, computed, survey (or empty for a node "
                   "with children)",
                   s);
}

const char *par_method_name(enum par_method m)
{
    return (unsigned)m < 4 ? method_names[m] : "?";
}

static const char *const scope_names[] = {"",           "ministry", "province",
                                          "department", "district", "commune"};
static const char *const scope_labels[] = {"",      "bộ",        "tỉnh", "sở, ban, ngành",
                                           "huyện", "xã, phường"};

int par_scope_parse(const char *s, enum par_scope *out, struct err *e)
{
    for (int i = 1; i < 6; i++)
        if (!strcmp(s, scope_names[i])) {
            *out = (enum par_scope)i;
            return 0;
        }
    return err_set(e, ERR_INVALID, "scope",
                   "scope: '%s' is not one of ministry, province, department, district, commune",
                   s);
}

const char *par_scope_name(enum par_scope s)
{
    return (unsigned)s < 6 ? scope_names[s] : "?";
}

const char *par_scope_label(enum par_scope s)
{
    return (unsigned)s < 6 ? scope_labels[s] : "?";
}

/* ---- validation ------------------------------------------------------------------------ */

struct checker {
    par_report_fn report;
    void *ctx;
    struct err *first;
    int problems;
};

__attribute__((format(printf, 3, 4))) static void problem(struct checker *c, const char *field,
                                                          const char *fmt, ...)
{
    struct err one;
    va_list ap;
    va_start(ap, fmt);
    err_clear(&one);
    one.code = ERR_INVALID;
    snprintf(one.field, sizeof one.field, "%s", field);
    vsnprintf(one.msg, sizeof one.msg, fmt, ap);
    va_end(ap);
    if (c->problems++ == 0 && c->first) *c->first = one;
    if (c->report) c->report(c->ctx, &one);
}

static void check_meta(const struct par_set *s, struct checker *c)
{
    const char *src = s->source && *s->source ? s->source : "set";
    if (!s->code[0]) problem(c, "code", "%s: code: the set needs a code", src);
    if (s->year < 2000 || s->year > 2100)
        problem(c, "year", "%s: year: %d is not a year between 2000 and 2100", src, s->year);
    if (s->scope == PAR_SCOPE_NONE)
        problem(c, "scope", "%s: scope: the set needs a scope (province, commune, …)", src);
    if (s->decimals < 0 || s->decimals > PAR_DEC_MAX)
        problem(c, "decimals", "%s: decimals: %d is not between 0 and %d", src, s->decimals,
                PAR_DEC_MAX);
    if (s->n == 0) problem(c, "nodes", "%s: the set has no criteria", src);
}

/* Resolves parents through the code index; builds child lists in file order. */
static void link_nodes(struct par_set *s, struct strmap *idx, struct checker *c)
{
    for (int i = 0; i < s->n; i++) {
        struct par_node *n = &s->node[i];
        n->parent = -1;
        n->first_child = n->next_sibling = -1;
        n->nchildren = 0;
        n->leaf = -1;
        int prev = strmap_get(idx, n->code);
        if (prev >= 0 && prev != i)
            problem(c, "code", "%s: code: '%s' is already used by the node at %s", n->where,
                    n->code, s->node[prev].where);
        else if (prev < 0 && strmap_put(idx, n->code, i) != 0)
            problem(c, "", "out of memory");
    }
    int *last = malloc(sizeof(int) * (size_t)(s->n ? s->n : 1));
    if (!last) {
        problem(c, "", "out of memory");
        return;
    }
    for (int i = 0; i < s->n; i++)
        last[i] = -1;
    for (int i = 0; i < s->n; i++) {
        struct par_node *n = &s->node[i];
        if (!n->parent_code[0]) continue;
        int p = strmap_get(idx, n->parent_code);
        if (p < 0) {
            problem(c, "parent", "%s: parent: '%s' of node '%s' is not a code in the set", n->where,
                    n->parent_code, n->code);
            continue;
        }
        if (p == i) {
            problem(c, "parent", "%s: parent: node '%s' names itself as its parent", n->where,
                    n->code);
            continue;
        }
        n->parent = p;
        if (last[p] < 0)
            s->node[p].first_child = i;
        else
            s->node[last[p]].next_sibling = i;
        last[p] = i;
        s->node[p].nchildren++;
    }
    free(last);
}

/* Depth and area of every node; a parent chain longer than n is a cycle. */
static void place_nodes(struct par_set *s, struct checker *c)
{
    for (int i = 0; i < s->n; i++) {
        int depth = 0, j = i;
        while (s->node[j].parent >= 0 && depth <= s->n) {
            j = s->node[j].parent;
            depth++;
        }
        struct par_node *n = &s->node[i];
        if (depth > s->n) {
            problem(c, "parent", "%s: parent: node '%s' is part of a cycle of parents", n->where,
                    n->code);
            n->depth = -1;
            continue;
        }
        n->depth = depth;
        n->area = j;
        if (depth >= PAR_DEPTH_MAX)
            problem(c, "parent", "%s: parent: node '%s' is %d levels deep; at most %d are allowed",
                    n->where, n->code, depth + 1, PAR_DEPTH_MAX);
    }
}

static void check_rule(const struct par_set *s, const struct par_node *n, struct checker *c)
{
    const struct par_rule *r = &n->rule;
    char a[32], b[32];
    if (!n->metric[0])
        problem(c, "metric", "%s: metric: computed node '%s' needs the name of its metric",
                n->where, n->code);
    if (r->n == 0) {
        problem(c, "rule", "%s: rule: computed node '%s' needs a rule table (e.g. >=100:%s;else:0)",
                n->where, n->code, par_pts_format(n->max, s->decimals, a));
        return;
    }
    for (int k = 0; k < r->n; k++) {
        const struct par_rule_step *st = &r->step[k];
        if (st->points > n->max)
            problem(c, "rule", "%s: rule: step %d gives %s points, above the node's max %s",
                    n->where, k + 1, par_pts_format(st->points, 0, a),
                    par_pts_format(n->max, 0, b));
        if (k == 0) continue;
        const struct par_rule_step *pv = &r->step[k - 1];
        int ordered =
            r->cmp == PAR_GE ? st->threshold < pv->threshold : st->threshold > pv->threshold;
        if (!ordered)
            problem(c, "rule", "%s: rule: threshold %s of step %d must be %s than %s of step %d",
                    n->where, par_pts_format(st->threshold, 0, a), k + 1,
                    r->cmp == PAR_GE ? "lower" : "higher", par_pts_format(pv->threshold, 0, b), k);
        if (st->points > pv->points)
            problem(c, "rule",
                    "%s: rule: step %d gives more points (%s) than step %d (%s) for a worse "
                    "metric",
                    n->where, k + 1, par_pts_format(st->points, 0, a), k,
                    par_pts_format(pv->points, 0, b));
    }
    if (r->otherwise > r->step[r->n - 1].points)
        problem(c, "rule", "%s: rule: 'else' gives %s points, more than the last step (%s)",
                n->where, par_pts_format(r->otherwise, 0, a),
                par_pts_format(r->step[r->n - 1].points, 0, b));
}

static void check_node(const struct par_set *s, const struct par_node *n, struct checker *c)
{
    char a[32], b[32];
    if (n->depth < 0) return;
    if (n->nchildren > 0) {
        par_pts sum = 0;
        for (int k = n->first_child; k >= 0; k = s->node[k].next_sibling)
            sum += s->node[k].max;
        if (sum != n->max)
            problem(c, "max", "%s: max: children of '%s' sum to %s points, but its max is %s",
                    n->where, n->code, par_pts_format(sum, s->decimals, a),
                    par_pts_format(n->max, s->decimals, b));
        if (n->method != PAR_METHOD_NONE)
            problem(c, "method",
                    "%s: method: '%s' has children, so its points are their sum; "
                    "leave method empty (got '%s')",
                    n->where, n->code, par_method_name(n->method));
        if (n->rule.n)
            problem(c, "rule", "%s: rule: '%s' has children; only a computed leaf takes a rule",
                    n->where, n->code);
        return;
    }
    if (n->method == PAR_METHOD_NONE)
        problem(c, "method", "%s: method: leaf '%s' needs a method: manual, computed or survey",
                n->where, n->code);
    else if (n->method == PAR_COMPUTED)
        check_rule(s, n, c);
    else if (n->rule.n)
        problem(c, "rule", "%s: rule: '%s' is scored %s; only a computed leaf takes a rule",
                n->where, n->code, par_method_name(n->method));
}

static int build_lists(struct par_set *s)
{
    s->areas = malloc(sizeof(int) * (size_t)s->n);
    s->leaves = malloc(sizeof(int) * (size_t)s->n);
    if (!s->areas || !s->leaves) return -1;
    s->nareas = s->nleaves = 0;
    s->max = 0;
    memset(s->count_by_depth, 0, sizeof s->count_by_depth);
    for (int i = 0; i < s->n; i++) {
        struct par_node *n = &s->node[i];
        s->count_by_depth[n->depth]++;
        if (n->parent < 0) {
            s->areas[s->nareas++] = i;
            s->max += n->max;
        }
        if (n->nchildren == 0) {
            n->leaf = s->nleaves;
            s->leaves[s->nleaves++] = i;
        }
    }
    /* area: index among areas rather than node index, for result arrays */
    for (int i = 0; i < s->n; i++)
        for (int a = 0; a < s->nareas; a++)
            if (s->areas[a] == s->node[i].area) {
                s->node[i].area = a;
                break;
            }
    return 0;
}

int par_set_validate(struct par_set *s, par_report_fn report, void *ctx, struct err *e)
{
    struct checker c = {report, ctx, e, 0};
    index_free(s);
    check_meta(s, &c);
    struct strmap *idx = calloc(1, sizeof *idx);
    if (!idx) return err_set(e, ERR_NOMEM, "", "out of memory");
    link_nodes(s, idx, &c);
    if (c.problems == 0) place_nodes(s, &c);
    if (c.problems == 0)
        for (int i = 0; i < s->n; i++)
            check_node(s, &s->node[i], &c);
    if (c.problems == 0 && build_lists(s) != 0) problem(&c, "", "out of memory");
    char a[32], b[32];
    if (c.problems == 0 && s->declared_max != PAR_NONE && s->declared_max != s->max)
        problem(&c, "max", "%s: max: the set declares %s points, but its areas sum to %s",
                s->source && *s->source ? s->source : "set",
                par_pts_format(s->declared_max, s->decimals, a),
                par_pts_format(s->max, s->decimals, b));
    if (c.problems) {
        strmap_free(idx);
        free(idx);
        index_free(s);
        return ERR_INVALID;
    }
    s->index = idx;
    s->valid = 1;
    return 0;
}

int par_set_find(const struct par_set *s, const char *code)
{
    return s->index ? strmap_get(s->index, code) : -1;
}

int par_node_decimals(const struct par_set *s, int i)
{
    return s->node[i].decimals >= 0 ? s->node[i].decimals : s->decimals;
}
