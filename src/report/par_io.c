/* par_io.c — reading and writing PAR index files (formats in docs/par.md): criteria sets as
 * CSV (libcsv) or JSON (jansson), scores / previous results / targets as CSV, and results as a
 * table, CSV or JSON. Every input problem names FILE:LINE and the column (CSV) or the JSON
 * path; the logic itself (validation, scoring) is in src/core/par.c and par_score.c. */
#include "par_io.h"
#include "vntext.h"

#include <csv.h>
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "vntext.h"

/* ---- CSV reading: rows with the line each starts on; '#' lines between rows -------------- */

#define ROW_MAX_FIELDS 32

struct row {
    int line, n;
    char *f[ROW_MAX_FIELDS];
};

typedef int (*row_fn)(void *ctx, const struct row *r);
typedef void (*comment_fn)(void *ctx, int line, const char *text);

struct csv_reader {
    const char *path;
    row_fn on_row;
    comment_fn on_comment;
    void *ctx;
    struct row row;
    int line, rec_line, rows, stop, too_many;
    struct err *e;
};

static void field_cb(void *s, size_t len, void *data)
{
    struct csv_reader *r = data;
    if (r->stop) return;
    if (r->row.n == ROW_MAX_FIELDS) {
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
    r->row.f[r->row.n++] = f;
}

static void row_clear(struct row *row)
{
    for (int i = 0; i < row->n; i++)
        free(row->f[i]);
    row->n = 0;
}

static void row_cb(int c, void *data)
{
    (void)c;
    struct csv_reader *r = data;
    r->rows++;
    if (!r->stop && r->too_many)
        r->stop = err_set(r->e, ERR_INVALID, "", "%s:%d: a row has more than %d fields", r->path,
                          r->rec_line, ROW_MAX_FIELDS);
    if (!r->stop) {
        r->row.line = r->rec_line;
        r->stop = r->on_row(r->ctx, &r->row);
    }
    row_clear(&r->row);
    r->too_many = 0;
}

static int blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n') return 0;
    return 1;
}

static int feed_line(struct csv_reader *r, struct csv_parser *p, char *line, size_t len,
                     int *in_record)
{
    if (r->line == 1 && len >= 3 && !memcmp(line, "\xEF\xBB\xBF", 3)) { /* UTF-8 BOM */
        line += 3;
        len -= 3;
    }
    /* Checked per line, before parsing: a set saved in Latin-1 or Windows-1258 would otherwise
     * be stored as it is and shown as mojibake on every page. */
    if (memchr(line, 0, len) || !vntext_valid_utf8(line))
        return err_set(r->e, ERR_INVALID, "", "%s:%d: not valid UTF-8 (save the file as UTF-8)",
                       r->path, r->line);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)line[i];
        if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7F)
            return err_set(r->e, ERR_INVALID, "", "%s:%d: control character U+%04X at byte %zu",
                           r->path, r->line, c, i + 1);
    }
    if (!*in_record && line[0] == '#') {
        if (r->on_comment) r->on_comment(r->ctx, r->line, line + 1);
        return 0;
    }
    if (!*in_record && !blank(line)) r->rec_line = r->line;
    int before = r->rows;
    if (csv_parse(p, line, len, field_cb, row_cb, r) != len)
        return err_set(r->e, ERR_INVALID, "", "%s:%d: malformed CSV (%s)", r->path, r->line,
                       csv_strerror(csv_error(p)));
    if (r->stop) return r->stop;
    *in_record = r->rows == before && (*in_record || !blank(line));
    return 0;
}

static int csv_read(const char *path, row_fn on_row, comment_fn on_comment, void *ctx,
                    struct err *e)
{
    FILE *f = fopen(path, "r");
    if (!f) return err_set(e, ERR_IO, "file", "%s: cannot open: %s", path, strerror(errno));
    struct csv_parser p;
    struct csv_reader r = {
        .path = path, .on_row = on_row, .on_comment = on_comment, .ctx = ctx, .e = e};
    int rc = 0, in_record = 0;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        fclose(f);
        return err_set(e, ERR_NOMEM, "", "out of memory");
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while (!rc && (len = getline(&line, &cap, f)) >= 0) {
        r.line++;
        rc = feed_line(&r, &p, line, (size_t)len, &in_record);
    }
    if (!rc && ferror(f)) rc = err_set(e, ERR_IO, "file", "%s: read error", path);
    if (!rc && csv_fini(&p, field_cb, row_cb, &r) != 0)
        rc = err_set(e, ERR_INVALID, "", "%s:%d: a quoted field is never closed", path, r.rec_line);
    if (!rc) rc = r.stop;
    row_clear(&r.row);
    free(line);
    csv_free(&p);
    fclose(f);
    return rc;
}

/* Column lookup by header name. */
struct columns {
    int n;
    const char *const *names; /* allowed names */
    int at[ROW_MAX_FIELDS];   /* at[k]: field index of names[k], or -1 */
    int width;                /* fields in the header row */
};

static int header_parse(struct columns *c, const struct row *row, const char *path,
                        const char *const *required, struct err *e)
{
    for (int k = 0; k < c->n; k++)
        c->at[k] = -1;
    c->width = row->n;
    for (int i = 0; i < row->n; i++) {
        int k = 0;
        while (k < c->n && strcmp(row->f[i], c->names[k]) != 0)
            k++;
        if (k == c->n) {
            char allowed[400] = "";
            for (int j = 0; j < c->n; j++)
                snprintf(allowed + strlen(allowed), sizeof allowed - strlen(allowed), "%s%s",
                         j ? ", " : "", c->names[j]);
            return err_set(e, ERR_INVALID, "header",
                           "%s:%d: column %d: '%s' is not a known column (%s)", path, row->line,
                           i + 1, row->f[i], allowed);
        }
        if (c->at[k] >= 0)
            return err_set(e, ERR_INVALID, "header", "%s:%d: column %d: '%s' appears twice", path,
                           row->line, i + 1, row->f[i]);
        c->at[k] = i;
    }
    for (; *required; required++) {
        int k = 0;
        while (k < c->n && strcmp(*required, c->names[k]) != 0)
            k++;
        if (c->at[k] < 0)
            return err_set(e, ERR_INVALID, "header", "%s:%d: the header needs a '%s' column", path,
                           row->line, *required);
    }
    return 0;
}

/* Field k of row (by allowed-name index), "" when the column is absent. */
static const char *col(const struct columns *c, const struct row *row, int k)
{
    return c->at[k] >= 0 ? row->f[c->at[k]] : "";
}

static int width_check(const struct columns *c, const struct row *row, const char *path,
                       struct err *e)
{
    if (row->n == c->width) return 0;
    return err_set(e, ERR_INVALID, "", "%s:%d: the row has %d fields, the header has %d", path,
                   row->line, row->n, c->width);
}

/* Prefixes e->msg with "PATH:LINE: " (messages from core name the column first). */
static int at_line(struct err *e, const char *path, int line, int rc)
{
    char msg[sizeof e->msg];
    snprintf(msg, sizeof msg, "%s", e->msg);
    snprintf(e->msg, sizeof e->msg, "%s:%d: %.340s", path, line, msg);
    return rc;
}

/* ---- criteria set: CSV ----------------------------------------------------------------- */

