/* survey_sample.h — who is asked: a stratified random sample of a population (citizens whose
 * dossiers were returned, businesses), its size from a target margin of error (Cochran with
 * the finite population correction), proportional allocation to strata, and a reproducible
 * draw from a seed (PCG32, O'Neill 2014; never rand()). Then the estimates: stratified means
 * with 95 % confidence intervals, ranking with ties. Pure logic, no I/O. */
#ifndef CCHC_SURVEY_SAMPLE_H
#define CCHC_SURVEY_SAMPLE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* PCG32 (pcg-random.org, "PCG XSH RR 64/32", the reference pcg32_random_r): 64-bit LCG state,
 * output permuted to 32 bits. Same seed and stream give the same sequence on every platform. */
struct pcg32 {
    uint64_t state, inc;
};
void pcg32_seed(struct pcg32 *r, uint64_t seed, uint64_t stream);
uint32_t pcg32_next(struct pcg32 *r);
/* Uniform in [0, bound) without modulo bias (Lemire's rejection); bound >= 1. */
uint32_t pcg32_below(struct pcg32 *r, uint32_t bound);

/* Cochran's sample size for a proportion at margin moe (0.05 = ±5 points) and confidence z
 * (1.96 for 95 %), p = 0.5 (the most cautious), with the finite population correction
 * n = n0 / (1 + (n0 - 1) / N), rounded up and never above N. N = 0 gives 0. */
size_t survey_sample_size(size_t population, double moe, double z);

/* Proportional allocation of n over strata of sizes pop[0..k): the largest-remainder
 * (Hamilton) method, so every n_h is floor or ceil of n * N_h / N and they sum to n (ties in
 * the remainder go to the larger stratum, then the lower index). alloc has k slots. */
void survey_allocate(const size_t *pop, size_t k, size_t n, size_t *alloc);

struct survey_stratum {
    char key[160]; /* "field|channel|outcome" as the caller built it */
    size_t pop, n; /* population and sample size */
};

/* Draws a stratified sample: keys[i] is the stratum key of population member i (the caller
 * orders the population by a stable key, e.g. the dossier code, so a seed reproduces a draw).
 * Strata are the distinct keys in byte order; the sample size comes from moe and z, allocated
 * proportionally; within a stratum a partial Fisher–Yates shuffle picks members with one
 * PCG32 stream seeded from seed. *picked (caller frees) receives the chosen member indices,
 * stratum by stratum, each stratum's in ascending order; *strata (caller frees) the strata.
 * ERR_INVALID for moe outside (0, 0.5] or z outside (0, 5]. */
int survey_draw(const char *const *keys, size_t npop, double moe, double z, uint64_t seed,
                size_t **picked, size_t *npicked, struct survey_stratum **strata, size_t *nstrata,
                struct err *e);

/* A stratified mean of per-respondent values y (percent) with stratum index h[i] into strata
 * of population sizes pop[]: mean = Σ W_h ȳ_h with W_h = N_h / N over the strata that have
 * responses (the weights renormalised over them), variance Σ W_h² (1 − n_h/N_h) s_h² / n_h;
 * *half = z × its square root (0 when no stratum has two responses). Returns the number of
 * values used; 0 leaves *mean = -1. */
size_t survey_strat_mean(const double *y, const size_t *h, size_t n, const size_t *pop,
                         size_t nstrata, double z, double *mean, double *half);

/* Ranks values (higher is better) with ties sharing a rank ("1, 2, 2, 4"); values equal when
 * they round to the same hundredth. Negative values (no index) get rank 0. */
void survey_rank(const double *value, size_t n, int *rank);

#endif
