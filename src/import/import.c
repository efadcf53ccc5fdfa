/* import.c — CSV import of units and procedures (see import.h). Units are read whole, then
 * cross-checked (duplicates, parents and successors in the file or the database, periods)
 * and written in one transaction; procedures are checked and written row by row inside one
 * transaction that is rolled back if any row had a problem. */
#include "import.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvfile.h"
#include "date.h"
#include "vntext.h"

#define MAX_COLS 24

struct importer {
    struct store *s;
    const char *path;
    import_report_fn report;
    void *ctx;
    long rows, errors;
    /* columns */
    const char *const *known;
    int nknown;
    unsigned required; /* bit i: known[i] must be present */
    int header_done, nheader;
    int pos[MAX_COLS]; /* position in the record of known column i, or -1 */
    /* the current record */
    const struct csv_record *rec;
};

static void problem(struct importer *im, long line, const char *column, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void problem(struct importer *im, long line, const char *column, const char *fmt, ...)
{
    if (++im->errors > IMPORT_MAX_REPORTS) return;
    char msg[600], out[800];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(out, sizeof out, "%s:%ld: %s: %s", im->path, line, column[0] ? column : "row", msg);
    if (im->report) im->report(out, im->ctx);
}

/* Reports e (field + message) at line; returns 1 for "a problem was reported". */
static int report_err(struct importer *im, long line, const struct err *e)
{
    problem(im, line, e->field, "%s", e->msg);
    return 1;
}

/* Reads the header: known columns by name, required ones present, no unknown or repeated
 * names. Returns 1 if the header has a problem. */
static int read_header(struct importer *im, const struct csv_record *r)
{
    int bad = 0;
    for (int i = 0; i < im->nknown; i++)
        im->pos[i] = -1;
    for (int j = 0; j < r->nfields; j++) {
        const char *name = r->fields[j];
        int k = -1;
        for (int i = 0; i < im->nknown; i++)
            if (!strcmp(name, im->known[i])) k = i;
        if (k < 0) {
            char list[300] = "";
            for (int i = 0; i < im->nknown; i++) {
                size_t n = strlen(list);
                snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "", im->known[i]);
            }
            problem(im, r->line, name, "unknown column (the columns are %s)", list);
            bad = 1;
        } else if (im->pos[k] >= 0) {
            problem(im, r->line, name, "column appears twice in the header");
            bad = 1;
        } else {
            im->pos[k] = j;
        }
    }
    for (int i = 0; i < im->nknown; i++)
        if ((im->required >> i & 1) && im->pos[i] < 0) {
            problem(im, r->line, im->known[i], "required column missing from the header");
            bad = 1;
        }
    im->header_done = 1;
    im->nheader = r->nfields;
    return bad;
}

/* Common start of a data record: counts it and checks the field count. Returns 1 if the
 * record is to be skipped (a problem was reported). */
static int begin_record(struct importer *im, const struct csv_record *r)
{
    im->rows++;
    im->rec = r;
    if (r->nfields != im->nheader) {
        problem(im, r->line, "", "%d fields, but the header has %d", r->nfields, im->nheader);
        return 1;
    }
    return 0;
}

/* The raw text of known column i in the current record ("" if the column is absent). */
static const char *raw(struct importer *im, int i)
{
    return im->pos[i] >= 0 ? im->rec->fields[im->pos[i]] : "";
}

/* Copies column i, NFC-normalised, into out (n bytes). Fills e naming the column. */
static int text(struct importer *im, int i, char *out, size_t n, struct err *e)
{
    const char *s = raw(im, i);
    int rc = vntext_nfc(s, out, n);
    if (rc == ERR_INVALID) return err_set(e, ERR_INVALID, im->known[i], "not valid UTF-8");
    if (rc == ERR_RANGE)
        return err_set(e, ERR_INVALID, im->known[i], "%zu bytes, at most %zu", strlen(s), n - 1);
    if (rc) return err_set(e, rc, im->known[i], "out of memory");
    /* Line breaks inside a quoted field stay (a long name, one document per line); other
     * control characters (ESC, BEL, TAB …) would reach terminals, TSV output and forms. */
    long at = vntext_control_at(out, 1), nth = 1;
    if (at < 0) return 0;
    for (long k = 0; k < at; k++)
        nth += ((unsigned char)out[k] & 0xC0) != 0x80;
    unsigned c =
        (unsigned char)out[at] == 0xC2 ? (unsigned char)out[at + 1] : (unsigned char)out[at];
    return err_set(e, ERR_INVALID, im->known[i],
                   "control character U+%04X (character %ld): text may not hold control "
                   "characters",
                   c, nth);
}