enum {
    SC_CODE,
    SC_PARENT,
    SC_TITLE,
    SC_MAX,
    SC_METHOD,
    SC_METRIC,
    SC_RULE,
    SC_EVIDENCE,
    SC_DECIMALS,
    SC_NCOLS
};
static const char *const set_cols[SC_NCOLS] = {"code",   "parent", "title",    "max",     "method",
                                               "metric", "rule",   "evidence", "decimals"};
static const char *const set_required[] = {"code", "max", NULL};

struct set_reader {
    const char *path;
    struct par_set *s;
    struct columns cols;
    int have_header, problems;
    par_report_fn report;
    void *ctx;
    struct err *e;
};

static void report_problem(struct set_reader *sr, const struct err *one)
{
    if (sr->problems++ == 0 && sr->e != one) *sr->e = *one;
    if (sr->report) sr->report(sr->ctx, one);
}

static int meta_set(struct par_set *s, const char *key, const char *val, struct err *e)
{
    par_pts v;
    char *end;
    if (!strcmp(key, "code")) {
        if (strlen(val) >= sizeof s->code)
            return err_set(e, ERR_INVALID, key, "code: '%s' is too long", val);
        snprintf(s->code, sizeof s->code, "%s", val);
    } else if (!strcmp(key, "version")) {
        if (strlen(val) >= sizeof s->version)
            return err_set(e, ERR_INVALID, key, "version: '%s' is longer than %zu characters", val,
                           sizeof s->version - 1);
        snprintf(s->version, sizeof s->version, "%s", val);
    } else if (!strcmp(key, "title"))
        return par_set_text(&s->title, val, e);
    else if (!strcmp(key, "legal_source"))
        return par_set_text(&s->legal_source, val, e);
    else if (!strcmp(key, "scope"))
        return par_scope_parse(val, &s->scope, e);
    else if (!strcmp(key, "year") || !strcmp(key, "decimals")) {
        long n = strtol(val, &end, 10);
        if (!*val || *end || n < 0 || n > 9999)
            return err_set(e, ERR_INVALID, key, "%s: '%s' is not a whole number", key, val);
        *(!strcmp(key, "year") ? &s->year : &s->decimals) = (int)n;
    } else if (!strcmp(key, "max")) {
        int rc = par_decimal_parse(val, PAR_DEC_MAX, 0, &v, "max", e);
        if (rc) return rc;
        s->declared_max = v;
    } else
        return -1; /* not a metadata key: an ordinary comment */
    return 0;
}

static char *trim_ws(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

/* "# key: value" lines set the set's metadata; other '#' lines are comments. */
static void set_comment(void *ctx, int line, const char *text)
{
    struct set_reader *sr = ctx;
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", text) >= (int)sizeof buf) {
        struct err one;
        err_set(&one, ERR_INVALID, "", "%s:%d: the line is longer than %zu bytes", sr->path, line,
                sizeof buf - 1);
        report_problem(sr, &one);
        return;
    }
    char *colon = strchr(buf, ':');
    if (!colon) return;
    *colon = '\0';
    char *key = trim_ws(buf), *val = trim_ws(colon + 1);
    struct err one;
    err_clear(&one);
    int rc = meta_set(sr->s, key, val, &one);
    if (rc > 0) {
        at_line(&one, sr->path, line, rc);
        report_problem(sr, &one);
    }
}

static int node_fields(struct set_reader *sr, const struct row *row, struct par_node_in *in,
                       struct err *e)
{
    const struct columns *c = &sr->cols;
    memset(in, 0, sizeof *in);
    in->code = col(c, row, SC_CODE);
    in->parent = col(c, row, SC_PARENT);
    in->title = col(c, row, SC_TITLE);
    in->metric = col(c, row, SC_METRIC);
    in->evidence = col(c, row, SC_EVIDENCE);
    in->decimals = -1;
    int rc = par_decimal_parse(col(c, row, SC_MAX), PAR_DEC_MAX, 0, &in->max, "max", e);
    if (!rc) rc = par_method_parse(col(c, row, SC_METHOD), &in->method, e);
    if (!rc) rc = par_rule_parse(col(c, row, SC_RULE), &in->rule, "rule", e);
    const char *d = col(c, row, SC_DECIMALS);
    if (!rc && *d) {
        char *end;
        long n = strtol(d, &end, 10);
        if (*end || n < 0 || n > PAR_DEC_MAX)
            rc = err_set(e, ERR_INVALID, "decimals", "decimals: '%s' is not 0, 1, 2 or 3", d);
        in->decimals = (int)n;
    }
    return rc;
}

static int set_row(void *ctx, const struct row *row)
{
    struct set_reader *sr = ctx;
    if (!sr->have_header) {
        sr->have_header = 1;
        return header_parse(&sr->cols, row, sr->path, set_required, sr->e);
    }
    struct err one;
    err_clear(&one);
    struct par_node_in in;
    char where[512];
    snprintf(where, sizeof where, "%s:%d", sr->path, row->line);
    int rc = width_check(&sr->cols, row, sr->path, &one);
    if (!rc && (rc = node_fields(sr, row, &in, &one))) at_line(&one, sr->path, row->line, rc);
    if (!rc) {
        in.where = where;
        rc = par_set_add_node(sr->s, &in, &one);
    }
    if (rc == ERR_NOMEM) return err_set(sr->e, rc, "", "out of memory");
    if (rc) report_problem(sr, &one);
    return 0;
}

