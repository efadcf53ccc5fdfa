/* feedback.c — feedback and petitions (phản ánh, kiến nghị) over HTTP. Public, without an
 * account: submit (contact optional; attachments as base64; submissions counted per address
 * and network), follow an item by its code, rate the answer once, search the published
 * answers. Officers: the queue of their units' items (scoped as dossiers are: another unit's
 * item does not exist for them), one item with its events, the actions of core's table
 * (FEEDBACK_ACTIONS), reply templates and the handling figures. No personal data goes into
 * the logs: the request log records paths, and follow-up codes are not personal data. */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "feedback.h"
#include "http.h"
#include "ratelimit.h"
#include "server_int.h"
#include "store.h"
#include "store_feedback.h"

/* Submissions allowed per address and per network in one window (one hour); lookups by code
 * that find nothing, per address. In this process (ratelimit.h). */
#define SUBMIT_MAX_IP     10
#define SUBMIT_MAX_NET    30
#define LOOKUP_MAX_FAILS  20
#define FEEDBACK_WINDOW_S 3600
#define FEEDBACK_FILES_IN 3

_Static_assert(FROLE_DESK == RB(UROLE_DESK_OFFICER) && FROLE_SPEC == RB(UROLE_SPECIALIST) &&
                   FROLE_LEAD == RB(UROLE_LEADER),
               "FROLE_* bits are user.h's roles, as the route table takes them");

static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct feedback_rules rules;
static int rules_ok;
static struct ratelimit *submit_ip, *submit_net, *lookup_ip;
static char data_dir[1024];

static void init_once(void)
{
    struct err e = {0};
    rules_ok = !feedback_rules_load(data_dir, &rules, &e);
    submit_ip = ratelimit_new(4096, SUBMIT_MAX_IP, FEEDBACK_WINDOW_S);
    submit_net = ratelimit_new(4096, SUBMIT_MAX_NET, FEEDBACK_WINDOW_S);
    lookup_ip = ratelimit_new(4096, LOOKUP_MAX_FAILS, FEEDBACK_WINDOW_S);
}

/* The deadline rules (loaded once from the server's data directory); replies 500 and returns
 * NULL when they cannot be read. */
static const struct feedback_rules *req_rules(struct req *r)
{
    if (!data_dir[0]) {
        snprintf(data_dir, sizeof data_dir, "%s", config_data_dir(req_config(r)));
    }
    pthread_once(&once, init_once);
    if (!rules_ok || !submit_ip || !submit_net || !lookup_ip) {
        reply_error(r, 500, "internal", NULL, "the feedback deadline rules cannot be read");
        return NULL;
    }
    return &rules;
}

static json_t *event_list(struct req *r, const char *code);

/* The item as JSON. full: for officers of its unit (contact, events); otherwise what the
 * code's holder may see (no contact). */
static json_t *item_json(struct req *r, const struct feedback_item *f, int full)
{
    int64_t now = now_local_minutes();
    json_t *o = json_pack(
        "{s:o, s:o, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:s, s:i, s:b}", "code",
        jstr(f->code), "unit", jstr(f->unit), "kind", feedback_kind_name(f->st.kind), "kind_label",
        feedback_kind_label_vi(f->st.kind), "status", feedback_status_name(f->st.status),
        "status_label", feedback_status_label_vi(f->st.status), "submitted_at",
        jinstant(f->submitted_at), "received_at", jinstant(f->st.received_at), "decide_due_at",
        jinstant(f->st.decide_due_at), "answer_due_at", jinstant(f->st.answer_due_at),
        "answered_at", jinstant(f->st.answered_at), "outcome",
        feedback_outcome_name(feedback_outcome_at(&f->st, now)), "rating", f->rating, "consent",
        f->consent);
    if (!o) return NULL;
    json_object_set_new(o, "dossier", jstr_or_null(f->dossier));
    json_object_set_new(o, "answer", jstr_or_null(f->answer));
    json_object_set_new(
        o, "can_rate",
        json_boolean((f->st.status == FS_ANSWERED || f->st.status == FS_PUBLISHED) && !f->rating));
    if (full) {
        json_object_set_new(o, "channel", jstr(feedback_channel_name(f->channel)));
        json_object_set_new(o, "officer", jstr_or_null(f->officer));
        json_object_set_new(o, "body", jstr(f->body));
        json_object_set_new(o, "contact",
                            json_pack("{s:o, s:o, s:o}", "name", jstr_or_null(f->contact.name),
                                      "phone", jstr_or_null(f->contact.phone), "email",
                                      jstr_or_null(f->contact.email)));
        json_object_set_new(o, "answered_by", jstr_or_null(f->answered_by));
        json_object_set_new(o, "forwards", json_integer(f->st.forwards));
        json_object_set_new(o, "events", event_list(r, f->code));
    }
    return o;
}

