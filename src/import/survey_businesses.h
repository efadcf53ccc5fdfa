/* survey_businesses.h — reading a list of businesses for a DDCI round from CSV (header
 * tax_code,name,contact,sector in any order; contact may be left out), every row checked by
 * survey_business_row and every problem reported as "FILE:LINE: column: rule". */
#ifndef CCHC_SURVEY_BUSINESSES_H
#define CCHC_SURVEY_BUSINESSES_H

#include <stddef.h>

#include "survey_business.h"

/* Reads the list from buf (len bytes) when buf is not NULL, else from the file name. Every
 * problem goes to problem (may be NULL); the first also fills e and ERR_INVALID is returned
 * with nothing in *out. On success *out (caller frees) holds *n >= 1 businesses in file order. */
int survey_businesses_read(const char *name, const char *buf, size_t len,
                           struct survey_business **out, size_t *n, survey_problem_fn problem,
                           void *ctx, struct err *e);

#endif