int par_io_read_set_csv(const char *path, struct par_set **out, par_report_fn report, void *ctx,
                        struct err *e)
{
    struct par_set *s = par_set_new();
    if (!s || par_set_text(&s->source, path, e)) {
        par_set_free(s);
        return err_set(e, ERR_NOMEM, "", "out of memory");
    }
    struct set_reader sr = {.path = path, .s = s, .report = report, .ctx = ctx, .e = e};
    sr.cols.n = SC_NCOLS;
    sr.cols.names = set_cols;
    int rc = csv_read(path, set_row, set_comment, &sr, e);
    if (!rc && !sr.have_header)
        rc = err_set(e, ERR_INVALID, "header", "%s: no header row (code,parent,title,max,…)", path);
    if (!rc && sr.problems) rc = ERR_INVALID;
    if (!rc) rc = par_set_validate(s, report, ctx, e);
    if (rc) {
        par_set_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

/* ---- criteria set: JSON ---------------------------------------------------------------- */

struct json_reader {
    const char *path;
    struct par_set *s;
    int problems;
    par_report_fn report;
    void *ctx;
    struct err *e;
};

__attribute__((format(printf, 3, 4))) static void jproblem(struct json_reader *jr,
                                                           const char *jpath, const char *fmt, ...)
{
    struct err one;
    err_clear(&one);
    one.code = ERR_INVALID;
    char msg[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(one.msg, sizeof one.msg, "%s: %s: %s", jr->path, jpath, msg);
    if (jr->problems++ == 0) *jr->e = one;
    if (jr->report) jr->report(jr->ctx, &one);
}

/* A JSON number or numeric string as text for par_decimal_parse. */
static int json_number_text(const json_t *v, char *buf, size_t n)
{
    if (json_is_integer(v))
        snprintf(buf, n, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        snprintf(buf, n, "%.6f", json_real_value(v));
    else if (json_is_string(v))
        snprintf(buf, n, "%s", json_string_value(v));
    else
        return -1;
    return 0;
}

static const char *jstr(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : "";
}

static int check_keys(struct json_reader *jr, const json_t *o, const char *jpath,
                      const char *const *keys, const char *const *strings)
{
    const char *k;
    json_t *v;
    int bad = 0;
    json_object_foreach((json_t *)o, k, v)
    {
        int known = 0;
        for (const char *const *p = keys; *p; p++)
            known |= !strcmp(*p, k);
        if (!known) {
            jproblem(jr, jpath, "'%s' is not a known key", k);
            bad = 1;
        }
        for (const char *const *p = strings; *p; p++)
            if (!strcmp(*p, k) && !json_is_string(v)) {
                jproblem(jr, jpath, "%s: must be a string", k);
                bad = 1;
            }
    }
    return bad;
}

static const char *const node_keys[] = {"code", "title",    "max",      "method",   "metric",
                                        "rule", "evidence", "decimals", "children", NULL};
static const char *const node_strings[] = {"code", "title",    "method", "metric",
                                           "rule", "evidence", NULL};

static void json_nodes(struct json_reader *jr, const json_t *arr, const char *jpath,
                       const char *parent, int depth);

static int json_node_in(struct json_reader *jr, const json_t *o, const char *jpath,
                        struct par_node_in *in)
{
    struct err one;
    err_clear(&one);
    char num[64];
    const json_t *max = json_object_get(o, "max");
    if (!max || json_number_text(max, num, sizeof num) != 0) {
        jproblem(jr, jpath, "max: must be a number of points");
        return -1;
    }
    int rc = par_decimal_parse(num, PAR_DEC_MAX, 0, &in->max, "max", &one);
    if (!rc) rc = par_method_parse(jstr(o, "method"), &in->method, &one);
    if (!rc) rc = par_rule_parse(jstr(o, "rule"), &in->rule, "rule", &one);
    const json_t *d = json_object_get(o, "decimals");
    in->decimals = -1;
    if (!rc && d) {
        if (!json_is_integer(d) || json_integer_value(d) < 0 || json_integer_value(d) > PAR_DEC_MAX)
            rc = err_set(&one, ERR_INVALID, "decimals", "decimals: must be 0, 1, 2 or 3");
        else
            in->decimals = (int)json_integer_value(d);
    }
    if (rc) jproblem(jr, jpath, "%s", one.msg);
    return rc;
}

static void json_node(struct json_reader *jr, const json_t *o, const char *jpath,
                      const char *parent, int depth)
{
    if (!json_is_object(o)) {
        jproblem(jr, jpath, "a criterion must be an object");
        return;
    }
    if (check_keys(jr, o, jpath, node_keys, node_strings)) return;
    struct par_node_in in = {0};
    if (json_node_in(jr, o, jpath, &in)) return;
    char where[900];
    snprintf(where, sizeof where, "%.300s: %.500s", jr->path, jpath);
    in.code = jstr(o, "code");
    in.parent = parent;
    in.title = jstr(o, "title");
    in.metric = jstr(o, "metric");
    in.evidence = jstr(o, "evidence");
    in.where = where;
    struct err one;
    err_clear(&one);
    if (par_set_add_node(jr->s, &in, &one)) {
        jr->problems++;
        if (jr->problems == 1) *jr->e = one;
        if (jr->report) jr->report(jr->ctx, &one);
        return;
    }
    const json_t *kids = json_object_get(o, "children");
    if (kids) {
        char sub[600];
        snprintf(sub, sizeof sub, "%.500s.children", jpath);
        json_nodes(jr, kids, sub, in.code, depth + 1);
    }
}

static void json_nodes(struct json_reader *jr, const json_t *arr, const char *jpath,
                       const char *parent, int depth)
{
    if (!json_is_array(arr)) {
        jproblem(jr, jpath, "must be an array of criteria");
        return;
    }
    if (depth >= PAR_DEPTH_MAX) {
        jproblem(jr, jpath, "criteria nest deeper than %d levels", PAR_DEPTH_MAX);
        return;
    }
    size_t i;
    const json_t *v;
    json_array_foreach(arr, i, v)
    {
        char sub[600];
        snprintf(sub, sizeof sub, "%.500s[%zu]", jpath, i);
        json_node(jr, v, sub, parent, depth);
    }
}

static const char *const set_keys[] = {"code",         "title",    "version", "year",  "scope",
                                       "legal_source", "decimals", "max",     "nodes", NULL};
static const char *const set_strings[] = {"code",  "title",        "version",
                                          "scope", "legal_source", NULL};

static void json_meta(struct json_reader *jr, const json_t *root)
{
    struct err one;
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)root, k, v)
    {
        if (!strcmp(k, "nodes")) continue;
        char text[1024], jpath[64];
        snprintf(jpath, sizeof jpath, "$.%s", k);
        if (json_is_string(v))
            snprintf(text, sizeof text, "%s", json_string_value(v));
        else if (json_number_text(v, text, sizeof text) != 0) {
            jproblem(jr, jpath, "must be a string or a number");
            continue;
        }
        if ((!strcmp(k, "year") || !strcmp(k, "decimals")) && !json_is_integer(v)) {
            jproblem(jr, jpath, "must be a whole number");
            continue;
        }
        err_clear(&one);
        if (meta_set(jr->s, k, text, &one) != 0) jproblem(jr, jpath, "%s", one.msg);
    }
}

int par_io_read_set_json(const char *path, struct par_set **out, par_report_fn report, void *ctx,
                         struct err *e)
{
    json_error_t je;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        int io = je.line < 0 || strstr(je.text, "unable to open");
        return err_set(e, io ? ERR_IO : ERR_INVALID, "file", "%s:%d:%d: %s", path, je.line,
                       je.column, je.text);
    }
    struct par_set *s = par_set_new();
    struct json_reader jr = {path, s, 0, report, ctx, e};
    int rc =
        (!s || par_set_text(&s->source, path, e)) ? err_set(e, ERR_NOMEM, "", "out of memory") : 0;
    if (!rc && !json_is_object(root)) jproblem(&jr, "$", "the set must be a JSON object");
    if (!rc && !jr.problems && !check_keys(&jr, root, "$", set_keys, set_strings)) {
        json_meta(&jr, root);
        json_nodes(&jr, json_object_get(root, "nodes"), "$.nodes", "", 0);
    }
    if (!rc && jr.problems) rc = ERR_INVALID;
    if (!rc) rc = par_set_validate(s, report, ctx, e);
    json_decref(root);
    if (rc) {
        par_set_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

int par_io_read_set(const char *path, struct par_set **out, par_report_fn report, void *ctx,
                    struct err *e)
{
    const char *dot = strrchr(path, '.');
    if (dot && !strcmp(dot, ".csv")) return par_io_read_set_csv(path, out, report, ctx, e);
    if (dot && !strcmp(dot, ".json")) return par_io_read_set_json(path, out, report, ctx, e);
    return err_set(e, ERR_INVALID, "file", "%s: a criteria set file must end in .csv or .json",
                   path);
}

/* ---- criteria set: writing ------------------------------------------------------------- */

/* Writes one CSV field, quoted only when it must be. */
static void csv_put(FILE *f, const char *s, int last)
{
    if (strpbrk(s, ",\"\r\n") || (*s == ' ' || (*s && s[strlen(s) - 1] == ' ')))
        csv_fwrite(f, s, strlen(s));
    else
        fputs(s, f);
    fputc(last ? '\n' : ',', f);
}

static void csv_node(FILE *f, const struct par_set *s, int i)
{
    const struct par_node *n = &s->node[i];
    char max[32], rule[300], dec[16] = "";
    par_rule_format(&n->rule, rule, sizeof rule);
    if (n->decimals >= 0) snprintf(dec, sizeof dec, "%d", n->decimals);
    const char *f_[SC_NCOLS] = {n->code,
                                n->parent_code,
                                n->title,
                                par_pts_format(n->max, 0, max),
                                par_method_name(n->method),
                                n->metric,
                                rule,
                                n->evidence,
                                dec};
    for (int k = 0; k < SC_NCOLS; k++)
        csv_put(f, f_[k], k == SC_NCOLS - 1);
    for (int k = n->first_child; k >= 0; k = s->node[k].next_sibling)
        csv_node(f, s, k);
}

int par_io_write_set_csv(FILE *f, const struct par_set *s, struct err *e)
{
    if (!s->valid) return err_set(e, ERR_INVALID, "set", "the set is not validated");
    char max[32];
    fprintf(f, "# code: %s\n", s->code);
    if (s->title && *s->title) fprintf(f, "# title: %s\n", s->title);
    if (s->version[0]) fprintf(f, "# version: %s\n", s->version);
    fprintf(f, "# year: %d\n# scope: %s\n", s->year, par_scope_name(s->scope));
    if (s->legal_source && *s->legal_source) fprintf(f, "# legal_source: %s\n", s->legal_source);
    fprintf(f, "# decimals: %d\n# max: %s\n", s->decimals, par_pts_format(s->max, 0, max));
    for (int k = 0; k < SC_NCOLS; k++)
        csv_put(f, set_cols[k], k == SC_NCOLS - 1);
    for (int a = 0; a < s->nareas; a++)
        csv_node(f, s, s->areas[a]);
    return ferror(f) ? err_set(e, ERR_IO, "output", "write error") : 0;
}

static json_t *json_pts(par_pts v)
{
    if (v % PAR_SCALE == 0) return json_integer(v / PAR_SCALE);
    return json_real((double)v / PAR_SCALE);
}

static json_t *json_node_out(const struct par_set *s, int i)
{
    const struct par_node *n = &s->node[i];
    json_t *o = json_object();
    json_object_set_new(o, "code", json_string(n->code));
    json_object_set_new(o, "title", json_string(n->title));
    json_object_set_new(o, "max", json_pts(n->max));
    if (n->method) json_object_set_new(o, "method", json_string(par_method_name(n->method)));
    if (*n->metric) json_object_set_new(o, "metric", json_string(n->metric));
    if (n->rule.n) {
        char rule[300];
        json_object_set_new(o, "rule", json_string(par_rule_format(&n->rule, rule, sizeof rule)));
    }
    if (*n->evidence) json_object_set_new(o, "evidence", json_string(n->evidence));
    if (n->decimals >= 0) json_object_set_new(o, "decimals", json_integer(n->decimals));
    if (n->nchildren) {
        json_t *kids = json_array();
        for (int k = n->first_child; k >= 0; k = s->node[k].next_sibling)
            json_array_append_new(kids, json_node_out(s, k));
        json_object_set_new(o, "children", kids);
    }
    return o;
}

static int json_dump_to(FILE *f, json_t *root, struct err *e)
{
    int rc =
        json_dumpf(root, f, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) != 0 || fputc('\n', f) == EOF;
    json_decref(root);
    return rc ? err_set(e, ERR_IO, "output", "write error") : 0;
}

char *par_io_round_title(char *buf, size_t n, int year, const char *code, const char *title,
                         enum par_phase phase)
{
    snprintf(buf, n, "Kết quả Chỉ số CCHC năm %d — đợt %s%s%s (%s)", year, code,
             title && *title ? ": " : "", title ? title : "", par_phase_label(phase));
    return buf;
}

json_t *par_io_set_json(const struct par_set *s)
{
    json_t *root = json_object();
    json_object_set_new(root, "code", json_string(s->code));
    if (s->title && *s->title) json_object_set_new(root, "title", json_string(s->title));
    if (s->version[0]) json_object_set_new(root, "version", json_string(s->version));
    json_object_set_new(root, "year", json_integer(s->year));
    json_object_set_new(root, "scope", json_string(par_scope_name(s->scope)));
    if (s->legal_source && *s->legal_source)
        json_object_set_new(root, "legal_source", json_string(s->legal_source));
    json_object_set_new(root, "decimals", json_integer(s->decimals));
    json_object_set_new(root, "max", json_pts(s->max));
    json_t *nodes = json_array();
    for (int a = 0; a < s->nareas; a++)
        json_array_append_new(nodes, json_node_out(s, s->areas[a]));
    json_object_set_new(root, "nodes", nodes);
    return root;
}

int par_io_write_set_json(FILE *f, const struct par_set *s, struct err *e)
{
    if (!s->valid) return err_set(e, ERR_INVALID, "set", "the set is not validated");
    return json_dump_to(f, par_io_set_json(s), e);
}

/* ---- scores ---------------------------------------------------------------------------- */

enum { SS_UNIT, SS_NAME, SS_NODE, SS_SELF, SS_APPRAISED, SS_SURVEY, SS_METRIC, SS_NCOLS };
static const char *const score_cols[SS_NCOLS] = {"unit",      "name",   "node",  "self",
                                                 "appraised", "survey", "metric"};
static const char *const score_required[] = {"unit", "node", NULL};
static const enum par_kind score_kind[SS_NCOLS] = {
    0, 0, 0, PAR_SELF, PAR_APPRAISED, PAR_SURVEYED, PAR_METRIC};

struct score_reader {
    const char *path;
    struct par_scores *sc;
    const struct par_set *set;
    struct columns cols;
    int have_header, problems;
    int **line_of; /* per unit: the line that scored each leaf, 0 if none */
    int nline_of;
    par_report_fn report;
    void *ctx;
    struct err *e;
};

static int *unit_lines(struct score_reader *r, int unit)
{
    if (unit >= r->nline_of) {
        int n = unit + 64;
        int **g = realloc(r->line_of, sizeof *g * (size_t)n);
        if (!g) return NULL;
        for (int i = r->nline_of; i < n; i++)
            g[i] = NULL;
        r->line_of = g;
        r->nline_of = n;
    }
    if (!r->line_of[unit]) r->line_of[unit] = calloc((size_t)r->set->nleaves + 1, sizeof(int));
    return r->line_of[unit];
}

static int score_values(struct score_reader *r, const struct row *row, int unit, const char *node,
                        struct err *e)
{
    for (int k = SS_SELF; k < SS_NCOLS; k++) {
        const char *txt = col(&r->cols, row, k);
        if (!*txt) continue;
        par_pts v;
        int rc = par_decimal_parse(txt, PAR_DEC_MAX, k == SS_METRIC, &v, score_cols[k], e);
        if (rc) return rc;
        if ((rc = par_scores_put(r->sc, unit, node, score_kind[k], v, e))) {
            char msg[sizeof e->msg];
            snprintf(msg, sizeof msg, "%s", e->msg);
            snprintf(e->msg, sizeof e->msg, "%s: %.380s", score_cols[k], msg);
            return rc;
        }
    }
    return 0;
}

static int score_row_parse(struct score_reader *r, const struct row *row, struct err *e)
{
    int rc = width_check(&r->cols, row, r->path, e), unit;
    if (rc) return rc;
    const char *node = col(&r->cols, row, SS_NODE);
    rc = par_scores_unit(r->sc, col(&r->cols, row, SS_UNIT), col(&r->cols, row, SS_NAME), &unit, e);
    if (rc) return at_line(e, r->path, row->line, rc);
    int i = par_set_find(r->set, node);
    int *lines = unit_lines(r, unit);
    if (!lines) return err_set(e, ERR_NOMEM, "", "out of memory");
    if (i >= 0 && r->set->node[i].leaf >= 0 && lines[r->set->node[i].leaf])
        return err_set(e, ERR_INVALID, "node",
                       "%s:%d: node: unit '%s' node '%s' is already scored "
                       "on line %d",
                       r->path, row->line, par_scores_unit_code(r->sc, unit), node,
                       lines[r->set->node[i].leaf]);
    if ((rc = score_values(r, row, unit, node, e))) return at_line(e, r->path, row->line, rc);
    lines[r->set->node[i].leaf] = row->line;
    return 0;
}

static int score_row(void *ctx, const struct row *row)
{
    struct score_reader *r = ctx;
    if (!r->have_header) {
        r->have_header = 1;
        int rc = header_parse(&r->cols, row, r->path, score_required, r->e);
        if (!rc && r->cols.at[SS_SELF] < 0 && r->cols.at[SS_APPRAISED] < 0 &&
            r->cols.at[SS_SURVEY] < 0 && r->cols.at[SS_METRIC] < 0)
            rc = err_set(r->e, ERR_INVALID, "header",
                         "%s:%d: the header needs at least one of self, appraised, survey, metric",
                         r->path, row->line);
        return rc;
    }
    struct err one;
    err_clear(&one);
    int rc = score_row_parse(r, row, &one);
    if (rc == ERR_NOMEM) return err_set(r->e, rc, "", "out of memory");
    if (rc) {
        if (r->problems++ == 0) *r->e = one;
        if (r->report) r->report(r->ctx, &one);
    }
    return 0;
}

int par_io_read_scores(const char *path, struct par_scores *sc, par_report_fn report, void *ctx,
                       struct err *e)
{
    struct score_reader r = {.path = path, .sc = sc, .report = report, .ctx = ctx, .e = e};
    r.cols.n = SS_NCOLS;
    r.cols.names = score_cols;
    r.set = par_scores_set(sc);
    int rc = csv_read(path, score_row, NULL, &r, e);
    if (!rc && !r.have_header)
        rc = err_set(e, ERR_INVALID, "header", "%s: no header row (unit,node,self,appraised,…)",
                     path);
    if (!rc && r.problems) rc = ERR_INVALID;
    for (int i = 0; i < r.nline_of; i++)
        free(r.line_of[i]);
    free(r.line_of);
    return rc;
}

/* ---- survey points (a round's survey import) ------------------------------------------ */

enum { SV_UNIT, SV_NAME, SV_NODE, SV_SURVEY, SV_NCOLS };
static const char *const survey_cols[SV_NCOLS] = {"unit", "name", "node", "survey"};
static const char *const survey_required[] = {"unit", "node", "survey", NULL};

struct survey_reader {
    const char *path;
    struct columns cols;
    int have_header, problems;
    struct par_scores *check; /* the values read so far, for par.c's checks and duplicates */
    struct par_survey_row *rows;
    int n, cap;
    par_report_fn report;
    void *ctx;
    struct err *e;
};

/* The line that already gave (unit, node). */
static int survey_line_of(const struct survey_reader *r, const char *unit, const char *node)
{
    for (int i = 0; i < r->n; i++)
        if (!strcmp(r->rows[i].unit, unit) && !strcmp(r->rows[i].node, node))
            return atoi(strrchr(r->rows[i].where, ':') + 1);
    return 0;
}

static int survey_row_parse(struct survey_reader *r, const struct row *row, struct err *e)
{
    int rc = width_check(&r->cols, row, r->path, e), unit;
    if (rc) return rc;
    const char *code = col(&r->cols, row, SV_UNIT), *node = col(&r->cols, row, SV_NODE);
    par_pts v;
    if ((rc = par_scores_unit(r->check, code, NULL, &unit, e)) ||
        (rc = par_decimal_parse(col(&r->cols, row, SV_SURVEY), PAR_DEC_MAX, 0, &v, "survey", e)))
        return at_line(e, r->path, row->line, rc);
    int i = par_set_find(par_scores_set(r->check), node);
    int leaf = i >= 0 ? par_scores_set(r->check)->node[i].leaf : -1;
    if (leaf >= 0 && par_scores_get(r->check, unit, leaf, PAR_SURVEYED) != PAR_NONE)
        return err_set(e, ERR_INVALID, "node",
                       "%s:%d: node: unit '%s' node '%s' is already given "
                       "on line %d",
                       r->path, row->line, code, node, survey_line_of(r, code, node));
    if ((rc = par_scores_put(r->check, unit, node, PAR_SURVEYED, v, e)))
        return at_line(e, r->path, row->line, rc);
    if (r->n == r->cap) {
        int cap = r->cap ? r->cap * 2 : 128;
        struct par_survey_row *g = realloc(r->rows, sizeof *g * (size_t)cap);
        if (!g) return err_set(e, ERR_NOMEM, "", "out of memory");
        r->rows = g;
        r->cap = cap;
    }
    struct par_survey_row *out = &r->rows[r->n++];
    snprintf(out->unit, sizeof out->unit, "%s", code);
    snprintf(out->node, sizeof out->node, "%s", node);
    out->points = v;
    snprintf(out->where, sizeof out->where, "%.80s:%d", r->path, row->line);
    return 0;
}

static int survey_row(void *ctx, const struct row *row)
{
    struct survey_reader *r = ctx;
    if (!r->have_header) {
        r->have_header = 1;
        return header_parse(&r->cols, row, r->path, survey_required, r->e);
    }
    struct err one;
    err_clear(&one);
    int rc = survey_row_parse(r, row, &one);
    if (rc == ERR_NOMEM) return err_set(r->e, rc, "", "out of memory");
    if (rc) {
        if (r->problems++ == 0) *r->e = one;
        if (r->report) r->report(r->ctx, &one);
    }
    return 0;
}

int par_io_read_survey(const char *path, const struct par_set *set, struct par_survey_row **rows,
                       int *n, par_report_fn report, void *ctx, struct err *e)
{
    struct survey_reader r = {.path = path, .report = report, .ctx = ctx, .e = e};
    r.cols.n = SV_NCOLS;
    r.cols.names = survey_cols;
    *rows = NULL;
    *n = 0;
    int rc = par_scores_new(set, &r.check, e);
    if (!rc) rc = csv_read(path, survey_row, NULL, &r, e);
    if (!rc && !r.have_header)
        rc = err_set(e, ERR_INVALID, "header", "%s: no header row (unit,node,survey)", path);
    if (!rc && r.problems) rc = ERR_INVALID;
    if (!rc && r.n == 0) rc = err_set(e, ERR_INVALID, "rows", "%s: no survey rows", path);
    par_scores_free(r.check);
    if (rc) {
        free(r.rows);
        return rc;
    }
    *rows = r.rows;
    *n = r.n;
    return 0;
}

/* ---- previous results and targets ------------------------------------------------------ */

enum {
    PV_UNIT,
    PV_NAME,
    PV_INDEX,
    PV_RANK,
    PV_SUCCESSOR,
    PV_UP = PV_SUCCESSOR
}; /* "up": targets only */
static const char *const prev_cols[] = {"unit", "name", "index", "rank", "successor"};
static const char *const prev_required[] = {"unit", "index", NULL};
static const char *const target_cols[] = {"unit", "name", "index", "rank", "up"};
static const char *const target_required[] = {"unit", NULL};

struct list_reader {
    const char *path;
    struct columns cols;
    int have_header, is_target, n, cap;
    void *items; /* struct par_prev_entry or struct par_target */
    struct err *e;
};

static int unit_code(const char *s, char *dst, const char *field, const char *path, int line,
                     struct err *e)
{
    if (!*s)
        return err_set(e, ERR_INVALID, field, "%s:%d: %s: must not be empty", path, line, field);
    if (strlen(s) >= PAR_CODE_MAX)
        return err_set(e, ERR_INVALID, field, "%s:%d: %s: '%s' is longer than %d characters", path,
                       line, field, s, PAR_CODE_MAX - 1);
    snprintf(dst, PAR_CODE_MAX, "%s", s);
    return 0;
}

static int whole_number(const char *s, int *out, const char *field, const char *path, int line,
                        struct err *e)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s) return 0;
    if (*end || v < 1 || v > 1000000)
        return err_set(e, ERR_INVALID, field, "%s:%d: %s: '%s' is not a whole number >= 1", path,
                       line, field, s);
    *out = (int)v;
    return 0;
}

static int index_value(const char *s, int64_t *out, const char *path, int line, struct err *e)
{
    if (!*s) return 0;
    int rc = par_decimal_parse(s, PAR_DEC_MAX, 0, out, "index", e);
    if (!rc && *out > 100 * PAR_SCALE)
        rc = err_set(e, ERR_INVALID, "index", "index: '%s' is above 100 %%", s);
    return rc ? at_line(e, path, line, rc) : 0;
}

static int list_grow(struct list_reader *lr, size_t size)
{
    if (lr->n < lr->cap) return 0;
    int cap = lr->cap ? lr->cap * 2 : 32;
    void *g = realloc(lr->items, size * (size_t)cap);
    if (!g) return -1;
    lr->items = g;
    lr->cap = cap;
    return 0;
}

static int prev_item(struct list_reader *lr, const struct row *row, char *where)
{
    struct par_prev_entry *p = (struct par_prev_entry *)lr->items + lr->n;
    memset(p, 0, sizeof *p);
    p->where = where;
    int rc = unit_code(col(&lr->cols, row, PV_UNIT), p->code, "unit", lr->path, row->line, lr->e);
    const char *succ = col(&lr->cols, row, PV_SUCCESSOR);
    if (!rc && *succ) rc = unit_code(succ, p->successor, "successor", lr->path, row->line, lr->e);
    if (!rc && !*col(&lr->cols, row, PV_INDEX))
        rc = err_set(lr->e, ERR_INVALID, "index", "%s:%d: index: must not be empty", lr->path,
                     row->line);
    if (!rc) rc = index_value(col(&lr->cols, row, PV_INDEX), &p->index, lr->path, row->line, lr->e);
    if (!rc)
        rc = whole_number(col(&lr->cols, row, PV_RANK), &p->rank, "rank", lr->path, row->line,
                          lr->e);
    return rc;
}

static int target_item(struct list_reader *lr, const struct row *row, char *where)
{
    struct par_target *t = (struct par_target *)lr->items + lr->n;
    memset(t, 0, sizeof *t);
    t->where = where;
    t->index = PAR_NONE;
    int rc = unit_code(col(&lr->cols, row, PV_UNIT), t->code, "unit", lr->path, row->line, lr->e);
    if (!rc) rc = index_value(col(&lr->cols, row, PV_INDEX), &t->index, lr->path, row->line, lr->e);
    if (!rc)
        rc = whole_number(col(&lr->cols, row, PV_RANK), &t->rank, "rank", lr->path, row->line,
                          lr->e);
    if (!rc)
        rc = whole_number(col(&lr->cols, row, PV_UP), &t->up, "up", lr->path, row->line, lr->e);
    if (!rc && !t->up && !t->rank && t->index == PAR_NONE)
        rc = err_set(lr->e, ERR_INVALID, "target",
                     "%s:%d: unit '%s' has no target (up, rank or index)", lr->path, row->line,
                     t->code);
    return rc;
}

static int list_row(void *ctx, const struct row *row)
{
    struct list_reader *lr = ctx;
    if (!lr->have_header) {
        lr->have_header = 1;
        return header_parse(&lr->cols, row, lr->path,
                            lr->is_target ? target_required : prev_required, lr->e);
    }
    int rc = width_check(&lr->cols, row, lr->path, lr->e);
    if (rc) return rc;
    size_t size = lr->is_target ? sizeof(struct par_target) : sizeof(struct par_prev_entry);
    char where[400];
    snprintf(where, sizeof where, "%s:%d", lr->path, row->line);
    char *w = strdup(where);
    if (!w || list_grow(lr, size) != 0) {
        free(w);
        return err_set(lr->e, ERR_NOMEM, "", "out of memory");
    }
    rc = lr->is_target ? target_item(lr, row, w) : prev_item(lr, row, w);
    if (rc) {
        free(w);
        return rc;
    }
    lr->n++;
    return 0;
}

static void free_wheres(void *items, int n, int is_target)
{
    for (int i = 0; i < n; i++)
        free((char *)(is_target ? ((struct par_target *)items)[i].where
                                : ((struct par_prev_entry *)items)[i].where));
    free(items);
}

static int list_read(const char *path, int is_target, void **out, int *n, struct err *e)
{
    struct list_reader lr = {.path = path, .is_target = is_target, .e = e};
    lr.cols.n = 5;
    lr.cols.names = is_target ? target_cols : prev_cols;
    int rc = csv_read(path, list_row, NULL, &lr, e);
    if (!rc && !lr.have_header) rc = err_set(e, ERR_INVALID, "header", "%s: no header row", path);
    if (rc) {
        free_wheres(lr.items, lr.n, is_target);
        return rc;
    }
    *out = lr.items;
    *n = lr.n;
    return 0;
}

int par_io_read_previous(const char *path, struct par_prev_entry **out, int *n, struct err *e)
{
    void *items = NULL;
    int rc = list_read(path, 0, &items, n, e);
    if (!rc) *out = items;
    return rc;
}

void par_io_free_previous(struct par_prev_entry *p, int n)
{
    free_wheres(p, n, 0);
}

int par_io_read_targets(const char *path, struct par_target **out, int *n, struct err *e)
{
    void *items = NULL;
    int rc = list_read(path, 1, &items, n, e);
    if (!rc) *out = items;
    return rc;
}

void par_io_free_targets(struct par_target *t, int n)
{
    free_wheres(t, n, 1);
}

/* ---- results --------------------------------------------------------------------------- */

int par_format_parse(const char *s, int allow_table, enum par_format *out, struct err *e)
{
    if (allow_table && !strcmp(s, "table"))
        *out = PAR_FMT_TABLE;
    else if (!strcmp(s, "csv"))
        *out = PAR_FMT_CSV;
    else if (!strcmp(s, "json"))
        *out = PAR_FMT_JSON;
    else
        return err_set(e, ERR_INVALID, "format", "--format: '%s' is not one of %scsv, json", s,
                       allow_table ? "table, " : "");
    return 0;
}

/* A grid of cells: the table and CSV outputs share it. */
struct grid {
    int rows, cols;
    char **cell; /* rows × cols, row 0 the header */
    int *right;  /* per column: right-aligned (numbers) */
};

static char *grid_at(struct grid *g, int r, int c)
{
    return g->cell[r * g->cols + c];
}

static void grid_set(struct grid *g, int r, int c, const char *s)
{
    char **p = &g->cell[r * g->cols + c];
    free(*p);
    *p = strdup(s ? s : "");
}

static void grid_free(struct grid *g)
{
    for (int i = 0; i < g->rows * g->cols; i++)
        free(g->cell[i]);
    free(g->cell);
    free(g->right);
}

static int grid_ok(const struct grid *g)
{
    for (int i = 0; i < g->rows * g->cols; i++)
        if (!g->cell[i]) return 0;
    return 1;
}

/* Display width of UTF-8 text: code points that are not combining marks (U+0300–U+036F). */
static int text_width(const char *s)
{
    int w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p & 0xC0) == 0x80) continue;
        if (p[0] == 0xCC || (p[0] == 0xCD && p[1] < 0xB0)) continue;
        w++;
    }
    return w;
}