/* 1 if known column i is absent from the header. */
static int absent(const struct importer *im, int i)
{
    return im->pos[i] < 0;
}

/* Parses column i as a date; empty gives open (UNIT_DAY_MIN or UNIT_DAY_MAX). */
static int date_col(struct importer *im, int i, int64_t open, int64_t *out, struct err *e)
{
    const char *s = raw(im, i);
    if (!*s) {
        *out = open;
        return 0;
    }
    struct ymd d;
    struct err de = {0};
    if (ymd_parse(s, &d, "", &de))
        return err_set(e, ERR_INVALID, im->known[i], "%s", de.msg[0] == ' ' ? de.msg + 1 : de.msg);
    *out = ymd_to_days(d);
    return 0;
}

/* Parses column i as a whole number in [lo, hi]. */
static int int_col(struct importer *im, int i, long long lo, long long hi, long long *out,
                   struct err *e)
{
    const char *s = raw(im, i);
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || errno || s[0] == '-' || s[0] == '+' || s[0] == ' ' || v < lo || v > hi)
        return err_set(e, ERR_INVALID, im->known[i],
                       "'%s': expected a whole number from %lld to %lld (digits only)", s, lo, hi);
    *out = v;
    return 0;
}

static void finish(struct importer *im, struct import_result *res)
{
    if (res) {
        res->rows = im->rows;
        res->errors = im->errors;
    }
    if (im->errors > IMPORT_MAX_REPORTS) {
        char line[300];
        snprintf(line, sizeof line, "%s: %ld more problems not shown", im->path,
                 im->errors - IMPORT_MAX_REPORTS);
        if (im->report) im->report(line, im->ctx);
    }
}

/* What csvfile_read returned: a bad header (reported) or malformed CSV (reported here, as
 * one more problem) is a problem of the file; other codes are failures. */
#define HEADER_BAD (-1)
static int after_read(struct importer *im, int rc, struct err *e)
{
    if (rc == HEADER_BAD) return 0;
    if (rc == ERR_INVALID) {
        if (++im->errors <= IMPORT_MAX_REPORTS && im->report) im->report(e->msg, im->ctx);
        return 0;
    }
    if (!rc && !im->header_done) problem(im, 1, "", "empty file: expected a header row");
    return rc;
}

static int invalid_result(struct importer *im, struct err *e)
{
    return err_set(e, ERR_INVALID, "file", "%s: %ld problem%s; nothing imported", im->path,
                   im->errors, im->errors == 1 ? "" : "s");
}

/* ===== units ===== */

enum { U_CODE, U_NAME, U_KIND, U_PARENT, U_FROM, U_TO, U_SUCC, U_IDENT, U_NCOLS };
static const char *const unit_cols[U_NCOLS] = {"code",       "name",     "kind",      "parent",
                                               "valid_from", "valid_to", "successor", "ident_code"};

struct unit_row {
    struct unit u;
    long line;
};

struct unit_import {
    struct importer im;
    struct unit_row *rows;
    size_t n, cap;
    struct unit_row **idx; /* the rows by code (check_units) */
};

static int parse_unit(struct importer *im, struct unit *u, struct err *e)
{
    memset(u, 0, sizeof *u);
    int rc;
    if ((rc = text(im, U_CODE, u->code, sizeof u->code, e)) ||
        (rc = unit_code_check(u->code, "code", e)) ||
        (rc = text(im, U_NAME, u->name, sizeof u->name, e)) ||
        (rc = unit_kind_parse(raw(im, U_KIND), &u->kind, "kind", e)) ||
        (rc = text(im, U_PARENT, u->parent, sizeof u->parent, e)) ||
        (rc = date_col(im, U_FROM, UNIT_DAY_MIN, &u->valid_from, e)) ||
        (rc = date_col(im, U_TO, UNIT_DAY_MAX, &u->valid_to, e)) ||
        (rc = text(im, U_SUCC, u->successor, sizeof u->successor, e)) ||
        (rc = text(im, U_IDENT, u->ident_code, sizeof u->ident_code, e)))
        return rc;
    return unit_check(u, e);
}

static int on_unit_record(const struct csv_record *r, void *ctx, struct err *e)
{
    struct unit_import *ui = ctx;
    struct importer *im = &ui->im;
    if (!im->header_done) return read_header(im, r) ? HEADER_BAD : 0;
    if (begin_record(im, r)) return 0;
    struct unit u;
    struct err pe = {0};
    if (parse_unit(im, &u, &pe)) return report_err(im, r->line, &pe), 0;
    if (ui->n == ui->cap) {
        size_t cap = ui->cap ? ui->cap * 2 : 64;
        struct unit_row *rows = realloc(ui->rows, cap * sizeof *rows);
        if (!rows) return err_set(e, ERR_NOMEM, "", "out of memory");
        ui->rows = rows;
        ui->cap = cap;
    }
    ui->rows[ui->n++] = (struct unit_row){u, r->line};
    return 0;
}

