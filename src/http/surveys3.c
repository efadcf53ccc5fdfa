/* surveys3.c — DDCI's businesses of a survey round (issue 19, docs/surveys.md): a unit's
 * sample drawn from its business-registration dossiers of the round's period (one invitation
 * per business), or from an uploaded CSV list of businesses (tax_code,name,contact,sector)
 * whose every problem is answered as FILE:LINE: column: rule with nothing written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "http.h"
#include "messages.h"
#include "server_int.h"
#include "store_survey.h"
#include "survey.h"
#include "survey_businesses.h"

struct tok_ctx {
    struct req *r;
    const char *base;
    json_t *list;
};

static int tok_add(const char *unit, const char *stratum, const char *who, const char *token,
                   void *vc)
{
    (void)unit;
    struct tok_ctx *c = vc;
    return json_array_append_new(
        c->list,
        json_pack("{s:o, s:o, s:s, s:s}", "stratum", jstr(stratum), "who", jstr(who), "token",
                  token, "link", arena_printf(c->r->arena, "%s/#/khao-sat/%s", c->base, token)));
}

static void problem_add(void *ctx, const char *msg)
{
    json_array_append_new(ctx, jstr(msg));
}

/* 400 as reply_error would answer it (the catalogue's message in the request's language, the
 * English text as detail), with every problem of the list beside it. */
static void reply_problems(struct req *r, const struct err *e, json_t *problems)
{
    enum msg_lang lang = msg_lang_of(req_header(r, "Accept-Language"));
    struct msg_found found;
    msg_lookup("invalid", "csv", e->msg, lang, &found);
    json_t *err = json_pack("{s:s, s:s}", "code", "invalid", "field", "csv");
    if (found.rule) json_object_set_new(err, "rule", json_string(found.rule));
    if (found.rule && lang != MSG_LANG_NONE) {
        json_object_set_new(err, "message", json_string(found.text));
        json_object_set_new(err, "detail", jstr(e->msg));
    } else
        json_object_set_new(err, "message", jstr(e->msg));
    reply_json(r, 400, json_pack("{s:o, s:o}", "error", err, "problems", problems));
    r->err_code = "invalid";
}

/* POST /api/surveys/{round}/businesses {"unit", "source": "dossiers"|"list", "csv", "file"} */
void h_survey_businesses(struct req *r)
{
    static const struct jfield spec[] = {
        {"unit", JT_STRING, 1, 1, 31},
        {"source", JT_STRING, 1, 1, 16},
        {"csv", JT_STRING, 0, 0, 4000000},
        {"file", JT_STRING, 0, 1, 80},
        {NULL, 0, 0, 0, 0},
    };
    if (req_query_check(r, NULL)) return;
    json_t *body;
    if (req_body_json(r, spec, &body)) return;
    const char *unit = jget_str(body, "unit"), *source = jget_str(body, "source");
    const char *csv = jget_str(body, "csv"), *file = jget_str(body, "file");
    int list = !strcmp(source, "list");
    if (!list && strcmp(source, "dossiers"))
        return reply_error(r, 400, "invalid", "source", "'%.16s': dossiers or list", source);
    if (list && !csv)
        return reply_error(r, 400, "invalid", "csv",
                           "a list needs the CSV text (tax_code,name,"
                           "contact,sector)");
    if (!list && csv) return reply_error(r, 400, "invalid", "csv", "a CSV belongs to source list");
    if (!auth_scope_covers(r, unit))
        return reply_error(r, 404, "not_found", "unit", "unit '%.40s' does not exist", unit);
    struct survey_business *b = NULL;
    size_t n = 0;
    struct err e = {0};
    if (list) {
        json_t *problems = json_array();
        const char *name = file ? file : "danh-sach.csv";
        if (survey_businesses_read(name, csv, strlen(csv), &b, &n, problem_add, problems, &e)) {
            if (e.code != ERR_INVALID) {
                json_decref(problems);
                return reply_err(r, &e);
            }
            return reply_problems(r, &e, problems);
        }
        json_decref(problems);
    }
    struct survey_round rd;
    struct survey_set set;
    char path[1024];
    if (store_survey_round_get(req_store(r), req_param(r, "round"), &rd, &e)) {
        free(b);
        return reply_err(r, &e);
    }
    if (strchr(rd.set_file, '/'))
        snprintf(path, sizeof path, "%s", rd.set_file);
    else
        snprintf(path, sizeof path, "%s/surveys/%s", config_data_dir(req_config(r)), rd.set_file);
    if (survey_set_load(path, &set, NULL, NULL, &e)) {
        free(b);
        return reply_err(r, &e);
    }
    struct tok_ctx c = {r, survey_base_url(r), json_array()};
    int invited = 0;
    int rc = list ? store_survey_business_import(req_store(r), &set, rd.code, unit, b, n, tok_add,
                                                 &c, &invited, &e)
                  : store_survey_business_sample(req_store(r), &set, rd.code, unit, tok_add, &c,
                                                 &invited, &e);
    survey_set_free(&set);
    free(b);
    if (rc) {
        json_decref(c.list);
        return reply_err(r, &e);
    }
    reply_json(r, 201,
               json_pack("{s:s, s:s, s:s, s:i, s:o}", "round", rd.code, "unit", unit, "source",
                         source, "invited", invited, "invitations", c.list));
}