static void grid_print(FILE *f, struct grid *g)
{
    int *w = calloc((size_t)g->cols, sizeof *w);
    if (!w) return;
    for (int r = 0; r < g->rows; r++)
        for (int c = 0; c < g->cols; c++) {
            int tw = text_width(grid_at(g, r, c));
            if (tw > w[c]) w[c] = tw;
        }
    for (int r = 0; r < g->rows; r++) {
        for (int c = 0; c < g->cols; c++) {
            const char *s = grid_at(g, r, c);
            int pad = w[c] - text_width(s);
            if (g->right[c] && r > 0) fprintf(f, "%*s", pad, "");
            fputs(s, f);
            if (c < g->cols - 1) fprintf(f, "%*s", (g->right[c] && r > 0 ? 0 : pad) + 2, "");
        }
        fputc('\n', f);
    }
    free(w);
}

static void grid_csv(FILE *f, struct grid *g)
{
    for (int r = 0; r < g->rows; r++)
        for (int c = 0; c < g->cols; c++)
            csv_put(f, grid_at(g, r, c), c == g->cols - 1);
}

static char *signed_pts(int64_t v, char *buf)
{
    char t[32];
    if (v > 0) {
        snprintf(buf, 40, "+%s", par_pts_format(v, 2, t));
        return buf;
    }
    return par_pts_format(v, 2, buf);
}

