/* surveys.c — the survey resources (issue 19, docs/surveys.md): the rounds, results per unit
 * (officers see the units of their scope; the public page every unit, with sample sizes and
 * the below-minimum flag), the invitations of a round for officers (dossier codes of those not
 * yet answered), and the public questionnaire a one-time token opens and answers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "http.h"
#include "survey_compare.h"
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

static json_t *pct_json(double v)
{
    return v < 0 ? json_null() : json_real((double)(long long)(v * 100 + 0.5) / 100);
}

static json_t *round_json(const struct survey_round *rd)
{
    return json_pack("{s:s, s:s, s:i, s:s, s:s, s:f, s:I, s:I, s:I}", "code", rd->code, "set",
                     rd->set_code, "year", rd->year, "from", rd->from, "to", rd->to, "margin",
                     rd->margin_pm / 10.0, "invited", (json_int_t)rd->invited, "answered",
                     (json_int_t)rd->answered, "responses", (json_int_t)rd->responses);
}

static int round_add(const struct survey_round *rd, void *ctx)
{
    return json_array_append_new(ctx, round_json(rd)) ? ERR_NOMEM : 0;
}

void h_surveys_list(struct req *r)
{
    struct err e = {0};
    if (req_query_check(r, NULL)) return;
    json_t *a = json_array();
    if (store_survey_round_list(req_store(r), round_add, a, &e)) {
        json_decref(a);
        reply_err(r, &e);
        return;
    }
    reply_json(r, 200, json_pack("{s:o}", "rounds", a));
}

/* The set's components and criteria: code, level, title, parent. */
static json_t *nodes_json(const struct survey_set *set, int questions)
{
    json_t *a = json_array();
    for (int i = 0; i < set->nnodes; i++) {
        const struct survey_node *n = &set->nodes[i];
        if (n->level == SURVEY_QUESTION && !questions) continue;
        json_t *o = json_pack("{s:s, s:s, s:s, s:o, s:f}", "code", n->code, "level",
                              n->level == SURVEY_COMPONENT   ? "component"
                              : n->level == SURVEY_CRITERION ? "criterion"
                                                             : "question",
                              "title", n->text, "parent",
                              n->parent < 0 ? json_null() : json_string(set->nodes[n->parent].code),
                              "weight", n->weight / 1000.0);
        if (n->level == SURVEY_QUESTION) {
            const struct survey_scale *sc = &set->scales[n->scale];
            json_t *opts = json_array();
            for (int k = 0; k < sc->nopt; k++)
                json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", sc->opt[k].value,
                                                      "label", sc->opt[k].label, "scored",
                                                      sc->opt[k].score != SURVEY_SCORE_NA));
            json_object_set_new(o, "scale", json_string(sc->title));
            json_object_set_new(o, "options", opts);
        }
        json_array_append_new(a, o);
    }
    return a;
}

/* Results of a round: every unit (public) or the units of the caller's scope. */
static void results(struct req *r, int public)
{
    struct err e = {0};
    static const char *const allowed[] = {"previous", NULL};
    const char *code = req_param(r, "round"), *prev_code = req_query(r, "previous");
    if (req_query_check(r, allowed)) return;
    struct survey_round rd;
    struct survey_set set;
    struct survey_results res;
    if (store_survey_round_get(req_store(r), code, &rd, &e)) {
        reply_err(r, &e);
        return;
    }
    if (load_set(r, rd.set_file, &set, &e)) {
        reply_err(r, &e);
        return;
    }
    if (store_survey_results(req_store(r), &set, code, &res, &e)) {
        survey_set_free(&set);
        reply_err(r, &e);
        return;
    }
    /* the previous year's round of the same instrument, or the one asked for */
    struct survey_change ch;
    if (survey_change_load(req_store(r), config_data_dir(req_config(r)), &rd, &set, prev_code, &res,
                           &ch, &e)) {
        store_survey_results_free(&res);
        survey_set_free(&set);
        if (e.code == ERR_NOT_FOUND)
            reply_error(r, 400, "invalid", "previous", "survey round '%.40s' does not exist",
                        prev_code);
        else
            reply_err(r, &e);
        return;
    }
    json_t *units = json_array();
    for (size_t u = 0; u < res.nunits; u++) {
        if (!public && !auth_scope_covers(r, res.unit[u])) continue;
        const struct survey_unit_result *x = &res.r[u];
        struct unit un;
        struct err ue = {0};
        const char *name = store_unit_get(req_store(r), res.unit[u], &un, &ue) ? "" : un.name;
        json_t *comp = json_object();
        for (int k = 0; k < set.nnodes; k++)
            if (set.nodes[k].level != SURVEY_QUESTION &&
                (!public || set.nodes[k].level == SURVEY_COMPONENT))
                json_object_set_new(comp, set.nodes[k].code, pct_json(x->node[k]));
        json_t *o = json_pack("{s:s, s:s, s:I, s:i, s:b, s:o, s:o, s:i, s:o}", "unit", res.unit[u],
                              "name", name, "responses", (json_int_t)x->n, "min_sample",
                              set.min_sample, "below_min", x->below_min, "index",
                              pct_json(x->index), "ci", pct_json(x->index < 0 ? -1 : x->half),
                              "rank", res.rank[u], "components", comp);
        json_object_set_new(o, "previous", pct_json(ch.index[u]));
        json_object_set_new(o, "change",
                            isnan(ch.change[u]) ? json_null() : json_real(ch.change[u]));
        json_object_set_new(o, "previous_rank",
                            ch.rank[u] ? json_integer(ch.rank[u]) : json_null());
        json_object_set_new(o, "rank_change",
                            ch.has_change[u] ? json_integer(ch.rank_change[u]) : json_null());
        if (!public) {
            json_t *q = json_object();
            for (int k = 0; k < set.nquestions; k++) {
                int qi = set.questions[k];
                json_object_set_new(q, set.nodes[qi].code,
                                    json_pack("{s:o, s:I}", "value", pct_json(x->node[qi]), "n",
                                              (json_int_t)x->node_n[qi]));
            }
            json_object_set_new(o, "questions", q);
        }
        json_array_append_new(units, o);
    }
    json_t *body = json_pack("{s:o, s:s, s:s, s:s, s:o, s:o, s:o}", "round", round_json(&rd),
                             "title", set.title ? set.title : set.code, "source", set.source,
                             "kind", set.kind, "previous_round", jstr_or_null(ch.round), "nodes",
                             nodes_json(&set, !public), "units", units);
    store_survey_results_free(&res);
    survey_change_free(&ch);
    survey_set_free(&set);
    reply_json(r, 200, body);
}

