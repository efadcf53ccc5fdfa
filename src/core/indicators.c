/* indicators.c — loads a versioned indicator set (data/indicators/VERSION.tsv), checks its
 * arithmetic (group maxima, total 100), scores rates by the linear or threshold rule in exact
 * integer arithmetic, and ranks units (competition ranking, reusing par_rank). */
#include "indicators.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "par.h"
#include "stats.h"

#define NCOLS 14

static int copy_field(char *dst, size_t n, const char *src, const char *path, int line,
                      const char *col, struct err *e)
{
    if (strlen(src) >= n)
        return err_set(e, ERR_INVALID, col, "%s:%d: %s: longer than %zu bytes", path, line, col,
                       n - 1);
    memcpy(dst, src, strlen(src) + 1);
    return 0;
}

static int parse_int(const char *s, int lo, int hi, int *out, const char *path, int line,
                     const char *col, struct err *e)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi)
        return err_set(e, ERR_INVALID, col, "%s:%d: %s: '%s' must be a whole number %d..%d", path,
                       line, col, s, lo, hi);
    *out = (int)v;
    return 0;
}

static int parse_rule(const char *s, enum ind_rule *out, const char *path, int line, struct err *e)
{
    if (!strcmp(s, "none"))
        *out = IND_NONE;
    else if (!strcmp(s, "linear"))
        *out = IND_LINEAR;
    else if (!strcmp(s, "threshold"))
        *out = IND_THRESHOLD;
    else
        return err_set(e, ERR_INVALID, "rule",
                       "%s:%d: rule: '%s' must be none, linear or threshold", path, line, s);
    return 0;
}

static int split(char *buf, char **fld, int max)
{
    int k = 0;
    char *p = buf;
    while (k < max) {
        fld[k++] = p;
        char *t = strchr(p, '\t');
        if (!t) break;
        *t = '\0';
        p = t + 1;
    }
    return k;
}

/* Records the row's group, or checks it against the one already seen. */
static int note_group(struct indicator_set *s, int num, const char *name, int max, const char *path,
                      int line, struct err *e)
{
    for (int i = 0; i < s->ngroups; i++) {
        if (s->groups[i].number != num) continue;
        if (s->groups[i].max != max || strcmp(s->groups[i].name, name))
            return err_set(e, ERR_INVALID, "group",
                           "%s:%d: group %d: name or max differs from an earlier row", path, line,
                           num);
        return 0;
    }
    if (s->ngroups == IND_GROUPS)
        return err_set(e, ERR_INVALID, "group", "%s:%d: more than %d groups", path, line,
                       IND_GROUPS);
    struct indicator_group *g = &s->groups[s->ngroups++];
    g->number = num;
    g->max = max;
    return copy_field(g->name, sizeof g->name, name, path, line, "group_name", e);
}

static int parse_row(struct indicator_set *s, char **f, const char *path, int line, struct err *e)
{
    if (s->n == IND_MAX_ROWS)
        return err_set(e, ERR_INVALID, "id", "%s:%d: more than %d indicators", path, line,
                       IND_MAX_ROWS);
    struct indicator *ind = &s->ind[s->n];
    int gmax, v;
    if (!s->version[0] && copy_field(s->version, sizeof s->version, f[0], path, line, "version", e))
        return ERR_INVALID;
    if (strcmp(s->version, f[0]))
        return err_set(e, ERR_INVALID, "version", "%s:%d: version '%s' differs from '%s'", path,
                       line, f[0], s->version);
    if (parse_int(f[1], 1, 99, &ind->group, path, line, "group", e) ||
        parse_int(f[3], 0, 100, &gmax, path, line, "group_max", e) ||
        note_group(s, ind->group, f[2], gmax, path, line, e) ||
        copy_field(ind->id, sizeof ind->id, f[4], path, line, "id", e) ||
        copy_field(ind->name, sizeof ind->name, f[5], path, line, "name", e) ||
        parse_int(f[6], 0, 100, &ind->max, path, line, "max", e) ||
        parse_rule(f[7], &ind->rule, path, line, e) ||
        parse_int(f[8], 0, 100, &ind->target_pct, path, line, "target_pct", e) ||
        copy_field(ind->metric, sizeof ind->metric, f[9], path, line, "metric", e) ||
        copy_field(ind->numerator, sizeof ind->numerator, f[10], path, line, "numerator", e) ||
        copy_field(ind->denominator, sizeof ind->denominator, f[11], path, line, "denominator",
                   e) ||
        copy_field(ind->source, sizeof ind->source, f[12], path, line, "source", e))
        return ERR_INVALID;
    if (!ind->id[0] || !ind->source[0])
        return err_set(e, ERR_INVALID, "id", "%s:%d: id and source must not be empty", path, line);
    if (ind->rule == IND_THRESHOLD && ind->target_pct == 0)
        return err_set(e, ERR_INVALID, "target_pct",
                       "%s:%d: target_pct: a threshold rule needs a target of 1..100", path, line);
    if (ind->rule == IND_NONE && ind->max != 0)
        return err_set(e, ERR_INVALID, "max", "%s:%d: max: an indicator not scored has max 0", path,
                       line);
    if (!strcmp(f[13], "yes"))
        v = 1;
    else if (!strcmp(f[13], "no"))
        v = 0;
    else
        return err_set(e, ERR_INVALID, "verify", "%s:%d: verify: '%s' must be yes or no", path,
                       line, f[13]);
    ind->verify = v;
    for (int i = 0; i < s->n; i++)
        if (!strcmp(s->ind[i].id, ind->id))
            return err_set(e, ERR_INVALID, "id", "%s:%d: id '%s' appears twice", path, line,
                           ind->id);
    s->n++;
    return 0;
}

