/* survey.h — survey instruments as data (SIPAS satisfaction, DDCI competitiveness): a set of
 * answer scales, components, criteria and questions with weights, read from the TSV files in
 * data/surveys/ (format: docs/surveys.md); scoring answers and rolling them up question →
 * criterion → component → index. Pure logic: the text is handed in, nothing is opened here
 * except by survey_set_load, which only reads the named file. */
#ifndef CCHC_SURVEY_H
#define CCHC_SURVEY_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define SURVEY_CODE_MAX   32
#define SURVEY_OPT_MAX    12
#define SURVEY_SCORE_NA   (-1)   /* an answer that is not scored ("không biết") or missing */
#define SURVEY_WEIGHT_SUM 100000 /* siblings' weights sum to 100 %, in thousandths */

enum survey_level { SURVEY_COMPONENT = 1, SURVEY_CRITERION = 2, SURVEY_QUESTION = 3 };

struct survey_option {
    char value[SURVEY_CODE_MAX]; /* what is recorded, e.g. "4" */
    int score;                   /* thousandths of a percent (100 % = 100000), or SURVEY_SCORE_NA */
    char *label;
};

struct survey_scale {
    char code[SURVEY_CODE_MAX];
    char *title;
    int nopt;
    struct survey_option opt[SURVEY_OPT_MAX];
};

struct survey_node {
    enum survey_level level;
    char code[SURVEY_CODE_MAX];
    int parent; /* index into nodes; -1 for a component */
    int weight; /* thousandths of a percent of the parent (of the index for a component) */
    int scale;  /* questions: index into scales; else -1 */
    char *text;
    int line; /* line in the file, for messages */
};

struct survey_set {
    char code[SURVEY_CODE_MAX];
    char kind[16];       /* "sipas", "ddci" */
    char respondent[16]; /* "citizen", "business" */
    int year;
    int min_sample; /* valid responses a unit needs before its index is shown unflagged */
    char *title, *source;
    int nscales, nnodes;
    struct survey_scale *scales;
    struct survey_node *nodes; /* in file order: every parent before its children */
    int nquestions;
    int *questions; /* node index of the i-th question, in file order */
};

/* Called once per problem found ("FILE:LINE: column: message"), so a checker can list them all. */
typedef void (*survey_problem_fn)(void *ctx, const char *msg);

/* Parses and validates a set from text (NUL-terminated). name is the file name for messages.
 * Every problem is passed to problem (may be NULL); the first also fills e. Returns 0, or
 * ERR_INVALID (nothing is left allocated in *out on failure). Rules: metadata code, year
 * (2000–2100), kind, respondent and source present; one header line; codes unique, of letters,
 * digits and ". _ -"; parents exist and are of the level above; every scale has 2..12 options
 * with distinct values, scores 0–100 (up to 3 decimals) or "-", and at least one scored
 * option; every component has criteria, every criterion questions; siblings' weights (and the
 * components' weights) sum to exactly 100. */
int survey_set_parse(const char *text, const char *name, struct survey_set *out,
                     survey_problem_fn problem, void *ctx, struct err *e);

/* Reads path and parses it (ERR_IO when it cannot be read). */
int survey_set_load(const char *path, struct survey_set *out, survey_problem_fn problem, void *ctx,
                    struct err *e);

void survey_set_free(struct survey_set *s);

/* Index of the node with code, or -1. */
int survey_find(const struct survey_set *s, const char *code);

/* The score of answer value to question node q: 0 with *score in thousandths of a percent or
 * SURVEY_SCORE_NA for an unscored option; ERR_INVALID naming the question, the value and the
 * allowed values when value is not an option of the question's scale. */
int survey_answer_score(const struct survey_set *s, int q, const char *value, int *score,
                        struct err *e);

/* Rolls one respondent's question scores (per question in s->questions order, SURVEY_SCORE_NA
 * when unanswered or unscored) up to criteria, components and the index: each level is the
 * weighted mean of its answered children, the weights renormalised over them. node_out (size
 * nnodes, may be NULL) receives each node's value in percent or -1 when nothing under it was
 * answered. Returns the index in percent, or -1 when the respondent answered nothing scored. */
double survey_rollup(const struct survey_set *s, const int *qscore, double *node_out);

/* The roll-up itself over node values in percent (-1: no value): every node still at -1 gets
 * the weighted mean of its children that have a value (weights renormalised over them), bottom
 * up; a node given a value keeps it. So published component figures roll up to their index.
 * Returns the index (weighted mean of the components), or -1 when no component has a value. */
double survey_rollup_nodes(const struct survey_set *s, double *node_pct);

/* ---- results of one unit --------------------------------------------------------------- */

/* What a unit's sample gives: per node (question, criterion, component) and for the index a
 * stratified mean of the respondents' values (each respondent's answers rolled up by
 * survey_rollup) with its 95 % half-width and the number of respondents who have a value. */
struct survey_unit_result {
    size_t n;                 /* responses */
    int below_min;            /* n < the set's min_sample: shown, but flagged */
    double index, half;       /* percent; index -1 when nothing was answered */
    double *node, *node_half; /* nnodes each, -1 where nobody answered */
    size_t *node_n;
};

/* Computes r from nresp responses of one unit: stratum[i] indexes pop (the population of each
 * stratum of the unit), qscore + i * s->nquestions is response i's question scores. r's arrays
 * are allocated here (survey_unit_result_free). ERR_NOMEM only. */
int survey_unit_compute(const struct survey_set *s, const size_t *pop, size_t nstrata,
                        const size_t *stratum, const int *qscore, size_t nresp,
                        struct survey_unit_result *r, struct err *e);
void survey_unit_result_free(struct survey_unit_result *r);

/* A PAR survey criterion's points from a survey percentage: pct / 100 × max_thousandths,
 * rounded half up to the decimals (0..3) the criterion allows. */
int64_t survey_par_points(double pct, int64_t max_thousandths, int decimals);

#endif