static int event_fn(const struct feedback_event *ev, void *ctx)
{
    return json_array_append_new(
        ctx, json_pack("{s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "seq", ev->seq, "at",
                       jinstant(ev->at), "actor", jstr(ev->actor), "action", jstr(ev->action),
                       "from_status", jstr_or_null(ev->from_status), "to_status",
                       jstr(ev->to_status), "from_unit", jstr_or_null(ev->from_unit), "to_unit",
                       jstr_or_null(ev->to_unit), "note", jstr_or_null(ev->note)));
}

static json_t *event_list(struct req *r, const char *code)
{
    json_t *a = json_array();
    struct err e = {0};
    if (store_feedback_events(req_store(r), code, event_fn, a, &e)) json_array_clear(a);
    return a;
}

/* ---- public: submit ---- */

struct submit_tx_ctx {
    struct req *r;
    const struct feedback_new *in;
    struct feedback_item *out;
    json_t *files;
    unsigned char **data;
    size_t *size;
};

static int submit_fn(struct store *s, void *vctx, struct err *e)
{
    struct submit_tx_ctx *x = vctx;
    int rc = store_feedback_submit(s, req_calendar(x->r), &rules, x->in, x->out, e);
    if (rc || x->out->duplicates) return rc;
    size_t i;
    json_t *f;
    json_array_foreach(x->files, i, f)
    {
        struct feedback_file ff;
        const char *name = json_string_value(json_object_get(f, "name"));
        if ((rc = store_feedback_file_add(s, x->out->code, name ? name : "", x->data[i], x->size[i],
                                          &ff, e)))
            return rc;
    }
    return 0;
}

/* Decodes files[i].content_base64 into arena memory; replies 400 and returns -1 on a bad
 * entry. */
static int decode_files(struct req *r, json_t *files, unsigned char **data, size_t *size)
{
    size_t i;
    json_t *f;
    json_array_foreach(files, i, f)
    {
        const char *name = json_string_value(json_object_get(f, "name"));
        const char *b64 = json_string_value(json_object_get(f, "content_base64"));
        if (!json_is_object(f) || !name || !b64 || json_object_size(f) != 2) {
            reply_error(r, 400, "invalid", "files",
                        "files[%zu]: expected {\"name\", \"content_base64\"}", i);
            return -1;
        }
        const char *comma = strncmp(b64, "data:", 5) ? NULL : strstr(b64, ";base64,");
        if (comma) b64 = comma + strlen(";base64,");
        size_t len = strlen(b64), cap = len / 4 * 3 + 3;
        const char *end = NULL;
        data[i] = arena_alloc(r->arena, cap + 1);
        if (!data[i] ||
            sodium_base642bin(data[i], cap, b64, len, " \r\n", &size[i], &end,
                              sodium_base64_VARIANT_ORIGINAL) ||
            end != b64 + len) {
            reply_error(r, 400, "invalid", "files", "files[%zu]: content_base64 is not base64", i);
            return -1;
        }
    }
    return 0;
}

