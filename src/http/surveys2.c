/* surveys2.c — the survey resources beyond collection (issue 19, docs/surveys.md): the result
 * slip with the survey invitation's QR code, invitations sent through the notification outbox,
 * paper forms typed twice by two officers and the resolution of those whose entries differ,
 * survey figures into a PAR round's survey criteria, and the public results as xlsx, PDF, CSV
 * or JSON with the sample sizes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "date.h"
#include "http.h"
#include "report_table.h"
#include "server_int.h"
#include "slip_pdf.h"
#include "survey_report.h"
#include "store_survey.h"
#include "survey.h"

static int load_set(struct req *r, const char *file, struct survey_set *set, struct err *e)
{
    char path[1024];
    if (strchr(file, '/'))
        snprintf(path, sizeof path, "%s", file);
    else
        snprintf(path, sizeof path, "%s/surveys/%s", config_data_dir(req_config(r)), file);
    return survey_set_load(path, set, NULL, NULL, e);
}

/* The round of the path and its set; replies and returns -1 on failure. */
static int round_open(struct req *r, struct survey_round *rd, struct survey_set *set)
{
    struct err e = {0};
    if (store_survey_round_get(req_store(r), req_param(r, "round"), rd, &e) ||
        load_set(r, rd->set_file, set, &e)) {
        reply_err(r, &e);
        return -1;
    }
    return 0;
}

/* The public address the survey link starts with: public_url, else the Host the client used
 * (only a plain host[:port]), else the loopback address (as forms.c does for its QR codes). */
const char *survey_base_url(struct req *r)
{
    const struct serve_config *c = &r->srv->cfg;
    if (c->public_url[0]) {
        size_t n = strlen(c->public_url);
        while (n && c->public_url[n - 1] == '/')
            n--;
        return arena_printf(r->arena, "%.*s", (int)n, c->public_url);
    }
    const char *h = req_header(r, "Host");
    if (h && *h && strlen(h) < 200 &&
        strspn(h, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") ==
            strlen(h))
        return arena_printf(r->arena, "http://%s", h);
    return arena_printf(r->arena, "http://127.0.0.1:%d", r->srv->port);
}

/* ---- the result slip ----------------------------------------------------------------------- */

void h_dossier_result_slip(struct req *r)
{
    if (req_query_check(r, NULL)) return;
    const char *code = req_param(r, "code");
    struct err e = {0};
    struct dossier d;
    if (store_dossier_get(req_store(r), code, &d, &e) || !auth_scope_covers(r, d.unit)) {
        if (e.code && e.code != ERR_NOT_FOUND) return reply_err(r, &e);
        return reply_error(r, 404, "not_found", "code", "dossier '%.40s' does not exist", code);
    }
    if (d.st.status != DS_RESULT_READY && d.st.status != DS_RETURNED)
        return reply_error(r, 409, "conflict", "status",
                           "dossier %s has no result to hand over (status %s)", d.code,
                           dossier_status_name(d.st.status));
    struct unit u, pu;
    struct procedure p;
    int have_u = !store_unit_get(req_store(r), d.unit, &u, &e);
    int have_pu = have_u && u.parent[0] && !store_unit_get(req_store(r), u.parent, &pu, &e);
    int have_p = !store_procedure_get(req_store(r), d.procedure, &p, &e);
    char round[SURVEY_CODE_MAX], token[SURVEY_TOKEN_LEN + 1];
    const char *url = NULL;
    int rc = store_survey_slip_token(req_store(r), d.code, round, token, &e);
    if (!rc)
        url = arena_printf(r->arena, "%s/#/khao-sat/%s", survey_base_url(r), token);
    else if (rc != ERR_NOT_FOUND)
        return reply_err(r, &e);
    char when[64] = "";
    if (d.st.returned_at) {
        struct ymd y = days_to_ymd(instant_day(d.st.returned_at));
        snprintf(when, sizeof when, "ngày %02d tháng %02d năm %04d", y.d, y.m, y.y);
    }
    struct result_slip sl = {have_u ? u.name : d.unit,
                             have_pu ? pu.name : "",
                             d.code,
                             have_p ? p.name : d.procedure,
                             d.applicant.name,
                             when,
                             url};
    unsigned char *pdf = NULL;
    size_t len = 0;
    if (slip_pdf_render(&sl, &pdf, &len, &e)) return reply_err(r, &e);
    reply_header(r, "X-Cchc-Survey", url ? "invited" : "none");
    reply_download(r, "application/pdf", arena_printf(r->arena, "phieu-tra-ket-qua-%s.pdf", d.code),
                   pdf, len);
    free(pdf);
}

/* ---- invitations through the outbox --------------------------------------------------------- */

static int in_scope(const char *unit, void *ctx)
{
    return auth_scope_covers(ctx, unit);
}

void h_survey_notify(struct req *r)
{
    if (req_query_check(r, NULL)) return;
    struct err e = {0};
    int queued, skipped;
    if (store_survey_notify(req_store(r), req_param(r, "round"), in_scope, r, now_local_minutes(),
                            &queued, &skipped, &e))
        return reply_err(r, &e);
    reply_json(r, 200, json_pack("{s:i, s:i}", "queued", queued, "skipped", skipped));
}

/* ---- paper forms ---------------------------------------------------------------------------- */

static const char *const paper_state[] = {"waiting", "matched", "differ", "resolved"};

struct paper_list {
    struct req *r;
    json_t *forms;
};

static int paper_add(const struct survey_paper_form *f, void *vc)
{
    struct paper_list *c = vc;
    if (!auth_scope_covers(c->r, f->unit)) return 0;
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:b, s:b, s:o, s:o, s:o}", "form", f->form_no,
                          "unit", f->unit, "stratum", f->stratum, "state", paper_state[f->state],
                          "pass1", (f->passes & 1) != 0, "pass2", (f->passes & 2) != 0, "by1",
                          jstr_or_null(f->by[0]), "by2", jstr_or_null(f->by[1]), "resolved_by",
                          jstr_or_null(f->resolved_by));
    if (f->state == SURVEY_PAPER_DIFFER) json_object_set_new(o, "differences", json_array());
    return json_array_append_new(c->forms, o) ? ERR_NOMEM : 0;
}

