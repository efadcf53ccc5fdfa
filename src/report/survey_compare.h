/* survey_compare.h — a survey round against the previous year's round of the same instrument
 * (issue 19: "ranking with ties, change from last year"): which round that is, and each unit's
 * index and rank then, with the change in index (points) and in rank (places moved up). */
#ifndef CCHC_SURVEY_COMPARE_H
#define CCHC_SURVEY_COMPARE_H

#include "store_survey.h"

struct survey_change {
    char round[SURVEY_CODE_MAX]; /* the round compared with; "" when none */
    size_t n;                    /* = the results' nunits */
    double *index, *change;      /* previous index and index change; -1 / NAN when none */
    int *rank, *rank_change;     /* previous rank (0: none); places moved up (+) or down (-) */
    int *has_change;             /* 1 when both years have a rank */
};

/* The round compared with: previous when not NULL (ERR_NOT_FOUND if it does not exist; ""
 * compares with nothing), else the round of year rd->year - 1 whose set (data_dir/surveys/
 * FILE) has the kind of set (sipas, ddci), the latest created when several. Then each unit of
 * res (rd's results) gets that round's index and rank; the change is rounded to 0,01. */
int survey_change_load(struct store *s, const char *data_dir, const struct survey_round *rd,
                       const struct survey_set *set, const char *previous,
                       const struct survey_results *res, struct survey_change *out, struct err *e);
void survey_change_free(struct survey_change *c);

#endif
