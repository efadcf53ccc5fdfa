/* demo_survey.c — the demo's satisfaction survey (issue 19): a SIPAS round over the twelve
 * months up to today for the eight units that returned the most dossiers, and answers from
 * about two thirds of the sampled citizens (mostly satisfied, reproducible from a fixed seed),
 * so the results pages have something to show. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "demo_data.h"
#include "store.h"
#include "store_survey.h"
#include "survey.h"
#include "survey_sample.h"

#define DEMO_UNITS    8
#define DEMO_PER_UNIT 45

struct demo_tokens {
    size_t n, cap;
    char (*token)[SURVEY_TOKEN_LEN + 1];
    char (*unit)[32];
};

static int keep(const char *unit, const char *stratum, const char *dossier, const char *token,
                void *ctx)
{
    (void)stratum;
    (void)dossier;
    struct demo_tokens *t = ctx;
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 256;
        void *a = realloc(t->token, sizeof *t->token * cap);
        if (!a) return -1;
        t->token = a;
        void *b = realloc(t->unit, sizeof *t->unit * cap);
        if (!b) return -1;
        t->unit = b;
        t->cap = cap;
    }
    snprintf(t->token[t->n], sizeof t->token[t->n], "%s", token);
    snprintf(t->unit[t->n], sizeof t->unit[t->n], "%s", unit);
    t->n++;
    return 0;
}

struct top_units {
    char code[DEMO_UNITS][32];
    int count;
};

static int top_add(const char *unit, int64_t n, void *ctx)
{
    (void)n;
    struct top_units *t = ctx;
    if (t->count == DEMO_UNITS) return 1; /* enough: stop */
    snprintf(t->code[t->count++], 32, "%s", unit);
    return 0;
}

/* A level 1..5 (or 0, "không biết", for the feedback questions) leaning to satisfied; units
 * differ by their position so the ranking is not flat. */
static const char *level(struct pcg32 *g, int unit_ix, int feedback_q)
{
    static const char *v[] = {"0", "1", "2", "3", "4", "5"};
    if (feedback_q && pcg32_below(g, 3) == 0) return v[0];
    uint32_t x = pcg32_below(g, 100) + (uint32_t)unit_ix * 3;
    return x < 4 ? v[1] : x < 10 ? v[2] : x < 28 ? v[3] : x < 70 ? v[4] : v[5];
}

int demo_survey(struct store *s, const char *data, int64_t now, struct err *e)
{
    char path[1024], from[16], to[16], day[16], code[32];
    snprintf(path, sizeof path, "%s/surveys/sipas-2023.tsv", data);
    struct survey_set set;
    int rc = survey_set_load(path, &set, NULL, NULL, e);
    if (rc) return rc;
    int64_t today = instant_day(now);
    day_format(today - 364, from);
    day_format(today, to);
    day_format(today, day);
    snprintf(code, sizeof code, "SIPAS-%.4s", to);
    struct survey_round existing;
    struct err ignore = {0};
    if (!store_survey_round_get(s, code, &existing, &ignore)) {
        survey_set_free(&set);
        return 0; /* a reused demo database keeps its round */
    }
    struct demo_tokens toks = {0};
    struct survey_round_in in = {.code = code,
                                 .set_file = "sipas-2023.tsv",
                                 .set = &set,
                                 .from = from,
                                 .to = to,
                                 .margin_pm = 50,
                                 .seed = 2026,
                                 .actor = "demo",
                                 .at = (int64_t)time(NULL)};
    const char *units[DEMO_UNITS];
    struct top_units top = {0};
    rc = store_survey_population_units(s, from, to, top_add, &top, e);
    if (rc == 1) rc = 0;
    for (int i = 0; i < top.count; i++)
        units[i] = top.code[i];
    in.units = units;
    in.nunits = top.count;
    if (!rc && top.count) rc = store_survey_round_create(s, &in, keep, &toks, e);
    struct pcg32 g;
    pcg32_seed(&g, 19, 2026);
    for (int u = 0; !rc && u < top.count; u++) {
        int answered = 0;
        for (size_t i = 0; !rc && i < toks.n && answered < DEMO_PER_UNIT; i++) {
            if (strcmp(toks.unit[i], top.code[u]) || pcg32_below(&g, 3) == 0) continue;
            struct survey_answer_in a[64];
            int n = 0;
            for (int k = 0; k < set.nquestions && n < 64; k++) {
                const char *q = set.nodes[set.questions[k]].code;
                a[n].question = q;
                a[n].value = level(&g, u, q[0] == 'G' && q[1] == 'Y');
                n++;
            }
            rc = store_survey_respond(s, &set, toks.token[i], a, n, day, e);
            answered++;
        }
    }
    free(toks.token);
    free(toks.unit);
    survey_set_free(&set);
    return rc;
}