void h_feedback_submit(struct req *r)
{
    static const struct jfield spec[] = {
        {"unit", JT_STRING, 0, 1, UNIT_CODE_MAX - 1},
        {"dossier", JT_STRING, 0, 1, DOSSIER_CODE_LEN + 6},
        {"kind", JT_STRING, 1, 1, 20},
        {"officer", JT_STRING, 0, 1, FEEDBACK_OFFICER_MAX - 1},
        {"body", JT_STRING, 1, 1, FEEDBACK_BODY_MAX},
        {"name", JT_STRING, 0, 0, FEEDBACK_NAME_MAX - 1},
        {"phone", JT_STRING, 0, 0, 24},
        {"email", JT_STRING, 0, 0, FEEDBACK_EMAIL_MAX - 1},
        {"consent", JT_BOOL, 0, 0, 0},
        {"files", JT_ARRAY, 0, 0, 0},
        {NULL, 0, 0, 0, 0},
    };
    const struct feedback_rules *rs = req_rules(r);
    if (!rs) return;
    int64_t now = now_unix();
    int retry = 0;
    char nkey[64];
    ratelimit_net_key(r->ip, nkey, sizeof nkey);
    if (ratelimit_blocked(submit_ip, r->ip, now, &retry) ||
        ratelimit_blocked(submit_net, nkey, now, &retry)) {
        reply_header(r, "Retry-After", arena_printf(r->arena, "%d", retry > 0 ? retry : 1));
        reply_error(r, 429, "rate_limited", NULL,
                    "too many feedback submissions; try again in %d seconds",
                    retry > 0 ? retry : 1);
        return;
    }
    json_t *body;
    if (req_query_check(r, NULL) || req_body_json(r, spec, &body)) return;
    struct feedback_new in;
    memset(&in, 0, sizeof in);
    struct err e = {0};
    if (feedback_kind_parse(jget_str(body, "kind"), &in.kind, &e)) return reply_err(r, &e);
    in.unit = jget_str(body, "unit");
    in.dossier = jget_str(body, "dossier");
    in.channel = in.dossier ? FC_DOSSIER : FC_WEB;
    in.officer = jget_str(body, "officer");
    in.body = jget_str(body, "body");
    snprintf(in.contact.name, sizeof in.contact.name, "%s",
             jget_str(body, "name") ? jget_str(body, "name") : "");
    snprintf(in.contact.phone, sizeof in.contact.phone, "%s",
             jget_str(body, "phone") ? jget_str(body, "phone") : "");
    applicant_phone_normalize(in.contact.phone);
    snprintf(in.contact.email, sizeof in.contact.email, "%s",
             jget_str(body, "email") ? jget_str(body, "email") : "");
    in.consent = jget_bool(body, "consent", 0);
    in.at = now_local_minutes();
    in.actor = "citizen";
    json_t *files = json_object_get(body, "files");
    /* no files: NULL, which jansson's array functions read as empty */
    size_t nf = json_array_size(files);
    if (nf > FEEDBACK_FILES_IN)
        return reply_error(r, 400, "invalid", "files", "files: at most %d", FEEDBACK_FILES_IN);
    unsigned char *data[FEEDBACK_FILES_IN];
    size_t size[FEEDBACK_FILES_IN];
    if (decode_files(r, files, data, size)) return;
    struct feedback_item *f = arena_alloc(r->arena, sizeof *f);
    if (!f) return reply_error(r, 500, "internal", NULL, "out of memory");
    struct submit_tx_ctx x = {r, &in, f, files, data, size};
    /* every submission counts, accepted or not: the limit is on volume, not on failures */
    ratelimit_fail(submit_ip, r->ip, now);
    ratelimit_fail(submit_net, nkey, now);
    if (store_tx(req_store(r), submit_fn, &x, &e)) return reply_err(r, &e);
    reply_json(r, f->duplicates ? 200 : 201,
               json_pack("{s:o, s:s, s:s, s:o, s:b}", "code", jstr(f->code), "status",
                         feedback_status_name(f->st.status), "status_label",
                         feedback_status_label_vi(f->st.status), "decide_due_at",
                         jinstant(f->st.decide_due_at), "duplicate", f->duplicates));
}

/* ---- public: follow-up, rating, published answers ---- */

/* Loads the item of the path's code for the public; counts misses per address. */
static int load_public(struct req *r, struct feedback_item *f)
{
    if (!req_rules(r)) return -1;
    int64_t now = now_unix();
    int retry = 0;
    if (ratelimit_blocked(lookup_ip, r->ip, now, &retry)) {
        reply_header(r, "Retry-After", arena_printf(r->arena, "%d", retry > 0 ? retry : 1));
        reply_error(r, 429, "rate_limited", NULL,
                    "too many failed lookups; try again in %d seconds", retry > 0 ? retry : 1);
        return -1;
    }
    struct err e = {0};
    int rc = store_feedback_get(req_store(r), req_param(r, "code"), f, &e);
    if (rc == ERR_NOT_FOUND) ratelimit_fail(lookup_ip, r->ip, now);
    if (rc) {
        reply_err(r, &e);
        return -1;
    }
    return 0;
}

void h_feedback_public_get(struct req *r)
{
    struct feedback_item *f = arena_alloc(r->arena, sizeof *f);
    if (!f) return reply_error(r, 500, "internal", NULL, "out of memory");
    if (req_query_check(r, NULL) || load_public(r, f)) return;
    reply_json(r, 200, item_json(r, f, 0));
}

