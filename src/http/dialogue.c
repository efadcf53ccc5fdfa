/* dialogue.c — a unit's periodic dialogues (đối thoại) with citizens and businesses over HTTP,
 * and the follow-up of the commitments made there (src/core/dialogue.h; the CLI is
 * `cchc dialogue`). Officers read the commitments of their scope; leaders, specialists and
 * administrators record a dialogue of a unit in their scope, its commitments (owner, due day)
 * and close them with what was done. A unit, dialogue or commitment outside the caller's scope
 * does not exist (404). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "dialogue.h"
#include "http.h"
#include "store.h"
#include "store_dialogue.h"

static int64_t today_day(void)
{
    return now_local_minutes() / 1440;
}

/* A day field ("YYYY-MM-DD"); def when absent. Replies and returns -1 on a bad one. */
static int day_field(struct req *r, json_t *body, const char *name, int64_t def, int64_t *out)
{
    const char *s = jget_str(body, name);
    if (!s) {
        *out = def;
        return 0;
    }
    struct ymd d;
    struct err e = {0};
    if (ymd_parse(s, &d, name, &e)) return reply_err(r, &e), -1;
    *out = ymd_to_days(d);
    return 0;
}

/* The path's {id} as a positive number, else 404 (replied) and -1. */
static int path_id(struct req *r, const char *what, int64_t *out)
{
    const char *s = req_param(r, "id");
    char *end = NULL;
    long long v = s ? strtoll(s, &end, 10) : 0;
    if (!s || !*s || *end || v <= 0) {
        reply_error(r, 404, "not_found", what, "%s '%.20s' does not exist", what, s ? s : "");
        return -1;
    }
    *out = v;
    return 0;
}

static json_t *dialogue_json(const struct dialogue *d)
{
    return json_pack("{s:I, s:s, s:o, s:s, s:s, s:s}", "id", (json_int_t)d->id, "unit", d->unit,
                     "day", jday(d->day), "title", d->title, "participants", d->participants,
                     "questions", d->questions);
}

static json_t *commitment_json(const struct dialogue *d, const struct commitment *c, int64_t today)
{
    return json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:s, s:o}", "id", (json_int_t)c->id, "text",
                     c->text, "owner", c->owner, "due", jday(c->due_day), "closed",
                     c->closed_day ? jday(c->closed_day) : json_null(), "result",
                     c->closed_day ? json_string(c->result) : json_null(), "outcome",
                     commitment_outcome_name(commitment_outcome_at(c, today)), "dialogue",
                     dialogue_json(d));
}

struct list_ctx {
    json_t *list;
    int64_t today;
};

static int list_fn(const struct dialogue *d, const struct commitment *c, void *vctx)
{
    struct list_ctx *x = vctx;
    json_t *o = commitment_json(d, c, x->today);
    return !o || json_array_append_new(x->list, o) ? ERR_NOMEM : 0;
}

/* GET /api/commitments?unit=&open=1: the commitments of the unit's scope (default the caller's
 * unit), by due day, with their dialogue and outcome today. */
void h_commitments_list(struct req *r)
{
    static const char *const allowed[] = {"unit", "open", NULL};
    if (req_query_check(r, allowed)) return;
    const char *unit = req_query(r, "unit"), *open = req_query(r, "open");
    if (unit ? !auth_scope_covers(r, unit) : !auth_scope_root_valid(r))
        return reply_error(r, 404, "not_found", "unit", "unit '%.40s' does not exist",
                           unit ? unit : r->sess->user.unit);
    if (open && strcmp(open, "0") && strcmp(open, "1"))
        return reply_error(r, 400, "invalid", "open", "open '%.20s': must be 0 or 1", open);
    struct list_ctx x = {json_array(), today_day()};
    struct err e = {0};
    int rc = store_commitments(req_store(r), unit ? unit : r->sess->user.unit, x.today,
                               open && !strcmp(open, "1"), list_fn, &x, &e);
    if (rc) {
        json_decref(x.list);
        if (rc == ERR_NOMEM) err_set(&e, ERR_NOMEM, "", "out of memory");
        return reply_err(r, &e);
    }
    reply_json(r, 200, json_pack("{s:o, s:o}", "today", jday(x.today), "commitments", x.list));
}

