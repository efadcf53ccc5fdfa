/* initiative.c — the API of CCHC initiatives and models (sáng kiến, mô hình mới; issue 15):
 * the registry with filters, a unit's proposal, the council's evaluation, recognition,
 * withdrawal and resubmission, the units applying it, evidence files in the PAR evidence
 * store, and the count PAR sets score with the initiatives behind it. Scope: an initiative is
 * visible to users whose scope covers its proposing unit, its evaluating unit or a unit
 * applying it, and to every officer once recognised (recognised models are there to be
 * replicated); elsewhere it does not exist (404). The council's acts need the evaluating
 * unit in scope, withdrawal the proposing unit, applying the applying unit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "date.h"
#include "http.h"
#include "store_initiative.h"

static json_t *day_or_null(int64_t d)
{
    return d ? jday(d) : json_null();
}

/* The area's title from the set (loaded once per request for a run of the same set). */
struct area_titles {
    struct par_set *set;
    char code[PAR_CODE_MAX];
};

static const char *area_title(struct req *r, struct area_titles *t, const struct initiative *i)
{
    if (!t->set || strcmp(t->code, i->set_code)) {
        par_set_free(t->set);
        t->set = NULL;
        struct err e = {0};
        if (store_par_set_load(req_store(r), i->set_code, &t->set, &e)) return NULL;
        snprintf(t->code, sizeof t->code, "%s", i->set_code);
    }
    int k = par_set_find(t->set, i->area);
    return k >= 0 ? t->set->node[k].title : NULL;
}

static json_t *init_json(struct req *r, struct area_titles *t, const struct initiative *i)
{
    json_t *o = json_pack(
        "{s:I, s:s, s:s, s:i, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:o, s:o, s:o, s:o, "
        "s:o, s:o, s:o, s:i}",
        "id", (json_int_t)i->id, "unit", i->unit, "evaluator", i->evaluator, "year", i->year, "set",
        i->set_code, "area", i->area, "area_title", jstr_or_null(area_title(r, t, i)), "title",
        jstr(i->title), "description", jstr(i->description), "authors", jstr(i->authors), "effect",
        jstr(i->effect), "proposed", jday(i->proposed_day), "status", init_status_name(i->status),
        "score", i->score >= 0 ? json_integer(i->score) : json_null(), "opinion", jstr(i->opinion),
        "evaluated", day_or_null(i->evaluated_day), "reason", jstr(i->reason), "decision_no",
        i->decision_no[0] ? jstr(i->decision_no) : json_null(), "decision_day",
        day_or_null(i->decision_day), "level",
        i->level >= 0 ? json_string(init_level_name((enum init_level)i->level)) : json_null(),
        "applied", i->napplied);
    return o;
}

static int parse_year(struct req *r, const char *s, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s < '0' || *s > '9' || *end || v < 2000 || v > 2100) {
        reply_error(r, 400, "invalid", "year", "field 'year' must be from 2000 to 2100");
        return -1;
    }
    *out = (int)v;
    return 0;
}

struct applier_scope {
    struct req *r;
    int hit;
};

static int applier_in_scope(const struct init_unit *u, void *ctx)
{
    struct applier_scope *x = ctx;
    if (auth_scope_covers(x->r, u->unit)) x->hit = 1;
    return 0;
}

/* Loads the initiative of the path if the caller may see it; replies and returns -1 if not. */
static int load_init(struct req *r, struct initiative *i)
{
    int64_t id;
    if (req_id(r, req_param(r, "initiative"), "initiative", &id)) return -1;
    struct err e = {0};
    int rc = store_init_get(req_store(r), id, i, &e);
    if (rc && rc != ERR_NOT_FOUND) {
        reply_err(r, &e);
        return -1;
    }
    int see = !rc && (auth_scope_covers(r, i->unit) || auth_scope_covers(r, i->evaluator) ||
                      i->status == INS_RECOGNIZED);
    if (!rc && !see && i->napplied) {
        struct applier_scope x = {r, 0};
        if (store_init_units(req_store(r), id, applier_in_scope, &x, &e)) {
            reply_err(r, &e);
            return -1;
        }
        see = x.hit;
    }
    if (!see) {
        reply_error(r, 404, "not_found", "initiative", "initiative #%lld does not exist",
                    (long long)id);
        return -1;
    }
    return 0;
}

/* 403 (replied) unless unit is in the caller's scope: the caller sees the initiative but may
 * not act for that unit. */
static int must_cover(struct req *r, const char *unit, const char *who)
{
    if (auth_scope_covers(r, unit)) return 0;
    reply_error(r, 403, "forbidden", who, "only officers of unit '%s' may do this", unit);
    return -1;
}