void h_feedback_rate(struct req *r)
{
    static const struct jfield spec[] = {{"score", JT_INT, 1, 1, 5}, {NULL, 0, 0, 0, 0}};
    json_t *body;
    struct feedback_item *f = arena_alloc(r->arena, sizeof *f);
    if (!f) return reply_error(r, 500, "internal", NULL, "out of memory");
    if (req_query_check(r, NULL) || req_body_json(r, spec, &body) || load_public(r, f)) return;
    struct err e = {0};
    int score = (int)jget_int(body, "score", 0);
    if (store_feedback_rate(req_store(r), f->code, score, now_local_minutes(), &e))
        return reply_err(r, &e);
    reply_json(r, 201, json_pack("{s:o, s:i}", "code", jstr(f->code), "score", score));
}

static int published_fn(const struct feedback_item *f, void *ctx)
{
    return json_array_append_new(
        ctx, json_pack("{s:o, s:o, s:s, s:s, s:o, s:o, s:o, s:o}", "code", jstr(f->code), "unit",
                       jstr(f->unit), "kind", feedback_kind_name(f->st.kind), "kind_label",
                       feedback_kind_label_vi(f->st.kind), "submitted_at",
                       jinstant(f->submitted_at), "answered_at", jinstant(f->st.answered_at),
                       "body", jstr(f->body_public), "answer", jstr(f->answer_public)));
}

void h_feedback_published(struct req *r)
{
    static const char *const allowed[] = {"q", "limit", NULL};
    if (req_query_check(r, allowed)) return;
    const char *q = req_query(r, "q"), *ls = req_query(r, "limit");
    long limit = 50;
    if (ls) {
        char *end;
        limit = strtol(ls, &end, 10);
        if (*end || limit < 1 || limit > 200)
            return reply_error(r, 400, "invalid", "limit", "limit '%.20s': must be 1..200", ls);
    }
    if (q && strlen(q) > 200) return reply_error(r, 400, "invalid", "q", "q: at most 200 bytes");
    json_t *a = json_array();
    struct err e = {0};
    if (store_feedback_published(req_store(r), q, (int)limit, published_fn, a, &e)) {
        json_decref(a);
        return reply_err(r, &e);
    }
    reply_json(r, 200, json_pack("{s:o, s:o}", "q", jstr_or_null(q), "items", a));
}

/* ---- officers ---- */

/* Loads the item of the path's code if it lies in the user's scope; else 404, as for a code
 * that does not exist. */
static int load_scoped(struct req *r, struct feedback_item *f)
{
    struct err e = {0};
    int rc = store_feedback_get(req_store(r), req_param(r, "code"), f, &e);
    if (rc && rc != ERR_NOT_FOUND) {
        reply_err(r, &e);
        return -1;
    }
    if (rc || !auth_scope_covers(r, f->unit)) {
        reply_error(r, 404, "not_found", "code", "no feedback with code '%.40s'",
                    req_param(r, "code"));
        return -1;
    }
    return 0;
}

void h_feedback_get(struct req *r)
{
    struct feedback_item *f = arena_alloc(r->arena, sizeof *f);
    if (!f) return reply_error(r, 500, "internal", NULL, "out of memory");
    if (req_query_check(r, NULL) || load_scoped(r, f)) return;
    reply_json(r, 200, item_json(r, f, 1));
}

struct queue_ctx {
    struct req *r;
    json_t *items;
    int64_t limit;
};

static int queue_fn(const struct feedback_item *f, void *ctx)
{
    struct queue_ctx *q = ctx;
    if ((int64_t)json_array_size(q->items) >= q->limit) return 1;
    json_t *o = item_json(q->r, f, 0);
    json_object_set_new(o, "body", jstr(f->body));
    return json_array_append_new(q->items, o);
}

/* The scope unit of a list: ?unit= (within the user's scope) or the user's own. */
static const char *list_unit(struct req *r)
{
    const char *unit = req_query(r, "unit");
    if (unit ? !auth_scope_covers(r, unit) : !auth_scope_root_valid(r)) {
        reply_error(r, 404, "not_found", "unit", "unit '%.40s' does not exist",
                    unit ? unit : r->sess->user.unit);
        return NULL;
    }
    return unit ? unit : r->sess->user.unit;
}

