/* survey_report.h — a survey round's published results as a table file (report_table.h: xlsx,
 * PDF, CSV, JSON): one row per unit with its rank, the number of valid responses (the sample
 * size the figures rest on), the below-minimum flag, the index with its 95 % interval and each
 * component's figure and the change from last year (issue 19, docs/surveys.md). Every unit of the
 * round is shown, as on the public results page. */
#ifndef CCHC_SURVEY_REPORT_H
#define CCHC_SURVEY_REPORT_H

#include "report_table.h"
#include "store_survey.h"

/* Writes the results of round rd (its set parsed in set) to path in format f, with each unit's
 * rank and index in the previous year's round of the same instrument and the change
 * (survey_compare.h; set files under data_dir/surveys/). */
int survey_report_write(struct store *s, const char *data_dir, const struct survey_set *set,
                        const struct survey_round *rd, enum rformat f, const char *path,
                        struct err *e);

#endif