static int cmp_row_code(const void *a, const void *b)
{
    const struct unit_row *x = *(const struct unit_row *const *)a;
    const struct unit_row *y = *(const struct unit_row *const *)b;
    int c = strcmp(x->u.code, y->u.code);
    return c ? c : (x->line > y->line) - (x->line < y->line);
}

static int cmp_key_code(const void *key, const void *b)
{
    return strcmp(key, (*(const struct unit_row *const *)b)->u.code);
}

/* Finds code among the file's rows (sorted index) or else in the database. Returns 0 and
 * fills out, ERR_NOT_FOUND, or another error (in e). */
static int find_unit(struct unit_import *ui, struct unit_row **idx, const char *code,
                     struct unit *out, struct err *e)
{
    struct unit_row **hit = bsearch(code, idx, ui->n, sizeof *idx, cmp_key_code);
    if (hit) {
        *out = (*hit)->u;
        return 0;
    }
    return store_unit_get(ui->im.s, code, out, e);
}

static const char *period(const struct unit *u, char *buf)
{
    char a[16] = "…", b[16] = "…";
    if (u->valid_from != UNIT_DAY_MIN) day_format(u->valid_from, a);
    if (u->valid_to != UNIT_DAY_MAX) day_format(u->valid_to, b);
    sprintf(buf, "%s..%s", a, b);
    return buf;
}

/* Checks one row's parent and successor against the file and the database. Returns a
 * database error code, or 0 (problems are reported, not returned). */
static int check_refs(struct unit_import *ui, struct unit_row **idx, const struct unit_row *row,
                      struct err *e)
{
    struct importer *im = &ui->im;
    const struct unit *u = &row->u;
    struct unit ref;
    char p1[32], p2[32], d[16];
    int rc;
    if (u->parent[0]) {
        rc = find_unit(ui, idx, u->parent, &ref, e);
        if (rc == ERR_NOT_FOUND)
            problem(im, row->line, "parent", "'%s': no such unit in this file or the database",
                    u->parent);
        else if (rc)
            return rc;
        else if (ref.valid_from > u->valid_from || ref.valid_to < u->valid_to)
            problem(im, row->line, "parent",
                    "'%s' exists %s, which does not cover this unit's period %s", u->parent,
                    period(&ref, p1), period(u, p2));
    }
    if (u->successor[0]) {
        rc = find_unit(ui, idx, u->successor, &ref, e);
        if (rc == ERR_NOT_FOUND)
            problem(im, row->line, "successor", "'%s': no such unit in this file or the database",
                    u->successor);
        else if (rc)
            return rc;
        else if (!unit_valid_on(&ref, u->valid_to + 1))
            problem(im, row->line, "successor",
                    "'%s' exists %s, not on %s, the day after this unit ends", u->successor,
                    period(&ref, p1), day_format(u->valid_to + 1, d));
    }
    return 0;
}

/* A column left out of the header never means "erase": a unit already in the database keeps
 * its value of every optional column the file does not have (a file of codes and names must
 * not wipe the identifier codes that dossier codes are made of). Returns a database error
 * code or 0; a merged row that breaks a rule is reported. */
static int keep_absent(struct unit_import *ui, struct err *e)
{
    struct importer *im = &ui->im;
    if (!absent(im, U_PARENT) && !absent(im, U_FROM) && !absent(im, U_TO) && !absent(im, U_SUCC) &&
        !absent(im, U_IDENT))
        return 0;
    for (size_t i = 0; i < ui->n; i++) {
        struct unit *u = &ui->rows[i].u, old;
        int rc = store_unit_get(im->s, u->code, &old, e);
        if (rc == ERR_NOT_FOUND) continue;
        if (rc) return rc;
        if (absent(im, U_PARENT)) memcpy(u->parent, old.parent, sizeof u->parent);
        if (absent(im, U_FROM)) u->valid_from = old.valid_from;
        if (absent(im, U_TO)) u->valid_to = old.valid_to;
        if (absent(im, U_SUCC)) memcpy(u->successor, old.successor, sizeof u->successor);
        if (absent(im, U_IDENT)) memcpy(u->ident_code, old.ident_code, sizeof u->ident_code);
        struct err pe = {0};
        if (unit_check(u, &pe)) report_err(im, ui->rows[i].line, &pe);
    }
    return 0;
}

/* One holder of an identifier code: a row of the file (line > 0) or a unit of the database
 * that the file does not replace (line 0). */
