/* survey_sample.c — stratified sampling (Cochran size, proportional allocation, PCG32 draw)
 * and the estimates from a sample (stratified mean with its confidence interval, ranking). */
#include "survey_sample.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pcg32_seed(struct pcg32 *r, uint64_t seed, uint64_t stream)
{
    r->state = 0;
    r->inc = (stream << 1u) | 1u;
    pcg32_next(r);
    r->state += seed;
    pcg32_next(r);
}

uint32_t pcg32_next(struct pcg32 *r)
{
    uint64_t old = r->state;
    r->state = old * 6364136223846793005ULL + r->inc;
    uint32_t xorshifted = (uint32_t)(((old >> 18u) ^ old) >> 27u);
    uint32_t rot = (uint32_t)(old >> 59u);
    return (xorshifted >> rot) | (xorshifted << ((-rot) & 31));
}

uint32_t pcg32_below(struct pcg32 *r, uint32_t bound)
{
    uint32_t threshold = (uint32_t)(-bound) % bound;
    for (;;) {
        uint32_t x = pcg32_next(r);
        if (x >= threshold) return x % bound;
    }
}

size_t survey_sample_size(size_t population, double moe, double z)
{
    if (!population) return 0;
    double n0 = z * z * 0.25 / (moe * moe);
    double n = n0 / (1.0 + (n0 - 1.0) / (double)population);
    size_t r = (size_t)ceil(n - 1e-9);
    return r > population ? population : r < 1 ? 1 : r;
}

struct rem {
    size_t i, pop;
    double frac;
};

static int rem_cmp(const void *a, const void *b)
{
    const struct rem *x = a, *y = b;
    if (x->frac != y->frac) return x->frac < y->frac ? 1 : -1;
    if (x->pop != y->pop) return x->pop < y->pop ? 1 : -1;
    return x->i < y->i ? -1 : 1;
}