static int mismatch_add(const struct survey_mismatch *m, void *vc)
{
    struct paper_list *c = vc;
    size_t i;
    json_t *f;
    json_array_foreach(c->forms, i, f)
    {
        if (strcmp(json_string_value(json_object_get(f, "form")), m->form_no)) continue;
        json_t *d = json_object_get(f, "differences");
        if (d)
            json_array_append_new(d, json_pack("{s:s, s:s, s:s}", "field", m->what, "first",
                                               m->first, "second", m->second));
    }
    return 0;
}

struct strata_list {
    struct req *r;
    json_t *a;
};

static int stratum_add(const struct survey_stratum_row *s, void *vc)
{
    struct strata_list *c = vc;
    if (!auth_scope_covers(c->r, s->unit)) return 0;
    struct unit un;
    struct err ue = {0};
    const char *name = store_unit_get(req_store(c->r), s->unit, &un, &ue) ? s->unit : un.name;
    return json_array_append_new(c->a, json_pack("{s:s, s:s, s:s, s:I, s:I}", "unit", s->unit,
                                                 "name", name, "stratum", s->stratum, "sample",
                                                 (json_int_t)s->sample, "responses",
                                                 (json_int_t)s->responses))
               ? ERR_NOMEM
               : 0;
}

/* The questions of a set with their options, for the entry page. */
static json_t *questions_json(const struct survey_set *set)
{
    json_t *a = json_array();
    for (int k = 0; k < set->nquestions; k++) {
        const struct survey_node *n = &set->nodes[set->questions[k]];
        const struct survey_scale *sc = &set->scales[n->scale];
        json_t *opts = json_array();
        for (int i = 0; i < sc->nopt; i++)
            json_array_append_new(opts, json_pack("{s:s, s:s}", "value", sc->opt[i].value, "label",
                                                  sc->opt[i].label));
        json_array_append_new(
            a, json_pack("{s:s, s:s, s:o}", "code", n->code, "title", n->text, "options", opts));
    }
    return a;
}

