/* survey.c — survey instruments as data: the TSV reader and validator for the files of
 * data/surveys/ (every problem named FILE:LINE: column: rule), answer scoring and the weighted
 * roll-up question → criterion → component → index. */
#include "survey.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "survey_sample.h"
#include "tsv.h"

struct parse {
    const char *name;
    int line, nproblems;
    survey_problem_fn problem;
    void *ctx;
    struct err *e;
};

__attribute__((format(printf, 3, 4))) static void problem(struct parse *p, const char *field,
                                                          const char *fmt, ...)
{
    char msg[300], full[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (p->line > 0)
        snprintf(full, sizeof full, "%s:%d: %s: %s", p->name, p->line, field, msg);
    else
        snprintf(full, sizeof full, "%s: %s: %s", p->name, field, msg);
    if (p->problem) p->problem(p->ctx, full);
    if (!p->nproblems) err_set(p->e, ERR_INVALID, field, "%s", full);
    p->nproblems++;
}

static char *dup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

static int code_ok(const char *c)
{
    if (!*c || strlen(c) >= SURVEY_CODE_MAX) return 0;
    for (; *c; c++)
        if (!((*c >= '0' && *c <= '9') || (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
              *c == '.' || *c == '_' || *c == '-'))
            return 0;
    return 1;
}

/* "12", "12.5", "12,125" (0..100, up to 3 decimals) -> thousandths; -1 when malformed. */
static int pct_parse(const char *s)
{
    long whole = 0, frac = 0;
    int nd = 0, ni = 0;
    const char *c = s;
    for (; *c >= '0' && *c <= '9'; c++, ni++) {
        whole = whole * 10 + (*c - '0');
        if (whole > 100) return -1;
    }
    if (!ni) return -1;
    if (*c == '.' || *c == ',') {
        c++;
        for (; *c >= '0' && *c <= '9'; c++, nd++) {
            if (nd == 3) return -1;
            frac = frac * 10 + (*c - '0');
        }
        if (!nd) return -1;
    }
    if (*c) return -1;
    while (nd++ < 3)
        frac *= 10;
    long v = whole * 1000 + frac;
    return v > 100000 ? -1 : (int)v;
}

static const char *level_name(enum survey_level l)
{
    return l == SURVEY_COMPONENT ? "component" : l == SURVEY_CRITERION ? "criterion" : "question";
}

static int find_scale(const struct survey_set *s, const char *code)
{
    for (int i = 0; i < s->nscales; i++)
        if (!strcmp(s->scales[i].code, code)) return i;
    return -1;
}

int survey_find(const struct survey_set *s, const char *code)
{
    for (int i = 0; i < s->nnodes; i++)
        if (!strcmp(s->nodes[i].code, code)) return i;
    return -1;
}

static int meta(struct parse *p, struct survey_set *s, char *line)
{
    char *colon = strchr(line, ':');
    if (!colon) return 0; /* a plain comment */
    *colon = 0;
    char *key = line, *val = colon + 1;
    while (*key == ' ')
        key++;
    while (*val == ' ')
        val++;
    size_t n = strlen(val);
    while (n && (val[n - 1] == ' ' || val[n - 1] == '\r' || val[n - 1] == '\n'))
        val[--n] = 0;
    if (!strcmp(key, "code")) {
        if (!code_ok(val))
            problem(p, "code", "'%s': letters, digits, '.', '_' or '-', at most 31", val);
        else
            snprintf(s->code, sizeof s->code, "%s", val);
    } else if (!strcmp(key, "title")) {
        free(s->title);
        s->title = dup(val);
    } else if (!strcmp(key, "source")) {
        free(s->source);
        s->source = dup(val);
    } else if (!strcmp(key, "year")) {
        char *end;
        long y = strtol(val, &end, 10);
        if (*end || end == val || y < 2000 || y > 2100)
            problem(p, "year", "'%s': a year from 2000 to 2100", val);
        else
            s->year = (int)y;
    } else if (!strcmp(key, "kind")) {
        if (strcmp(val, "sipas") && strcmp(val, "ddci"))
            problem(p, "kind", "'%s': sipas or ddci", val);
        else
            snprintf(s->kind, sizeof s->kind, "%s", val);
    } else if (!strcmp(key, "respondent")) {
        if (strcmp(val, "citizen") && strcmp(val, "business"))
            problem(p, "respondent", "'%s': citizen or business", val);
        else
            snprintf(s->respondent, sizeof s->respondent, "%s", val);
    } else if (!strcmp(key, "min_sample")) {
        char *end;
        long m = strtol(val, &end, 10);
        if (*end || end == val || m < 1 || m > 100000)
            problem(p, "min_sample", "'%s': a whole number from 1 to 100000", val);
        else
            s->min_sample = (int)m;
    }
    return 0;
}

static int grow(void **arr, int n, size_t size)
{
    if (n & (n - 1) && n) return 0; /* capacity doubles at powers of two */
    void *a = realloc(*arr, (size_t)(n ? 2 * n : 8) * size);
    if (!a) return -1;
    *arr = a;
    return 0;
}

static void row(struct parse *p, struct survey_set *s, char **f, int nf)
{
    const char *type = f[0], *code = nf > 1 ? f[1] : "", *parent = nf > 2 ? f[2] : "",
               *weight = nf > 3 ? f[3] : "", *scale = nf > 4 ? f[4] : "",
               *text = nf > 5 ? f[5] : "";
    if (nf != 6) {
        problem(p, "columns",
                "%d fields; every row has 6 (type, code, parent, weight, scale, text)", nf);
        return;
    }
    if (!*text) {
        problem(p, "text", "empty: every row needs its Vietnamese text");
        return;
    }
    if (!strcmp(type, "scale")) {
        if (!code_ok(code)) {
            problem(p, "code", "'%s': letters, digits, '.', '_' or '-', at most 31", code);
            return;
        }
        if (find_scale(s, code) >= 0) {
            problem(p, "code", "'%s': scale already defined", code);
            return;
        }
        if (*parent || *weight || *scale) {
            problem(p, "parent", "a scale row has only code and text");
            return;
        }
        if (grow((void **)&s->scales, s->nscales, sizeof *s->scales)) return;
        struct survey_scale *sc = &s->scales[s->nscales++];
        memset(sc, 0, sizeof *sc);
        snprintf(sc->code, sizeof sc->code, "%s", code);
        sc->title = dup(text);
        return;
    }
    if (!strcmp(type, "option")) {
        int si = find_scale(s, parent);
        if (si < 0) {
            problem(p, "parent", "'%s': no scale of that code above this line", parent);
            return;
        }
        struct survey_scale *sc = &s->scales[si];
        if (!code_ok(code)) {
            problem(p, "code", "'%s': an option value of letters or digits", code);
            return;
        }
        for (int i = 0; i < sc->nopt; i++)
            if (!strcmp(sc->opt[i].value, code)) {
                problem(p, "code", "'%s': scale %s already has this value", code, sc->code);
                return;
            }
        if (sc->nopt == SURVEY_OPT_MAX) {
            problem(p, "code", "scale %s: at most %d options", sc->code, SURVEY_OPT_MAX);
            return;
        }
        int score = SURVEY_SCORE_NA;
        if (strcmp(weight, "-")) {
            score = pct_parse(weight);
            if (score < 0) {
                problem(p, "weight",
                        "'%s': an option's score is 0 to 100 (up to 3 decimals) or '-'", weight);
                return;
            }
        }
        if (*scale) {
            problem(p, "scale", "'%s': an option row has no scale column", scale);
            return;
        }
        struct survey_option *o = &sc->opt[sc->nopt++];
        snprintf(o->value, sizeof o->value, "%s", code);
        o->score = score;
        o->label = dup(text);
        return;
    }
    enum survey_level lv;
    if (!strcmp(type, "component"))
        lv = SURVEY_COMPONENT;
    else if (!strcmp(type, "criterion"))
        lv = SURVEY_CRITERION;
    else if (!strcmp(type, "question"))
        lv = SURVEY_QUESTION;
    else {
        problem(p, "type", "'%s': scale, option, component, criterion or question", type);
        return;
    }
    if (!code_ok(code)) {
        problem(p, "code", "'%s': letters, digits, '.', '_' or '-', at most 31", code);
        return;
    }
    if (survey_find(s, code) >= 0) {
        problem(p, "code", "'%s': already used above", code);
        return;
    }
    int pi = -1;
    if (lv == SURVEY_COMPONENT) {
        if (*parent) {
            problem(p, "parent", "'%s': a component has no parent", parent);
            return;
        }
    } else {
        pi = survey_find(s, parent);
        if (pi < 0) {
            problem(p, "parent", "'%s': no %s of that code above this line", parent,
                    level_name(lv - 1));
            return;
        }
        if (s->nodes[pi].level != lv - 1) {
            problem(p, "parent", "'%s' is a %s; a %s's parent is a %s", parent,
                    level_name(s->nodes[pi].level), level_name(lv), level_name(lv - 1));
            return;
        }
    }
    int w = pct_parse(weight);
    if (w <= 0) {
        problem(p, "weight",
                "'%s': a share of the parent above 0 and at most 100 (up to 3 decimals)", weight);
        return;
    }
    int si = -1;
    if (lv == SURVEY_QUESTION) {
        si = find_scale(s, scale);
        if (si < 0) {
            problem(p, "scale", "'%s': no scale of that code above this line", scale);
            return;
        }
    } else if (*scale) {
        problem(p, "scale", "'%s': only questions have a scale", scale);
        return;
    }
    if (grow((void **)&s->nodes, s->nnodes, sizeof *s->nodes)) return;
    struct survey_node *nd = &s->nodes[s->nnodes++];
    memset(nd, 0, sizeof *nd);
    nd->level = lv;
    snprintf(nd->code, sizeof nd->code, "%s", code);
    nd->parent = pi;
    nd->weight = w;
    nd->scale = si;
    nd->text = dup(text);
    nd->line = p->line;
}

/* Whole-set rules, checked after every line was read. */
static void check_whole(struct parse *p, struct survey_set *s)
{
    p->line = 0;
    if (!s->code[0]) problem(p, "code", "missing: a '# code: ...' line");
    if (!s->year) problem(p, "year", "missing: a '# year: ...' line");
    if (!s->kind[0]) problem(p, "kind", "missing: a '# kind: sipas|ddci' line");
    if (!s->respondent[0])
        problem(p, "respondent", "missing: a '# respondent: citizen|business' line");
    if (!s->source || !s->source[0])
        problem(p, "source", "missing: a '# source: ...' line citing the decision or methodology");
    if (!s->min_sample) s->min_sample = 30;
    for (int i = 0; i < s->nscales; i++) {
        const struct survey_scale *sc = &s->scales[i];
        int scored = 0;
        for (int k = 0; k < sc->nopt; k++)
            scored += sc->opt[k].score != SURVEY_SCORE_NA;
        if (sc->nopt < 2)
            problem(p, "scale", "%s: %d option(s); a scale needs at least 2", sc->code, sc->nopt);
        else if (!scored)
            problem(p, "scale", "%s: no option has a score", sc->code);
    }
    if (!s->nnodes) problem(p, "component", "the set has no components");
    /* children sums, and every component / criterion has children */
    for (int i = -1; i < s->nnodes; i++) {
        long sum = 0;
        int nch = 0;
        for (int k = 0; k < s->nnodes; k++)
            if (s->nodes[k].parent == i) {
                sum += s->nodes[k].weight;
                nch++;
            }
        if (i >= 0 && s->nodes[i].level != SURVEY_QUESTION && !nch) {
            p->line = s->nodes[i].line;
            problem(p, "code", "%s %s has no %s", level_name(s->nodes[i].level), s->nodes[i].code,
                    s->nodes[i].level == SURVEY_COMPONENT ? "criteria" : "questions");
        } else if (nch && sum != SURVEY_WEIGHT_SUM) {
            p->line = i >= 0 ? s->nodes[i].line : 0;
            problem(p, "weight", "the weights under %s sum to %ld.%03ld, not 100",
                    i >= 0 ? s->nodes[i].code : "the index", sum / 1000, sum % 1000);
        }
    }
    p->line = 0;
}

void survey_set_free(struct survey_set *s)
{
    if (!s) return;
    for (int i = 0; i < s->nscales; i++) {
        free(s->scales[i].title);
        for (int k = 0; k < s->scales[i].nopt; k++)
            free(s->scales[i].opt[k].label);
    }
    for (int i = 0; i < s->nnodes; i++)
        free(s->nodes[i].text);
    free(s->scales);
    free(s->nodes);
    free(s->questions);
    free(s->title);
    free(s->source);
    memset(s, 0, sizeof *s);
}

int survey_set_parse(const char *text, const char *name, struct survey_set *out,
                     survey_problem_fn problem_fn, void *ctx, struct err *e)
{
    struct parse p = {.name = name, .problem = problem_fn, .ctx = ctx, .e = e};
    struct survey_set s = {0};
    char *buf = dup(text);
    if (!buf) return err_set(e, ERR_NOMEM, "set", "out of memory");
    int header = 0;
    p.line = 0;
    /* strtok_r would merge empty lines and lose their numbers: walk by hand */
    for (char *line = buf, *next; line; line = next) {
        p.line++;
        next = strchr(line, '\n');
        if (next) *next++ = 0;
        size_t n = strlen(line);
        if (n && line[n - 1] == '\r') line[--n] = 0;
        if (!n) continue;
        if (line[0] == '#') {
            meta(&p, &s, line + 1);
            continue;
        }
        char *f[8];
        int nf = tsv_split(line, f, 8);
        if (!header) {
            if (strcmp(f[0], "type") || nf != 6 || strcmp(f[1], "code") || strcmp(f[2], "parent") ||
                strcmp(f[3], "weight") || strcmp(f[4], "scale") || strcmp(f[5], "text"))
                problem(&p, "header",
                        "expected 'type, code, parent, weight, scale, text' (tab-separated)");
            header = 1;
            continue;
        }
        row(&p, &s, f, nf);
    }
    free(buf);
    if (!header) {
        p.line = 0;
        problem(&p, "header", "missing: no header line 'type code parent weight scale text'");
    }
    check_whole(&p, &s);
    if (!p.nproblems) {
        for (int i = 0; i < s.nnodes; i++)
            s.nquestions += s.nodes[i].level == SURVEY_QUESTION;
        s.questions = malloc(sizeof *s.questions * (size_t)(s.nquestions ? s.nquestions : 1));
        if (!s.questions) {
            survey_set_free(&s);
            return err_set(e, ERR_NOMEM, "set", "out of memory");
        }
        for (int i = 0, k = 0; i < s.nnodes; i++)
            if (s.nodes[i].level == SURVEY_QUESTION) s.questions[k++] = i;
    }
    if (p.nproblems) {
        survey_set_free(&s);
        return ERR_INVALID;
    }
    *out = s;
    return 0;
}

int survey_set_load(const char *path, struct survey_set *out, survey_problem_fn problem_fn,
                    void *ctx, struct err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f) return err_set(e, ERR_IO, "file", "%s: %s", path, strerror(errno));
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 4096 + 1 > cap) {
            cap = cap ? 2 * cap : 16384;
            char *b = realloc(buf, cap);
            if (!b) {
                free(buf);
                fclose(f);
                return err_set(e, ERR_NOMEM, "file", "out of memory");
            }
            buf = b;
        }
        size_t r = fread(buf + len, 1, 4096, f);
        len += r;
        if (r < 4096) break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return err_set(e, ERR_IO, "file", "%s: read error", path);
    }
    buf[len] = 0;
    if (strlen(buf) != len) {
        free(buf);
        return err_set(e, ERR_INVALID, "file", "%s: holds a NUL byte (not a text file)", path);
    }
    const char *slash = strrchr(path, '/');
    int rc = survey_set_parse(buf, slash ? slash + 1 : path, out, problem_fn, ctx, e);
    free(buf);
    return rc;
}