/* Fills one result row; vn selects the table's Vietnamese words over the CSV's. */
static void grid_row(struct grid *g, int r, const struct par_results *res,
                     const struct par_unit_result *u, int with_prev, int with_targets, int vn)
{
    const struct par_set *s = res->set;
    char b[64];
    int c = 0;
    snprintf(b, sizeof b, "%d", u->rank);
    grid_set(g, r, c++, b);
    grid_set(g, r, c++, u->code);
    grid_set(g, r, c++, u->name);
    grid_set(g, r, c++, par_pts_format(u->total, 2, b));
    grid_set(g, r, c++, par_pts_format(u->index, 2, b));
    for (int a = 0; a < s->nareas; a++)
        grid_set(g, r, c++, par_pts_format(u->area[a], 2, b));
    grid_set(g, r, c++, par_pts_format(u->survey_total, 2, b));
    snprintf(b, sizeof b, "%d", u->missing);
    grid_set(g, r, c++, b);
    if (with_prev) {
        const char *none = vn ? "—" : "";
        if (u->prev == PAR_PREV_ONE) snprintf(b, sizeof b, "%d", u->prev_rank);
        grid_set(g, r, c++,
                 u->prev == PAR_PREV_ONE      ? b
                 : u->prev == PAR_PREV_MERGED ? (vn ? "gộp" : "merged")
                                              : none);
        if (u->prev == PAR_PREV_ONE) snprintf(b, sizeof b, "%+d", u->rank_change);
        grid_set(g, r, c++, u->prev == PAR_PREV_ONE ? b : none);
        grid_set(g, r, c++, u->prev ? par_pts_format(u->prev_index, 2, b) : none);
        grid_set(g, r, c++, u->prev ? signed_pts(u->index_change, b) : none);
    }
    if (with_targets) {
        const char *none = vn ? "—" : "";
        if (u->has_target && u->target_rank) snprintf(b, sizeof b, "%d", u->target_rank);
        grid_set(g, r, c++, u->has_target && u->target_rank ? b : none);
        grid_set(g, r, c++,
                 u->has_target && u->target_index != PAR_NONE
                     ? par_pts_format(u->target_index, 2, b)
                     : none);
        const char *met = !u->has_target       ? none
                          : u->target_met > 0  ? (vn ? "đạt" : "yes")
                          : u->target_met == 0 ? (vn ? "chưa đạt" : "no")
                                               : (vn ? "không rõ" : "unknown");
        grid_set(g, r, c++, met);
    }
}