/* ---- the registry ------------------------------------------------------------------------ */

struct list_out {
    struct req *r;
    struct area_titles t;
    json_t *list;
};

static int list_item(const struct initiative *i, void *ctx)
{
    struct list_out *x = ctx;
    return json_array_append_new(x->list, init_json(x->r, &x->t, i)) ? ERR_NOMEM : 0;
}

static json_t *areas_json(struct par_set *set)
{
    json_t *areas = json_array();
    for (int a = 0; set && a < set->nareas; a++) {
        const struct par_node *n = &set->node[set->areas[a]];
        json_array_append_new(areas,
                              json_pack("{s:s, s:o}", "code", n->code, "title", jstr(n->title)));
    }
    return areas;
}

void h_initiatives(struct req *r)
{
    static const char *const allowed[] = {"unit", "year", "status", NULL};
    if (req_query_check(r, allowed)) return;
    const char *unit = req_scope_unit(r);
    if (!unit) return;
    struct init_filter f = {.scope = unit, .status = -1, .recognized = 1};
    if (req_query(r, "year") && parse_year(r, req_query(r, "year"), &f.year)) return;
    struct err e = {0};
    const char *status = req_query(r, "status");
    if (status) {
        enum init_status st;
        if (init_status_parse(status, &st, "status", &e)) return reply_err(r, &e);
        f.status = (int)st;
    }
    struct list_out x = {r, {0}, json_array()};
    int rc = store_init_list(req_store(r), &f, list_item, &x, &e);
    par_set_free(x.t.set);
    if (rc) {
        json_decref(x.list);
        if (rc == ERR_NOMEM) err_set(&e, ERR_NOMEM, "", "out of memory");
        return reply_err(r, &e);
    }
    /* the areas a proposal of this unit takes this year (the set in force), for the form */
    struct par_set *set = NULL;
    struct err e2 = {0};
    int year = f.year ? f.year : days_to_ymd(today_local()).y;
    store_init_set(req_store(r), unit, NULL, year, &set, &e2);
    json_t *areas = areas_json(set);
    par_set_free(set);
    reply_json(r, 200,
               json_pack("{s:s, s:o, s:o}", "unit", unit, "areas", areas, "initiatives", x.list));
}

