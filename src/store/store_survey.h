/* store_survey.h — the store's door to surveys (issue 19, migration 018): rounds over an
 * instrument of data/surveys/, each unit's stratified sample of applicants whose dossiers were
 * returned in the round's period, one-time invitations (only the token's hash is kept),
 * anonymous responses from the web and from paper forms typed twice, and the results per
 * unit. The rules (validation, sampling, roll-up, estimates) are src/core/survey*.c's; this
 * layer reads and writes rows in the SQL both databases share. Errors, transactions and
 * iteration as store.h's opening comment defines them. */
#ifndef CCHC_STORE_SURVEY_H
#define CCHC_STORE_SURVEY_H

#include <stdint.h>

#include "store.h"
#include "survey.h"

#define SURVEY_TOKEN_LEN 26 /* 16 random bytes in lower-case base32 */

struct survey_round {
    char code[SURVEY_CODE_MAX], set_file[96], set_code[SURVEY_CODE_MAX];
    int year, margin_pm; /* year: of the period's first day */
    char from[11], to[11];
    uint64_t seed;
    int64_t created_at;
    char created_by[64];
    int64_t invited, answered, responses;
    char province[32]; /* the root of its units' tree (the least unit code's) at creation */
};

struct survey_round_in {
    const char *code, *set_file;
    const struct survey_set *set; /* the parsed set_file */
    const char *from, *to;        /* 'YYYY-MM-DD': dossiers returned in [from, to] */
    int margin_pm;                /* target margin of error, per mille (50: ±5 points) */
    uint64_t seed;
    const char *const *units; /* NULL: every unit with a returned dossier in the period */
    int nunits;
    const char *actor;
    int64_t at;
};

/* Called once per invitation created or reissued, with the plain token (never stored). */
typedef int (*survey_token_fn)(const char *unit, const char *stratum, const char *dossier,
                               const char *token, void *ctx);

typedef int (*survey_unit_count_fn)(const char *unit, int64_t returned, void *ctx);
/* The units with dossiers returned from day from to day to ('YYYY-MM-DD', inclusive) and how
 * many, most first (then by code): a round's possible units. fn returning non-zero stops the
 * walk and its value is returned. */
int store_survey_population_units(struct store *s, const char *from, const char *to,
                                  survey_unit_count_fn fn, void *ctx, struct err *e);

/* Creates the round, draws each unit's sample (strata field|channel|outcome, size from the
 * margin, survey_draw with the seed, population in dossier-code order) and an invitation per
 * sampled dossier, all in one transaction. ERR_INVALID for a bad code, period or margin;
 * ERR_CONFLICT when the code exists; ERR_NOT_FOUND for an unknown unit. */
int store_survey_round_create(struct store *s, const struct survey_round_in *in, survey_token_fn fn,
                              void *ctx, struct err *e);
int store_survey_round_get(struct store *s, const char *code, struct survey_round *out,
                           struct err *e);
typedef int (*survey_round_fn)(const struct survey_round *r, void *ctx);
int store_survey_round_list(struct store *s, survey_round_fn fn, void *ctx, struct err *e);

struct survey_stratum_row {
    char unit[32], stratum[160];
    int64_t population, sample, responses;
};
typedef int (*survey_stratum_fn)(const struct survey_stratum_row *r, void *ctx);
/* The strata of a round (unit NULL: every unit), by unit then stratum. */
int store_survey_strata(struct store *s, const char *round, const char *unit, survey_stratum_fn fn,
                        void *ctx, struct err *e);

struct survey_invitation {
    int64_t id;
    char unit[32], stratum[160], dossier[48]; /* dossier "" once answered */
    int answered;
};
typedef int (*survey_invitation_fn)(const struct survey_invitation *i, void *ctx);
int store_survey_invitations(struct store *s, const char *round, const char *unit,
                             survey_invitation_fn fn, void *ctx, struct err *e);
/* A new token for the unanswered invitation of dossier in round (the old one stops working),
 * e.g. to print it on the result slip. ERR_NOT_FOUND / ERR_CONFLICT when already answered. */
int store_survey_reissue(struct store *s, const char *round, const char *dossier,
                         char token[SURVEY_TOKEN_LEN + 1], struct err *e);

/* What a token opens: its round and unit, and whether it was used. ERR_NOT_FOUND for a token
 * that is not one (the same answer for every wrong token). */
int store_survey_token(struct store *s, const char *token, struct survey_round *round,
                       char unit[32], int *answered, struct err *e);

struct survey_answer_in {
    const char *question, *value;
};
/* Records the answers of token's respondent (every value checked against set; at least one
 * question answered; a question at most once) as an anonymous response of day, marks the
 * invitation answered and drops its dossier code, in one transaction. ERR_NOT_FOUND for an
 * unknown token, ERR_CONFLICT when it was used, ERR_INVALID naming the question and value. */
int store_survey_respond(struct store *s, const struct survey_set *set, const char *token,
                         const struct survey_answer_in *a, int n, const char *day, struct err *e);

/* Paper entry: pass 1 or 2 of form form_no (unit and stratum as printed on the form). When
 * both passes are in and equal, the form becomes a response (mode paper) in the same
 * transaction; *status: 0 waiting for the other pass, 1 matched and recorded, 2 the passes
 * differ (see store_survey_paper_mismatches). ERR_CONFLICT when this pass was entered. */
int store_survey_paper_enter(struct store *s, const struct survey_set *set, const char *round,
                             const char *form_no, int pass, const char *unit, const char *stratum,
                             const struct survey_answer_in *a, int n, const char *actor,
                             const char *day, int *status, struct err *e);
