/* survey_business.h — DDCI's respondents are businesses, not citizens (issue 19): which
 * dossiers are business-registration ones, the forms of a tax code, one respondent per
 * business when a business filed several dossiers, and the checks of an imported list of
 * businesses (tax code, name, contact, sector). Pure logic, no I/O. */
#ifndef CCHC_SURVEY_BUSINESS_H
#define CCHC_SURVEY_BUSINESS_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "survey.h"
#include "survey_sample.h"

#define SURVEY_TAX_MAX 16 /* "0101234567-001" + NUL */

/* The catalogue's fields (data/catalog/procedures.csv) whose dossiers are filed by or for a
 * business: enterprise registration and household-business registration. NULL-terminated. */
extern const char *const survey_business_fields[];

/* 0 when s is a tax code: 10 digits (an enterprise's or organisation's; the enterprise code
 * is its tax code, Law on Enterprises 59/2020/QH14 Art. 29), 10 digits '-' 3 digits (a
 * dependent unit or branch, Circular 105/2020/TT-BTC Art. 5 (verify)), or 12 digits (the
 * personal identification number, used as the tax code of individuals and household
 * businesses from 1/7/2025, Circular 86/2024/TT-BTC (verify)). ERR_INVALID naming field. */
int survey_taxcode_check(const char *s, const char *field, struct err *e);

/* The business a dossier stands for (dossiers record no tax code and no applicant kind: the
 * applicant's ID number is the household owner's or the legal representative's): "idno" when
 * the applicant gave an ID number, else "name:" + the folded applicant name. */
void survey_business_key(const char *idno, const char *name_fold, char *out, size_t n);

/* Stratified sample of businesses from a population of dossiers: biz[i] and keys[i] are
 * population member i's business and stratum (population in a stable order, e.g. dossier
 * code). Each business counts once, represented by its first dossier in that order; the
 * sample is survey_draw's over those representatives (strata populations count businesses).
 * *picked receives population indices (representatives only). Same errors as survey_draw. */
int survey_business_draw(const char *const *biz, const char *const *keys, size_t npop, double moe,
                         double z, uint64_t seed, size_t **picked, size_t *npicked,
                         struct survey_stratum **strata, size_t *nstrata, struct err *e);

struct survey_business {
    long line; /* where it was read, for messages */
    char tax[SURVEY_TAX_MAX], name[256], contact[128], sector[128];
};

/* Checks and normalises one imported row (file:line for messages) into *out: tax code as
 * survey_taxcode_check, name 1–255 bytes, contact up to 127, sector (the stratum) 1–127, all
 * valid UTF-8 (stored NFC), no control characters. Every problem goes to problem as
 * "FILE:LINE: column: rule"; returns the number of problems. */
int survey_business_row(const char *file, long line, const char *tax, const char *name,
                        const char *contact, const char *sector, struct survey_business *out,
                        survey_problem_fn problem, void *ctx);

/* Reports every tax code that occurs twice in b[0..n) ("FILE:LINE: tax_code: … already on line
 * L") and returns the number of problems. */
int survey_business_dupes(const char *file, const struct survey_business *b, size_t n,
                          survey_problem_fn problem, void *ctx);

#endif
