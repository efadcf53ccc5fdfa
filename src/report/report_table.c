/* report_table.c — the streaming table writer: JSON through jansson ({"title", "subtitle",
 * "columns", "rows": [{key: value}]}, rates as numbers of percent with one decimal), CSV through
 * libcsv's quoting (header of keys, ISO dates, '.' decimals: for machines; people get xlsx),
 * and dispatch to the xlsx backend. */
#include <stdlib.h>
#include <string.h>

#include <csv.h>
#include <jansson.h>

#include "date.h"
#include "report_table.h"
#include "vntext.h"

struct rwriter {
    enum rformat f;
    FILE *fp;
    int own_fp;
    const struct rcol *cols;
    int ncols;
    int64_t rows;
    struct xlsx_out *x;
    struct pdf_table *pdf;
    /* xlsx and PDF are read by people: the columns' headers, the title and each text cell
     * without the developers' "(verify …)" notes (vntext_user); CSV and JSON are kept as the
     * data says. */
    struct rcol *ucols;
    char **uheaders;
    struct rcell *ucells;
    char *ubuf; /* a row's cleaned texts */
};

#define UBUF_SIZE 65536

/* A malloc'd copy of s without the notes, or NULL out of memory. */
static char *user_dup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *o = malloc(n);
    if (o) vntext_user(s, o, n);
    return o;
}

/* The people's copy of the columns and of the title texts; 0 or -1 out of memory. */
static int user_copy(struct rwriter *w, const char *title, const char *subtitle, char **ut,
                     char **us)
{
    int n = w->ncols;
    w->ucols = calloc((size_t)(n ? n : 1), sizeof *w->ucols);
    w->uheaders = calloc((size_t)(n ? n : 1), sizeof *w->uheaders);
    w->ucells = calloc((size_t)(n ? n : 1), sizeof *w->ucells);
    w->ubuf = malloc(UBUF_SIZE);
    if (!w->ucols || !w->uheaders || !w->ucells || !w->ubuf) return -1;
    for (int c = 0; c < n; c++) {
        w->ucols[c] = w->cols[c];
        if (!w->cols[c].header) continue;
        if (!(w->uheaders[c] = user_dup(w->cols[c].header))) return -1;
        w->ucols[c].header = w->uheaders[c];
    }
    *ut = title ? user_dup(title) : NULL;
    *us = subtitle ? user_dup(subtitle) : NULL;
    return (title && !*ut) || (subtitle && !*us) ? -1 : 0;
}

static void user_free(struct rwriter *w)
{
    for (int c = 0; w->uheaders && c < w->ncols; c++)
        free(w->uheaders[c]);
    free(w->uheaders);
    free(w->ucols);
    free(w->ucells);
    free(w->ubuf);
}

/* The row's cells with their texts cleaned for people, in w->ubuf. */
static const struct rcell *user_cells(struct rwriter *w, const struct rcell *cells)
{
    size_t used = 0;
    for (int c = 0; c < w->ncols; c++) {
        w->ucells[c] = cells[c];
        const char *t = cells[c].text;
        if (cells[c].null || !t || !strchr(t, '(')) continue;
        size_t len = strlen(t) + 1;
        if (used + len > UBUF_SIZE) continue; /* kept as it is */
        vntext_user(t, w->ubuf + used, len);
        w->ucells[c].text = w->ubuf + used;
        used += strlen(w->ubuf + used) + 1;
    }
    return w->ucells;
}

int rformat_parse(const char *s, enum rformat *out, struct err *e)
{
    if (!strcmp(s, "json"))
        *out = RF_JSON;
    else if (!strcmp(s, "csv"))
        *out = RF_CSV;
    else if (!strcmp(s, "xlsx"))
        *out = RF_XLSX;
    else if (!strcmp(s, "pdf"))
        *out = RF_PDF;
    else
        return err_set(e, ERR_INVALID, "format", "'%s': must be json, csv, xlsx or pdf", s);
    return 0;
}

/* The value of a cell as text for CSV (and for JSON strings of dates). */
static void cell_text(enum rcol_type t, const struct rcell *c, char *buf, size_t n)
{
    buf[0] = '\0';
    if (c->null) return;
    switch (t) {
    case RC_TEXT:
        snprintf(buf, n, "%s", c->text ? c->text : "");
        break;
    case RC_INT:
        snprintf(buf, n, "%lld", (long long)c->v);
        break;
    case RC_PERMILLE:
        snprintf(buf, n, "%s%lld.%lld", c->v < 0 ? "-" : "", (long long)(llabs(c->v) / 10),
                 (long long)(llabs(c->v) % 10));
        break;
    case RC_DAY:
        if (n >= 11) day_format(c->v, buf);
        break;
    case RC_INSTANT:
        if (n >= 17) instant_format(c->v, buf);
        break;
    case RC_POINTS:
        snprintf(buf, n, "%s%lld.%04lld", c->v < 0 ? "-" : "", (long long)(llabs(c->v) / 10000),
                 (long long)(llabs(c->v) % 10000));
        break;
    case RC_DEC1:
        snprintf(buf, n, "%s%lld.%lld", c->v < 0 ? "-" : "", (long long)(llabs(c->v) / 10),
                 (long long)(llabs(c->v) % 10));
        break;
    }
}