void h_initiative_create(struct req *r)
{
    static const struct jfield spec[] = {
        {"unit", JT_STRING, 1, 1, UNIT_CODE_MAX - 1},
        {"evaluator", JT_STRING, 1, 1, UNIT_CODE_MAX - 1},
        {"set", JT_STRING, 0, 1, PAR_CODE_MAX - 1},
        {"area", JT_STRING, 1, 1, PAR_CODE_MAX - 1},
        {"title", JT_STRING, 1, 1, INIT_TITLE_MAX - 1},
        {"description", JT_STRING, 1, 1, INIT_TEXT_MAX - 1},
        {"authors", JT_STRING, 1, 1, INIT_AUTHORS_MAX - 1},
        {"effect", JT_STRING, 0, 0, INIT_TEXT_MAX - 1},
        {"proposed", JT_STRING, 0, 10, 10},
        {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    if (req_query_check(r, NULL) || req_body_json(r, spec, &body)) return;
    const char *unit = jget_str(body, "unit");
    if (!auth_scope_covers(r, unit))
        return reply_error(r, 404, "not_found", "unit", "unit '%.40s' does not exist", unit);
    struct initiative_in in = {.unit = unit,
                               .evaluator = jget_str(body, "evaluator"),
                               .set = jget_str(body, "set"),
                               .area = jget_str(body, "area"),
                               .title = jget_str(body, "title"),
                               .description = jget_str(body, "description"),
                               .authors = jget_str(body, "authors"),
                               .effect = jget_str(body, "effect"),
                               .proposed_day = today_local(),
                               .actor = r->sess->user.username,
                               .at = now_local_minutes()};
    if (jget_str(body, "proposed") &&
        req_day(r, jget_str(body, "proposed"), "proposed", &in.proposed_day))
        return;
    if (in.proposed_day > today_local())
        return reply_error(r, 400, "invalid", "proposed", "proposed: must not be after today");
    struct initiative i;
    struct err e = {0};
    if (store_init_create(req_store(r), &in, &i, &e)) return reply_err(r, &e);
    struct area_titles t = {0};
    json_t *o = init_json(r, &t, &i);
    par_set_free(t.set);
    reply_json(r, 201, o);
}

static int unit_item(const struct init_unit *u, void *ctx)
{
    json_t *o =
        json_pack("{s:s, s:o, s:o, s:o, s:s}", "unit", u->unit, "from", jday(u->from_day), "result",
                  jstr(u->result), "added_at", jinstant(u->added_at), "added_by", u->added_by);
    return json_array_append_new(ctx, o) ? ERR_NOMEM : 0;
}

static int event_item(const struct init_event *ev, void *ctx)
{
    json_t *o = json_pack("{s:o, s:s, s:s, s:o, s:s, s:o}", "at", jinstant(ev->at), "actor",
                          ev->actor, "action", ev->action, "from", jstr_or_null(ev->from), "to",
                          ev->to, "note", jstr(ev->note));
    return json_array_append_new(ctx, o) ? ERR_NOMEM : 0;
}

static json_t *evidence_json(const struct init_evidence *ev)
{
    char url[96];
    snprintf(url, sizeof url, "/api/reform/initiatives/%lld/evidence/%lld",
             (long long)ev->initiative_id, (long long)ev->id);
    return json_pack("{s:I, s:o, s:s, s:I, s:s, s:o, s:s, s:s}", "id", (json_int_t)ev->id, "name",
                     jstr(ev->name), "type", ev->mime, "size", (json_int_t)ev->size, "sha256",
                     ev->sha256, "added_at", jinstant(ev->added_at), "added_by", ev->added_by,
                     "url", url);
}

static int evidence_item(const struct init_evidence *ev, void *ctx)
{
    return json_array_append_new(ctx, evidence_json(ev)) ? ERR_NOMEM : 0;
}

/* The initiative with its applying units, evidence and history, and what the caller may do. */
static void reply_full(struct req *r, int status, const struct initiative *i)
{
    json_t *units = json_array(), *hist = json_array(), *ev = json_array();
    struct err e = {0};
    int rc = store_init_units(req_store(r), i->id, unit_item, units, &e);
    if (!rc) rc = store_init_history(req_store(r), i->id, event_item, hist, &e);
    if (!rc) rc = store_init_evidence_list(req_store(r), i->id, evidence_item, ev, &e);
    if (rc) {
        json_decref(units);
        json_decref(hist);
        json_decref(ev);
        if (rc == ERR_NOMEM) err_set(&e, ERR_NOMEM, "", "out of memory");
        return reply_err(r, &e);
    }
    struct area_titles t = {0};
    json_t *o = init_json(r, &t, i);
    par_set_free(t.set);
    enum user_role role = r->sess->user.role;
    int writer = role == UROLE_SPECIALIST || role == UROLE_LEADER || role == UROLE_ADMIN;
    int council =
        (role == UROLE_LEADER || role == UROLE_ADMIN) && auth_scope_covers(r, i->evaluator);
    int proposer = writer && auth_scope_covers(r, i->unit);
    json_object_set_new(o, "units", units);
    json_object_set_new(o, "history", hist);
    json_object_set_new(o, "evidence", ev);
    json_object_set_new(
        o, "may",
        json_pack("{s:b, s:b, s:b, s:b, s:b, s:b}", "evaluate",
                  council && (i->status == INS_PROPOSED || i->status == INS_ACCEPTED), "recognize",
                  council && i->status == INS_ACCEPTED, "withdraw",
                  proposer && (i->status == INS_PROPOSED || i->status == INS_ACCEPTED), "resubmit",
                  proposer && i->status == INS_REJECTED, "apply",
                  writer && i->status != INS_REJECTED && i->status != INS_WITHDRAWN, "evidence",
                  writer && (auth_scope_covers(r, i->unit) || auth_scope_covers(r, i->evaluator))));
    reply_json(r, status, o);
}

void h_initiative_get(struct req *r)
{
    if (req_query_check(r, NULL)) return;
    struct initiative i;
    if (load_init(r, &i)) return;
    reply_full(r, 200, &i);
}

/* ---- the council, the decision, the proposer ---------------------------------------------- */

static void act(struct req *r, const struct initiative *i, enum init_action a,
                const struct init_args *args)
{
    struct initiative out;
    struct err e = {0};
    if (store_init_act(req_store(r), i->id, a, args, r->sess->user.username, now_local_minutes(),
                       &out, &e))
        return reply_err(r, &e);
    reply_full(r, 200, &out);
}

void h_initiative_evaluate(struct req *r)
{
    static const struct jfield spec[] = {
        {"result", JT_STRING, 1, 1, 16},
        {"score", JT_INT, 0, 0, INIT_SCORE_MAX},
        {"opinion", JT_STRING, 0, 0, INIT_TEXT_MAX - 1},
        {"reason", JT_STRING, 0, 0, INIT_TEXT_MAX - 1},
        {"day", JT_STRING, 0, 10, 10},
        {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    if (req_query_check(r, NULL) || req_body_json(r, spec, &body)) return;
    struct initiative i;
    if (load_init(r, &i) || must_cover(r, i.evaluator, "evaluator")) return;
    const char *result = jget_str(body, "result");
    struct init_args args = {.score = (int)jget_int(body, "score", -1), .level = -1};
    if (jget_str(body, "day") && req_day(r, jget_str(body, "day"), "day", &args.day)) return;
    if (args.day > today_local())
        return reply_error(r, 400, "invalid", "day", "day: must not be after today");
    enum init_action a;
    if (!strcmp(result, "accepted")) {
        a = INA_ACCEPT;
        args.note = jget_str(body, "opinion");
        if (args.score < 0)
            return reply_error(r, 400, "missing_field", "score",
                               "field 'score' is required to accept an initiative");
    } else if (!strcmp(result, "rejected")) {
        a = INA_REJECT;
        args.note = jget_str(body, "reason");
    } else {
        return reply_error(r, 400, "invalid", "result",
                           "result '%.20s': the council's result is accepted or rejected", result);
    }
    act(r, &i, a, &args);
}

void h_initiative_recognize(struct req *r)
{
    static const struct jfield spec[] = {
        {"decision_no", JT_STRING, 1, 1, INIT_DECISION_MAX - 1},
        {"decision_day", JT_STRING, 1, 10, 10},
        {"level", JT_STRING, 1, 1, 16},
        {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    if (req_query_check(r, NULL) || req_body_json(r, spec, &body)) return;
    struct initiative i;
    if (load_init(r, &i) || must_cover(r, i.evaluator, "evaluator")) return;
    struct init_args args = {.score = -1, .decision_no = jget_str(body, "decision_no")};
    enum init_level l;
    struct err e = {0};
    if (init_level_parse(jget_str(body, "level"), &l, "level", &e)) return reply_err(r, &e);
    args.level = (int)l;
    if (req_day(r, jget_str(body, "decision_day"), "decision_day", &args.decision_day)) return;
    if (args.decision_day > today_local())
        return reply_error(r, 400, "invalid", "decision_day",
                           "decision_day: must not be after today");
    act(r, &i, INA_RECOGNIZE, &args);
}

void h_initiative_action(struct req *r)
{
    static const struct jfield spec[] = {
        {"note", JT_STRING, 0, 0, INIT_TEXT_MAX - 1},
        {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    if (req_query_check(r, NULL) || req_body_json_opt(r, spec, &body)) return;
    struct initiative i;
    if (load_init(r, &i) || must_cover(r, i.unit, "unit")) return;
    struct init_args args = {.score = -1, .level = -1, .note = jget_str(body, "note")};
    act(r, &i, (enum init_action)r->route->arg, &args);
}

void h_initiative_apply(struct req *r)
{
    static const struct jfield spec[] = {
        {"unit", JT_STRING, 1, 1, UNIT_CODE_MAX - 1},
        {"from", JT_STRING, 1, 10, 10},
        {"result", JT_STRING, 0, 0, INIT_TEXT_MAX - 1},
        {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    if (req_query_check(r, NULL) || req_body_json(r, spec, &body)) return;
    struct initiative i;
    if (load_init(r, &i)) return;
    const char *unit = jget_str(body, "unit");
    if (!auth_scope_covers(r, unit))
        return reply_error(r, 404, "not_found", "unit", "unit '%.40s' does not exist", unit);
    int64_t from;
    if (req_day(r, jget_str(body, "from"), "from", &from)) return;
    struct err e = {0};
    if (store_init_apply(req_store(r), i.id, unit, from, jget_str(body, "result"),
                         r->sess->user.username, now_local_minutes(), &e))
        return reply_err(r, &e);
    if (store_init_get(req_store(r), i.id, &i, &e)) return reply_err(r, &e);
    reply_full(r, 201, &i);
}

/* ---- evidence ---------------------------------------------------------------------------- */

static int base64_bytes(struct req *r, const char *b64, unsigned char **out, size_t *n)
{
    const char *comma = strncmp(b64, "data:", 5) ? NULL : strstr(b64, ";base64,");
    if (comma) b64 = comma + strlen(";base64,");
    size_t len = strlen(b64), cap = len / 4 * 3 + 3;
    *out = arena_alloc(r->arena, cap + 1);
    const char *end = NULL;
    if (!*out) {
        reply_error(r, 500, "internal", NULL, "out of memory");
        return -1;
    }
    if (sodium_base642bin(*out, cap, b64, len, " \r\n", n, &end, sodium_base64_VARIANT_ORIGINAL) !=
            0 ||
        end != b64 + len) {
        reply_error(r, 400, "invalid", "content_base64",
                    "content_base64: not base64 (standard alphabet) at byte %zu",
                    end ? (size_t)(end - b64) : (size_t)0);
        return -1;
    }
    return 0;
}

void h_initiative_evidence_add(struct req *r)
{
    static const struct jfield spec[] = {
        {"name", JT_STRING, 1, 1, PAR_EVIDENCE_NAME_MAX - 1},
        {"content_base64", JT_STRING, 1, 0, 0},
        {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    if (req_query_check(r, NULL) || req_body_json(r, spec, &body)) return;
    struct initiative i;
    if (load_init(r, &i)) return;
    if (!auth_scope_covers(r, i.unit) && must_cover(r, i.evaluator, "unit")) return;
    unsigned char *data;
    size_t size;
    if (base64_bytes(r, jget_str(body, "content_base64"), &data, &size)) return;
    struct init_evidence_in in = {.initiative_id = i.id,
                                  .name = jget_str(body, "name"),
                                  .data = data,
                                  .size = (int64_t)size,
                                  .max_size = req_config(r)->par_evidence_max,
                                  .actor = r->sess->user.username,
                                  .at = now_local_minutes()};
    struct init_evidence ev;
    struct err e = {0};
    if (store_init_evidence_add(req_store(r), &in, &ev, &e)) return reply_err(r, &e);
    reply_json(r, 201, evidence_json(&ev));
}

void h_initiative_evidence_get(struct req *r)
{
    if (req_query_check(r, NULL)) return;
    struct initiative i;
    int64_t id;
    if (load_init(r, &i) || req_id(r, req_param(r, "id"), "id", &id)) return;
    struct init_evidence ev;
    void *data = NULL;
    struct err e = {0};
    int rc = store_init_evidence_get(req_store(r), id, &ev, &data, &e);
    if (rc && rc != ERR_NOT_FOUND) return reply_err(r, &e);
    if (rc || ev.initiative_id != i.id) {
        free(data);
        return reply_error(r, 404, "not_found", "id",
                           "evidence #%lld does not belong to initiative #%lld", (long long)id,
                           (long long)i.id);
    }
    reply_header(r, "X-Content-SHA256", arena_strdup(r->arena, ev.sha256));
    reply_download(r, arena_strdup(r->arena, ev.mime), ev.name, data, (size_t)ev.size);
    free(data);
}

/* ---- the PAR count, with the initiatives behind it ---------------------------------------- */

static int count_item(const struct initiative *i, int in_num, void *ctx)
{
    struct list_out *x = ctx;
    json_t *o = init_json(x->r, &x->t, i);
    json_object_set_new(o, "in_numerator", json_boolean(in_num));
    return json_array_append_new(x->list, o) ? ERR_NOMEM : 0;
}

void h_initiative_count(struct req *r)
{
    static const char *const allowed[] = {"unit", "year", "round", NULL};
    if (req_query_check(r, allowed)) return;
    const char *unit = req_scope_unit(r);
    if (!unit) return;
    const char *round = req_query(r, "round");
    struct err e = {0};
    if (round && req_query(r, "year"))
        return reply_error(r, 400, "invalid", "round", "round: gives the period; not with year");
    int64_t from, to;
    if (round) { /* a PAR round's computed criterion: its period */
        struct par_round p;
        if (store_par_round_get(req_store(r), round, &p, &e)) return reply_err(r, &e);
        from = p.period_from;
        to = p.period_to;
    } else {
        int year = days_to_ymd(today_local()).y;
        if (req_query(r, "year") && parse_year(r, req_query(r, "year"), &year)) return;
        from = ymd_to_days((struct ymd){year, 1, 1});
        to = ymd_to_days((struct ymd){year, 12, 31});
    }
    struct list_out x = {r, {0}, json_array()};
    struct init_count c;
    int rc = store_init_count(req_store(r), unit, from, to, &c, count_item, &x, &e);
    par_set_free(x.t.set);
    if (rc) {
        json_decref(x.list);
        if (rc == ERR_NOMEM) err_set(&e, ERR_NOMEM, "", "out of memory");
        return reply_err(r, &e);
    }
    reply_json(r, 200,
               json_pack("{s:s, s:o, s:o, s:I, s:I, s:s, s:o}", "unit", unit, "from", jday(from),
                         "to", jday(to), "num", (json_int_t)c.num, "den", (json_int_t)c.den,
                         "denominator", "initiatives proposed or recognised in the period",
                         "initiatives", x.list));
}