static int parse_period(struct req *r, int64_t *from, int64_t *to)
{
    *from = *to = 0;
    const char *fs = req_query(r, "from"), *ts = req_query(r, "to");
    struct ymd d;
    struct err e = {0};
    if (fs && ymd_parse(fs, &d, "from", &e)) return reply_err(r, &e), -1;
    if (fs) *from = ymd_to_days(d);
    if (ts && ymd_parse(ts, &d, "to", &e)) return reply_err(r, &e), -1;
    if (ts) *to = ymd_to_days(d);
    return 0;
}

void h_feedback_list(struct req *r)
{
    static const char *const allowed[] = {"unit",    "status", "kind", "outcome", "officer",
                                          "dossier", "from",   "to",   "limit",   NULL};
    if (req_query_check(r, allowed)) return;
    const char *unit = list_unit(r);
    if (!unit) return;
    struct feedback_filter f = {unit,
                                -1,
                                -1,
                                -1,
                                req_query(r, "officer"),
                                req_query(r, "dossier"),
                                0,
                                0,
                                now_local_minutes()};
    struct err e = {0};
    const char *s;
    enum feedback_status st;
    enum feedback_kind k;
    if ((s = req_query(r, "status"))) {
        if (feedback_status_parse(s, &st, &e)) return reply_err(r, &e);
        f.status = (int)st;
    }
    if ((s = req_query(r, "kind"))) {
        if (feedback_kind_parse(s, &k, &e)) return reply_err(r, &e);
        f.kind = (int)k;
    }
    if ((s = req_query(r, "outcome"))) {
        int found = -1;
        for (int o = FO_NONE; o <= FO_OVERDUE; o++)
            if (!strcmp(s, feedback_outcome_name((enum feedback_outcome)o))) found = o;
        if (found < 0)
            return reply_error(r, 400, "invalid", "outcome",
                               "outcome '%.20s': expected one of none, on_time, late, in_time, "
                               "overdue",
                               s);
        f.outcome = found;
    }
    if (parse_period(r, &f.from_day, &f.to_day)) return;
    struct queue_ctx q = {r, json_array(), 500};
    if ((s = req_query(r, "limit"))) q.limit = strtol(s, NULL, 10);
    if (q.limit < 1 || q.limit > 500)
        return reply_error(r, 400, "invalid", "limit", "limit: must be 1..500");
    int rc = store_feedback_list(req_store(r), &f, queue_fn, &q, &e);
    if (rc && rc != 1) {
        json_decref(q.items);
        return reply_err(r, &e);
    }
    reply_json(r, 200,
               json_pack("{s:s, s:o, s:b}", "unit", unit, "items", q.items, "more", rc == 1));
}

struct tpl_find {
    const char *code;
    char *body;
    struct req *r;
};
static int tpl_find_fn(const struct feedback_template *t, void *ctx)
{
    struct tpl_find *x = ctx;
    if (strcmp(t->code, x->code)) return 0;
    x->body = arena_strdup(x->r->arena, t->body);
    return 0;
}

void h_feedback_action(struct req *r)
{
    static const struct jfield spec[] = {
        {"note", JT_STRING, 0, 1, FEEDBACK_NOTE_MAX - 1},
        {"to_unit", JT_STRING, 0, 1, UNIT_CODE_MAX - 1},
        {"answer", JT_STRING, 0, 1, FEEDBACK_BODY_MAX},
        {"template", JT_STRING, 0, 1, 31},
        {NULL, 0, 0, 0, 0},
    };
    const struct feedback_rules *rs = req_rules(r);
    if (!rs) return;
    const struct feedback_action_desc *d =
        feedback_action_desc((enum feedback_action)r->route->arg);
    json_t *body;
    if (req_query_check(r, NULL) || req_body_json_opt(r, spec, &body)) return;
    struct feedback_item *f = arena_alloc(r->arena, sizeof *f);
    if (!f) return reply_error(r, 500, "internal", NULL, "out of memory");
    if (load_scoped(r, f)) return;
    const char *answer = jget_str(body, "answer");
    if ((d->flags & FAF_ANSWER) && !answer && jget_str(body, "template")) {
        /* the answer starts from a reply template when none is written */
        struct tpl_find t = {jget_str(body, "template"), NULL, r};
        struct err e = {0};
        if (store_feedback_templates(req_store(r), f->unit, tpl_find_fn, &t, &e))
            return reply_err(r, &e);
        if (!t.body)
            return reply_error(r, 400, "invalid", "template", "template '%.31s' does not exist",
                               t.code);
        answer = t.body;
    }
    struct feedback_change c = {f->code,
                                d->action,
                                now_local_minutes(),
                                r->sess->user.username,
                                jget_str(body, "note"),
                                jget_str(body, "to_unit"),
                                answer,
                                r->sess->user.unit};
    struct err e = {0};
    if (store_feedback_apply(req_store(r), req_calendar(r), rs, &c, f, &e)) return reply_err(r, &e);
    reply_json(r, 200, item_json(r, f, 1));
}

