/* par.c — the PAR index (Chỉ số CCHC) over HTTP: the assessment rounds, a round's results, a
 * unit officer's self-assessment of a unit in their scope, the appraisal council's re-score,
 * and publication by an administrator whose scope covers every unit of the round. A unit
 * outside the user's scope does not exist (404); a write the round's phase refuses, and every
 * write to a published round, is 409 and changes nothing (src/store/sqlite_par.c). Before
 * publication, users other than assessors and administrators see only their scope's units in
 * the results. Points travel as decimal strings ("3.5"), never as floats, on the way in. */
#include <stdio.h>
#include <string.h>

#include "http.h"
#include "par_io.h"
#include "store.h"

static json_t *round_json(const struct par_round *p)
{
    json_t *o =
        json_pack("{s:o, s:o, s:i, s:o, s:o, s:s, s:s, s:i, s:o, s:o}", "code", jstr(p->code),
                  "title", jstr(p->title), "year", p->year, "set", jstr(p->set_code), "set_version",
                  jstr(p->set_version), "phase", par_phase_name(p->phase), "phase_label",
                  par_phase_label(p->phase), "units", p->nunits, "period_from",
                  jday(p->period_from), "period_to", jday(p->period_to));
    json_t *closed = json_object();
    for (int k = 0; o && closed && k < PAR_PHASE_PUBLISHED; k++)
        if (p->closed_at[k])
            json_object_set_new(closed, par_phase_name(k),
                                json_pack("{s:o, s:o}", "at", jinstant(p->closed_at[k]), "by",
                                          jstr(p->closed_by[k])));
    if (o) json_object_set_new(o, "closed", closed);
    return o;
}

static int round_item(const struct par_round *p, void *ctx)
{
    return json_array_append_new(ctx, round_json(p)) ? ERR_NOMEM : 0;
}

void h_par_rounds(struct req *r)
{
    if (req_query_check(r, NULL)) return;
    json_t *list = json_array();
    struct err e = {0};
    int rc = store_par_round_list(req_store(r), round_item, list, &e);
    if (rc) {
        json_decref(list);
        if (rc == ERR_NOMEM) err_set(&e, ERR_NOMEM, "", "out of memory");
        return reply_err(r, &e);
    }
    reply_json(r, 200, json_pack("{s:o}", "rounds", list));
}

static int sees_all(const struct req *r)
{
    enum user_role role = r->sess->user.role;
    return role == UROLE_PAR_ASSESSOR || role == UROLE_ADMIN;
}

/* Keeps the entries of array key in results whose "unit" is in the user's scope. */
static void keep_scope(struct req *r, json_t *results, const char *key)
{
    json_t *arr = json_object_get(results, key);
    for (size_t i = json_array_size(arr); i-- > 0;) {
        const char *unit = json_string_value(json_object_get(json_array_get(arr, i), "unit"));
        if (!unit || !auth_scope_covers(r, unit)) json_array_remove(arr, i);
    }
}

void h_par_results(struct req *r)
{
    static const char *const allowed[] = {"previous", NULL};
    if (req_query_check(r, allowed)) return;
    struct par_round_results res;
    struct err e = {0};
    if (store_par_results(req_store(r), req_param(r, "round"), req_query(r, "previous"), &res, &e))
        return reply_err(r, &e);
    json_t *results = par_io_results_json(res.res, res.previous[0] != 0, res.ntargets > 0);
    int partial = res.round.phase != PAR_PHASE_PUBLISHED && !sees_all(r);
    if (results && partial) {
        keep_scope(r, results, "units");
        keep_scope(r, results, "missing");
    }
    json_t *body =
        results ? json_pack("{s:o, s:o, s:b, s:o}", "round", round_json(&res.round), "previous",
                            jstr_or_null(res.previous), "scope_only", partial, "results", results)
                : NULL;
    store_par_results_free(&res);
    reply_json(r, 200, body);
}

