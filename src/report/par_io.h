/* par_io.h — PAR index files: criteria sets in CSV and JSON (read and write), per-unit scores,
 * last year's results and targets in CSV, and the results as a table, CSV or JSON.
 * Errors name the place: "FILE:LINE: column: problem" for CSV, "FILE: $.nodes[2].max: problem"
 * for JSON (and "FILE:LINE:COL: …" for JSON syntax). docs/par.md describes the formats. */
#ifndef CCHC_PAR_IO_H
#define CCHC_PAR_IO_H

#include <jansson.h>
#include <stdio.h>

#include "err.h"
#include "par.h"
#include "par_round.h"

/* Reads a set from a .csv or .json file (by extension) and validates it. Every problem (bad
 * rows, then tree problems) goes to report when not NULL; the first is left in e. */
int par_io_read_set(const char *path, struct par_set **out, par_report_fn report, void *ctx,
                    struct err *e);
int par_io_read_set_csv(const char *path, struct par_set **out, par_report_fn report, void *ctx,
                        struct err *e);
int par_io_read_set_json(const char *path, struct par_set **out, par_report_fn report, void *ctx,
                         struct err *e);
/* Writes a validated set; reading the output back gives the same set. */
int par_io_write_set_csv(FILE *f, const struct par_set *s, struct err *e);
int par_io_write_set_json(FILE *f, const struct par_set *s, struct err *e);
/* The JSON document par_io_write_set_json writes, for a validated set (the caller owns it). */
json_t *par_io_set_json(const struct par_set *s);

/* Reads scores: header with unit, node and any of self, appraised, survey, metric (optional
 * name). A (unit, node) pair may appear once. Every bad row goes to report; fails if any. */
int par_io_read_scores(const char *path, struct par_scores *sc, par_report_fn report, void *ctx,
                       struct err *e);

/* Survey points of a round: header unit, node, survey (optional name). Each row is checked
 * as a scores file's survey column is (node a survey leaf, 0 <= points <= max, decimals) and a
 * (unit, node) pair may appear once. Every bad row goes to report; fails if any (then nothing
 * is returned). *rows (free()) carry where = "FILE:LINE". */
int par_io_read_survey(const char *path, const struct par_set *set, struct par_survey_row **rows,
                       int *n, par_report_fn report, void *ctx, struct err *e);

/* Previous results: unit, index (%), optional rank, successor, name. */
int par_io_read_previous(const char *path, struct par_prev_entry **out, int *n, struct err *e);
void par_io_free_previous(struct par_prev_entry *p, int n);
/* Targets: unit and any of up (places), rank, index (%). */
int par_io_read_targets(const char *path, struct par_target **out, int *n, struct err *e);
void par_io_free_targets(struct par_target *t, int n);

enum par_format { PAR_FMT_TABLE, PAR_FMT_CSV, PAR_FMT_JSON };
int par_format_parse(const char *s, int allow_table, enum par_format *out, struct err *e);
/* Writes results; with_prev / with_targets add the comparison and target columns. */
int par_io_write_results(FILE *f, const struct par_results *r, enum par_format fmt, int with_prev,
                         int with_targets, struct err *e);
/* The results as a JSON object, the document --format json writes (the caller owns it). */
json_t *par_io_results_json(const struct par_results *r, int with_prev, int with_targets);
/* The heading of a round's results, "Kết quả Chỉ số CCHC năm 2025 — đợt R25: TITLE (Đã công
 * bố)", into buf (n bytes); returns buf. */
char *par_io_round_title(char *buf, size_t n, int year, const char *code, const char *title,
                         enum par_phase phase);
/* Writes results as an Excel workbook at path (par_xlsx.c): sheet "Kết quả" with Vietnamese
 * headers and number formats, then the areas and the missing scores. title heads the sheet. */
int par_io_write_results_xlsx(const char *path, const struct par_results *r, const char *title,
                              int with_prev, int with_targets, struct err *e);

#endif