static int grid_build(struct grid *g, const struct par_results *res, int with_prev,
                      int with_targets, int vn)
{
    const struct par_set *s = res->set;
    g->rows = res->n + 1;
    g->cols = 6 + s->nareas + 1 + (with_prev ? 4 : 0) + (with_targets ? 3 : 0);
    g->cell = calloc((size_t)g->rows * (size_t)g->cols, sizeof *g->cell);
    g->right = calloc((size_t)g->cols, sizeof *g->right);
    if (!g->cell || !g->right) return -1;
    int c = 0;
    const char *h1[] = {"rank", "unit", "name", "total", "index"};
    const char *h1vn[] = {"Hạng", "Mã", "Đơn vị", "Tổng điểm", "Chỉ số %"};
    for (int k = 0; k < 5; k++, c++) {
        grid_set(g, 0, c, vn ? h1vn[k] : h1[k]);
        g->right[c] = k != 1 && k != 2;
    }
    for (int a = 0; a < s->nareas; a++, c++) {
        char h[48];
        snprintf(h, sizeof h, vn ? "LV %s" : "area:%s", s->node[s->areas[a]].code);
        grid_set(g, 0, c, h);
        g->right[c] = 1;
    }
    const char *h2[] = {"survey",       "missing",     "prev_rank",    "rank_change", "prev_index",
                        "index_change", "target_rank", "target_index", "target_met"};
    const char *h2vn[] = {"Điều tra XHH",  "Thiếu",           "Hạng trước",
                          "± hạng",        "Chỉ số trước",    "± chỉ số",
                          "Hạng mục tiêu", "Chỉ số mục tiêu", "Mục tiêu"};
    for (int k = 0; k < 9; k++) {
        if ((k >= 2 && k < 6 && !with_prev) || (k >= 6 && !with_targets)) continue;
        grid_set(g, 0, c, vn ? h2vn[k] : h2[k]);
        g->right[c++] = k != 8;
    }
    for (int i = 0; i < res->n; i++)
        grid_row(g, i + 1, res, &res->u[i], with_prev, with_targets, vn);
    return grid_ok(g) ? 0 : -1;
}

