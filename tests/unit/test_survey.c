/* test_survey.c — survey instruments (src/core/survey.c): the shipped SIPAS and DDCI sets
 * parse, every validation rule names file, line, column and value, answers score through
 * their scale and roll up with weights; and the sampling (src/core/survey_sample.c): Cochran
 * sizes, a property test that a seed reproduces its draw, another seed draws differently and
 * every stratum gets its proportional share (±1), stratified means with intervals, ranks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <math.h>

#include "survey.h"
#include "survey_business.h"
#include "survey_sample.h"

static const char *data_path(const char *rel, char *buf, size_t n)
{
    const char *d = getenv("CCHC_DATA");
    snprintf(buf, n, "%s/%s", d ? d : CCHC_DATA_DIR, rel);
    return buf;
}

static void shipped_sets_parse(void **state)
{
    (void)state;
    char p[512];
    struct survey_set s;
    struct err e = {0};
    if (survey_set_load(data_path("surveys/sipas-2023.tsv", p, sizeof p), &s, NULL, NULL, &e))
        fail_msg("%s", e.msg);
    assert_string_equal(s.code, "SIPAS-2023");
    assert_int_equal(s.year, 2023);
    assert_string_equal(s.kind, "sipas");
    int comps = 0;
    for (int i = 0; i < s.nnodes; i++)
        comps += s.nodes[i].level == SURVEY_COMPONENT;
    assert_int_equal(comps, 5); /* the five elements of the 2640/QĐ-BNV scheme */
    assert_true(s.nquestions >= 15);
    survey_set_free(&s);
    if (survey_set_load(data_path("surveys/ddci-example-2024.tsv", p, sizeof p), &s, NULL, NULL,
                        &e))
        fail_msg("%s", e.msg);
    assert_string_equal(s.respondent, "business");
    survey_set_free(&s);
}

#define HEAD                                                                                       \
    "# code: T-1\n# year: 2024\n# kind: sipas\n# respondent: citizen\n# source: test\n"            \
    "type\tcode\tparent\tweight\tscale\ttext\n"                                                    \
    "scale\tS\t\t\t\tThang\noption\t1\tS\t0\t\tKhông\noption\t2\tS\t100\t\tCó\n"                 \
    "option\t0\tS\t-\t\tKhông biết\n"

static const char *GOOD = HEAD "component\tA\t\t60\t\tA\ncriterion\tA.1\tA\t100\t\tA1\n"
                               "question\tA.1.1\tA.1\t50\tS\tq1\nquestion\tA.1.2\tA.1\t50\tS\tq2\n"
                               "component\tB\t\t40\t\tB\ncriterion\tB.1\tB\t100\t\tB1\n"
                               "question\tB.1.1\tB.1\t100\tS\tq3\n";

struct probs {
    int n;
    char first[400];
};
static void collect(void *ctx, const char *msg)
{
    struct probs *p = ctx;
    if (!p->n++) snprintf(p->first, sizeof p->first, "%s", msg);
}

/* text must fail with exactly `want` as its first problem and `count` problems in all */
static void bad(const char *text, const char *want, int count)
{
    struct survey_set s;
    struct err e = {0};
    struct probs p = {0};
    int rc = survey_set_parse(text, "t.tsv", &s, collect, &p, &e);
    if (rc != ERR_INVALID) fail_msg("accepted; expected %s", want);
    if (strcmp(p.first, want)) fail_msg("first problem\n  %s\nexpected\n  %s", p.first, want);
    assert_string_equal(e.msg, want);
    if (p.n != count) fail_msg("%d problems, expected %d (first: %s)", p.n, count, p.first);
}