void h_survey_results(struct req *r)
{
    results(r, 0);
}

void h_survey_public(struct req *r)
{
    results(r, 1);
}

struct inv_ctx {
    struct req *r;
    json_t *a;
};

static int inv_add(const struct survey_invitation *i, void *vc)
{
    struct inv_ctx *c = vc;
    if (!auth_scope_covers(c->r, i->unit)) return 0;
    return json_array_append_new(
               c->a, json_pack("{s:s, s:s, s:o, s:b}", "unit", i->unit, "stratum", i->stratum,
                               "dossier", i->answered ? json_null() : json_string(i->dossier),
                               "answered", i->answered))
               ? ERR_NOMEM
               : 0;
}

void h_survey_invitations(struct req *r)
{
    struct err e = {0};
    const char *code = req_param(r, "round");
    if (req_query_check(r, NULL)) return;
    struct survey_round rd;
    if (store_survey_round_get(req_store(r), code, &rd, &e)) {
        reply_err(r, &e);
        return;
    }
    struct inv_ctx c = {r, json_array()};
    if (store_survey_invitations(req_store(r), code, NULL, inv_add, &c, &e)) {
        json_decref(c.a);
        reply_err(r, &e);
        return;
    }
    reply_json(r, 200, json_pack("{s:o, s:o}", "round", round_json(&rd), "invitations", c.a));
}

/* ---- the public questionnaire -------------------------------------------------------------- */

static int token_open(struct req *r, struct survey_round *rd, struct survey_set *set, char unit[32],
                      int *answered)
{
    struct err e = {0};
    const char *token = req_param(r, "token");
    if (strlen(token) != SURVEY_TOKEN_LEN ||
        store_survey_token(req_store(r), token, rd, unit, answered, &e)) {
        if (e.code && e.code != ERR_NOT_FOUND)
            reply_err(r, &e);
        else
            reply_error(r, 404, "not_found", "token", "this survey link is not valid");
        return -1;
    }
    if (load_set(r, rd->set_file, set, &e)) {
        reply_err(r, &e);
        return -1;
    }
    return 0;
}

void h_survey_form(struct req *r)
{
    if (req_query_check(r, NULL)) return;
    struct survey_round rd;
    struct survey_set set;
    char unit[32];
    int answered;
    if (token_open(r, &rd, &set, unit, &answered)) return;
    struct unit un;
    struct err ue = {0};
    const char *name = store_unit_get(req_store(r), unit, &un, &ue) ? unit : un.name;
    json_t *body = json_pack("{s:s, s:s, s:s, s:b, s:s, s:o}", "round", rd.code, "title",
                             set.title ? set.title : set.code, "unit", name, "answered", answered,
                             "respondent", set.respondent, "nodes", nodes_json(&set, 1));
    survey_set_free(&set);
    reply_json(r, 200, body);
}

void h_survey_answer(struct req *r)
{
    static const struct jfield spec[] = {
        {"answers", JT_OBJECT, 1, 0, 0},
        {NULL, 0, 0, 0, 0},
    };
    if (req_query_check(r, NULL)) return;
    json_t *body;
    struct survey_round rd;
    struct survey_set set;
    char unit[32];
    int answered;
    if (token_open(r, &rd, &set, unit, &answered)) return;
    if (req_body_json(r, spec, &body)) {
        survey_set_free(&set);
        return;
    }
    json_t *ans = json_object_get(body, "answers");
    struct survey_answer_in a[256];
    int n = 0;
    const char *q;
    json_t *v;
    json_object_foreach(ans, q, v)
    {
        if (!json_is_string(v) || n == 256) {
            survey_set_free(&set);
            reply_error(r, 400, "invalid", q, "%.40s: an answer is the option's value as a string",
                        q);
            return;
        }
        a[n].question = q;
        a[n].value = json_string_value(v);
        n++;
    }
    struct err e = {0};
    char day[16];
    day_format(today_local(), day);
    int rc = store_survey_respond(req_store(r), &set, req_param(r, "token"), a, n, day, &e);
    survey_set_free(&set);
    if (rc) {
        reply_err(r, &e);
        return;
    }
    reply_json(r, 201,
               json_pack("{s:b, s:s}", "recorded", 1, "message",
                         "Cảm ơn ông/bà đã trả lời phiếu khảo sát."));
}