/* The unit of the path, if it lies in the user's scope; else 404 (replied) and NULL. */
static const char *scoped_unit(struct req *r)
{
    const char *unit = req_param(r, "unit");
    if (auth_scope_covers(r, unit)) return unit;
    reply_error(r, 404, "not_found", "unit", "unit '%.40s' does not exist", unit);
    return NULL;
}

struct cell_pick {
    const char *node;
    struct par_cell cell;
};

static int cell_of(const struct par_cell *c, void *ctx)
{
    struct cell_pick *p = ctx;
    if (!strcmp(c->node, p->node)) p->cell = *c;
    return 0;
}

static json_t *pts_json(par_pts v)
{
    char b[32];
    return v == PAR_NONE ? json_null() : json_string(par_pts_format(v, 2, b));
}

static void score(struct req *r, enum par_kind kind)
{
    static const struct jfield spec[] = {
        {"node", JT_STRING, 1, 1, PAR_CODE_MAX - 1},
        {"points", JT_STRING, 1, 1, 32},
        {"comment", JT_STRING, 0, 0, 399},
        {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    if (req_query_check(r, NULL) || req_body_json(r, spec, &body)) return;
    const char *unit = scoped_unit(r);
    if (!unit) return;
    struct par_score_in in = {.round = req_param(r, "round"),
                              .unit = unit,
                              .node = jget_str(body, "node"),
                              .kind = kind,
                              .comment = jget_str(body, "comment"),
                              .actor = r->sess->user.username,
                              .at = now_local_minutes()};
    struct err e = {0};
    if (par_decimal_parse(jget_str(body, "points"), PAR_DEC_MAX, 0, &in.points, "points", &e) ||
        store_par_score_put(req_store(r), &in, &e))
        return reply_err(r, &e);
    struct cell_pick p = {in.node, {.self = PAR_NONE, .appraised = PAR_NONE, .survey = PAR_NONE}};
    if (store_par_cells(req_store(r), in.round, unit, cell_of, &p, &e)) return reply_err(r, &e);
    reply_json(r, 200,
               json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "round", in.round, "unit",
                         unit, "node", in.node, "self", pts_json(p.cell.self), "appraised",
                         pts_json(p.cell.appraised), "survey", pts_json(p.cell.survey),
                         "self_comment", jstr(p.cell.self_comment), "appraisal_comment",
                         jstr(p.cell.appraisal_comment)));
}

void h_par_self(struct req *r)
{
    score(r, PAR_SELF);
}

void h_par_appraise(struct req *r)
{
    score(r, PAR_APPRAISED);
}

struct cover {
    struct req *r;
    char outside[UNIT_CODE_MAX];
};

static int covered(const struct unit *u, void *ctx)
{
    struct cover *c = ctx;
    if (auth_scope_covers(c->r, u->code)) return 0;
    snprintf(c->outside, sizeof c->outside, "%s", u->code);
    return 1;
}

void h_par_publish(struct req *r)
{
    static const struct jfield spec[] = {{NULL, 0, 0, 0, 0}};
    json_t *body;
    if (req_query_check(r, NULL) || req_body_json_opt(r, spec, &body)) return;
    const char *round = req_param(r, "round");
    struct cover c = {r, ""};
    struct err e = {0};
    int rc = store_par_round_units(req_store(r), round, covered, &c, &e);
    if (rc && !c.outside[0]) return reply_err(r, &e);
    if (c.outside[0]) {
        reply_error(r, 403, "forbidden", "round",
                    "round '%.40s' assesses unit '%s', outside your scope: only an administrator "
                    "of all its units publishes it",
                    round, c.outside);
        return;
    }
    struct par_round p;
    if (store_par_round_publish(req_store(r), round, r->sess->user.username, now_local_minutes(),
                                &p, &e))
        return reply_err(r, &e);
    reply_json(r, 200, round_json(&p));
}