static void validation(void **state)
{
    (void)state;
    struct survey_set s;
    struct err e = {0};
    if (survey_set_parse(GOOD, "t.tsv", &s, NULL, NULL, &e)) fail_msg("%s", e.msg);
    assert_int_equal(s.nquestions, 3);
    survey_set_free(&s);

    bad(HEAD "component\tA\t\t60\t\tA\ncriterion\tA.1\tA\t100\t\tA1\n"
             "question\tA.1.1\tA.1\t100\tS\tq1\n",
        "t.tsv: weight: the weights under the index sum to 60.000, not 100", 1);
    bad(HEAD "component\tA\t\t100\t\tA\ncriterion\tA.1\tA\t100\t\tA1\n"
             "question\tA.1.1\tA.1\t40\tS\tq1\nquestion\tA.1.2\tA.1\t50,5\tS\tq2\n",
        "t.tsv:12: weight: the weights under A.1 sum to 90.500, not 100", 1);
    bad(HEAD "component\tA\t\t100\t\tA\ncriterion\tA.1\tX\t100\t\tA1\n",
        "t.tsv:12: parent: 'X': no component of that code above this line", 2);
    bad(HEAD "component\tA\t\t100\t\tA\ncriterion\tA.1\tA\t100\t\tA1\n"
             "question\tA.1.1\tA\t100\tS\tq1\n",
        "t.tsv:13: parent: 'A' is a component; a question's parent is a criterion", 2);
    bad(HEAD "component\tA\t\t100\t\tA\ncriterion\tA.1\tA\t100\t\tA1\n"
             "question\tA.1.1\tA.1\t100\tZ\tq1\n",
        "t.tsv:13: scale: 'Z': no scale of that code above this line", 2);
    bad(HEAD "option\t3\tS\t120\t\tX\n",
        "t.tsv:11: weight: '120': an option's score is 0 to 100 "
        "(up to 3 decimals) or '-'",
        2);
    bad(HEAD "option\t2\tS\t50\t\tX\n", "t.tsv:11: code: '2': scale S already has this value", 2);
    bad(HEAD "component\tA\t\t100\t\tA\ncomponent\tA\t\t0\t\tB\n",
        "t.tsv:12: code: 'A': already used above", 2);
    bad(HEAD "component\tA\t\t100\n",
        "t.tsv:11: columns: 4 fields; every row has 6 (type, code, "
        "parent, weight, scale, text)",
        2);
    bad(HEAD "kriterion\tA\t\t100\t\tA\n",
        "t.tsv:11: type: 'kriterion': scale, option, component, criterion or question", 2);
    bad("# code: T\n# year: 1999\n# kind: pci\n# respondent: citizen\n# source: x\n"
        "type\tcode\tparent\tweight\tscale\ttext\n",
        "t.tsv:2: year: '1999': a year from 2000 to 2100", 5);
    bad("# code: T\n# year: 2024\n# kind: sipas\n# respondent: citizen\n"
        "type\tcode\tparent\tweight\tscale\ttext\n"
        "scale\tS\t\t\t\tT\noption\t1\tS\t-\t\tX\noption\t2\tS\t-\t\tY\n"
        "component\tA\t\t100\t\tA\n",
        "t.tsv: source: missing: a '# source: ...' line citing the decision or methodology", 3);
}

static void scoring(void **state)
{
    (void)state;
    struct survey_set s;
    struct err e = {0};
    assert_int_equal(survey_set_parse(GOOD, "t.tsv", &s, NULL, NULL, &e), 0);
    int sc;
    assert_int_equal(survey_answer_score(&s, survey_find(&s, "A.1.1"), "2", &sc, &e), 0);
    assert_int_equal(sc, 100000);
    assert_int_equal(survey_answer_score(&s, survey_find(&s, "A.1.1"), "0", &sc, &e), 0);
    assert_int_equal(sc, SURVEY_SCORE_NA);
    assert_int_equal(survey_answer_score(&s, survey_find(&s, "A.1.1"), "7", &sc, &e), ERR_INVALID);
    assert_string_equal(e.msg, "A.1.1: '7': not an answer of scale S (1, 2, 0)");
    assert_string_equal(e.field, "A.1.1");
    /* yes, no, yes: A = 50, B = 100, index = 0.6 * 50 + 0.4 * 100 = 70 */
    int q[3] = {100000, 0, 100000};
    double v[16];
    assert_float_equal(survey_rollup(&s, q, v), 70.0, 1e-9);
    assert_float_equal(v[survey_find(&s, "A")], 50.0, 1e-9);
    /* an unanswered question drops out and its siblings' weights are renormalised */
    int q2[3] = {SURVEY_SCORE_NA, 0, 100000};
    assert_float_equal(survey_rollup(&s, q2, NULL), 0.6 * 0 + 0.4 * 100, 1e-9);
    int q3[3] = {SURVEY_SCORE_NA, SURVEY_SCORE_NA, SURVEY_SCORE_NA};
    assert_true(survey_rollup(&s, q3, NULL) < 0);
    survey_set_free(&s);
}