struct survey_mismatch {
    char form_no[32], what[40], first[200], second[200];
};
typedef int (*survey_mismatch_fn)(const struct survey_mismatch *m, void *ctx);
/* Forms whose two passes differ, one line per differing field (unit, stratum, or question). */
int store_survey_paper_mismatches(struct store *s, const struct survey_set *set, const char *round,
                                  survey_mismatch_fn fn, void *ctx, struct err *e);

/* Resolves paper form form_no whose two entries differ (migration 024): v gives, for every
 * field the entries differ on ("unit", "stratum" or a question code), the value the paper
 * shows ("-" for no answer) and for no other field; the form then counts as one response
 * (mode paper) with the agreed and decided values, in one transaction. ERR_NOT_FOUND for a
 * form never entered; ERR_CONFLICT when it waits for its second entry, its entries agree, or
 * it was resolved; ERR_INVALID naming a field without a decision or one that did not differ. */
int store_survey_paper_resolve(struct store *s, const struct survey_set *set, const char *round,
                               const char *form_no, const struct survey_answer_in *v, int n,
                               const char *actor, const char *day, struct err *e);

enum survey_paper_state {
    SURVEY_PAPER_WAITING = 0, /* one entry in */
    SURVEY_PAPER_MATCHED,     /* both agree: counted */
    SURVEY_PAPER_DIFFER,      /* both in, they differ: resolve */
    SURVEY_PAPER_RESOLVED,    /* differed, resolved: counted */
};
struct survey_paper_form {
    char form_no[32], unit[32], stratum[160]; /* unit: the resolved one, else the first entry's */
    int passes;                               /* bit 1: pass 1 in, bit 2: pass 2 in */
    char by[2][64], resolved_by[64];          /* who typed each pass; who resolved */
    enum survey_paper_state state;
};
typedef int (*survey_paper_form_fn)(const struct survey_paper_form *f, void *ctx);
/* The paper forms of round, by form number. */
int store_survey_paper_forms(struct store *s, const char *round, survey_paper_form_fn fn, void *ctx,
                             struct err *e);

/* ---- invitations on the result slip and through the outbox (survey2_store.c) ----------- */

/* The unanswered invitation of dossier (the latest round's, if several) gets a new token
 * (the old one stops working) for the result slip: round (SURVEY_CODE_MAX bytes) and token
 * receive them. ERR_NOT_FOUND when the dossier has no unanswered invitation. */
int store_survey_slip_token(struct store *s, const char *dossier, char *round,
                            char token[SURVEY_TOKEN_LEN + 1], struct err *e);

/* Sends round's invitations through the notification outbox (event survey_invitation, to the
 * applicant's mobile phone): every unanswered invitation of a unit unit_ok accepts (NULL: all)
 * that was not sent before gets a new token, an outbox row (kept 'skipped' with the reason
 * when the applicant left no mobile phone) and its notified_at, in one transaction. *queued
 * and *skipped count the rows. */
int store_survey_notify(struct store *s, const char *round, int (*unit_ok)(const char *, void *),
                        void *ctx, int64_t now, int *queued, int *skipped, struct err *e);

/* Survey points into a PAR round's survey criteria: for each pair par[i] = node[i] (a survey
 * component or criterion code, or "index"), every unit of the survey round with answers gets
 * points = its figure x the PAR node's maximum / 100, through store_par_survey_import (the
 * PAR round must be in its survey phase). *n receives the rows written. ERR_INVALID naming a
 * pair that is not a survey criterion of the PAR set or not a component/criterion of the
 * survey set, or when no unit has answers. */
int store_survey_to_par(struct store *s, const struct survey_set *set, const char *round,
                        const char *par_round, const char *const *par, const char *const *node,
                        int npairs, const char *actor, int64_t at, int *n, struct err *e);

/* Results per unit of round, computed with survey_unit_compute; unit codes in *codes. The
 * caller frees with store_survey_results_free. */
struct survey_results {
    size_t nunits;
    char (*unit)[32];
    struct survey_unit_result *r;
    int *rank;
};
int store_survey_results(struct store *s, const struct survey_set *set, const char *round,
                         struct survey_results *out, struct err *e);
void store_survey_results_free(struct survey_results *r);

typedef int (*survey_answer_fn)(int64_t response, const char *unit, const char *stratum,
                                const char *mode, const char *question, const char *value,
                                void *ctx);
/* The anonymous answers of round (unit / question NULL: all), by response then question: the
 * drill-down behind every figure. */
int store_survey_answers(struct store *s, const char *round, const char *unit, const char *question,
                         survey_answer_fn fn, void *ctx, struct err *e);

/* ---- businesses for DDCI (survey_biz_store.c, migration 028) ---------------------------- */

/* Draws unit's sample of businesses for round (set: the round's parsed set, respondent
 * business) from its business-registration dossiers returned in the round's period, with the
 * round's margin and seed: one invitation per business (survey_business_draw), strata
 * field|channel|outcome, in one transaction. fn gets each token with the dossier code.
 * *invited counts the invitations. ERR_NOT_FOUND for an unknown round or unit; ERR_CONFLICT
 * for a citizen round or a unit sampled already; ERR_INVALID when the unit returned no such
 * dossier. A round of a business set samples every unit this way when it is created. */
int store_survey_business_sample(struct store *s, const struct survey_set *set, const char *round,
                                 const char *unit, survey_token_fn fn, void *ctx, int *invited,
                                 struct err *e);
struct survey_business;
/* The same from an imported list b[0..n) (survey_businesses_read): the sample is drawn from
 * the list in its order with strata by sector, and each invitation keeps the tax code, name and
 * contact until answered; fn gets the tax code in place of the dossier. Same errors. */
int store_survey_business_import(struct store *s, const struct survey_set *set, const char *round,
                                 const char *unit, const struct survey_business *b, size_t n,
                                 survey_token_fn fn, void *ctx, int *invited, struct err *e);

#endif
