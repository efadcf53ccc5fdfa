/* report_table.h — one streaming table writer for every export format: JSON (jansson), CSV
 * (libcsv quoting) and Excel .xlsx (libxlsxwriter, constant-memory mode, Vietnamese headers,
 * number, percent and date formats). A report opens a writer with its columns, writes rows one
 * by one (so a province-year book never sits in memory), and closes it. */
#ifndef CCHC_REPORT_TABLE_H
#define CCHC_REPORT_TABLE_H

#include <stdint.h>
#include <stdio.h>

#include "err.h"

enum rcol_type {
    RC_TEXT = 0,
    RC_INT,      /* whole number */
    RC_PERMILLE, /* a rate in tenths of a percent (994 = 99,4%); NULL when undefined */
    RC_DAY,      /* a day number (date.h) */
    RC_INSTANT,  /* minutes since the epoch, local time (date.h) */
    RC_POINTS,   /* fixed-point points, 1 point = 10000 (indicators.h) */
    RC_DEC1,     /* a number in tenths (45 = 4,5): minutes of waiting, people an hour */
};

struct rcol {
    const char *key;    /* JSON key and CSV header: ASCII, stable */
    const char *header; /* Vietnamese header for people (xlsx) */
    enum rcol_type type;
    int width; /* xlsx column width in characters (0: default) */
};

/* One cell: text for RC_TEXT, v for the others; null = empty cell. */
struct rcell {
    const char *text;
    int64_t v;
    int null;
};

enum rformat { RF_JSON = 0, RF_CSV, RF_XLSX, RF_PDF };
int rformat_parse(const char *s, enum rformat *out, struct err *e);

struct rwriter;

/* Opens a writer. path NULL or "-" writes JSON/CSV to stdout; xlsx and pdf need a file path. title
 * and subtitle head the sheet (xlsx) or the document (JSON); CSV carries only the header row. */
int rwriter_open(enum rformat f, const char *path, const char *title, const char *subtitle,
                 const struct rcol *cols, int ncols, struct rwriter **out, struct err *e);
/* Writes one row of ncols cells. */
int rwriter_row(struct rwriter *w, const struct rcell *cells, struct err *e);
/* Rows written so far. */
int64_t rwriter_rows(const struct rwriter *w);
/* Finishes the file and frees the writer (also on failure). */
int rwriter_close(struct rwriter *w, struct err *e);

/* The xlsx backend (xlsx.c). */
struct xlsx_out;
int xlsx_open(const char *path, const char *title, const char *subtitle, const struct rcol *cols,
              int ncols, struct xlsx_out **out, struct err *e);
int xlsx_row(struct xlsx_out *x, const struct rcol *cols, int ncols, const struct rcell *cells,
             struct err *e);
int xlsx_close(struct xlsx_out *x, struct err *e);

/* The PDF backend (table_pdf.c): landscape A4 pages, the title, the column headers on every
 * page, Vietnamese numbers and dates; at most 24 columns. */
struct pdf_table;
int pdf_table_open(const char *path, const char *title, const char *subtitle,
                   const struct rcol *cols, int ncols, struct pdf_table **out, struct err *e);
int pdf_table_row(struct pdf_table *p, const struct rcell *cells, struct err *e);
int pdf_table_close(struct pdf_table *p, struct err *e);

#endif