/* POST /api/dialogues: a dialogue held by a unit of the caller's scope. */
void h_dialogue_add(struct req *r)
{
    static const struct jfield spec[] = {{"unit", JT_STRING, 1, 1, DIALOGUE_UNIT_MAX - 1},
                                         {"day", JT_STRING, 1, 1, 10},
                                         {"title", JT_STRING, 1, 1, DIALOGUE_TITLE_MAX - 1},
                                         {"participants", JT_STRING, 0, 0, DIALOGUE_TEXT_MAX - 1},
                                         {"questions", JT_STRING, 0, 0, DIALOGUE_TEXT_MAX - 1},
                                         {NULL, 0, 0, 0, 0}};
    json_t *body;
    if (req_query_check(r, NULL) || req_body_json(r, spec, &body)) return;
    const char *unit = jget_str(body, "unit");
    if (!auth_scope_covers(r, unit))
        return reply_error(r, 404, "not_found", "unit", "unit '%.40s' does not exist", unit);
    struct dialogue *d = calloc(1, sizeof *d);
    if (!d) return reply_error(r, 500, "internal", NULL, "out of memory");
    snprintf(d->unit, sizeof d->unit, "%s", unit);
    snprintf(d->title, sizeof d->title, "%s", jget_str(body, "title"));
    const char *p = jget_str(body, "participants"), *q = jget_str(body, "questions");
    snprintf(d->participants, sizeof d->participants, "%s", p ? p : "");
    snprintf(d->questions, sizeof d->questions, "%s", q ? q : "");
    struct err e = {0};
    if (!day_field(r, body, "day", 0, &d->day)) {
        if (d->day > today_day())
            reply_error(r, 400, "invalid", "day", "day %s: a dialogue is recorded once held",
                        jget_str(body, "day"));
        else if (store_dialogue_add(req_store(r), d, &e))
            reply_err(r, &e);
        else
            reply_json(r, 201, dialogue_json(d));
    }
    free(d);
}

/* POST /api/dialogues/{id}/commitments: an answer or promise made at the dialogue. */
void h_commitment_add(struct req *r)
{
    static const struct jfield spec[] = {{"text", JT_STRING, 1, 1, DIALOGUE_TEXT_MAX - 1},
                                         {"owner", JT_STRING, 1, 1, DIALOGUE_OWNER_MAX - 1},
                                         {"due", JT_STRING, 1, 1, 10},
                                         {NULL, 0, 0, 0, 0}};
    json_t *body;
    int64_t id;
    if (req_query_check(r, NULL) || path_id(r, "dialogue", &id) || req_body_json(r, spec, &body))
        return;
    struct dialogue *d = calloc(1, sizeof *d);
    struct commitment *c = calloc(1, sizeof *c);
    struct err e = {0};
    if (!d || !c) {
        reply_error(r, 500, "internal", NULL, "out of memory");
    } else if (store_dialogue_get(req_store(r), id, d, &e) || !auth_scope_covers(r, d->unit)) {
        reply_error(r, 404, "not_found", "dialogue", "dialogue %lld does not exist", (long long)id);
    } else if (!day_field(r, body, "due", 0, &c->due_day)) {
        c->dialogue_id = id;
        snprintf(c->text, sizeof c->text, "%s", jget_str(body, "text"));
        snprintf(c->owner, sizeof c->owner, "%s", jget_str(body, "owner"));
        if (store_commitment_add(req_store(r), c, &e))
            reply_err(r, &e);
        else
            reply_json(r, 201, commitment_json(d, c, today_day()));
    }
    free(d);
    free(c);
}

/* POST /api/commitments/{id}/close: what was done, on a day (default today). */
void h_commitment_close(struct req *r)
{
    static const struct jfield spec[] = {{"result", JT_STRING, 1, 1, DIALOGUE_TEXT_MAX - 1},
                                         {"day", JT_STRING, 0, 1, 10},
                                         {NULL, 0, 0, 0, 0}};
    json_t *body;
    int64_t id, day;
    if (req_query_check(r, NULL) || path_id(r, "commitment", &id) || req_body_json(r, spec, &body))
        return;
    struct dialogue *d = calloc(1, sizeof *d);
    struct commitment *c = calloc(1, sizeof *c);
    struct err e = {0};
    int64_t today = today_day();
    if (!d || !c) {
        reply_error(r, 500, "internal", NULL, "out of memory");
    } else if (store_commitment_get(req_store(r), id, c, d, &e) || !auth_scope_covers(r, d->unit)) {
        reply_error(r, 404, "not_found", "commitment", "commitment %lld does not exist",
                    (long long)id);
    } else if (!day_field(r, body, "day", today, &day)) {
        if (day > today)
            reply_error(r, 400, "invalid", "day", "day %s: not after today", jget_str(body, "day"));
        else if (store_commitment_close(req_store(r), id, day, jget_str(body, "result"), &e))
            reply_err(r, &e);
        else if (store_commitment_get(req_store(r), id, c, d, &e))
            reply_err(r, &e);
        else
            reply_json(r, 200, commitment_json(d, c, today));
    }
    free(d);
    free(c);
}