static void table_notes(FILE *f, const struct par_results *res, int with_prev)
{
    const struct par_set *s = res->set;
    char b[32];
    fprintf(f, "\nLĩnh vực (LV):\n");
    for (int a = 0; a < s->nareas; a++) {
        const struct par_node *n = &s->node[s->areas[a]];
        char v[40];
        vntext_number_vi(par_pts_format(n->max, 2, b), v, sizeof v);
        fprintf(f, "  %-4s %s (tối đa %s)\n", n->code, n->title, v);
    }
    fprintf(f, "Xếp hạng: đồng điểm thì đồng hạng, hạng kế tiếp bỏ qua (1, 2, 2, 4).\n");
    if (with_prev)
        fprintf(
            f,
            "± hạng dương là tăng bậc so với năm trước; \"gộp\": đơn vị hình thành do sáp nhập, "
            "chỉ số trước là trung bình các đơn vị cũ.%s\n",
            res->prev_unmatched ? " Một số đơn vị năm trước không còn trong kỳ này." : "");
    if (!res->nmissing) return;
    const char **code = calloc((size_t)res->n, sizeof *code);
    if (!code) return;
    for (int j = 0; j < res->n; j++)
        code[res->u[j].unit] = res->u[j].code;
    fprintf(f, "\nThiếu điểm (tính 0 điểm): %d tiêu chí\n", res->nmissing);
    for (int i = 0; i < res->nmissing;) {
        int unit = res->missing[i].unit, printed = 0;
        fprintf(f, "  %s:", code[unit]);
        for (; i < res->nmissing && res->missing[i].unit == unit; i++)
            if (printed++ < 12) fprintf(f, " %s", s->node[res->missing[i].node].code);
        if (printed > 12) fprintf(f, " … (+%d)", printed - 12);
        fputc('\n', f);
    }
    free(code);
}

