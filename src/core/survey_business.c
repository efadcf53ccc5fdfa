/* survey_business.c — businesses as survey respondents (DDCI): tax-code forms, one respondent
 * per business when sampling from dossiers, and the checks of an imported business list. */
#include "survey_business.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vntext.h"

/* data/catalog/procedures.csv, column field: the enterprise-registration procedures
 * (Decree 168/2025/NĐ-CP on enterprise registration) and the household-business ones. */
const char *const survey_business_fields[] = {
    "Thành lập và hoạt động doanh nghiệp",
    "Thành lập và hoạt động của hộ kinh doanh",
    NULL,
};

static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return 0;
    return 1;
}

int survey_taxcode_check(const char *s, const char *field, struct err *e)
{
    size_t n = s ? strlen(s) : 0;
    if ((n == 10 || n == 12) && digits(s, n)) return 0;
    if (n == 14 && digits(s, 10) && s[10] == '-' && digits(s + 11, 3)) return 0;
    return err_set(e, ERR_INVALID, field,
                   "'%.40s': a tax code is 10 digits, 10 digits-3 digits (a branch) or 12 "
                   "digits (a personal identification number)",
                   s ? s : "");
}

void survey_business_key(const char *idno, const char *name_fold, char *out, size_t n)
{
    if (idno && *idno)
        snprintf(out, n, "%s", idno);
    else
        snprintf(out, n, "name:%s", name_fold ? name_fold : "");
}

struct ix {
    const char *key;
    size_t i;
};

static int ix_cmp(const void *a, const void *b)
{
    const struct ix *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

int survey_business_draw(const char *const *biz, const char *const *keys, size_t npop, double moe,
                         double z, uint64_t seed, size_t **picked, size_t *npicked,
                         struct survey_stratum **strata, size_t *nstrata, struct err *e)
{
    *picked = NULL;
    *strata = NULL;
    *npicked = *nstrata = 0;
    struct ix *x = malloc(sizeof *x * (npop ? npop : 1));
    size_t *rep = malloc(sizeof *rep * (npop ? npop : 1));
    const char **rkeys = malloc(sizeof *rkeys * (npop ? npop : 1));
    unsigned char *first = calloc(npop ? npop : 1, 1);
    int rc = ERR_NOMEM;
    if (!x || !rep || !rkeys || !first) {
        err_set(e, ERR_NOMEM, "sample", "out of memory");
        goto out;
    }
    for (size_t i = 0; i < npop; i++)
        x[i] = (struct ix){biz[i], i};
    qsort(x, npop, sizeof *x, ix_cmp);
    for (size_t i = 0; i < npop; i++) /* the first dossier (lowest index) of each business */
        if (!i || strcmp(x[i].key, x[i - 1].key)) first[x[i].i] = 1;
    size_t m = 0;
    for (size_t i = 0; i < npop; i++)
        if (first[i]) {
            rep[m] = i;
            rkeys[m++] = keys[i];
        }
    rc = survey_draw(rkeys, m, moe, z, seed, picked, npicked, strata, nstrata, e);
    if (!rc)
        for (size_t i = 0; i < *npicked; i++)
            (*picked)[i] = rep[(*picked)[i]];
out:
    free(x);
    free(rep);
    free(rkeys);
    free(first);
    return rc;
}

static int problemf(survey_problem_fn problem, void *ctx, const char *file, long line,
                    const char *col, const char *msg, const char *v)
{
    if (problem) {
        char buf[512];
        snprintf(buf, sizeof buf, "%s:%ld: %s: '%.60s': %s", file, line, col, v, msg);
        problem(ctx, buf);
    }
    return 1;
}

/* NFC copy of v into out (n bytes) when it is valid text of minlen..n-1 bytes; else 1 problem */
static int text(const char *file, long line, const char *col, const char *v, size_t minlen,
                char *out, size_t n, survey_problem_fn problem, void *ctx)
{
    char msg[80];
    v = v ? v : "";
    if (!vntext_valid_utf8(v)) return problemf(problem, ctx, file, line, col, "not UTF-8", "");
    if (vntext_control_at(v, 0) >= 0)
        return problemf(problem, ctx, file, line, col, "holds a control character", v);
    if (strlen(v) < minlen) return problemf(problem, ctx, file, line, col, "is required", v);
    if (vntext_nfc(v, out, n)) {
        snprintf(msg, sizeof msg, "longer than %zu bytes", n - 1);
        out[0] = 0;
        return problemf(problem, ctx, file, line, col, msg, v);
    }
    return 0;
}

int survey_business_row(const char *file, long line, const char *tax, const char *name,
                        const char *contact, const char *sector, struct survey_business *out,
                        survey_problem_fn problem, void *ctx)
{
    memset(out, 0, sizeof *out);
    out->line = line;
    int bad = 0;
    struct err e;
    if (survey_taxcode_check(tax, "tax_code", &e))
        bad += problemf(problem, ctx, file, line, "tax_code",
                        "10 digits, 10 digits-3 digits (a branch) or 12 digits", tax ? tax : "");
    else
        snprintf(out->tax, sizeof out->tax, "%s", tax);
    bad += text(file, line, "name", name, 1, out->name, sizeof out->name, problem, ctx);
    bad += text(file, line, "contact", contact, 0, out->contact, sizeof out->contact, problem, ctx);
    bad += text(file, line, "sector", sector, 1, out->sector, sizeof out->sector, problem, ctx);
    return bad;
}

static int biz_cmp(const void *a, const void *b)
{
    const struct survey_business *const *x = a, *const *y = b;
    int c = strcmp((*x)->tax, (*y)->tax);
    return c ? c : ((*x)->line > (*y)->line) - ((*x)->line < (*y)->line);
}

int survey_business_dupes(const char *file, const struct survey_business *b, size_t n,
                          survey_problem_fn problem, void *ctx)
{
    if (!n) return 0;
    const struct survey_business **p = malloc(sizeof *p * n);
    if (!p) return problemf(problem, ctx, file, 0, "tax_code", "out of memory", "");
    for (size_t i = 0; i < n; i++)
        p[i] = &b[i];
    qsort(p, n, sizeof *p, biz_cmp);
    int bad = 0;
    for (size_t i = 1, f = 0; i < n; i++) {
        if (strcmp(p[i]->tax, p[f]->tax)) {
            f = i;
            continue;
        }
        if (!*p[i]->tax) continue;
        char msg[80];
        snprintf(msg, sizeof msg, "already on line %ld: one row per business", p[f]->line);
        bad += problemf(problem, ctx, file, p[i]->line, "tax_code", msg, p[i]->tax);
    }
    free(p);
    return bad;
}