int survey_answer_score(const struct survey_set *s, int q, const char *value, int *score,
                        struct err *e)
{
    if (q < 0 || q >= s->nnodes || s->nodes[q].level != SURVEY_QUESTION)
        return err_set(e, ERR_INVALID, "question", "not a question of set %s", s->code);
    const struct survey_scale *sc = &s->scales[s->nodes[q].scale];
    for (int i = 0; i < sc->nopt; i++)
        if (!strcmp(sc->opt[i].value, value)) {
            *score = sc->opt[i].score;
            return 0;
        }
    char allowed[160] = "";
    size_t n = 0;
    for (int i = 0; i < sc->nopt && n < sizeof allowed - 8; i++)
        n += (size_t)snprintf(allowed + n, sizeof allowed - n, "%s%s", i ? ", " : "",
                              sc->opt[i].value);
    return err_set(e, ERR_INVALID, s->nodes[q].code, "%s: '%s': not an answer of scale %s (%s)",
                   s->nodes[q].code, value, sc->code, allowed);
}

double survey_rollup_nodes(const struct survey_set *s, double *v)
{
    /* children come after their parents in file order, so walking backwards finishes every
     * child before its parent */
    for (int i = s->nnodes - 1; i >= 0; i--) {
        if (s->nodes[i].level == SURVEY_QUESTION || v[i] >= 0) continue;
        double sum = 0, w = 0;
        for (int k = i + 1; k < s->nnodes; k++)
            if (s->nodes[k].parent == i && v[k] >= 0) {
                sum += v[k] * s->nodes[k].weight;
                w += s->nodes[k].weight;
            }
        v[i] = w > 0 ? sum / w : -1;
    }
    double sum = 0, w = 0;
    for (int i = 0; i < s->nnodes; i++)
        if (s->nodes[i].parent < 0 && v[i] >= 0) {
            sum += v[i] * s->nodes[i].weight;
            w += s->nodes[i].weight;
        }
    return w > 0 ? sum / w : -1;
}