struct ident_holder {
    const struct unit *row; /* the file's row (line > 0) */
    struct unit copy;       /* the database's unit (line 0) */
    long line;
};

static const struct unit *holder_unit(const struct ident_holder *h)
{
    return h->line ? h->row : &h->copy;
}

struct ident_scan {
    struct unit_import *ui;
    struct unit_row **idx;
    struct ident_holder *h;
    size_t n, cap;
};

static int add_holder(struct ident_scan *sc, const struct unit *u, long line)
{
    if (sc->n == sc->cap) {
        size_t cap = sc->cap ? sc->cap * 2 : 64;
        struct ident_holder *h = realloc(sc->h, cap * sizeof *h);
        if (!h) return ERR_NOMEM;
        sc->h = h;
        sc->cap = cap;
    }
    struct ident_holder *h = &sc->h[sc->n++];
    h->line = line;
    if (line)
        h->row = u;
    else
        h->copy = *u;
    return 0;
}

static int db_holder(const struct unit *u, void *ctx)
{
    struct ident_scan *sc = ctx;
    if (!u->ident_code[0]) return 0;
    if (bsearch(u->code, sc->idx, sc->ui->n, sizeof *sc->idx, cmp_key_code)) return 0;
    return add_holder(sc, u, 0);
}

static int cmp_holder(const void *a, const void *b)
{
    const struct unit *x = holder_unit(a), *y = holder_unit(b);
    int c = strcmp(x->ident_code, y->ident_code);
    if (c) return c;
    return (x->valid_from > y->valid_from) - (x->valid_from < y->valid_from);
}

/* Two units that exist on a common day must not share an identifier code: the code is the
 * first part of every dossier code they issue (Circular 01/2018/TT-VPCP Art. 19), so both
 * desks would issue the same codes. A unit and its successor may share one (the merged
 * province keeps the old one's code), their periods being apart. Returns a database error
 * code or 0; clashes involving a row of the file are reported at that row. */
static int check_idents(struct unit_import *ui, struct unit_row **idx, struct err *e)
{
    struct ident_scan sc = {.ui = ui, .idx = idx};
    int rc = store_unit_list(ui->im.s, UNIT_DAY_MIN, db_holder, &sc, e);
    for (size_t i = 0; !rc && i < ui->n; i++)
        if (ui->rows[i].u.ident_code[0]) rc = add_holder(&sc, &ui->rows[i].u, ui->rows[i].line);
    if (rc) {
        free(sc.h);
        return rc == ERR_NOMEM ? err_set(e, ERR_NOMEM, "", "out of memory") : rc;
    }
    if (sc.n) qsort(sc.h, sc.n, sizeof *sc.h, cmp_holder);
    for (size_t i = 0; i < sc.n; i++) {
        const struct ident_holder *b = &sc.h[i];
        const struct unit *bu = holder_unit(b);
        /* Earlier holders of the same code, sorted by start: any still running on b's first
         * day overlaps it. */
        for (size_t j = i; j-- > 0 && !strcmp(holder_unit(&sc.h[j])->ident_code, bu->ident_code);) {
            const struct ident_holder *a = &sc.h[j];
            if (holder_unit(a)->valid_to < bu->valid_from || (!a->line && !b->line)) continue;
            const struct ident_holder *at = b->line ? b : a, *other = at == b ? a : b;
            char where[48], p1[32], p2[32];
            if (other->line)
                snprintf(where, sizeof where, "line %ld", other->line);
            else
                snprintf(where, sizeof where, "the database");
            problem(&ui->im, at->line, "ident_code",
                    "'%s': already the identifier code of unit '%s' (%s), and their periods "
                    "%s and %s overlap; two units sharing one would issue the same dossier "
                    "codes",
                    holder_unit(at)->ident_code, holder_unit(other)->code, where,
                    period(holder_unit(at), p1), period(holder_unit(other), p2));
            break;
        }
    }
    free(sc.h);
    return 0;
}

/* Cross-checks all rows; returns a database error code or 0. */
static int check_units(struct unit_import *ui, struct unit_row ***idx_out, struct err *e)
{
    struct unit_row **idx = malloc((ui->n ? ui->n : 1) * sizeof *idx);
    if (!idx) return err_set(e, ERR_NOMEM, "", "out of memory");
    for (size_t i = 0; i < ui->n; i++)
        idx[i] = &ui->rows[i];
    qsort(idx, ui->n, sizeof *idx, cmp_row_code);
    *idx_out = idx;
    for (size_t i = 1; i < ui->n; i++)
        if (!strcmp(idx[i]->u.code, idx[i - 1]->u.code))
            problem(&ui->im, idx[i]->line, "code", "'%s': duplicate code (first on line %ld)",
                    idx[i]->u.code, idx[i - 1]->line);
    int rc = keep_absent(ui, e);
    if (rc || ui->im.errors) return rc;
    for (size_t i = 0; !rc && i < ui->n; i++)
        rc = check_refs(ui, idx, &ui->rows[i], e);
    if (!rc) rc = check_idents(ui, idx, e);
    return rc;
}

