/* survey_int.h — what the survey store files share inside the store layer (not for callers):
 * a new invitation token with its stored hash, and the business sample of one unit. */
#ifndef CCHC_SURVEY_INT_H
#define CCHC_SURVEY_INT_H

#include <stdint.h>

#include "store_survey.h"

/* A new random token and the hex BLAKE2b-256 hash that is stored instead of it. */
void survey_token_make(char token[SURVEY_TOKEN_LEN + 1], char hash[65]);

/* Inside a transaction: draws the business sample of unit for round, whose province its rows
 * carry (period in local minutes
 * [from_min, to_min), margin per mille, seed) from its business-registration dossiers (one
 * invitation per business, survey_business_draw) and writes strata and invitations; fn gets
 * each token with the representative dossier's code. *invited (may be NULL) counts them. */
int survey_biz_sample_unit(struct store *s, const char *round, const char *province,
                           const char *unit, int64_t from_min, int64_t to_min, int margin_pm,
                           uint64_t seed, survey_token_fn fn, void *ctx, int *invited,
                           struct err *e);

#endif
