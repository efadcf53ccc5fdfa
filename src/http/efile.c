/* efile.c — online filing over HTTP (docs/efile.md). The citizen: starts a filing for a
 * procedure offered online (applicant, receiving unit), uploads each listed document as the
 * raw request body (PDF, JPEG or PNG, sniffed from the content; 413 over the size limits, 415
 * for another type), submits it (a dossier in status submitted, channel online), follows it,
 * answers a supplement request by uploading and submitting again, and takes the electronic
 * result online where the procedure is fully online. The desk: the list of online dossiers to
 * check, each filing's documents; receiving or asking for changes are the dossier actions of
 * dossiers.c (receive, request-supplement with the reason).
 *
 * Who the citizen is: the phone or e-mail confirmed by a one-time code (citizen_auth.h,
 * issue 16) starts the filing; every later request must come from that confirmed contact and
 * name the filing's id (128 random bits); anyone else gets 404, as for an unknown id. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "citizen_auth.h"
#include "date.h"
#include "digistore.h"
#include "http.h"
#include "store.h"
#include "store_efile.h"

/* The confirmed contact of the request's citizen session (citizen_auth.h) into buf, or a
 * 401 replied and -1: filing online needs a phone or e-mail proved by a one-time code. */
static int citizen_contact(struct req *r, char *buf, size_t n)
{
    if (citizen_session_contact(r, buf, n)) return 0;
    reply_error(r, 401, "unauthorized", "cchc_citizen",
                "confirm your phone or e-mail first (POST /api/public/otp, then "
                "/api/public/otp/verify)");
    return -1;
}

/* The filing of the path, refused (404) to anyone but its citizen. */
static int own_filing(struct req *r, struct efile_filing *f)
{
    const char *id = req_param(r, "id");
    char who[EFILE_CONTACT_MAX];
    if (citizen_contact(r, who, sizeof who)) return -1;
    struct err e = {0};
    int rc =
        strlen(id) == EFILE_ID_LEN - 1 ? store_efile_get(req_store(r), id, f, &e) : ERR_NOT_FOUND;
    if (rc && rc != ERR_NOT_FOUND) {
        reply_err(r, &e);
        return -1;
    }
    if (rc || strcmp(who, f->contact)) {
        reply_error(r, 404, "not_found", "id", "no online filing '%.40s'", id);
        return -1;
    }
    return 0;
}

struct docs_json {
    json_t *by_index[PROC_DOCS_MAX + 1];
    int64_t total;
};

static int doc_item(const struct efile_doc *d, void *ctx)
{
    struct docs_json *x = ctx;
    if (d->doc_index < 1 || d->doc_index > PROC_DOCS_MAX) return 0;
    x->total += d->size;
    x->by_index[d->doc_index] =
        json_pack("{s:o, s:s, s:I, s:s, s:o, s:i}", "name", jstr(d->name), "mime", d->mime, "size",
                  (json_int_t)d->size, "sha256", d->sha256, "uploaded_at", jinstant(d->at), "round",
                  d->round);
    return 0;
}

/* The reason of the latest supplement request (Mẫu 02), into buf. */
static int stop_reason(const struct dossier_stop_rec *s, void *ctx)
{
    if (!s->pause) snprintf(ctx, DOSSIER_NOTE_MAX, "%s", s->reason);
    return 0;
}