static int cmp_size_desc(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x < y) - (x > y);
}

static int write_unit(struct store *s, struct unit_import *ui, const struct unit_row *row,
                      struct err *e)
{
    struct err pe = {0};
    int rc = store_unit_put(s, &row->u, &pe);
    if (rc == ERR_INVALID || rc == ERR_CONFLICT) {
        report_err(&ui->im, row->line, &pe);
        return invalid_result(&ui->im, e);
    }
    if (rc) *e = pe;
    return rc;
}

/* In file order, except that a row whose parent is a new row of the file comes after it: a
 * new unit takes its province from its parent when it is written (store_unit_put), so the
 * parent must be there first. A chain of parents within the file is written top down; a
 * cycle (refused by store_unit_put) is cut where it closes. */
static int write_units(struct store *s, void *ctx, struct err *e)
{
    struct unit_import *ui = ctx;
    size_t *chain = malloc((ui->n ? ui->n : 1) * sizeof *chain);
    unsigned char *state = calloc(ui->n ? ui->n : 1, 1); /* 1 on the chain, 2 written */
    int rc = chain && state ? 0 : err_set(e, ERR_NOMEM, "", "out of memory");
    for (size_t i = 0; !rc && i < ui->n; i++) {
        size_t len = 0;
        int cycle = 0;
        for (size_t j = i; state[j] == 0;) {
            state[j] = 1;
            chain[len++] = j;
            struct unit_row **p =
                ui->rows[j].u.parent[0]
                    ? bsearch(ui->rows[j].u.parent, ui->idx, ui->n, sizeof *ui->idx, cmp_key_code)
                    : NULL;
            if (!p) break;
            j = (size_t)(*p - ui->rows);
            cycle = state[j] == 1;
        }
        if (cycle) /* file order, so the row that closes the cycle is the one refused */
            qsort(chain, len, sizeof *chain, cmp_size_desc);
        while (!rc && len > 0) {
            size_t j = chain[--len];
            state[j] = 2;
            rc = write_unit(s, ui, &ui->rows[j], e);
        }
    }
    free(chain);
    free(state);
    return rc;
}

int import_units(struct store *s, const char *path, import_report_fn report, void *ctx,
                 struct import_result *res, struct err *e)
{
    struct unit_import ui = {.im = {.s = s,
                                    .path = path,
                                    .report = report,
                                    .ctx = ctx,
                                    .known = unit_cols,
                                    .nknown = U_NCOLS,
                                    .required = 1u << U_CODE | 1u << U_NAME | 1u << U_KIND}};
    struct unit_row **idx = NULL;
    int rc = after_read(&ui.im, csvfile_read(path, on_unit_record, &ui, e), e);
    if (!rc && !ui.im.errors) rc = check_units(&ui, &idx, e);
    ui.idx = idx;
    if (!rc && !ui.im.errors) rc = store_tx(s, write_units, &ui, e);
    if (!rc && ui.im.errors) rc = invalid_result(&ui.im, e);
    finish(&ui.im, res);
    free(idx);
    free(ui.rows);
    return rc;
}

/* ===== procedures ===== */

enum {
    P_CODE,
    P_NAME,
    P_FIELD,
    P_LEVEL,
    P_AMOUNT,
    P_UNIT,
    P_ONLINE,
    P_TNOTE,
    P_FEE,
    P_FNOTE,
    P_DOCS,
    P_STEPS,
    P_BASIS,
    P_DECISION,
    P_DDATE,
    P_EFFECTIVE,
    P_PORTAL,
    P_DESK,
    P_RECEIVE,
    P_RBASIS,
    P_NCOLS
};
static const char *const proc_cols[P_NCOLS] = {
    "code",          "name",        "field",         "level",
    "time_amount",   "time_unit",   "online",        "time_note",
    "fee_vnd",       "fee_note",    "documents",     "steps",
    "legal_basis",   "decision",    "decision_date", "basis_effective",
    "posted_portal", "posted_desk", "receive",       "receive_basis"};

struct proc_import {
    struct importer im;
    struct procedure p;
    char (*codes)[PROC_CODE_MAX]; /* codes seen, for duplicates */
    long *lines;
    size_t n, cap;
};

/* Splits the NFC text of column i into lines (trimmed, blank ones skipped), calling fn with
 * each and its 1-based number. */
