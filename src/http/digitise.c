/* digitise.c — the HTTP side of digitisation (docs/digitisation.md): a dossier's digitised
 * components (upload as base64 in JSON, list, download), its electronic result (register,
 * the two signature layers — the competent person's, then the clerk's with the agency
 * certificate —, download, verification), the results registry searched by number or
 * citizen ID within the officer's scope, the 766 digitisation indicators, and a public
 * verification of any document with its two-layer signature file. Keys and trusted roots
 * come from the sign_dir option. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "arena.h"
#include "date.h"
#include "digistore.h"
#include "config.h"
#include "http.h"
#include "sign2.h"
#include "store.h"

/* The dossier of the path, in the user's scope (404 otherwise, as dossiers.c does). */
static int scoped_dossier(struct req *r, struct dossier *d)
{
    char code[DOSSIER_CODE_LEN + 8];
    dossier_code_normalize(req_param(r, "code"), code, sizeof code);
    struct err e = {0};
    int rc = store_dossier_get(req_store(r), code, d, &e);
    if (rc && rc != ERR_NOT_FOUND) {
        reply_err(r, &e);
        return -1;
    }
    if (rc || !auth_scope_covers(r, d->unit)) {
        reply_error(r, 404, "not_found", "code", "dossier '%.40s' does not exist", code);
        return -1;
    }
    return 0;
}

/* base64 (standard alphabet, optional data: prefix, line breaks) into arena memory. */
static int b64(struct req *r, const char *field, const char *s, unsigned char **out, size_t *n)
{
    const char *comma = strncmp(s, "data:", 5) ? NULL : strstr(s, ";base64,");
    if (comma) s = comma + strlen(";base64,");
    size_t len = strlen(s), cap = len / 4 * 3 + 3;
    const char *end = NULL;
    if (!(*out = arena_alloc(r->arena, cap + 1))) {
        reply_error(r, 500, "internal", NULL, "out of memory");
        return -1;
    }
    if (sodium_base642bin(*out, cap, s, len, " \r\n", n, &end, sodium_base64_VARIANT_ORIGINAL) ||
        end != s + len) {
        reply_error(r, 400, "invalid", field, "%s: not base64 (standard alphabet) at byte %zu",
                    field, end ? (size_t)(end - s) : (size_t)0);
        return -1;
    }
    return 0;
}

static json_t *component_json(const struct digi_component *c)
{
    return json_pack("{s:i, s:o, s:o, s:s, s:I, s:s, s:o, s:o, s:o}", "doc_index", c->doc_index,
                     "doc_name", jstr(c->doc_name), "name", jstr(c->name), "mime", c->mime, "size",
                     (json_int_t)c->size, "sha256", c->sha256, "digitised_at", jinstant(c->at),
                     "digitised_by", jstr(c->by), "reused_from", jstr_or_null(c->reused_from));
}

static int component_item(const struct digi_component *c, void *ctx)
{
    return json_array_append_new(ctx, component_json(c)) ? ERR_NOMEM : 0;
}

void h_components_list(struct req *r)
{
    struct dossier d;
    if (req_query_check(r, NULL) || scoped_dossier(r, &d)) return;
    json_t *list = json_array();
    struct err e = {0};
    if (store_digi_components(req_store(r), d.code, component_item, list, &e)) {
        json_decref(list);
        return reply_err(r, &e);
    }
    reply_json(r, 200, json_pack("{s:s, s:o}", "code", d.code, "components", list));
}