void h_survey_paper_list(struct req *r)
{
    if (req_query_check(r, NULL)) return;
    struct survey_round rd;
    struct survey_set set;
    if (round_open(r, &rd, &set)) return;
    struct err e = {0};
    struct paper_list c = {r, json_array()};
    struct strata_list sl = {r, json_array()};
    int rc = store_survey_paper_forms(req_store(r), rd.code, paper_add, &c, &e);
    if (!rc) rc = store_survey_paper_mismatches(req_store(r), &set, rd.code, mismatch_add, &c, &e);
    if (!rc) rc = store_survey_strata(req_store(r), rd.code, NULL, stratum_add, &sl, &e);
    json_t *qs = rc ? NULL : questions_json(&set);
    survey_set_free(&set);
    if (rc) {
        json_decref(c.forms);
        json_decref(sl.a);
        return reply_err(r, &e);
    }
    reply_json(r, 200,
               json_pack("{s:s, s:o, s:o, s:o}", "round", rd.code, "forms", c.forms, "strata", sl.a,
                         "questions", qs));
}

/* answers {"Q": "V", …} into a[] (at most max); replies 400 and returns -1 on a bad value. */
static int answers_of(struct req *r, json_t *obj, struct survey_answer_in *a, int max, int *n)
{
    const char *q;
    json_t *v;
    *n = 0;
    json_object_foreach(obj, q, v)
    {
        if (!json_is_string(v) || *n == max) {
            reply_error(r, 400, "invalid", q, "%.40s: a value is the option's value as a string",
                        q);
            return -1;
        }
        a[*n].question = q;
        a[*n].value = json_string_value(v);
        (*n)++;
    }
    return 0;
}

static const char *today_text(struct req *r)
{
    char day[16];
    day_format(today_local(), day);
    return arena_strdup(r->arena, day);
}

struct find_form {
    const char *no;
    struct survey_paper_form f;
    int found;
};

static int form_find(const struct survey_paper_form *f, void *vc)
{
    struct find_form *c = vc;
    if (strcmp(f->form_no, c->no)) return 0;
    c->f = *f;
    c->found = 1;
    return 0;
}

void h_survey_paper_enter(struct req *r)
{
    static const struct jfield spec[] = {
        {"form", JT_STRING, 1, 1, 31},   {"pass", JT_INT, 1, 1, 2},
        {"unit", JT_STRING, 1, 1, 31},   {"stratum", JT_STRING, 1, 1, 159},
        {"answers", JT_OBJECT, 1, 0, 0}, {NULL, 0, 0, 0, 0},
    };
    if (req_query_check(r, NULL)) return;
    json_t *body;
    if (req_body_json(r, spec, &body)) return;
    const char *unit = jget_str(body, "unit");
    if (!auth_scope_covers(r, unit))
        return reply_error(r, 404, "not_found", "unit", "unit '%.40s' does not exist", unit);
    struct survey_round rd;
    struct survey_set set;
    if (round_open(r, &rd, &set)) return;
    /* a form number already typed for a unit outside the caller's scope is not theirs */
    struct err e = {0};
    struct find_form ff = {.no = jget_str(body, "form")};
    if (store_survey_paper_forms(req_store(r), rd.code, form_find, &ff, &e)) {
        survey_set_free(&set);
        return reply_err(r, &e);
    }
    if (ff.found && !auth_scope_covers(r, ff.f.unit)) {
        survey_set_free(&set);
        return reply_error(r, 404, "not_found", "form", "form '%.31s' belongs to another unit",
                           ff.no);
    }
    struct survey_answer_in a[256];
    int n, status = 0;
    if (answers_of(r, json_object_get(body, "answers"), a, 256, &n)) {
        survey_set_free(&set);
        return;
    }
    int rc = store_survey_paper_enter(
        req_store(r), &set, rd.code, jget_str(body, "form"), (int)jget_int(body, "pass", 0), unit,
        jget_str(body, "stratum"), a, n, r->sess->user.username, today_text(r), &status, &e);
    survey_set_free(&set);
    if (rc) return reply_err(r, &e);
    static const char *const st[] = {"waiting", "matched", "differ"};
    reply_json(
        r, 201,
        json_pack("{s:s, s:i}", "state", st[status], "pass", (int)jget_int(body, "pass", 0)));
}