static int each_line(struct importer *im, int i, int (*fn)(const char *, int, void *, struct err *),
                     void *arg, struct err *e)
{
    size_t n = strlen(raw(im, i)) + 1;
    char *buf = malloc(n);
    if (!buf) return err_set(e, ERR_NOMEM, "", "out of memory");
    int rc = text(im, i, buf, n, e), k = 0;
    for (char *save = NULL, *line = rc ? NULL : strtok_r(buf, "\n", &save); line && !rc;
         line = strtok_r(NULL, "\n", &save)) {
        while (*line == ' ' || *line == '\t')
            line++;
        char *end = line + strlen(line);
        while (end > line && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
            *--end = 0;
        if (*line) rc = fn(line, ++k, arg, e);
    }
    free(buf);
    return rc;
}

static int add_doc(const char *line, int k, void *arg, struct err *e)
{
    struct procedure *p = arg;
    if (k > PROC_DOCS_MAX)
        return err_set(e, ERR_INVALID, "documents", "more than %d documents", PROC_DOCS_MAX);
    if (strlen(line) >= PROC_TEXT_MAX)
        return err_set(e, ERR_INVALID, "documents", "document %d: %zu bytes, at most %d", k,
                       strlen(line), PROC_TEXT_MAX - 1);
    snprintf(p->docs[p->ndocs++], PROC_TEXT_MAX, "%s", line);
    return 0;
}

static int add_step(const char *line, int k, void *arg, struct err *e)
{
    struct procedure *p = arg;
    if (k > PROC_STEPS_MAX)
        return err_set(e, ERR_INVALID, "steps", "more than %d steps", PROC_STEPS_MAX);
    struct err se = {0};
    if (proc_step_parse(line, &p->steps[p->nsteps], "steps", &se))
        return err_set(e, ERR_INVALID, "steps", "step %d: %s", k, se.msg);
    p->nsteps++;
    return 0;
}

/* As for units, a column left out keeps what the database holds for a procedure it already
 * has (a catalogue file without legal_basis must not erase every legal basis). */
static int keep_absent_proc(struct importer *im, struct procedure *p, struct err *e)
{
    static const int optional[] = {P_TNOTE, P_FEE,      P_FNOTE, P_DOCS,      P_STEPS,
                                   P_BASIS, P_DECISION, P_DDATE, P_EFFECTIVE, P_PORTAL,
                                   P_DESK,  P_RECEIVE,  P_RBASIS};
    int any = 0;
    for (size_t k = 0; k < sizeof optional / sizeof *optional; k++)
        any |= absent(im, optional[k]);
    if (!any) return 0;
    struct procedure *old = malloc(sizeof *old);
    if (!old) return err_set(e, ERR_NOMEM, "", "out of memory");
    int rc = store_procedure_get(im->s, p->code, old, e);
    if (rc == ERR_NOT_FOUND)
        rc = 0;
    else if (!rc) {
        if (absent(im, P_TNOTE)) memcpy(p->time_note, old->time_note, sizeof p->time_note);
        if (absent(im, P_FEE)) p->fee_vnd = old->fee_vnd;
        if (absent(im, P_FNOTE)) memcpy(p->fee_note, old->fee_note, sizeof p->fee_note);
        if (absent(im, P_DOCS)) {
            memcpy(p->docs, old->docs, sizeof p->docs);
            p->ndocs = old->ndocs;
        }
        if (absent(im, P_STEPS)) {
            memcpy(p->steps, old->steps, sizeof p->steps);
            p->nsteps = old->nsteps;
        }
        if (absent(im, P_BASIS)) memcpy(p->legal_basis, old->legal_basis, sizeof p->legal_basis);
#define KEEP(col, member)                                                                          \
    if (absent(im, col)) memcpy(p->member, old->member, sizeof p->member)
        KEEP(P_DECISION, decision);
        KEEP(P_DDATE, decision_date);
        KEEP(P_EFFECTIVE, basis_effective);
        KEEP(P_PORTAL, posted_portal);
        KEEP(P_DESK, posted_desk);
        KEEP(P_RBASIS, receive_basis);
#undef KEEP
        if (absent(im, P_RECEIVE)) p->receive = old->receive;
    }
    free(old);
    return rc;
}

/* A catalogue date column: YYYY-MM-DD or empty (procedure_check judges the value). */
static int date_text(struct importer *im, int i, char *out, size_t n, struct err *e)
{
    if (strlen(raw(im, i)) >= n)
        return err_set(e, ERR_INVALID, im->known[i], "'%.40s': not a date YYYY-MM-DD", raw(im, i));
    return text(im, i, out, n, e);
}

static int parse_procedure(struct importer *im, struct procedure *p, struct err *e)
{
    memset(p, 0, sizeof *p);
    long long amount, fee = -1;
    int rc;
    if ((rc = text(im, P_CODE, p->code, sizeof p->code, e)) ||
        (rc = proc_code_check(p->code, "code", e)) ||
        (rc = text(im, P_NAME, p->name, sizeof p->name, e)) ||
        (rc = text(im, P_FIELD, p->field, sizeof p->field, e)) ||
        (rc = proc_level_parse(raw(im, P_LEVEL), &p->level, "level", e)) ||
        (rc = int_col(im, P_AMOUNT, 0, 100000, &amount, e)) ||
        (rc = time_unit_parse(raw(im, P_UNIT), &p->time_unit, "time_unit", e)) ||
        (rc = online_mode_parse(raw(im, P_ONLINE), &p->online, "online", e)) ||
        (rc = text(im, P_TNOTE, p->time_note, sizeof p->time_note, e)) ||
        (*raw(im, P_FEE) && (rc = int_col(im, P_FEE, 0, 1000000000000LL, &fee, e))) ||
        (rc = text(im, P_FNOTE, p->fee_note, sizeof p->fee_note, e)) ||
        (rc = each_line(im, P_DOCS, add_doc, p, e)) ||
        (rc = each_line(im, P_STEPS, add_step, p, e)) ||
        (rc = text(im, P_BASIS, p->legal_basis, sizeof p->legal_basis, e)) ||
        (rc = text(im, P_DECISION, p->decision, sizeof p->decision, e)) ||
        (rc = date_text(im, P_DDATE, p->decision_date, sizeof p->decision_date, e)) ||
        (rc = date_text(im, P_EFFECTIVE, p->basis_effective, sizeof p->basis_effective, e)) ||
        (rc = date_text(im, P_PORTAL, p->posted_portal, sizeof p->posted_portal, e)) ||
        (rc = date_text(im, P_DESK, p->posted_desk, sizeof p->posted_desk, e)) ||
        (*raw(im, P_RECEIVE) &&
         (rc = recv_scope_parse(raw(im, P_RECEIVE), &p->receive, "receive", e))) ||
        (rc = text(im, P_RBASIS, p->receive_basis, sizeof p->receive_basis, e)))
        return rc;
    p->time_amount = (int)amount;
    p->fee_vnd = fee;
    if ((rc = keep_absent_proc(im, p, e))) return rc;
    return procedure_check(p, e);
}

/* Remembers code at line; reports a duplicate. Returns 1 if duplicate, < 0 on no memory. */
static int seen_code(struct proc_import *pi, const char *code, long line)
{
    for (size_t i = 0; i < pi->n; i++)
        if (!strcmp(pi->codes[i], code)) {
            problem(&pi->im, line, "code", "'%s': duplicate code (first on line %ld)", code,
                    pi->lines[i]);
            return 1;
        }
    if (pi->n == pi->cap) {
        size_t cap = pi->cap ? pi->cap * 2 : 64;
        void *c = realloc(pi->codes, cap * sizeof *pi->codes);
        if (c) pi->codes = c;
        void *l = realloc(pi->lines, cap * sizeof *pi->lines);
        if (l) pi->lines = l;
        if (!c || !l) return -1;
        pi->cap = cap;
    }
    snprintf(pi->codes[pi->n], PROC_CODE_MAX, "%s", code);
    pi->lines[pi->n++] = line;
    return 0;
}

static int on_proc_record(const struct csv_record *r, void *ctx, struct err *e)
{
    struct proc_import *pi = ctx;
    struct importer *im = &pi->im;
    if (!im->header_done) return read_header(im, r) ? HEADER_BAD : 0;
    if (begin_record(im, r)) return 0;
    struct err pe = {0};
    if (parse_procedure(im, &pi->p, &pe)) return report_err(im, r->line, &pe), 0;
    int dup = seen_code(pi, pi->p.code, r->line);
    if (dup < 0) return err_set(e, ERR_NOMEM, "", "out of memory");
    if (dup || im->errors) return 0; /* keep checking, stop writing */
    int rc = store_procedure_put(im->s, &pi->p, &pe);
    if (rc == ERR_INVALID || rc == ERR_CONFLICT) return report_err(im, r->line, &pe), 0;
    if (rc) *e = pe;
    return rc;
}

static int read_procedures(struct store *s, void *ctx, struct err *e)
{
    (void)s;
    struct proc_import *pi = ctx;
    int rc = after_read(&pi->im, csvfile_read(pi->im.path, on_proc_record, pi, e), e);
    if (!rc && pi->im.errors) rc = invalid_result(&pi->im, e);
    return rc;
}

int import_procedures(struct store *s, const char *path, import_report_fn report, void *ctx,
                      struct import_result *res, struct err *e)
{
    struct proc_import *pi = calloc(1, sizeof *pi);
    if (!pi) return err_set(e, ERR_NOMEM, "", "out of memory");
    pi->im =
        (struct importer){.s = s,
                          .path = path,
                          .report = report,
                          .ctx = ctx,
                          .known = proc_cols,
                          .nknown = P_NCOLS,
                          .required = 1u << P_CODE | 1u << P_NAME | 1u << P_FIELD | 1u << P_LEVEL |
                                      1u << P_AMOUNT | 1u << P_UNIT | 1u << P_ONLINE};
    int rc = store_tx(s, read_procedures, pi, e);
    finish(&pi->im, res);
    free(pi->codes);
    free(pi->lines);
    free(pi);
    return rc;
}

/* ===== unit contacts ===== */

enum { C_UNIT, C_ADDRESS, C_PHONE, C_HOURS, C_NCOLS };
static const char *const contact_cols[C_NCOLS] = {"unit", "address", "phone", "hours"};

struct contact_import {
    struct importer im;
    struct unit_contact c;
    char (*units)[UNIT_CODE_MAX];
    long *lines;
    size_t n, cap;
};

static int on_contact_record(const struct csv_record *r, void *ctx, struct err *e)
{
    struct contact_import *ci = ctx;
    struct importer *im = &ci->im;
    if (!im->header_done) return read_header(im, r) ? HEADER_BAD : 0;
    if (begin_record(im, r)) return 0;
    struct err pe = {0};
    struct unit_contact *c = &ci->c;
    memset(c, 0, sizeof *c);
    if (text(im, C_UNIT, c->unit, sizeof c->unit, &pe) ||
        text(im, C_ADDRESS, c->address, sizeof c->address, &pe) ||
        text(im, C_PHONE, c->phone, sizeof c->phone, &pe) ||
        text(im, C_HOURS, c->hours, sizeof c->hours, &pe) || unit_contact_check(c, &pe))
        return report_err(im, r->line, &pe), 0;
    for (size_t i = 0; i < ci->n; i++)
        if (!strcmp(ci->units[i], c->unit)) {
            problem(im, r->line, "unit", "'%s': a second row for this unit (first on line %ld)",
                    c->unit, ci->lines[i]);
            return 0;
        }
    if (ci->n == ci->cap) {
        size_t cap = ci->cap ? ci->cap * 2 : 64;
        void *u = realloc(ci->units, cap * sizeof *ci->units);
        if (u) ci->units = u;
        void *l = realloc(ci->lines, cap * sizeof *ci->lines);
        if (l) ci->lines = l;
        if (!u || !l) return err_set(e, ERR_NOMEM, "", "out of memory");
        ci->cap = cap;
    }
    snprintf(ci->units[ci->n], UNIT_CODE_MAX, "%s", c->unit);
    ci->lines[ci->n++] = r->line;
    struct unit u;
    int rc = store_unit_get(im->s, c->unit, &u, &pe);
    if (rc == ERR_NOT_FOUND) {
        problem(im, r->line, "unit", "'%s': no such unit (import the units first)", c->unit);
        return 0;
    }
    if (rc) return *e = pe, rc;
    if (im->errors) return 0; /* keep checking, stop writing */
    rc = store_unit_contact_put(im->s, c, &pe);
    if (rc == ERR_INVALID || rc == ERR_CONFLICT) return report_err(im, r->line, &pe), 0;
    if (rc) *e = pe;
    return rc;
}

static int read_contacts(struct store *s, void *ctx, struct err *e)
{
    (void)s;
    struct contact_import *ci = ctx;
    int rc = after_read(&ci->im, csvfile_read(ci->im.path, on_contact_record, ci, e), e);
    if (!rc && ci->im.errors) rc = invalid_result(&ci->im, e);
    return rc;
}

int import_contacts(struct store *s, const char *path, import_report_fn report, void *ctx,
                    struct import_result *res, struct err *e)
{
    struct contact_import *ci = calloc(1, sizeof *ci);
    if (!ci) return err_set(e, ERR_NOMEM, "", "out of memory");
    ci->im = (struct importer){.s = s,
                               .path = path,
                               .report = report,
                               .ctx = ctx,
                               .known = contact_cols,
                               .nknown = C_NCOLS,
                               .required = 1u << C_UNIT | 1u << C_ADDRESS | 1u << C_PHONE};
    int rc = store_tx(s, read_contacts, ci, e);
    finish(&ci->im, res);
    free(ci->units);
    free(ci->lines);
    free(ci);
    return rc;
}
