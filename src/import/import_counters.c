/* import_counters.c — `cchc import counters FILE`: the desk's counters (quầy) from a CSV file
 * with the header unit,no,name,fields[,active] (fields separated by '|', each a field of the
 * procedures catalogue), all or nothing like the other imports: every problem is reported as
 * FILE:LINE: column: problem and then nothing is written (docs/queue.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvfile.h"
#include "import.h"
#include "store_queue.h"
#include "vntext.h"

enum { K_UNIT, K_NO, K_NAME, K_FIELDS, K_ACTIVE, K_NCOLS };
static const char *const COLS[K_NCOLS] = {"unit", "no", "name", "fields", "active"};

struct counter_import {
    struct store *s;
    const char *path;
    import_report_fn report;
    void *ctx;
    long rows, errors;
    int pos[K_NCOLS];
    int header_done;
};

static void problem(struct counter_import *ci, long line, const char *col, const char *msg)
{
    if (++ci->errors > IMPORT_MAX_REPORTS) return;
    char out[900];
    snprintf(out, sizeof out, "%s:%ld: %s: %s", ci->path, line, col, msg);
    if (ci->report) ci->report(out, ci->ctx);
}

static const char *col(struct counter_import *ci, const struct csv_record *r, int k)
{
    int p = ci->pos[k];
    return p >= 0 && p < r->nfields ? r->fields[p] : "";
}

static int on_record(const struct csv_record *r, void *vctx, struct err *e)
{
    struct counter_import *ci = vctx;
    if (!ci->header_done) {
        ci->header_done = 1;
        for (int k = 0; k < K_NCOLS; k++)
            ci->pos[k] = -1;
        for (int i = 0; i < r->nfields; i++) {
            int k = 0;
            while (k < K_NCOLS && strcmp(r->fields[i], COLS[k]))
                k++;
            if (k == K_NCOLS) {
                problem(ci, r->line, r->fields[i],
                        "unknown column (unit, no, name, fields, active)");
                continue;
            }
            ci->pos[k] = i;
        }
        for (int k = 0; k < K_ACTIVE; k++)
            if (ci->pos[k] < 0) problem(ci, r->line, COLS[k], "required column missing");
        return ci->errors ? ERR_INVALID : 0;
    }
    ci->rows++;
    struct queue_counter c = {0};
    struct err pe = {0};
    char *end;
    const char *no = col(ci, r, K_NO), *act = col(ci, r, K_ACTIVE);
    long v = strtol(no, &end, 10);
    if (!*no || *end || v < 1 || v > QUEUE_COUNTER_MAX) {
        char m[120];
        snprintf(m, sizeof m, "'%.20s': a counter number 1..%d", no, QUEUE_COUNTER_MAX);
        problem(ci, r->line, "no", m);
        return 0;
    }
    c.no = (int)v;
    snprintf(c.unit, sizeof c.unit, "%s", col(ci, r, K_UNIT));
    if (vntext_nfc(col(ci, r, K_NAME), c.name, sizeof c.name)) {
        problem(ci, r->line, "name", "not valid UTF-8 or too long");
        return 0;
    }
    if (strcmp(act, "") && strcmp(act, "1") && strcmp(act, "0") && strcmp(act, "yes") &&
        strcmp(act, "no")) {
        problem(ci, r->line, "active", "expected 1/0 or yes/no");
        return 0;
    }
    c.active = !(!strcmp(act, "0") || !strcmp(act, "no"));
    if (queue_fields_parse(col(ci, r, K_FIELDS), &c, &pe) ||
        store_queue_counter_put(ci->s, &c, &pe)) {
        if (pe.code != ERR_INVALID) return *e = pe, pe.code;
        problem(ci, r->line, pe.field[0] ? pe.field : "row", pe.msg);
    }
    return 0;
}

static int read_tx(struct store *s, void *vctx, struct err *e)
{
    (void)s;
    struct counter_import *ci = vctx;
    int rc = csvfile_read(ci->path, on_record, ci, e);
    if (rc == ERR_INVALID && ci->errors && !e->msg[0])
        err_set(e, ERR_INVALID, "file", "%s: bad header", ci->path);
    if (!rc && ci->errors)
        rc = err_set(e, ERR_INVALID, "file", "%s: %ld problem(s); nothing imported", ci->path,
                     ci->errors);
    return rc;
}

int import_counters(struct store *s, const char *path, import_report_fn report, void *ctx,
                    struct import_result *res, struct err *e)
{
    struct counter_import ci = {.s = s, .path = path, .report = report, .ctx = ctx};
    int rc = store_tx(s, read_tx, &ci, e);
    res->rows = ci.rows;
    res->errors = ci.errors;
    return rc;
}