void h_survey_paper_resolve(struct req *r)
{
    static const struct jfield spec[] = {
        {"values", JT_OBJECT, 1, 0, 0},
        {NULL, 0, 0, 0, 0},
    };
    if (req_query_check(r, NULL)) return;
    json_t *body;
    if (req_body_json(r, spec, &body)) return;
    struct survey_round rd;
    struct survey_set set;
    if (round_open(r, &rd, &set)) return;
    struct err e = {0};
    struct find_form ff = {.no = req_param(r, "form")};
    int rc = store_survey_paper_forms(req_store(r), rd.code, form_find, &ff, &e);
    if (rc) {
        survey_set_free(&set);
        return reply_err(r, &e);
    }
    if (!ff.found || !auth_scope_covers(r, ff.f.unit)) {
        survey_set_free(&set);
        return reply_error(r, 404, "not_found", "form", "form '%.31s' was not entered in round %s",
                           ff.no, rd.code);
    }
    struct survey_answer_in v[258];
    int n;
    if (answers_of(r, json_object_get(body, "values"), v, 258, &n)) {
        survey_set_free(&set);
        return;
    }
    for (int i = 0; i < n; i++)
        if (!strcmp(v[i].question, "unit") && !auth_scope_covers(r, v[i].value)) {
            survey_set_free(&set);
            return reply_error(r, 404, "not_found", "unit", "unit '%.40s' does not exist",
                               v[i].value);
        }
    rc = store_survey_paper_resolve(req_store(r), &set, rd.code, ff.no, v, n,
                                    r->sess->user.username, today_text(r), &e);
    survey_set_free(&set);
    if (rc) return reply_err(r, &e);
    reply_json(r, 201, json_pack("{s:s, s:s}", "form", ff.no, "state", "resolved"));
}

/* ---- into the PAR index ---------------------------------------------------------------------- */

void h_survey_to_par(struct req *r)
{
    static const struct jfield spec[] = {
        {"par_round", JT_STRING, 1, 1, 63},
        {"map", JT_OBJECT, 1, 0, 0},
        {NULL, 0, 0, 0, 0},
    };
    if (req_query_check(r, NULL)) return;
    json_t *body;
    if (req_body_json(r, spec, &body)) return;
    struct survey_round rd;
    struct survey_set set;
    if (round_open(r, &rd, &set)) return;
    const char *par[64], *node[64], *k;
    int n = 0;
    json_t *v;
    json_object_foreach(json_object_get(body, "map"), k, v)
    {
        if (!json_is_string(v) || n == 64) {
            survey_set_free(&set);
            return reply_error(r, 400, "invalid", k,
                               "%.40s: a survey component or criterion code, or \"index\"", k);
        }
        par[n] = k;
        node[n++] = json_string_value(v);
    }
    struct err e = {0};
    int rows;
    const char *pr = jget_str(body, "par_round");
    int rc = store_survey_to_par(req_store(r), &set, rd.code, pr, par, node, n,
                                 r->sess->user.username, now_local_minutes(), &rows, &e);
    survey_set_free(&set);
    if (rc) return reply_err(r, &e);
    reply_json(r, 200,
               json_pack("{s:s, s:s, s:i}", "round", rd.code, "par_round", pr, "rows", rows));
}

/* ---- the published results as a file --------------------------------------------------------- */

void h_survey_export(struct req *r)
{
    static const char *const allowed[] = {"format", NULL};
    if (req_query_check(r, allowed)) return;
    struct err e = {0};
    enum rformat fmt = RF_XLSX;
    const char *fs = req_query(r, "format");
    if (fs && rformat_parse(fs, &fmt, &e)) return reply_err(r, &e);
    struct survey_round rd;
    struct survey_set set;
    if (round_open(r, &rd, &set)) return;
    /* every writer writes a file (libxlsxwriter and cairo need one): a private temporary one,
     * read back and removed */
    char path[512];
    char *data = NULL;
    size_t len = 0;
    int rc = 0;
    if (download_temp_path(path, sizeof path)) {
        survey_set_free(&set);
        err_set(&e, ERR_IO, "", "cannot create a temporary file: %s", strerror(errno));
        return reply_err(r, &e);
    }
    rc =
        survey_report_write(req_store(r), config_data_dir(req_config(r)), &set, &rd, fmt, path, &e);
    survey_set_free(&set);
    if (!rc && !(data = download_slurp(path, &len)))
        rc = err_set(&e, ERR_IO, "", "cannot read back the report");
    unlink(path);
    if (rc) {
        free(data);
        return reply_err(r, &e);
    }
    static const char *const mime[] = {
        "application/json", "text/csv; charset=utf-8",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/pdf"};
    static const char *const ext[] = {"json", "csv", "xlsx", "pdf"};
    reply_download(r, mime[fmt], arena_printf(r->arena, "khao-sat-%s.%s", rd.code, ext[fmt]), data,
                   len);
    free(data);
}