/* SIPAS 2023 is published as 82.66 % nationally (MOHA, 17/4/2024). Its five element figures
 * were not found in the sources searched (docs/surveys.md), so the national figure cannot be
 * reproduced from them here. What is checked: the shipped set's roll-up is the equal-weight
 * mean of the five elements, the rule the set encodes (verify), so figures given for the
 * components come back as their mean. */
static void sipas_rollup_of_components(void **state)
{
    (void)state;
    char p[512];
    struct survey_set s;
    struct err e = {0};
    if (survey_set_load(data_path("surveys/sipas-2023.tsv", p, sizeof p), &s, NULL, NULL, &e))
        fail_msg("%s", e.msg);
    double *v = malloc(sizeof *v * (size_t)s.nnodes);
    for (int i = 0; i < s.nnodes; i++)
        v[i] = -1;
    const char *c[5] = {"TC", "TT", "CC", "KQ", "GY"};
    const double f[5] = {80.0, 82.5, 85.0, 84.0, 81.8};
    for (int i = 0; i < 5; i++)
        v[survey_find(&s, c[i])] = f[i];
    assert_float_equal(survey_rollup_nodes(&s, v), (80.0 + 82.5 + 85.0 + 84.0 + 81.8) / 5, 1e-9);
    free(v);
    survey_set_free(&s);
}

static void cochran(void **state)
{
    (void)state;
    /* n0 = 1.96² × 0.25 / 0.05² = 384.16 */
    assert_int_equal(survey_sample_size(1000000000, 0.05, 1.96), 385);
    assert_int_equal(survey_sample_size(1000, 0.05, 1.96), 278); /* 277.74 */
    assert_int_equal(survey_sample_size(100, 0.05, 1.96), 80);   /* 79.5 */
    assert_int_equal(survey_sample_size(10, 0.05, 1.96), 10);
    assert_int_equal(survey_sample_size(0, 0.05, 1.96), 0);
    assert_int_equal(survey_sample_size(5000, 0.10, 1.96), 95); /* 96.04 -> 94.25 */
}

static void pcg_reference(void **state)
{
    (void)state;
    /* pcg32-demo's first outputs for seed 42, stream 54 (pcg-random.org, pcg32-global-demo) */
    struct pcg32 r;
    pcg32_seed(&r, 42u, 54u);
    const uint32_t want[6] = {0xa15c02b7, 0x7b47f409, 0xba1d3330,
                              0x83d2f293, 0xbfa4784b, 0xcbed606e};
    for (int i = 0; i < 6; i++)
        assert_int_equal(pcg32_next(&r), want[i]);
}

/* A population of npop members over k strata of random sizes (some tiny). */
static char **population(struct pcg32 *g, size_t npop, size_t k)
{
    static const char *field[] = {"Hộ tịch", "Đất đai", "Xây dựng", "Chứng thực", "Kinh doanh"};
    static const char *channel[] = {"direct", "online", "postal"};
    static const char *outcome[] = {"early", "on_time", "late"};
    char **keys = malloc(sizeof *keys * npop);
    for (size_t i = 0; i < npop; i++) {
        /* skewed: stratum j with probability ~ 1/(j+1) */
        size_t j = pcg32_below(g, (uint32_t)k);
        if (pcg32_below(g, 2)) j = j / 2;
        char b[160];
        snprintf(b, sizeof b, "%s|%s|%s", field[j % 5], channel[(j / 5) % 3],
                 outcome[(j / 15) % 3]);
        keys[i] = strdup(b);
    }
    return keys;
}