static json_t *dossier_part(struct req *r, const struct efile_filing *f, struct err *e, int *rc)
{
    if (!f->dossier[0]) return json_null();
    struct dossier d;
    if ((*rc = store_dossier_get(req_store(r), f->dossier, &d, e))) return NULL;
    char *reason = arena_alloc(r->arena, DOSSIER_NOTE_MAX);
    if (!reason) return *rc = ERR_NOMEM, NULL;
    reason[0] = 0;
    if (d.st.status == DS_SUPPLEMENT_REQUESTED) {
        struct dossier_records rec = {0};
        rec.stop = stop_reason;
        rec.ctx = reason;
        if ((*rc = store_dossier_records(req_store(r), d.code, &rec, e))) return NULL;
    }
    return json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:i}", "code", d.code, "status",
                     dossier_status_name(d.st.status), "status_label",
                     dossier_status_label_vi(d.st.status), "reason", jstr_or_null(reason),
                     "received_at", jinstant(d.st.received_at), "due_at", jinstant(d.st.due_at),
                     "result_at", jinstant(d.st.result_at), "supplements", d.st.supplements);
}

/* The filing as its citizen (citizen = 1) or the desk sees it. */
static json_t *filing_json(struct req *r, const struct efile_filing *f, int citizen, struct err *e,
                           int *rc)
{
    struct procedure *p = arena_alloc(r->arena, sizeof *p);
    struct docs_json *x = arena_alloc(r->arena, sizeof *x);
    if (!p || !x) return *rc = err_set(e, ERR_NOMEM, "", "out of memory"), NULL;
    memset(x, 0, sizeof *x);
    if ((*rc = store_procedure_get(req_store(r), f->procedure, p, e)) ||
        (*rc = store_efile_docs(req_store(r), f->id, doc_item, x, e)))
        return NULL;
    json_t *docs = json_array();
    int n = p->ndocs > 0 ? p->ndocs : 0;
    for (int i = 1; i <= PROC_DOCS_MAX; i++) {
        if (i > n && !x->by_index[i]) continue;
        json_array_append_new(docs,
                              json_pack("{s:i, s:o, s:b, s:b, s:o}", "doc", i, "title",
                                        jstr(i <= n ? p->docs[i - 1] : "Thành phần hồ sơ"),
                                        "optional", i <= n && digitise_doc_optional(p->docs[i - 1]),
                                        "paper", i <= 32 && ((f->paper >> (i - 1)) & 1u), "file",
                                        x->by_index[i] ? x->by_index[i] : json_null()));
    }
    json_t *dossier = dossier_part(r, f, e, rc);
    if (!dossier) {
        json_decref(docs);
        return NULL;
    }
    struct digi_result res;
    struct err e2 = {0};
    int has_result =
        f->dossier[0] && !store_digi_result_of_dossier(req_store(r), f->dossier, &res, NULL, &e2);
    int allowed = efile_result_online_allowed(p->online);
    char id[APPLICANT_IDNO_MAX], ph[APPLICANT_PHONE_MAX];
    json_t *o = json_pack(
        "{s:s, s:o, s:{s:s, s:o, s:s, s:s}, s:s, s:o, s:{s:o, s:o, s:o, s:o}, s:o, s:o, s:o, "
        "s:o, s:{s:b, s:b, s:o, s:o}, s:{s:I, s:I, s:I}}",
        "id", citizen ? f->id : "", "contact", citizen ? jstr(f->contact) : json_null(),
        "procedure", "code", p->code, "name", jstr(p->name), "online", online_mode_name(p->online),
        "online_label", online_mode_label(p->online), "unit", f->unit, "decider",
        jstr_or_null(f->decider), "applicant", "name", jstr(f->applicant.name), "idno",
        f->applicant.idno[0] ? jstr(applicant_mask(f->applicant.idno, id, sizeof id)) : json_null(),
        "phone",
        f->applicant.phone[0] ? jstr(applicant_mask(f->applicant.phone, ph, sizeof ph))
                              : json_null(),
        "address", jstr_or_null(f->applicant.address), "documents", docs, "created_at",
        jinstant(f->created_at), "submitted_at", jinstant(f->submitted_at), "dossier", dossier,
        "result", "online_allowed", allowed, "available", has_result && allowed, "title",
        has_result ? jstr(res.title) : json_null(), "taken_online_at",
        jinstant(f->result_online_at), "limits", "file_max",
        (json_int_t)req_config(r)->efile_file_max, "dossier_max",
        (json_int_t)req_config(r)->efile_dossier_max, "used", (json_int_t)x->total);
    if (!citizen) json_object_del(o, "id"), json_object_del(o, "contact");
    if (o && f->dossier[0]) {
        int all_online = f->paper == 0;
        json_object_set_new(
            o, "served",
            json_string(online_mode_name(efile_served(all_online, f->result_online_at != 0))));
    }
    return o;
}