static json_t *json_result(const struct par_results *res, const struct par_unit_result *u,
                           int with_prev, int with_targets)
{
    const struct par_set *s = res->set;
    json_t *o = json_object(), *areas = json_object();
    json_object_set_new(o, "rank", json_integer(u->rank));
    json_object_set_new(o, "unit", json_string(u->code));
    json_object_set_new(o, "name", json_string(u->name));
    json_object_set_new(o, "total", json_pts(u->total));
    json_object_set_new(o, "index", json_pts(u->index));
    json_object_set_new(o, "survey", json_pts(u->survey_total));
    for (int a = 0; a < s->nareas; a++)
        json_object_set_new(areas, s->node[s->areas[a]].code, json_pts(u->area[a]));
    json_object_set_new(o, "areas", areas);
    json_object_set_new(o, "missing", json_integer(u->missing));
    if (with_prev && u->prev) {
        json_t *p = json_object();
        json_object_set_new(p, "merged", json_boolean(u->prev == PAR_PREV_MERGED));
        json_object_set_new(p, "predecessors", json_integer(u->npred));
        json_object_set_new(p, "rank",
                            u->prev == PAR_PREV_ONE ? json_integer(u->prev_rank) : json_null());
        json_object_set_new(p, "rank_change",
                            u->prev == PAR_PREV_ONE ? json_integer(u->rank_change) : json_null());
        json_object_set_new(p, "index", json_pts(u->prev_index));
        json_object_set_new(p, "index_change", json_pts(u->index_change));
        json_object_set_new(o, "previous", p);
    }
    if (with_targets && u->has_target) {
        json_t *t = json_object();
        json_object_set_new(t, "rank", u->target_rank ? json_integer(u->target_rank) : json_null());
        json_object_set_new(t, "index",
                            u->target_index != PAR_NONE ? json_pts(u->target_index) : json_null());
        json_object_set_new(t, "met",
                            u->target_met < 0 ? json_null() : json_boolean(u->target_met));
        json_object_set_new(o, "target", t);
    }
    return o;
}

json_t *par_io_results_json(const struct par_results *res, int with_prev, int with_targets)
{
    const struct par_set *s = res->set;
    json_t *root = json_object(), *units = json_array(), *missing = json_array();
    json_object_set_new(root, "set", json_string(s->code));
    json_object_set_new(root, "year", json_integer(s->year));
    json_object_set_new(root, "max", json_pts(s->max));
    json_object_set_new(root, "ranking",
                        json_string("competition: ties share a rank (1, 2, 2, 4)"));
    for (int i = 0; i < res->n; i++)
        json_array_append_new(units, json_result(res, &res->u[i], with_prev, with_targets));
    json_object_set_new(root, "units", units);
    const char **code = calloc((size_t)(res->n ? res->n : 1), sizeof *code);
    for (int j = 0; code && j < res->n; j++)
        code[res->u[j].unit] = res->u[j].code;
    for (int i = 0; code && i < res->nmissing; i++) {
        json_t *m = json_object();
        json_object_set_new(m, "unit", json_string(code[res->missing[i].unit]));
        json_object_set_new(m, "node", json_string(s->node[res->missing[i].node].code));
        json_array_append_new(missing, m);
    }
    free(code);
    json_object_set_new(root, "missing", missing);
    if (with_prev)
        json_object_set_new(root, "previous_unmatched", json_integer(res->prev_unmatched));
    return root;
}

static int results_json(FILE *f, const struct par_results *res, int with_prev, int with_targets,
                        struct err *e)
{
    json_t *root = par_io_results_json(res, with_prev, with_targets);
    if (!root) return err_set(e, ERR_NOMEM, "", "out of memory");
    return json_dump_to(f, root, e);
}

int par_io_write_results(FILE *f, const struct par_results *res, enum par_format fmt, int with_prev,
                         int with_targets, struct err *e)
{
    if (fmt == PAR_FMT_JSON) return results_json(f, res, with_prev, with_targets, e);
    struct grid g = {0};
    if (grid_build(&g, res, with_prev, with_targets, fmt == PAR_FMT_TABLE) != 0) {
        grid_free(&g);
        return err_set(e, ERR_NOMEM, "", "out of memory");
    }
    if (fmt == PAR_FMT_CSV)
        grid_csv(f, &g);
    else {
        const struct par_set *s = res->set;
        char b[32], v[40];
        /* the table is for people: numbers as Vietnamese writes them (13,50); CSV keeps 13.50 */
        for (int r = 1; r < g.rows; r++)
            for (int c = 0; c < g.cols; c++) {
                vntext_number_vi(grid_at(&g, r, c), v, sizeof v);
                if (strcmp(v, grid_at(&g, r, c))) grid_set(&g, r, c, v);
            }
        vntext_number_vi(par_pts_format(s->max, 2, b), v, sizeof v);
        fprintf(f, "Bộ tiêu chí %s (năm %d)%s%s (%s); %d đơn vị; điểm tối đa %s\n\n", s->code,
                s->year, s->title && *s->title ? ": " : "", s->title ? s->title : "",
                par_scope_label(s->scope), res->n, v);
        grid_print(f, &g);
        table_notes(f, res, with_prev);
    }
    grid_free(&g);
    return ferror(f) ? err_set(e, ERR_IO, "output", "write error") : 0;
}