static void sampling_property(void **state)
{
    (void)state;
    struct pcg32 g;
    pcg32_seed(&g, 2026, 19);
    for (int round = 0; round < 200; round++) {
        size_t npop = 1 + pcg32_below(&g, 3000), k = 1 + pcg32_below(&g, 45);
        double moe = 0.03 + pcg32_below(&g, 8) / 100.0;
        char **keys = population(&g, npop, k);
        uint64_t seed = ((uint64_t)pcg32_next(&g) << 32) | pcg32_next(&g);
        size_t *a, *b, na, nb, ns, ns2;
        struct survey_stratum *st, *st2;
        struct err e = {0};
        assert_int_equal(
            survey_draw((const char *const *)keys, npop, moe, 1.96, seed, &a, &na, &st, &ns, &e),
            0);
        assert_int_equal(
            survey_draw((const char *const *)keys, npop, moe, 1.96, seed, &b, &nb, &st2, &ns2, &e),
            0);
        /* same seed, same sample */
        assert_int_equal(na, nb);
        assert_memory_equal(a, b, sizeof *a * na);
        size_t n = survey_sample_size(npop, moe, 1.96);
        assert_int_equal(na, n);
        /* proportional share ±1 in every stratum, members really of their stratum, no repeats */
        size_t off = 0;
        for (size_t j = 0; j < ns; j++) {
            double share = (double)n * (double)st[j].pop / (double)npop;
            if ((double)st[j].n < share - 1 || (double)st[j].n > share + 1)
                fail_msg("round %d stratum %s: %zu of %zu, share %.3f", round, st[j].key, st[j].n,
                         st[j].pop, share);
            assert_true(st[j].n <= st[j].pop);
            for (size_t t = 0; t < st[j].n; t++) {
                assert_string_equal(keys[a[off + t]], st[j].key);
                if (t) assert_true(a[off + t] > a[off + t - 1]);
            }
            off += st[j].n;
        }
        /* a different seed draws a different sample (when there is a choice to make) */
        if (n < npop && n >= 10) {
            size_t *c, nc;
            struct survey_stratum *st3;
            size_t ns3;
            assert_int_equal(survey_draw((const char *const *)keys, npop, moe, 1.96, seed + 1, &c,
                                         &nc, &st3, &ns3, &e),
                             0);
            assert_int_equal(nc, na);
            assert_true(memcmp(a, c, sizeof *a * na) != 0);
            free(c);
            free(st3);
        }
        free(a);
        free(b);
        free(st);
        free(st2);
        for (size_t i = 0; i < npop; i++)
            free(keys[i]);
        free(keys);
    }
}

/* The same property for DDCI's businesses drawn from dossiers: many dossiers per business, one
 * respondent per business (its first dossier), the size and the ±1 shares counted in
 * businesses, reproducible from the seed, another seed another sample. */
static void business_sampling_property(void **state)
{
    (void)state;
    struct pcg32 g;
    pcg32_seed(&g, 2026, 28);
    for (int round = 0; round < 200; round++) {
        size_t npop = 1 + pcg32_below(&g, 3000), k = 1 + pcg32_below(&g, 20);
        size_t nbiz = 1 + pcg32_below(&g, (uint32_t)npop);
        double moe = 0.03 + pcg32_below(&g, 8) / 100.0;
        char **keys = population(&g, npop, k), **biz = malloc(sizeof *biz * npop);
        size_t *first = malloc(sizeof *first * nbiz), nreps = 0;
        assert_non_null(biz);
        for (size_t b = 0; b < nbiz; b++)
            first[b] = SIZE_MAX;
        for (size_t i = 0; i < npop; i++) {
            size_t b = pcg32_below(&g, (uint32_t)nbiz);
            char buf[24];
            snprintf(buf, sizeof buf, "%010zu", b);
            biz[i] = strdup(buf);
            if (first[b] == SIZE_MAX) {
                first[b] = i;
                nreps++;
            }
        }
        uint64_t seed = ((uint64_t)pcg32_next(&g) << 32) | pcg32_next(&g);
        size_t *a, *b, na, nb, ns, ns2;
        struct survey_stratum *st, *st2;
        struct err e = {0};
        assert_int_equal(survey_business_draw((const char *const *)biz, (const char *const *)keys,
                                              npop, moe, 1.96, seed, &a, &na, &st, &ns, &e),
                         0);
        assert_int_equal(survey_business_draw((const char *const *)biz, (const char *const *)keys,
                                              npop, moe, 1.96, seed, &b, &nb, &st2, &ns2, &e),
                         0);
        assert_int_equal(na, nb);
        assert_memory_equal(a, b, sizeof *a * na);
        size_t n = survey_sample_size(nreps, moe, 1.96), total = 0;
        assert_int_equal(na, n);
        for (size_t j = 0; j < ns; j++)
            total += st[j].pop;
        assert_int_equal(total, nreps); /* strata count businesses, not dossiers */
        size_t off = 0;
        for (size_t j = 0; j < ns; j++) {
            double share = (double)n * (double)st[j].pop / (double)nreps;
            if ((double)st[j].n < share - 1 || (double)st[j].n > share + 1)
                fail_msg("round %d stratum %s: %zu of %zu, share %.3f", round, st[j].key, st[j].n,
                         st[j].pop, share);
            for (size_t t = 0; t < st[j].n; t++) {
                size_t i = a[off + t];
                assert_string_equal(keys[i], st[j].key);
                /* the business's first dossier, so no business is asked twice */
                assert_int_equal(first[strtoul(biz[i], NULL, 10)], i);
            }
            off += st[j].n;
        }
        int choice = 0; /* a stratum where many samples are possible */
        for (size_t j = 0; j < ns; j++)
            choice |= st[j].n >= 5 && st[j].pop - st[j].n >= 5;
        if (choice) {
            size_t *c, nc, ns3;
            struct survey_stratum *st3;
            assert_int_equal(survey_business_draw((const char *const *)biz,
                                                  (const char *const *)keys, npop, moe, 1.96,
                                                  seed + 1, &c, &nc, &st3, &ns3, &e),
                             0);
            assert_int_equal(nc, na);
            assert_true(memcmp(a, c, sizeof *a * na) != 0);
            free(c);
            free(st3);
        }
        free(a);
        free(b);
        free(st);
        free(st2);
        for (size_t i = 0; i < npop; i++) {
            free(keys[i]);
            free(biz[i]);
        }
        free(keys);
        free(biz);
        free(first);
    }
}