static void reply_filing(struct req *r, int status, const struct efile_filing *f, int citizen)
{
    struct err e = {0};
    int rc = 0;
    json_t *o = filing_json(r, f, citizen, &e, &rc);
    if (!o) return rc ? reply_err(r, &e) : reply_error(r, 500, "internal", NULL, "out of memory");
    reply_json(r, status, o);
}

static int text_into(struct req *r, json_t *body, const char *field, char *buf, size_t n)
{
    const char *v = jget_str(body, field);
    buf[0] = 0;
    if (!v) return 0;
    if (strlen(v) >= n) {
        reply_error(r, 400, "invalid", field, "field '%s' is longer than %zu bytes", field, n - 1);
        return -1;
    }
    snprintf(buf, n, "%s", v);
    return 0;
}

void h_efile_create(struct req *r)
{
    static const struct jfield spec[] = {
        {"procedure", JT_STRING, 1, 1, PROC_CODE_MAX - 1},
        {"unit", JT_STRING, 1, 1, UNIT_CODE_MAX - 1},
        {"decider", JT_STRING, 0, 0, UNIT_CODE_MAX - 1},
        {"applicant_name", JT_STRING, 1, 1, APPLICANT_NAME_MAX - 1},
        {"applicant_idno", JT_STRING, 0, 0, APPLICANT_IDNO_MAX - 1},
        {"applicant_phone", JT_STRING, 0, 0, APPLICANT_PHONE_MAX - 1},
        {"applicant_address", JT_STRING, 0, 0, APPLICANT_ADDRESS_MAX - 1},
        {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    if (req_query_check(r, NULL) || req_body_json(r, spec, &body)) return;
    struct efile_filing *f = arena_alloc(r->arena, sizeof *f);
    if (!f) return reply_error(r, 500, "internal", NULL, "out of memory");
    memset(f, 0, sizeof *f);
    if (citizen_contact(r, f->contact, sizeof f->contact)) return;
    if (text_into(r, body, "procedure", f->procedure, sizeof f->procedure) ||
        text_into(r, body, "unit", f->unit, sizeof f->unit) ||
        text_into(r, body, "decider", f->decider, sizeof f->decider) ||
        text_into(r, body, "applicant_name", f->applicant.name, sizeof f->applicant.name) ||
        text_into(r, body, "applicant_idno", f->applicant.idno, sizeof f->applicant.idno) ||
        text_into(r, body, "applicant_phone", f->applicant.phone, sizeof f->applicant.phone) ||
        text_into(r, body, "applicant_address", f->applicant.address, sizeof f->applicant.address))
        return;
    applicant_phone_normalize(f->applicant.phone);
    f->created_at = now_local_minutes();
    struct err e = {0};
    if (store_efile_create(req_store(r), f, &e)) return reply_err(r, &e);
    reply_header(r, "Location", arena_printf(r->arena, "/api/public/efile/%s", f->id));
    reply_filing(r, 201, f, 1);
}

void h_efile_get(struct req *r)
{
    struct efile_filing f;
    if (req_query_check(r, NULL) || own_filing(r, &f)) return;
    reply_filing(r, 200, &f, 1);
}

/* The confirmed citizen's own filings, newest last (GET /api/public/efile): enough to go
 * back to a filing from another visit or device — to answer a supplement request or take the
 * electronic result — without keeping its id. The rows are gathered first and the dossier,
 * procedure and result read afterwards, so no statement is stepped inside another. */
#define EFILE_MINE_MAX 200

struct mine_ctx {
    struct efile_filing *rows;
    int n;
};

static int mine_row(const struct efile_filing *f, const char *status, void *ctx)
{
    (void)status;
    struct mine_ctx *x = ctx;
    if (x->n == EFILE_MINE_MAX)
        memmove(x->rows, x->rows + 1, (EFILE_MINE_MAX - 1) * sizeof *f), x->n--;
    x->rows[x->n++] = *f;
    return 0;
}

static json_t *mine_item(struct req *r, const struct efile_filing *f, struct err *e, int *rc)
{
    struct procedure *p = arena_alloc(r->arena, sizeof *p);
    if (!p) return *rc = err_set(e, ERR_NOMEM, "", "out of memory"), NULL;
    if ((*rc = store_procedure_get(req_store(r), f->procedure, p, e))) return NULL;
    json_t *dossier = dossier_part(r, f, e, rc);
    if (!dossier) return NULL;
    struct digi_result res;
    struct err e2 = {0};
    int has_result =
        f->dossier[0] && !store_digi_result_of_dossier(req_store(r), f->dossier, &res, NULL, &e2);
    int allowed = efile_result_online_allowed(p->online);
    return json_pack("{s:s, s:{s:s, s:o, s:s, s:s}, s:s, s:o, s:o, s:o, s:{s:b, s:b, s:o}}", "id",
                     f->id, "procedure", "code", p->code, "name", jstr(p->name), "online",
                     online_mode_name(p->online), "online_label", online_mode_label(p->online),
                     "unit", f->unit, "created_at", jinstant(f->created_at), "submitted_at",
                     jinstant(f->submitted_at), "dossier", dossier, "result", "online_allowed",
                     allowed, "available", has_result && allowed, "taken_online_at",
                     jinstant(f->result_online_at));
}

void h_efile_mine(struct req *r)
{
    char who[EFILE_CONTACT_MAX];
    if (req_query_check(r, NULL) || citizen_contact(r, who, sizeof who)) return;
    struct mine_ctx x = {malloc(EFILE_MINE_MAX * sizeof *x.rows), 0};
    if (!x.rows) return reply_error(r, 500, "internal", NULL, "out of memory");
    struct err e = {0};
    int rc = store_efile_list(req_store(r), -1, who, mine_row, &x, &e);
    json_t *items = json_array();
    for (int i = 0; !rc && i < x.n; i++) {
        json_t *o = mine_item(r, &x.rows[i], &e, &rc);
        if (!rc && (!o || json_array_append_new(items, o)))
            rc = err_set(&e, ERR_NOMEM, "", "out of memory");
    }
    free(x.rows);
    if (rc) {
        json_decref(items);
        return reply_err(r, &e);
    }
    reply_json(r, 200, json_pack("{s:s, s:o}", "contact", who, "items", items));
}

static int doc_param(struct req *r, int *out)
{
    const char *s = req_param(r, "doc");
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < 1 || v > PROC_DOCS_MAX) {
        reply_error(r, 404, "not_found", "doc", "document '%.8s': a position from 1 to %d", s,
                    PROC_DOCS_MAX);
        return -1;
    }
    *out = (int)v;
    return 0;
}

void h_efile_doc_put(struct req *r)
{
    static const char *const allowed[] = {"name", NULL};
    struct efile_filing f;
    int doc;
    if (req_query_check(r, allowed) || own_filing(r, &f) || doc_param(r, &doc)) return;
    const char *name = req_query(r, "name");
    struct efile_doc_in in = {.filing = f.id,
                              .name = name ? name : "",
                              .doc_index = doc,
                              .data = r->body,
                              .size = (int64_t)r->body_len,
                              .file_max = req_config(r)->efile_file_max,
                              .dossier_max = req_config(r)->efile_dossier_max,
                              .at = now_local_minutes()};
    struct efile_doc d;
    enum efile_refusal why = EFILE_OK;
    struct err e = {0};
    if (store_efile_doc_put(req_store(r), &in, &d, &why, &e)) {
        if (why == EFILE_TOO_LARGE) return reply_error(r, 413, "too_large", "file", "%s", e.msg);
        if (why == EFILE_BAD_TYPE)
            return reply_error(r, 415, "unsupported_media_type", "file", "%s", e.msg);
        return reply_err(r, &e);
    }
    reply_json(r, 201,
               json_pack("{s:i, s:o, s:o, s:s, s:I, s:s, s:o, s:i}", "doc", d.doc_index, "title",
                         jstr(d.doc_name), "name", jstr(d.name), "mime", d.mime, "size",
                         (json_int_t)d.size, "sha256", d.sha256, "uploaded_at", jinstant(d.at),
                         "round", d.round));
}

static void send_doc(struct req *r, const char *id, int doc)
{
    struct efile_doc d;
    void *data = NULL;
    size_t n = 0;
    struct err e = {0};
    if (store_efile_doc_file(req_store(r), id, doc, &d, &data, &n, &e)) return reply_err(r, &e);
    reply_download(r, arena_strdup(r->arena, d.mime), d.name, data, n);
    free(data);
}

void h_efile_doc_get(struct req *r)
{
    struct efile_filing f;
    int doc;
    if (req_query_check(r, NULL) || own_filing(r, &f) || doc_param(r, &doc)) return;
    send_doc(r, f.id, doc);
}

void h_efile_submit(struct req *r)
{
    static const struct jfield spec[] = {
        {"paper", JT_ARRAY, 0, 0, PROC_DOCS_MAX},
        {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    struct efile_filing f;
    if (req_query_check(r, NULL) || req_body_json_opt(r, spec, &body) || own_filing(r, &f)) return;
    uint32_t paper = 0;
    json_t *list = json_object_get(body, "paper"), *v;
    size_t i;
    json_array_foreach(list, i, v)
    {
        if (!json_is_integer(v) || json_integer_value(v) < 1 ||
            json_integer_value(v) > PROC_DOCS_MAX) {
            reply_error(r, 400, "wrong_type", "paper",
                        "paper[%zu] must be a document position from 1 to %d", i, PROC_DOCS_MAX);
            return;
        }
        paper |= 1u << (json_integer_value(v) - 1);
    }
    struct err e = {0};
    struct dossier d;
    if (store_efile_submit(req_store(r), req_calendar(r), f.id, paper, now_local_minutes(), &d, &e))
        return reply_err(r, &e);
    if (store_efile_get(req_store(r), f.id, &f, &e)) return reply_err(r, &e);
    reply_filing(r, 200, &f, 1);
}

void h_efile_result(struct req *r)
{
    static const struct jfield none[] = {{NULL, 0, 0, 0, 0}};
    json_t *body;
    struct efile_filing f;
    if (req_query_check(r, NULL) || req_body_json_opt(r, none, &body) || own_filing(r, &f)) return;
    struct err e = {0};
    struct procedure *p = arena_alloc(r->arena, sizeof *p);
    if (!p) return reply_error(r, 500, "internal", NULL, "out of memory");
    if (store_procedure_get(req_store(r), f.procedure, p, &e)) return reply_err(r, &e);
    if (!efile_result_online_allowed(p->online))
        return reply_error(r, 409, "conflict", "result",
                           "the result of procedure %s is returned at the desk, not online",
                           p->code);
    struct digi_result res;
    if (!f.dossier[0] || store_digi_result_of_dossier(req_store(r), f.dossier, &res, NULL, &e))
        return reply_error(r, 404, "not_found", "result",
                           "filing %.40s has no electronic result yet", f.id);
    void *data = NULL;
    size_t n = 0;
    if (store_digi_blob_get(req_store(r), res.sha256, res.province, &data, &n, &e))
        return reply_err(r, &e);
    if (store_efile_result_taken(req_store(r), f.id, now_local_minutes(), &e)) {
        free(data);
        return reply_err(r, &e);
    }
    const char *ext = !strcmp(res.mime, "application/pdf") ? "pdf"
                      : !strcmp(res.mime, "image/png")     ? "png"
                                                           : "jpg";
    reply_download(r, arena_strdup(r->arena, res.mime),
                   arena_printf(r->arena, "ket-qua-%s.%s", res.result_no, ext), data, n);
    free(data);
}

int route_takes_upload(const struct route *rt)
{
    return rt->handler == h_efile_doc_put;
}

/* ---- the desk ---- */

struct list_ctx {
    struct req *r;
    const char *unit; /* NULL: the whole scope */
    json_t *items;
};

static int list_row(const struct efile_filing *f, const char *status, void *ctx)
{
    struct list_ctx *x = ctx;
    if (!auth_scope_covers(x->r, f->unit)) return 0;
    if (x->unit && !auth_unit_under(x->r, f->unit, x->unit)) return 0;
    enum dossier_status ds;
    const char *label =
        dossier_status_parse(status, &ds, NULL) ? status : dossier_status_label_vi(ds);
    return json_array_append_new(x->items,
                                 json_pack("{s:s, s:s, s:s, s:o, s:o, s:s, s:s}", "code",
                                           f->dossier, "procedure", f->procedure, "unit", f->unit,
                                           "applicant_name", jstr(f->applicant.name),
                                           "submitted_at", jinstant(f->submitted_at), "status",
                                           status, "status_label", label))
               ? ERR_NOMEM
               : 0;
}

void h_efile_list(struct req *r)
{
    static const char *const allowed[] = {"status", "unit", NULL};
    if (req_query_check(r, allowed)) return;
    const char *q = req_query(r, "status"), *unit = req_query(r, "unit");
    if (unit && !auth_scope_covers(r, unit))
        return reply_error(r, 404, "not_found", "unit", "unit '%.40s' does not exist", unit);
    int status = DS_SUBMITTED;
    struct err e = {0};
    if (q && !strcmp(q, "all"))
        status = -1;
    else if (q) {
        enum dossier_status ds;
        if (dossier_status_parse(q, &ds, &e)) return reply_err(r, &e);
        status = (int)ds;
    }
    struct list_ctx x = {r, unit, json_array()};
    if (store_efile_list(req_store(r), status, NULL, list_row, &x, &e)) {
        json_decref(x.items);
        return reply_err(r, &e);
    }
    reply_json(r, 200, json_pack("{s:o}", "items", x.items));
}

/* The filing of the dossier of the path, in the officer's scope (404 otherwise). */
static int scoped_filing(struct req *r, struct efile_filing *f)
{
    char code[DOSSIER_CODE_LEN + 8];
    dossier_code_normalize(req_param(r, "code"), code, sizeof code);
    struct err e = {0};
    int rc = store_efile_of_dossier(req_store(r), code, f, &e);
    if (rc && rc != ERR_NOT_FOUND) {
        reply_err(r, &e);
        return -1;
    }
    if (rc || !auth_scope_covers(r, f->unit)) {
        reply_error(r, 404, "not_found", "code", "dossier '%.40s' was not filed online", code);
        return -1;
    }
    return 0;
}

void h_efile_dossier(struct req *r)
{
    struct efile_filing f;
    if (req_query_check(r, NULL) || scoped_filing(r, &f)) return;
    reply_filing(r, 200, &f, 0);
}

void h_efile_dossier_doc(struct req *r)
{
    struct efile_filing f;
    int doc;
    if (req_query_check(r, NULL) || scoped_filing(r, &f) || doc_param(r, &doc)) return;
    send_doc(r, f.id, doc);
}
