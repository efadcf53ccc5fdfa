/* csvfile.c — CSV records with line numbers on top of libcsv (see csvfile.h). The file is
 * fed to the parser one line at a time, so when a record begins we know its line: libcsv's
 * parser state is "row not begun" (0) exactly between records. */
#include "csvfile.h"

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CSV_MAX_FIELDS 64

struct reader {
    const char *path;
    struct csv_record rec;
    char *fields[CSV_MAX_FIELDS];
    long line;    /* line being fed */
    int stop;     /* non-zero: the callback's (or our) result; stop feeding */
    int too_many; /* a record had more than CSV_MAX_FIELDS fields */
    csv_record_fn fn;
    void *ctx;
    struct err *e;
};

static void clear_fields(struct reader *r)
{
    for (int i = 0; i < r->rec.nfields; i++)
        free(r->fields[i]);
    r->rec.nfields = 0;
}

static void on_field(void *s, size_t len, void *data)
{
    struct reader *r = data;
    if (r->stop) return;
    if (r->rec.nfields == CSV_MAX_FIELDS) {
        r->too_many = 1;
        return;
    }
    char *f = malloc(len + 1);
    if (!f) {
        r->stop = err_set(r->e, ERR_NOMEM, "", "out of memory");
        return;
    }
    memcpy(f, s ? s : "", s ? len : 0);
    f[s ? len : 0] = '\0';
    r->fields[r->rec.nfields++] = f;
}

static void on_record(int c, void *data)
{
    struct reader *r = data;
    (void)c;
    if (!r->stop && r->too_many)
        r->stop = err_set(r->e, ERR_INVALID, "", "%s:%ld: more than %d fields in a record", r->path,
                          r->rec.line, CSV_MAX_FIELDS);
    if (!r->stop) {
        r->rec.fields = r->fields;
        r->stop = r->fn(&r->rec, r->ctx, r->e);
    }
    clear_fields(r);
    r->too_many = 0;
}

static int parse_error(struct reader *r, struct csv_parser *p)
{
    return err_set(r->e, ERR_INVALID, "", "%s:%ld: malformed CSV: %s", r->path, r->line,
                   csv_strerror(csv_error(p)));
}

static int read_stream(FILE *f, const char *path, csv_record_fn fn, void *ctx, struct err *e);

int csvfile_read(const char *path, csv_record_fn fn, void *ctx, struct err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return err_set(e, errno == ENOENT ? ERR_NOT_FOUND : ERR_IO, "file", "%s: cannot open: %s",
                       path, strerror(errno));
    return read_stream(f, path, fn, ctx, e);
}

int csvfile_read_mem(const char *name, const char *buf, size_t len, csv_record_fn fn, void *ctx,
                     struct err *e)
{
    if (!len) return 0;
    FILE *f = fmemopen((void *)buf, len, "rb");
    if (!f) return err_set(e, ERR_NOMEM, "", "out of memory");
    return read_stream(f, name, fn, ctx, e);
}

/* Reads f to its end through fn and closes it. */
static int read_stream(FILE *f, const char *path, csv_record_fn fn, void *ctx, struct err *e)
{
    struct csv_parser p;
    struct reader r = {.path = path, .fn = fn, .ctx = ctx, .e = e};
    int rc = 0;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL)) {
        fclose(f);
        return err_set(e, ERR_NOMEM, "", "out of memory");
    }
    char *buf = NULL;
    size_t cap = 0;
    ssize_t n;
    while (!r.stop && (n = getline(&buf, &cap, f)) > 0) {
        r.line++;
        char *s = buf;
        if (r.line == 1 && n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) s += 3, n -= 3;
        if (p.pstate == 0) r.rec.line = r.line; /* libcsv: ROW_NOT_BEGUN */
        if (csv_parse(&p, s, (size_t)n, on_field, on_record, &r) != (size_t)n && !r.stop) {
            rc = parse_error(&r, &p);
            goto out;
        }
    }
    if (ferror(f) && !r.stop) {
        rc = err_set(e, ERR_IO, "file", "%s: read error: %s", path, strerror(errno));
        goto out;
    }
    if (!r.stop && csv_fini(&p, on_field, on_record, &r)) {
        r.line = r.rec.line;
        rc = err_set(e, ERR_INVALID, "", "%s:%ld: malformed CSV: a quoted field is not closed",
                     path, r.rec.line);
        goto out;
    }
    rc = r.stop;
out:
    clear_fields(&r);
    csv_free(&p);
    free(buf);
    fclose(f);
    return rc;
}
