/* survey_businesses.c — a DDCI round's imported business list: CSV through csvfile (libcsv),
 * the header mapped to columns, each row checked in core, duplicates found, all problems
 * listed before anything is returned. */
#include "survey_businesses.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvfile.h"

enum { C_TAX, C_NAME, C_CONTACT, C_SECTOR, C_N };
static const char *const COLS[C_N] = {"tax_code", "name", "contact", "sector"};

struct rd {
    const char *name;
    int col[C_N];
    struct survey_business *b;
    size_t n, cap;
    int bad, seen_header;
    survey_problem_fn problem;
    void *ctx;
    char first[400];
};

static void note(void *vc, const char *msg)
{
    struct rd *r = vc;
    if (!r->bad) snprintf(r->first, sizeof r->first, "%s", msg);
    r->bad++;
    if (r->problem) r->problem(r->ctx, msg);
}

static int header(struct rd *r, const struct csv_record *rec)
{
    char msg[300];
    for (int c = 0; c < C_N; c++)
        r->col[c] = -1;
    for (int i = 0; i < rec->nfields; i++) {
        int c = 0;
        while (c < C_N && strcmp(rec->fields[i], COLS[c]))
            c++;
        if (c == C_N) {
            snprintf(msg, sizeof msg,
                     "%s:%ld: header: '%.40s': unknown column (tax_code, name, "
                     "contact, sector)",
                     r->name, rec->line, rec->fields[i]);
            note(r, msg);
        } else if (r->col[c] >= 0) {
            snprintf(msg, sizeof msg, "%s:%ld: header: '%s': twice", r->name, rec->line, COLS[c]);
            note(r, msg);
        } else
            r->col[c] = i;
    }
    for (int c = 0; c < C_N; c++)
        if (r->col[c] < 0 && c != C_CONTACT) {
            snprintf(msg, sizeof msg, "%s:%ld: header: '%s': column missing", r->name, rec->line,
                     COLS[c]);
            note(r, msg);
        }
    return 0;
}

static int on_rec(const struct csv_record *rec, void *vc, struct err *e)
{
    (void)e;
    struct rd *r = vc;
    if (!r->seen_header) {
        r->seen_header = 1;
        return header(r, rec);
    }
    if (r->col[C_TAX] < 0 || r->col[C_NAME] < 0 || r->col[C_SECTOR] < 0) return 0;
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 64;
        void *p = realloc(r->b, sizeof *r->b * cap);
        if (!p) return err_set(e, ERR_NOMEM, "businesses", "out of memory");
        r->b = p;
        r->cap = cap;
    }
    const char *f[C_N];
    for (int c = 0; c < C_N; c++)
        f[c] = r->col[c] >= 0 && r->col[c] < rec->nfields ? rec->fields[r->col[c]] : "";
    survey_business_row(r->name, rec->line, f[C_TAX], f[C_NAME], f[C_CONTACT], f[C_SECTOR],
                        &r->b[r->n], note, r);
    r->n++;
    return 0;
}

int survey_businesses_read(const char *name, const char *buf, size_t len,
                           struct survey_business **out, size_t *n, survey_problem_fn problem,
                           void *ctx, struct err *e)
{
    *out = NULL;
    *n = 0;
    struct rd r = {.name = name, .problem = problem, .ctx = ctx};
    for (int c = 0; c < C_N; c++)
        r.col[c] = -1;
    int rc =
        buf ? csvfile_read_mem(name, buf, len, on_rec, &r, e) : csvfile_read(name, on_rec, &r, e);
    if (rc) {
        if (rc == ERR_INVALID && problem) problem(ctx, e ? e->msg : "malformed CSV");
        free(r.b);
        return rc;
    }
    if (!r.bad && !r.n) {
        char msg[200];
        snprintf(msg, sizeof msg, "%s:1: tax_code: no businesses: a header and at least one row",
                 name);
        note(&r, msg);
    }
    survey_business_dupes(name, r.b, r.n, note, &r);
    if (r.bad) {
        free(r.b);
        return err_set(e, ERR_INVALID, "businesses", "%s%s", r.first,
                       r.bad > 1 ? " (and more problems)" : "");
    }
    *out = r.b;
    *n = r.n;
    return 0;
}