void survey_allocate(const size_t *pop, size_t k, size_t n, size_t *alloc)
{
    size_t total = 0, given = 0;
    for (size_t i = 0; i < k; i++)
        total += pop[i];
    if (!total || !k) {
        for (size_t i = 0; i < k; i++)
            alloc[i] = 0;
        return;
    }
    struct rem *r = malloc(sizeof *r * k);
    for (size_t i = 0; i < k; i++) {
        /* exact integer quotient and remainder: no floating-point drift in the floors */
        unsigned long long num = (unsigned long long)n * pop[i];
        alloc[i] = (size_t)(num / total);
        given += alloc[i];
        if (r) r[i] = (struct rem){i, pop[i], (double)(num % total) / (double)total};
    }
    if (r) {
        qsort(r, k, sizeof *r, rem_cmp);
        for (size_t j = 0; given < n && j < k; j++, given++)
            alloc[r[j].i]++;
        free(r);
    }
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int size_cmp(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

int survey_draw(const char *const *keys, size_t npop, double moe, double z, uint64_t seed,
                size_t **picked, size_t *npicked, struct survey_stratum **strata, size_t *nstrata,
                struct err *e)
{
    *picked = NULL;
    *strata = NULL;
    *npicked = *nstrata = 0;
    if (!(moe > 0 && moe <= 0.5))
        return err_set(e, ERR_INVALID, "margin", "%g: a margin of error above 0 and at most 0.5",
                       moe);
    if (!(z > 0 && z <= 5))
        return err_set(e, ERR_INVALID, "confidence", "z = %g: above 0 and at most 5", z);
    if (!npop) return 0;
    int rc = ERR_NOMEM;
    const char **sorted = malloc(sizeof *sorted * npop);
    size_t *h = malloc(sizeof *h * npop), *members = malloc(sizeof *members * npop);
    size_t *pops = NULL, *alloc = NULL, *start = NULL, *out = NULL;
    struct survey_stratum *st = NULL;
    if (!sorted || !h || !members) goto out;
    memcpy(sorted, keys, sizeof *sorted * npop);
    qsort(sorted, npop, sizeof *sorted, str_cmp);
    size_t k = 0;
    for (size_t i = 0; i < npop; i++)
        if (!i || strcmp(sorted[i], sorted[i - 1])) sorted[k++] = sorted[i];
    st = calloc(k, sizeof *st);
    pops = calloc(k, sizeof *pops);
    alloc = calloc(k, sizeof *alloc);
    start = calloc(k + 1, sizeof *start);
    if (!st || !pops || !alloc || !start) goto out;
    for (size_t i = 0; i < npop; i++) {
        const char **f = bsearch(&keys[i], sorted, k, sizeof *sorted, str_cmp);
        h[i] = (size_t)(f - sorted);
        pops[h[i]]++;
    }
    size_t n = survey_sample_size(npop, moe, z);
    survey_allocate(pops, k, n, alloc);
    /* members grouped by stratum, in population order within each */
    for (size_t j = 0; j < k; j++)
        start[j + 1] = start[j] + pops[j];
    size_t *fill = calloc(k, sizeof *fill);
    if (!fill) goto out;
    for (size_t i = 0; i < npop; i++)
        members[start[h[i]] + fill[h[i]]++] = i;
    free(fill);
    out = malloc(sizeof *out * (n ? n : 1));
    if (!out) goto out;
    struct pcg32 rng;
    pcg32_seed(&rng, seed, 0x5eed5a3b1e5ULL);
    size_t got = 0;
    for (size_t j = 0; j < k; j++) {
        size_t *m = members + start[j], N = pops[j];
        for (size_t t = 0; t < alloc[j]; t++) { /* partial Fisher–Yates */
            size_t pick = t + pcg32_below(&rng, (uint32_t)(N - t));
            size_t tmp = m[t];
            m[t] = m[pick];
            m[pick] = tmp;
        }
        qsort(m, alloc[j], sizeof *m, size_cmp);
        memcpy(out + got, m, sizeof *m * alloc[j]);
        got += alloc[j];
        snprintf(st[j].key, sizeof st[j].key, "%s", sorted[j]);
        st[j].pop = pops[j];
        st[j].n = alloc[j];
    }
    *picked = out;
    *npicked = got;
    *strata = st;
    *nstrata = k;
    out = NULL;
    st = NULL;
    rc = 0;
out:
    if (rc) err_set(e, rc, "sample", "out of memory");
    free(sorted);
    free(h);
    free(members);
    free(pops);
    free(alloc);
    free(start);
    free(out);
    free(st);
    return rc;
}

size_t survey_strat_mean(const double *y, const size_t *h, size_t n, const size_t *pop,
                         size_t nstrata, double z, double *mean, double *half)
{
    *mean = -1;
    *half = 0;
    double *sum = calloc(nstrata ? nstrata : 1, sizeof *sum);
    double *sq = calloc(nstrata ? nstrata : 1, sizeof *sq);
    size_t *cnt = calloc(nstrata ? nstrata : 1, sizeof *cnt);
    size_t used = 0;
    if (!sum || !sq || !cnt) goto out;
    for (size_t i = 0; i < n; i++) {
        if (y[i] < 0 || h[i] >= nstrata) continue;
        sum[h[i]] += y[i];
        cnt[h[i]]++;
        used++;
    }
    if (!used) goto out;
    double W = 0;
    for (size_t j = 0; j < nstrata; j++)
        if (cnt[j]) W += (double)(pop[j] > cnt[j] ? pop[j] : cnt[j]);
    for (size_t i = 0; i < n; i++) {
        if (y[i] < 0 || h[i] >= nstrata) continue;
        double d = y[i] - sum[h[i]] / (double)cnt[h[i]];
        sq[h[i]] += d * d;
    }
    double m = 0, var = 0;
    for (size_t j = 0; j < nstrata; j++) {
        if (!cnt[j]) continue;
        double Nh = (double)(pop[j] > cnt[j] ? pop[j] : cnt[j]), nh = (double)cnt[j];
        double wh = Nh / W;
        m += wh * sum[j] / nh;
        if (cnt[j] > 1) var += wh * wh * (1 - nh / Nh) * (sq[j] / (nh - 1)) / nh;
    }
    *mean = m;
    *half = z * sqrt(var);
out:
    free(sum);
    free(sq);
    free(cnt);
    return used;
}

void survey_rank(const double *value, size_t n, int *rank)
{
    for (size_t i = 0; i < n; i++) {
        if (value[i] < 0) {
            rank[i] = 0;
            continue;
        }
        long vi = lround(value[i] * 100);
        int better = 0;
        for (size_t j = 0; j < n; j++)
            if (value[j] >= 0 && lround(value[j] * 100) > vi) better++;
        rank[i] = better + 1;
    }
}