/* Group maxima equal the sum of their indicators, and the whole set is worth 100 points. */
static int check_sums(const struct indicator_set *s, const char *path, struct err *e)
{
    int total = 0;
    for (int g = 0; g < s->ngroups; g++) {
        int sum = 0;
        for (int i = 0; i < s->n; i++)
            if (s->ind[i].group == s->groups[g].number) sum += s->ind[i].max;
        if (sum != s->groups[g].max)
            return err_set(e, ERR_INVALID, "max",
                           "%s: group %d '%s': indicators add up to %d points, the group has %d",
                           path, s->groups[g].number, s->groups[g].name, sum, s->groups[g].max);
        total += sum;
    }
    if (total != 100)
        return err_set(e, ERR_INVALID, "max", "%s: the indicators add up to %d points, not 100",
                       path, total);
    return 0;
}

int indicator_set_load_file(const char *path, struct indicator_set *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "r");
    if (!f) return err_set(e, ERR_IO, "file", "%s: cannot open", path);
    char buf[4096];
    int line = 0, header = 0, rc = 0;
    while (fgets(buf, sizeof buf, f)) {
        line++;
        buf[strcspn(buf, "\r\n")] = '\0';
        if (!buf[0] || buf[0] == '#') continue;
        if (!header) { /* the first non-comment line names the columns */
            header = 1;
            continue;
        }
        char *fld[NCOLS + 1];
        int k = split(buf, fld, NCOLS + 1);
        if (k != NCOLS) {
            rc = err_set(e, ERR_INVALID, "row", "%s:%d: %d columns, expected %d", path, line, k,
                         NCOLS);
            goto out;
        }
        if ((rc = parse_row(out, fld, path, line, e))) goto out;
    }
    if (out->n == 0) {
        rc = err_set(e, ERR_INVALID, "row", "%s: no indicators", path);
        goto out;
    }
    rc = check_sums(out, path, e);
out:
    fclose(f);
    return rc;
}

int indicator_set_load(const char *data_dir, const char *version, struct indicator_set *out,
                       struct err *e)
{
    char path[4096];
    if (!version || !*version || strchr(version, '/'))
        return err_set(e, ERR_INVALID, "version", "'%s': not an indicator set version",
                       version ? version : "");
    snprintf(path, sizeof path, "%s/indicators/%s.tsv", data_dir, version);
    return indicator_set_load_file(path, out, e);
}

/* a / b rounded half up, for a, b >= 0, b > 0. */
static int64_t div_round(int64_t a, int64_t b)
{
    return (2 * a + b) / (2 * b);
}

int64_t indicator_points(const struct indicator *ind, const struct ind_input *in)
{
    if (ind->rule == IND_NONE || !in || !in->has || in->den <= 0) return -1;
    int64_t num = in->num < 0 ? 0 : (in->num > in->den ? in->den : in->num);
    int64_t full = (int64_t)ind->max * IND_POINT;
    if (ind->rule == IND_LINEAR) return div_round(full * num, in->den);
    /* threshold: rate >= target% <=> 100 num >= target den */
    if (100 * num >= (int64_t)ind->target_pct * in->den) return full;
    return div_round(full * num * 100, in->den * ind->target_pct);
}

void indicators_score(const struct indicator_set *set, const struct ind_input *in,
                      struct ind_score *out)
{
    memset(out, 0, sizeof *out);
    for (int i = 0; i < set->n; i++) {
        const struct indicator *ind = &set->ind[i];
        int64_t p = indicator_points(ind, &in[i]);
        out->points[i] = p;
        if (p < 0) continue;
        out->total += p;
        out->judged += (int64_t)ind->max * IND_POINT;
        for (int g = 0; g < set->ngroups; g++)
            if (set->groups[g].number == ind->group) out->group_points[g] += p;
    }
}

void indicators_rank(const int64_t *value, const char *const *keys, int n, int *order, int *rank)
{
    par_rank(value, keys, n, order, rank);
}

char *ind_points_format(int64_t pts, int decimals, char *buf, int n)
{
    static const int64_t pow10[] = {1, 10, 100, 1000, 10000};
    if (decimals < 0) decimals = 0;
    if (decimals > 4) decimals = 4;
    int64_t scale = IND_POINT / pow10[decimals];
    int64_t v = pts < 0 ? -pts : pts;
    v = (2 * v + scale) / (2 * scale);
    if (decimals == 0)
        snprintf(buf, (size_t)n, "%s%lld", pts < 0 ? "-" : "", (long long)v);
    else
        snprintf(buf, (size_t)n, "%s%lld,%0*lld", pts < 0 ? "-" : "",
                 (long long)(v / pow10[decimals]), decimals, (long long)(v % pow10[decimals]));
    return buf;
}

void indicator_input_from_stats(const struct indicator *ind, const struct stats_figures *f,
                                struct ind_input *out)
{
    enum stats_metric m;
    enum stats_denom d;
    struct stats_rate r;
    memset(out, 0, sizeof *out);
    if (!strcmp(ind->metric, "ontime_766"))
        m = SM_ONTIME, d = DEN_HANDLED;
    else if (stats_metric_parse(ind->metric, &m, NULL) == 0)
        d = stats_metric_default_denom(m);
    else
        return;
    if (stats_rate(f, m, d, &r, NULL) || r.den <= 0) return;
    *out = (struct ind_input){1, r.num, r.den};
}