double survey_rollup(const struct survey_set *s, const int *qscore, double *node_out)
{
    double local[64], *v = node_out;
    double *heap = NULL;
    if (!v) {
        if (s->nnodes <= 64)
            v = local;
        else if (!(v = heap = malloc(sizeof *v * (size_t)s->nnodes)))
            return -1;
    }
    for (int i = 0; i < s->nnodes; i++)
        v[i] = -1;
    for (int k = 0; k < s->nquestions; k++)
        v[s->questions[k]] = qscore[k] == SURVEY_SCORE_NA ? -1 : qscore[k] / 1000.0;
    double idx = survey_rollup_nodes(s, v);
    free(heap);
    return idx;
}

int survey_unit_compute(const struct survey_set *s, const size_t *pop, size_t nstrata,
                        const size_t *stratum, const int *qscore, size_t nresp,
                        struct survey_unit_result *r, struct err *e)
{
    memset(r, 0, sizeof *r);
    r->index = -1;
    size_t nn = (size_t)s->nnodes, m = nresp ? nresp : 1;
    double *vals = malloc(sizeof *vals * m * (nn + 1)), *y = malloc(sizeof *y * m);
    r->node = malloc(sizeof *r->node * (nn ? nn : 1));
    r->node_half = malloc(sizeof *r->node_half * (nn ? nn : 1));
    r->node_n = calloc(nn ? nn : 1, sizeof *r->node_n);
    if (!vals || !y || !r->node || !r->node_half || !r->node_n) {
        free(vals);
        free(y);
        survey_unit_result_free(r);
        return err_set(e, ERR_NOMEM, "results", "out of memory");
    }
    for (size_t i = 0; i < nresp; i++) {
        double *v = vals + i * (nn + 1);
        v[nn] = survey_rollup(s, qscore + i * (size_t)s->nquestions, v);
    }
    r->n = nresp;
    r->below_min = nresp < (size_t)s->min_sample;
    for (size_t k = 0; k <= nn; k++) {
        for (size_t i = 0; i < nresp; i++)
            y[i] = vals[i * (nn + 1) + k];
        double mean, half;
        size_t used = survey_strat_mean(y, stratum, nresp, pop, nstrata, 1.96, &mean, &half);
        if (k == nn) {
            r->index = used ? mean : -1;
            r->half = half;
        } else {
            r->node[k] = used ? mean : -1;
            r->node_half[k] = half;
            r->node_n[k] = used;
        }
    }
    free(vals);
    free(y);
    return 0;
}

void survey_unit_result_free(struct survey_unit_result *r)
{
    free(r->node);
    free(r->node_half);
    free(r->node_n);
    r->node = r->node_half = NULL;
    r->node_n = NULL;
}

int64_t survey_par_points(double pct, int64_t max_thousandths, int decimals)
{
    if (pct <= 0) return 0;
    if (pct >= 100) return max_thousandths;
    int64_t unit = 1;
    for (int d = decimals < 0 ? 0 : decimals; d < 3; d++)
        unit *= 10;
    double v = pct * (double)max_thousandths / 100.0 / (double)unit;
    int64_t pts = (int64_t)(v + 0.5) * unit;
    return pts > max_thousandths ? max_thousandths : pts;
}
