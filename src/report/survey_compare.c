/* survey_compare.c — the previous year's round of the same instrument and each unit's change
 * in index and rank against it (survey_compare.h). */
#include "survey_compare.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int load_set(const char *data_dir, const char *file, struct survey_set *set, struct err *e)
{
    char path[1024];
    if (strchr(file, '/'))
        snprintf(path, sizeof path, "%s", file);
    else
        snprintf(path, sizeof path, "%s/surveys/%s", data_dir, file);
    return survey_set_load(path, set, NULL, NULL, e);
}

struct pick {
    const char *data_dir, *kind;
    int year;
    char code[SURVEY_CODE_MAX];
    int64_t at;
};

static int pick_round(const struct survey_round *r, void *vc)
{
    struct pick *p = vc;
    if (r->year != p->year || (p->code[0] && r->created_at < p->at)) return 0;
    struct survey_set set;
    if (load_set(p->data_dir, r->set_file, &set, NULL)) return 0; /* a set gone: not comparable */
    if (!strcmp(set.kind, p->kind)) {
        snprintf(p->code, sizeof p->code, "%s", r->code);
        p->at = r->created_at;
    }
    survey_set_free(&set);
    return 0;
}

int survey_change_load(struct store *s, const char *data_dir, const struct survey_round *rd,
                       const struct survey_set *set, const char *previous,
                       const struct survey_results *res, struct survey_change *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    out->n = res->nunits;
    size_t n = res->nunits ? res->nunits : 1;
    out->index = malloc(sizeof *out->index * n);
    out->change = malloc(sizeof *out->change * n);
    out->rank = calloc(n, sizeof *out->rank);
    out->rank_change = calloc(n, sizeof *out->rank_change);
    out->has_change = calloc(n, sizeof *out->has_change);
    if (!out->index || !out->change || !out->rank || !out->rank_change || !out->has_change) {
        survey_change_free(out);
        return err_set(e, ERR_NOMEM, "previous", "out of memory");
    }
    for (size_t u = 0; u < res->nunits; u++) {
        out->index[u] = -1;
        out->change[u] = NAN;
    }
    int rc = 0;
    struct survey_round pr;
    if (previous) {
        if (!*previous) return 0;
        if ((rc = store_survey_round_get(s, previous, &pr, e))) goto fail;
        snprintf(out->round, sizeof out->round, "%s", pr.code);
    } else {
        struct pick p = {data_dir, set->kind, rd->year - 1, "", 0};
        if ((rc = store_survey_round_list(s, pick_round, &p, e))) goto fail;
        if (!p.code[0]) return 0;
        snprintf(out->round, sizeof out->round, "%s", p.code);
        if ((rc = store_survey_round_get(s, p.code, &pr, e))) goto fail;
    }
    struct survey_set pset;
    struct survey_results prev;
    if ((rc = load_set(data_dir, pr.set_file, &pset, e))) goto fail;
    rc = store_survey_results(s, &pset, pr.code, &prev, e);
    survey_set_free(&pset);
    if (rc) goto fail;
    for (size_t u = 0; u < res->nunits; u++)
        for (size_t p = 0; p < prev.nunits; p++) {
            if (strcmp(prev.unit[p], res->unit[u])) continue;
            double now = res->r[u].index, then = prev.r[p].index;
            out->index[u] = then;
            out->rank[u] = prev.rank[p] > 0 ? prev.rank[p] : 0;
            if (now >= 0 && then >= 0) out->change[u] = round((now - then) * 100) / 100;
            if (res->rank[u] > 0 && out->rank[u] > 0) {
                out->rank_change[u] = out->rank[u] - res->rank[u];
                out->has_change[u] = 1;
            }
        }
    store_survey_results_free(&prev);
    return 0;
fail:
    survey_change_free(out);
    return rc;
}

void survey_change_free(struct survey_change *c)
{
    free(c->index);
    free(c->change);
    free(c->rank);
    free(c->rank_change);
    free(c->has_change);
    memset(c, 0, sizeof *c);
}