void h_component_add(struct req *r)
{
    static const struct jfield spec[] = {
        {"doc_index", JT_INT, 1, 1, PROC_DOCS_MAX},
        {"name", JT_STRING, 1, 1, DIGI_NAME_MAX},
        {"content_base64", JT_STRING, 1, 0, 0},
        {"reuse_result_no", JT_STRING, 0, 1, DIGI_RESULT_NO_MAX},
        {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    struct dossier d;
    if (req_query_check(r, NULL) || req_body_json(r, spec, &body) || scoped_dossier(r, &d)) return;
    unsigned char *data;
    size_t size;
    if (b64(r, "content_base64", jget_str(body, "content_base64"), &data, &size)) return;
    struct digi_component_in in = {.dossier = d.code,
                                   .doc_index = (int)jget_int(body, "doc_index", 0),
                                   .name = jget_str(body, "name"),
                                   .data = data,
                                   .size = (int64_t)size,
                                   .max_size = req_config(r)->par_evidence_max,
                                   .actor = r->sess->user.username,
                                   .at = now_local_minutes()};
    struct digi_component c;
    struct err e = {0};
    if (store_digi_component_add(req_store(r), &in, &c, &e)) return reply_err(r, &e);
    reply_json(r, 201, component_json(&c));
}

void h_component_reuse(struct req *r)
{
    static const struct jfield spec[] = {
        {"doc_index", JT_INT, 1, 1, PROC_DOCS_MAX},
        {"result_no", JT_STRING, 1, 1, DIGI_RESULT_NO_MAX},
        {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    struct dossier d;
    if (req_query_check(r, NULL) || req_body_json(r, spec, &body) || scoped_dossier(r, &d)) return;
    struct digi_component c;
    struct err e = {0};
    if (store_digi_component_reuse(req_store(r), d.code, (int)jget_int(body, "doc_index", 0),
                                   jget_str(body, "result_no"), r->sess->user.username,
                                   now_local_minutes(), &c, &e))
        return reply_err(r, &e);
    reply_json(r, 201, component_json(&c));
}

struct find_comp {
    long want;
    struct digi_component c;
    int found;
};

static int find_comp(const struct digi_component *c, void *ctx)
{
    struct find_comp *x = ctx;
    if (c->doc_index == x->want) {
        x->c = *c;
        x->found = 1;
    }
    return 0;
}

void h_component_file(struct req *r)
{
    struct dossier d;
    if (req_query_check(r, NULL) || scoped_dossier(r, &d)) return;
    const char *doc = req_param(r, "doc");
    char *end;
    struct find_comp *x = arena_alloc(r->arena, sizeof *x);
    if (!x) return reply_error(r, 500, "internal", NULL, "out of memory");
    memset(x, 0, sizeof *x);
    x->want = strtol(doc, &end, 10);
    struct err e = {0};
    if (store_digi_components(req_store(r), d.code, find_comp, x, &e)) return reply_err(r, &e);
    if (*end || !x->found)
        return reply_error(r, 404, "not_found", "doc", "component '%.8s' of %s does not exist", doc,
                           d.code);
    void *data = NULL;
    size_t n = 0;
    if (store_digi_blob_get(req_store(r), x->c.sha256, x->c.province, &data, &n, &e))
        return reply_err(r, &e);
    reply_download(r, arena_strdup(r->arena, x->c.mime), x->c.name, data, n);
    free(data);
}

/* ---- the signing material of sign_dir ---- */

static int sign_path(struct req *r, const char *file, char *buf, size_t n)
{
    const char *dir = req_config(r)->sign_dir;
    if (!dir[0]) return -1;
    if ((size_t)snprintf(buf, n, "%s/%s", dir, file) >= n) return -1;
    struct stat st;
    return stat(buf, &st) == 0 ? 0 : -1;
}

/* The trusted roots and CRL of sign_dir into t (paths in the arena); -1 when not configured. */
static int trust_of(struct req *r, struct sign2_trust *t)
{
    char buf[CONFIG_STR_MAX + 32];
    memset(t, 0, sizeof *t);
    if (sign_path(r, "ca.pem", buf, sizeof buf)) return -1;
    t->roots = arena_strdup(r->arena, buf);
    if (!sign_path(r, "crl.pem", buf, sizeof buf)) t->crl = arena_strdup(r->arena, buf);
    return 0;
}

static json_t *report_json(const struct sign2_report *rep)
{
    json_t *layers = json_array();
    for (int i = 0; i < 2; i++) {
        const struct sign2_layer *l = &rep->layer[i];
        json_t *o = json_pack("{s:i, s:b}", "layer", i + 1, "present", l->present);
        if (l->present) {
            json_object_set_new(o, "unchanged", json_boolean(l->intact));
            json_object_set_new(o, "chain_ok", json_boolean(l->chain_ok));
            json_object_set_new(o, "chain_error", jstr_or_null(l->chain_err));
            json_object_set_new(o, "signer", jstr(l->subject));
            json_object_set_new(o, "issuer", jstr(l->issuer));
            json_object_set_new(o, "serial", jstr(l->serial));
            json_object_set_new(o, "signed_at", json_integer(l->signed_at));
            json_object_set_new(o, "not_after", json_integer(l->not_after));
        }
        json_array_append_new(layers, o);
    }
    return json_pack("{s:b, s:o}", "valid", rep->valid, "layers", layers);
}

static json_t *result_json(const struct digi_result *x)
{
    char id[APPLICANT_IDNO_MAX];
    return json_pack(
        "{s:o, s:s, s:s, s:o, s:o, s:s, s:I, s:s, s:o, s:o, s:i, s:o, s:o, s:o, "
        "s:o}",
        "result_no", jstr(x->result_no), "code", x->dossier, "unit", x->unit, "citizen_id",
        x->citizen_id[0] ? jstr(applicant_mask(x->citizen_id, id, sizeof id)) : json_null(),
        "title", jstr(x->title), "mime", x->mime, "size", (json_int_t)x->size, "sha256", x->sha256,
        "issued_at", jinstant(x->issued_at), "issued_by", jstr(x->issued_by), "layers", x->layers,
        "layer1_by", jstr_or_null(x->l1_by), "layer1_at",
        x->l1_at ? jinstant(x->l1_at) : json_null(), "layer2_by", jstr_or_null(x->l2_by),
        "layer2_at", x->l2_at ? jinstant(x->l2_at) : json_null());
}

void h_result_add(struct req *r)
{
    static const struct jfield spec[] = {
        {"result_no", JT_STRING, 1, 1, DIGI_RESULT_NO_MAX},
        {"title", JT_STRING, 1, 1, PROC_TEXT_MAX - 1},
        {"content_base64", JT_STRING, 1, 0, 0},
        {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    struct dossier d;
    if (req_query_check(r, NULL) || req_body_json(r, spec, &body) || scoped_dossier(r, &d)) return;
    unsigned char *data;
    size_t size;
    if (b64(r, "content_base64", jget_str(body, "content_base64"), &data, &size)) return;
    struct digi_result_in in = {d.code,
                                jget_str(body, "result_no"),
                                jget_str(body, "title"),
                                data,
                                (int64_t)size,
                                req_config(r)->par_evidence_max,
                                r->sess->user.username,
                                now_local_minutes()};
    struct digi_result x;
    struct err e = {0};
    if (store_digi_result_add(req_store(r), &in, &x, &e)) return reply_err(r, &e);
    reply_json(r, 201, result_json(&x));
}

void h_result_get(struct req *r)
{
    struct dossier d;
    if (req_query_check(r, NULL) || scoped_dossier(r, &d)) return;
    struct digi_result x;
    char *sig = NULL;
    void *doc = NULL;
    size_t dl = 0;
    struct err e = {0};
    int rc = store_digi_result_of_dossier(req_store(r), d.code, &x, &sig, &e);
    if (!rc && sig) rc = store_digi_blob_get(req_store(r), x.sha256, x.province, &doc, &dl, &e);
    if (rc) {
        free(sig);
        return reply_err(r, &e);
    }
    json_t *o = result_json(&x);
    struct sign2_trust t;
    struct sign2_report rep;
    if (sig && !trust_of(r, &t) && !sign2_verify(doc, dl, sig, strlen(sig), &t, &rep, &e))
        json_object_set_new(o, "verification", report_json(&rep));
    else
        json_object_set_new(o, "verification", json_null());
    free(sig);
    free(doc);
    reply_json(r, 200, o);
}

void h_result_file(struct req *r)
{
    struct dossier d;
    if (req_query_check(r, NULL) || scoped_dossier(r, &d)) return;
    struct digi_result x;
    void *doc = NULL;
    size_t dl = 0;
    struct err e = {0};
    if (store_digi_result_of_dossier(req_store(r), d.code, &x, NULL, &e) ||
        store_digi_blob_get(req_store(r), x.sha256, x.province, &doc, &dl, &e))
        return reply_err(r, &e);
    char name[80];
    snprintf(name, sizeof name, "ket-qua-%s.pdf", d.code);
    reply_download(r, "application/pdf", name, doc, dl);
    free(doc);
}

/* Signs the dossier's result at layer with the signed-in user's key of sign_dir. */
static void result_sign(struct req *r, int layer)
{
    struct dossier d;
    if (req_query_check(r, NULL) || scoped_dossier(r, &d)) return;
    struct sign2_trust t;
    if (trust_of(r, &t))
        return reply_error(r, 409, "conflict", "sign_dir",
                           "signing is not configured on this server (sign_dir)");
    const char *user = r->sess->user.username;
    char key[CONFIG_STR_MAX + 80], cert[CONFIG_STR_MAX + 80], uri[CONFIG_STR_MAX + 80] = "";
    snprintf(key, sizeof key, "%s.uri", user);
    char path[CONFIG_STR_MAX + 80];
    if (!sign_path(r, key, path, sizeof path)) {
        FILE *f = fopen(path, "r");
        if (f) {
            if (!fgets(uri, sizeof uri, f)) uri[0] = '\0';
            fclose(f);
        }
        uri[strcspn(uri, "\r\n")] = '\0';
    } else {
        snprintf(key, sizeof key, "%s.key", user);
        if (sign_path(r, key, path, sizeof path)) path[0] = '\0';
        snprintf(uri, sizeof uri, "%s", path);
    }
    snprintf(key, sizeof key, "%s.pem", user);
    if (!uri[0] || sign_path(r, key, cert, sizeof cert))
        return reply_error(r, 409, "conflict", "sign_dir",
                           "user %s has no signing certificate and key on this server", user);
    struct digi_result x;
    char *sig = NULL, *out = NULL;
    void *doc = NULL;
    size_t dl = 0, ol = 0;
    struct err e = {0};
    int rc = store_digi_result_of_dossier(req_store(r), d.code, &x, &sig, &e);
    if (!rc) rc = store_digi_blob_get(req_store(r), x.sha256, x.province, &doc, &dl, &e);
    struct sign2_signer sg = {uri, cert, NULL, NULL};
    if (!rc) rc = sign2_sign(doc, dl, sig, sig ? strlen(sig) : 0, layer, &sg, &t, &out, &ol, &e);
    if (!rc)
        rc = store_digi_result_sign(req_store(r), x.result_no, layer, out, user,
                                    now_local_minutes(), &e);
    if (!rc) rc = store_digi_result_of_dossier(req_store(r), d.code, &x, NULL, &e);
    free(sig);
    free(doc);
    free(out);
    if (rc) return reply_err(r, &e);
    reply_json(r, 200, result_json(&x));
}

void h_result_sign_person(struct req *r)
{
    result_sign(r, 1);
}

void h_result_sign_clerk(struct req *r)
{
    result_sign(r, 2);
}

struct find_ctx {
    struct req *r;
    json_t *list;
};

static int find_item(const struct digi_result *x, void *ctx)
{
    struct find_ctx *f = ctx;
    if (!auth_scope_covers(f->r, x->unit)) return 0; /* another unit's: not shown */
    return json_array_append_new(f->list, result_json(x)) ? ERR_NOMEM : 0;
}

void h_results_find(struct req *r)
{
    static const char *const allowed[] = {"no", "citizen", NULL};
    if (req_query_check(r, allowed)) return;
    struct find_ctx f = {r, json_array()};
    struct err e = {0};
    if (store_digi_result_find(req_store(r), req_query(r, "no"), req_query(r, "citizen"), find_item,
                               &f, &e)) {
        json_decref(f.list);
        return reply_err(r, &e);
    }
    reply_json(r, 200, json_pack("{s:o}", "results", f.list));
}

void h_signature_verify(struct req *r)
{
    static const struct jfield spec[] = {
        {"content_base64", JT_STRING, 1, 0, 0},
        {"signature_pem", JT_STRING, 1, 1, 1 << 20},
        {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    if (req_query_check(r, NULL) || req_body_json(r, spec, &body)) return;
    unsigned char *data;
    size_t size;
    if (b64(r, "content_base64", jget_str(body, "content_base64"), &data, &size)) return;
    struct sign2_trust t;
    if (trust_of(r, &t))
        return reply_error(r, 409, "conflict", "sign_dir",
                           "no trusted roots are configured on this server (sign_dir)");
    const char *sig = jget_str(body, "signature_pem");
    struct sign2_report rep;
    struct err e = {0};
    if (sign2_verify(data, size, sig, strlen(sig), &t, &rep, &e)) return reply_err(r, &e);
    reply_json(r, 200, report_json(&rep));
}

struct drill_ctx {
    const char *metric;
    json_t *list;
};

static int drill_item(const struct digi_dossier_fact *f, void *ctx)
{
    struct drill_ctx *c = ctx;
    if (!strcmp(c->metric, "result_electronic") && !f->solved) return 0;
    json_t *o =
        json_pack("{s:s, s:i, s:i, s:b, s:b, s:b, s:b, s:b}", "code", f->d->code, "docs", f->ndocs,
                  "digitised", f->ndigitised, "complete", f->complete, "declared", f->declared,
                  "reused", f->reused, "solved", f->solved, "e_result", f->e_result);
    return json_array_append_new(c->list, o) ? ERR_NOMEM : 0;
}

void h_digitise_indicators(struct req *r)
{
    static const char *const allowed[] = {"unit", "from", "to", "drill", NULL};
    if (req_query_check(r, allowed)) return;
    const char *unit = req_query(r, "unit"), *from = req_query(r, "from"), *to = req_query(r, "to"),
               *drill = req_query(r, "drill");
    struct err e = {0};
    struct ymd a, b;
    if (!unit || !auth_scope_covers(r, unit))
        return reply_error(r, 404, "not_found", "unit", "unit '%.40s' does not exist",
                           unit ? unit : "");
    if (!from || !to)
        return reply_error(r, 400, "invalid", from ? "to" : "from", "%s is required",
                           from ? "to" : "from");
    if (ymd_parse(from, &a, "from", &e) || ymd_parse(to, &b, "to", &e)) return reply_err(r, &e);
    const char *dm = drill ? digitise_metric_of(drill) : NULL;
    if (drill && !dm)
        return reply_error(r, 400, "invalid", "drill", "drill '%.8s': must be 4.1, 4.2 or 4.3",
                           drill);
    struct indicator_set *set = calloc(1, sizeof *set);
    if (!set) return reply_error(r, 500, "internal", NULL, "out of memory");
    struct drill_ctx dc = {dm, json_array()};
    struct digitise_figures f;
    int rc = indicator_set_load(config_data_dir(req_config(r)), "766-2022", set, &e);
    if (!rc)
        rc = store_digi_figures(req_store(r), unit, ymd_to_days(a), ymd_to_days(b), &f,
                                dm ? drill_item : NULL, &dc, &e);
    if (rc) {
        free(set);
        json_decref(dc.list);
        return reply_err(r, &e);
    }
    json_t *inds = json_array();
    for (int i = 0; i < set->n; i++) {
        const struct indicator *ind = &set->ind[i];
        const char *m = digitise_metric_of(ind->id);
        struct ind_input in;
        if (!m || !digitise_indicator_input(m, &f, &in)) continue;
        int64_t p = indicator_points(ind, &in);
        char pts[32];
        json_array_append_new(
            inds,
            json_pack("{s:s, s:o, s:I, s:I, s:o, s:i}", "id", ind->id, "name", jstr(ind->name),
                      "numerator", (json_int_t)in.num, "denominator", (json_int_t)in.den, "points",
                      in.has && p >= 0 ? jstr(ind_points_format(p, 2, pts, sizeof pts))
                                       : json_null(),
                      "max", ind->max));
    }
    free(set);
    json_t *o =
        json_pack("{s:s, s:s, s:s, s:o}", "unit", unit, "from", from, "to", to, "indicators", inds);
    if (dm)
        json_object_set_new(o, "dossiers", dc.list);
    else
        json_decref(dc.list);
    reply_json(r, 200, o);
}