static void allocation_sums(void **state)
{
    (void)state;
    size_t pop[4] = {1, 1, 1, 997}, al[4];
    survey_allocate(pop, 4, 10, al);
    assert_int_equal(al[0] + al[1] + al[2] + al[3], 10);
    assert_int_equal(al[3], 10); /* 9.97 rounds up before three 0.01 remainders */
    size_t pop2[3] = {10, 10, 10}, al2[3];
    survey_allocate(pop2, 3, 2, al2);
    assert_int_equal(al2[0], 1); /* equal remainders: lower index first */
    assert_int_equal(al2[1], 1);
    assert_int_equal(al2[2], 0);
    struct err e = {0};
    size_t *p, np, ns;
    struct survey_stratum *st;
    const char *k[1] = {"a"};
    assert_int_equal(survey_draw(k, 1, 0, 1.96, 1, &p, &np, &st, &ns, &e), ERR_INVALID);
    assert_string_equal(e.field, "margin");
}

static void estimates(void **state)
{
    (void)state;
    /* two strata, 100 and 300 people; answers 100/0 */
    double y[8] = {100, 100, 0, 0, 100, 100, 100, 0};
    size_t h[8] = {0, 0, 0, 0, 1, 1, 1, 1};
    size_t pop[2] = {100, 300};
    double m, half;
    assert_int_equal(survey_strat_mean(y, h, 8, pop, 2, 1.96, &m, &half), 8);
    /* 0.25 × 50 + 0.75 × 75 = 68.75 */
    assert_float_equal(m, 68.75, 1e-9);
    /* var = .0625 × (1−4/100) × 3333.33/4 + .5625 × (1−4/300) × 2500/4 */
    double var = 0.0625 * 0.96 * (10000.0 / 3) / 4 + 0.5625 * (1 - 4.0 / 300) * 2500.0 / 4;
    assert_float_equal(half, 1.96 * sqrt(var), 1e-9);
    double v[5] = {82.664, 90.1, 82.66, -1, 70};
    int r[5];
    survey_rank(v, 5, r);
    assert_int_equal(r[0], 2);
    assert_int_equal(r[1], 1);
    assert_int_equal(r[2], 2); /* 82.664 and 82.66 are both 82.66 */
    assert_int_equal(r[3], 0);
    assert_int_equal(r[4], 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shipped_sets_parse),
        cmocka_unit_test(validation),
        cmocka_unit_test(scoring),
        cmocka_unit_test(sipas_rollup_of_components),
        cmocka_unit_test(cochran),
        cmocka_unit_test(pcg_reference),
        cmocka_unit_test(sampling_property),
        cmocka_unit_test(business_sampling_property),
        cmocka_unit_test(allocation_sums),
        cmocka_unit_test(estimates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