static json_t *cell_json(enum rcol_type t, const struct rcell *c)
{
    char buf[64];
    if (c->null) return json_null();
    switch (t) {
    case RC_TEXT:
        return json_string(c->text ? c->text : "");
    case RC_INT:
        return json_integer(c->v);
    case RC_PERMILLE:
        return json_real((double)c->v / 10.0);
    case RC_POINTS:
        return json_real((double)c->v / 10000.0);
    case RC_DEC1:
        return json_real((double)c->v / 10.0);
    default:
        cell_text(t, c, buf, sizeof buf);
        return json_string(buf);
    }
}

static int io_fail(struct err *e)
{
    return err_set(e, ERR_IO, "output", "writing the report failed (disk full or closed pipe?)");
}

static int csv_field(FILE *fp, const char *s, int last)
{
    if (csv_fwrite(fp, s, strlen(s)) != 0) return -1;
    return fputc(last ? '\n' : ',', fp) == EOF ? -1 : 0;
}

static int json_head(struct rwriter *w, const char *title, const char *subtitle)
{
    json_t *cols = json_array();
    for (int c = 0; c < w->ncols; c++)
        json_array_append_new(
            cols, json_pack("{s:s, s:s}", "key", w->cols[c].key, "header", w->cols[c].header));
    json_t *head =
        json_pack("{s:s?, s:s?, s:o}", "title", title, "subtitle", subtitle, "columns", cols);
    char *s = head ? json_dumps(head, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(head);
    if (!s) return -1;
    /* {"title":…,"columns":[…]} -> {"title":…,"columns":[…],"rows":[ */
    size_t l = strlen(s);
    s[l - 1] = '\0';
    int rc = fprintf(w->fp, "%s,\"rows\":[", s) < 0 ? -1 : 0;
    free(s);
    return rc;
}

int rwriter_open(enum rformat f, const char *path, const char *title, const char *subtitle,
                 const struct rcol *cols, int ncols, struct rwriter **out, struct err *e)
{
    struct rwriter *w = calloc(1, sizeof *w);
    if (!w) return err_set(e, ERR_NOMEM, "", "out of memory");
    w->f = f, w->cols = cols, w->ncols = ncols;
    int stdout_path = !path || !strcmp(path, "-");
    if (f == RF_PDF || f == RF_XLSX) {
        char *ut = NULL, *us = NULL;
        int rc = 0;
        if (stdout_path)
            rc = err_set(e, ERR_INVALID, "out", "%s",
                         f == RF_PDF ? "a .pdf report needs --out FILE"
                                     : "an .xlsx report needs --out FILE");
        else if (user_copy(w, title, subtitle, &ut, &us))
            rc = err_set(e, ERR_NOMEM, "", "out of memory");
        else if (f == RF_PDF)
            rc = pdf_table_open(path, ut, us, w->ucols, ncols, &w->pdf, e);
        else
            rc = xlsx_open(path, ut, us, w->ucols, ncols, &w->x, e);
        free(ut);
        free(us);
        if (rc) {
            user_free(w);
            free(w);
        } else
            *out = w;
        return rc;
    }
    w->fp = stdout_path ? stdout : fopen(path, "w");
    if (!w->fp) {
        free(w);
        return err_set(e, ERR_IO, "out", "%s: cannot create", path);
    }
    w->own_fp = !stdout_path;
    int bad = 0;
    if (f == RF_CSV)
        for (int c = 0; c < ncols && !bad; c++)
            bad = csv_field(w->fp, cols[c].key, c == ncols - 1);
    else
        bad = json_head(w, title, subtitle);
    if (bad) {
        if (w->own_fp) fclose(w->fp);
        free(w);
        return io_fail(e);
    }
    *out = w;
    return 0;
}

int rwriter_row(struct rwriter *w, const struct rcell *cells, struct err *e)
{
    int bad = 0;
    if (w->f == RF_PDF) {
        int rc = pdf_table_row(w->pdf, user_cells(w, cells), e);
        if (!rc) w->rows++;
        return rc;
    }
    if (w->f == RF_XLSX) {
        int rc = xlsx_row(w->x, w->ucols, w->ncols, user_cells(w, cells), e);
        if (!rc) w->rows++;
        return rc;
    }
    if (w->f == RF_CSV) {
        char buf[1024];
        for (int c = 0; c < w->ncols && !bad; c++) {
            cell_text(w->cols[c].type, &cells[c], buf, sizeof buf);
            bad = csv_field(w->fp, buf, c == w->ncols - 1);
        }
    } else {
        json_t *o = json_object();
        for (int c = 0; c < w->ncols; c++)
            json_object_set_new(o, w->cols[c].key, cell_json(w->cols[c].type, &cells[c]));
        bad =
            fputs(w->rows ? ",\n" : "\n", w->fp) == EOF ||
            json_dumpf(o, w->fp, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12)) != 0;
        json_decref(o);
    }
    if (bad) return io_fail(e);
    w->rows++;
    return 0;
}

int64_t rwriter_rows(const struct rwriter *w)
{
    return w->rows;
}

int rwriter_close(struct rwriter *w, struct err *e)
{
    if (!w) return 0;
    int rc = 0;
    if (w->f == RF_PDF) {
        rc = pdf_table_close(w->pdf, e);
    } else if (w->f == RF_XLSX) {
        rc = xlsx_close(w->x, e);
    } else {
        if (w->f == RF_JSON && fputs("\n]}\n", w->fp) == EOF) rc = io_fail(e);
        if (fflush(w->fp) != 0 && !rc) rc = io_fail(e);
        if (w->own_fp && fclose(w->fp) != 0 && !rc) rc = io_fail(e);
    }
    user_free(w);
    free(w);
    return rc;
}