static int template_fn(const struct feedback_template *t, void *ctx)
{
    return json_array_append_new(ctx, json_pack("{s:s, s:o, s:s, s:s}", "code", t->code, "unit",
                                                jstr_or_null(t->unit), "title", t->title, "body",
                                                t->body));
}

void h_feedback_templates(struct req *r)
{
    static const char *const allowed[] = {"unit", NULL};
    if (req_query_check(r, allowed)) return;
    const char *unit = list_unit(r);
    if (!unit) return;
    json_t *a = json_array();
    struct err e = {0};
    if (store_feedback_templates(req_store(r), unit, template_fn, a, &e)) {
        json_decref(a);
        return reply_err(r, &e);
    }
    reply_json(r, 200, json_pack("{s:o}", "templates", a));
}

/* One officer's figures (items naming the officer), with the items as the drill-down
 * (GET /api/feedback?officer=). */
static int officer_json(const char *officer, const struct feedback_summary *m, void *ctx)
{
    return json_array_append_new(
        ctx, json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "officer", officer, "items",
                       (json_int_t)m->items, "on_time", (json_int_t)m->on_time, "late",
                       (json_int_t)m->late, "overdue", (json_int_t)m->overdue, "in_time",
                       (json_int_t)m->in_time, "refused", (json_int_t)m->refused, "rated",
                       (json_int_t)m->rated, "satisfied", (json_int_t)m->satisfied));
}

void h_feedback_stats(struct req *r)
{
    static const char *const allowed[] = {"unit", "from", "to", "by", NULL};
    if (req_query_check(r, allowed)) return;
    const char *unit = list_unit(r);
    if (!unit) return;
    int64_t from, to;
    if (parse_period(r, &from, &to)) return;
    const char *by = req_query(r, "by");
    if (by && strcmp(by, "officer"))
        return reply_error(r, 400, "invalid", "by", "by '%.20s': expected 'officer'", by);
    if (by) {
        json_t *a = json_array();
        struct err e = {0};
        if (store_feedback_officers(req_store(r), unit, from, to, now_local_minutes(), officer_json,
                                    a, &e)) {
            json_decref(a);
            return reply_err(r, &e);
        }
        return reply_json(r, 200, json_pack("{s:s, s:o}", "unit", unit, "officers", a));
    }
    struct feedback_summary s;
    struct err e = {0};
    if (store_feedback_summary(req_store(r), unit, from, to, now_local_minutes(), &s, &e))
        return reply_err(r, &e);
    int64_t handled = s.on_time + s.late + s.overdue;
    json_t *o = json_pack(
        "{s:s, s:o, s:o, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "unit", unit, "from",
        from ? jday(from) : json_null(), "to", to ? jday(to) : json_null(), "items",
        (json_int_t)s.items, "on_time", (json_int_t)s.on_time, "late", (json_int_t)s.late,
        "overdue", (json_int_t)s.overdue, "in_time", (json_int_t)s.in_time, "refused",
        (json_int_t)s.refused, "waiting", (json_int_t)s.waiting, "rated", (json_int_t)s.rated,
        "satisfied", (json_int_t)s.satisfied, "forwarded", (json_int_t)s.forwarded);
    /* the rates name their denominators */
    json_object_set_new(o, "on_time_rate",
                        handled ? json_real((double)s.on_time / (double)handled) : json_null());
    json_object_set_new(o, "on_time_denominator", json_string("on_time + late + overdue"));
    json_object_set_new(o, "satisfaction_rate",
                        s.rated ? json_real((double)s.satisfied / (double)s.rated) : json_null());
    json_object_set_new(o, "satisfaction_denominator", json_string("rated (satisfied: 4-5)"));
    reply_json(r, 200, o);
}
