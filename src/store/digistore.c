/* digistore.c — digitised components, the electronic results registry and the digitisation
 * figures (digistore.h), in the SQL both backends share (db.h). A component and a result carry
 * their dossier's province (migration 042), taken from the dossier read in the same
 * transaction (sq_dossier_province). */
#include "digistore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blob.h"
#include "sqlite_int.h"

/* a reused result's content, copied from the result's province into the dossier's */
static const char SQL_BLOB_COPY[] =
    "INSERT INTO digi_blobs (sha256, size, content, province) SELECT sha256, size, content, ?2 "
    "FROM digi_blobs WHERE sha256 = ?1 AND province = ?3 ON CONFLICT (sha256, province) DO "
    "NOTHING";
static const char SQL_BLOB_GET[] =
    "SELECT content FROM digi_blobs WHERE sha256 = ?1 AND province = ?2";
static const char SQL_COMP_INSERT[] =
    "INSERT INTO digi_components (dossier_code, doc_index, doc_name, name, mime, size, sha256, "
    "reused_from, digitised_at, digitised_by, province) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
    "?9, ?10, ?11) RETURNING id";
#define COMP_COLS                                                                                  \
    "id, dossier_code, doc_index, doc_name, name, mime, size, sha256, reused_from, "               \
    "digitised_at, digitised_by, province"
static const char SQL_COMP_LIST[] =
    "SELECT " COMP_COLS " FROM digi_components WHERE dossier_code = ?1 ORDER BY doc_index";
static const char SQL_COMP_COUNT[] =
    "SELECT doc_index, reused_from FROM digi_components WHERE dossier_code = ?1";
#define RES_COLS                                                                                   \
    "result_no, dossier_code, unit_code, citizen_id, title, mime, size, sha256, issued_at, "       \
    "issued_by, layers, l1_by, l1_at, l2_by, l2_at, province"
static const char SQL_RES_INSERT[] =
    "INSERT INTO digi_results (result_no, dossier_code, unit_code, citizen_id, title, mime, "
    "size, sha256, issued_at, issued_by, province) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
    "?10, ?11)";
static const char SQL_RES_GET[] =
    "SELECT " RES_COLS ", signature FROM digi_results WHERE result_no = ?1";
static const char SQL_RES_OF_DOSSIER[] =
    "SELECT " RES_COLS ", signature FROM digi_results WHERE dossier_code = ?1";
static const char SQL_RES_BY_DOSSIER[] = "SELECT 1 FROM digi_results WHERE dossier_code = ?1";
static const char SQL_RES_FIND[] =
    "SELECT " RES_COLS " FROM digi_results WHERE (CAST(?1 AS TEXT) IS NULL OR result_no = ?1) "
    "AND (CAST(?2 AS TEXT) IS NULL OR citizen_id = ?2) ORDER BY issued_at, result_no";
/* a result's province for its write lock, read before the transaction */
static const char SQL_RES_LOCK_PROVINCE[] =
    "SELECT province FROM digi_results WHERE result_no = ?1 LIMIT 2";
static const char SQL_RES_SIGN1[] = "UPDATE digi_results SET signature = ?2, layers = 1, l1_by = "
                                    "?3, l1_at = ?4 WHERE result_no = ?1 AND layers = 0";
static const char SQL_RES_SIGN2[] = "UPDATE digi_results SET signature = ?2, layers = 2, l2_by = "
                                    "?3, l2_at = ?4 WHERE result_no = ?1 AND layers = 1";

static int text_max(const char *field, const char *v, size_t max, struct err *e)
{
    if (!v || !*v) return err_set(e, ERR_INVALID, field, "%s: required", field);
    if (strlen(v) > max) return err_set(e, ERR_INVALID, field, "%s: at most %zu bytes", field, max);
    return 0;
}

/* The content of a result of province from, reused by a dossier of province to: a copy in
 * to's (the store holds a content once per province, migration 046). */
static int blob_copy(struct store *s, const char *sha, const char *from, const char *to,
                     struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_BLOB_COPY, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, sha);
    db_bind_text(st, 2, to);
    db_bind_text(st, 3, from);
    rc = sq_step_done(s, st, "file content", e);
    sq_done(s, st);
    return rc;
}

int store_digi_blob_get(struct store *s, const char *sha256, const char *province, void **data,
                        size_t *n, struct err *e)
{
    *data = NULL;
    *n = 0;
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_BLOB_GET, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, sha256);
    db_bind_text(st, 2, province ? province : "");
    int step = db_step(st);
    if (step == DB_ROW) {
        size_t len = db_col_bytes(st, 0);
        void *p = malloc(len ? len : 1);
        if (!p)
            rc = err_set(e, ERR_NOMEM, "", "out of memory");
        else {
            memcpy(p, db_col_blob(st, 0), len);
            *data = p;
            *n = len;
        }
    } else if (step == DB_DONE) {
        rc = err_set(e, ERR_NOT_FOUND, "sha256", "no file with SHA-256 %.64s", sha256);
    } else {
        rc = sq_fail(s, step, "file content", e);
    }
    sq_done(s, st);
    return rc;
}

int store_digi_facts(struct store *s, const struct dossier *d, int *complete, int *e_result,
                     struct err *e)
{
    *complete = *e_result = 0;
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_COMP_COUNT, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, d->code);
    uint32_t have = 0;
    int n = 0, step;
    while ((step = db_step(st)) == DB_ROW) {
        int64_t i = db_col_int64(st, 0);
        if (i >= 1 && i <= 32) have |= UINT32_C(1) << (i - 1);
        n++;
    }
    sq_done(s, st);
    if (step != DB_DONE) return sq_fail(s, step, "components", e);
    if (n) { /* only a dossier with components needs its procedure's list */
        struct procedure *p = calloc(1, sizeof *p);
        if (!p) return err_set(e, ERR_NOMEM, "", "out of memory");
        rc = store_procedure_get(s, d->procedure, p, e);
        if (!rc) *complete = digitise_dossier_complete(p->docs, p->ndocs, have);
        free(p);
        if (rc == ERR_NOT_FOUND) rc = 0, *complete = 0;
        if (rc) return rc;
    }
    if ((rc = sq_prep(s, SQL_RES_BY_DOSSIER, &st, e))) return rc;
    db_bind_text(st, 1, d->code);
    step = db_step(st);
    sq_done(s, st);
    if (step != DB_ROW && step != DB_DONE) return sq_fail(s, step, "results", e);
    *e_result = step == DB_ROW;
    return 0;
}

/* The dossier and the name of its component doc_index (ERR_INVALID outside the list). */
static int component_slot(struct store *s, const char *code, int doc_index, struct dossier *d,
                          char *doc_name, size_t n, struct err *e)
{
    int rc = store_dossier_get(s, code, d, e);
    if (rc) return rc;
    struct procedure *p = calloc(1, sizeof *p);
    if (!p) return err_set(e, ERR_NOMEM, "", "out of memory");
    rc = store_procedure_get(s, d->procedure, p, e);
    if (!rc) {
        int max = p->ndocs > 0 ? p->ndocs : PROC_DOCS_MAX;
        if (doc_index < 1 || doc_index > max)
            rc = err_set(e, ERR_INVALID, "doc_index",
                         "doc_index %d: procedure %s lists %d documents (1..%d)", doc_index,
                         p->code, p->ndocs, max);
        else if (p->ndocs > 0)
            snprintf(doc_name, n, "%s", p->docs[doc_index - 1]);
        else
            snprintf(doc_name, n, "Thành phần %d", doc_index);
    }
    free(p);
    return rc;
}

struct comp_tx {
    const struct digi_component_in *in;
    const char *reuse;
    const void *data;
    struct digi_component *out;
    const char *reuse_prov; /* the reused result's province */
};

static int comp_tx(struct store *s, void *ctx, struct err *e)
{
    struct comp_tx *x = ctx;
    struct digi_component *o = x->out;
    struct dossier d;
    int complete0 = 0, eres0 = 0;
    int rc =
        component_slot(s, x->in->dossier, x->in->doc_index, &d, o->doc_name, sizeof o->doc_name, e);
    if (!rc) rc = store_digi_facts(s, &d, &complete0, &eres0, e);
    char prov[UNIT_CODE_MAX]; /* the dossier's, as component_slot read it */
    if (!rc) rc = sq_dossier_province(s, d.id, prov, sizeof prov, e);
    if (!rc) rc = sq_prov_guard(s, prov, e);
    if (!rc && x->data)
        rc = sq_blob_put(s, SQ_DIGI_BLOBS, o->sha256, x->data, o->size, prov, "file content", e);
    if (!rc && !x->data && x->reuse_prov) rc = blob_copy(s, o->sha256, x->reuse_prov, prov, e);
    struct db_stmt *st;
    if (rc || (rc = sq_prep(s, SQL_COMP_INSERT, &st, e))) return rc;
    snprintf(o->province, sizeof o->province, "%s", prov);
    db_bind_text(st, 1, o->dossier);
    db_bind_text(st, 11, prov);
    db_bind_int64(st, 2, o->doc_index);
    db_bind_text(st, 3, o->doc_name);
    db_bind_text(st, 4, o->name);
    db_bind_text(st, 5, o->mime);
    db_bind_int64(st, 6, o->size);
    db_bind_text(st, 7, o->sha256);
    sq_bind_text(st, 8, o->reused_from);
    db_bind_int64(st, 9, o->at);
    db_bind_text(st, 10, o->by);
    rc = sq_insert_id(s, st, "component", &o->id, e);
    sq_done(s, st);
    if (rc == ERR_CONFLICT)
        rc = err_set(e, ERR_CONFLICT, "doc_index", "component %d of %s is already digitised",
                     o->doc_index, o->dossier);
    /* the last required component makes the dossier digitised in the statistics (4.2) */
    return rc ? rc : store_stats_apply_facts(s, &d, complete0, eres0, e);
}

static int comp_common(const char *dossier, int doc_index, const char *actor, int64_t at,
                       struct digi_component *o, struct err *e)
{
    int rc = text_max("dossier", dossier, DOSSIER_CODE_LEN - 1, e);
    if (!rc) rc = text_max("actor", actor, sizeof o->by - 1, e);
    if (rc) return rc;
    memset(o, 0, sizeof *o);
    snprintf(o->dossier, sizeof o->dossier, "%s", dossier);
    o->doc_index = doc_index;
    o->at = at;
    snprintf(o->by, sizeof o->by, "%s", actor);
    return 0;
}

int store_digi_component_add(struct store *s, const struct digi_component_in *in,
                             struct digi_component *out, struct err *e)
{
    int64_t max = in->max_size > 0 ? in->max_size : DIGI_MAX_DEFAULT;
    char mime[DIGI_MIME_MAX] = "";
    int rc = comp_common(in->dossier, in->doc_index, in->actor, in->at, out, e);
    /* size first: a file over the limit is neither sniffed nor hashed */
    if (!rc) rc = digitise_file_check(in->name, "application/pdf", in->size, max, e);
    if (!rc && !in->data) rc = err_set(e, ERR_INVALID, "file", "file: no content");
    if (!rc) rc = blob_sniff(in->data, (size_t)in->size, mime, sizeof mime, e);
    if (!rc) rc = digitise_file_check(in->name, mime, in->size, max, e);
    if (rc) return rc;
    snprintf(out->name, sizeof out->name, "%s", in->name);
    snprintf(out->mime, sizeof out->mime, "%s", mime);
    out->size = in->size;
    blob_sha256_hex(in->data, (size_t)in->size, out->sha256);
    struct comp_tx x = {in, NULL, in->data, out, NULL};
    return store_tx_dossier(s, in->dossier, comp_tx, &x, e);
}

static void read_result(struct db_stmt *st, struct digi_result *r)
{
    memset(r, 0, sizeof *r);
    sq_col_text(st, 0, r->result_no, sizeof r->result_no);
    sq_col_text(st, 1, r->dossier, sizeof r->dossier);
    sq_col_text(st, 2, r->unit, sizeof r->unit);
    sq_col_text(st, 3, r->citizen_id, sizeof r->citizen_id);
    sq_col_text(st, 4, r->title, sizeof r->title);
    sq_col_text(st, 5, r->mime, sizeof r->mime);
    r->size = db_col_int64(st, 6);
    sq_col_text(st, 7, r->sha256, sizeof r->sha256);
    r->issued_at = db_col_int64(st, 8);
    sq_col_text(st, 9, r->issued_by, sizeof r->issued_by);
    r->layers = (int)db_col_int64(st, 10);
    sq_col_text(st, 11, r->l1_by, sizeof r->l1_by);
    r->l1_at = db_col_int64(st, 12);
    sq_col_text(st, 13, r->l2_by, sizeof r->l2_by);
    r->l2_at = db_col_int64(st, 14);
    sq_col_text(st, 15, r->province, sizeof r->province);
}

static int result_row(struct store *s, const char *sql, const char *key, struct digi_result *out,
                      char **signature, struct err *e)
{
    const char *result_no = key;
    if (signature) *signature = NULL;
    struct db_stmt *st;
    int rc = sq_prep(s, sql, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, key ? key : "");
    int step = db_step(st);
    if (step == DB_ROW) {
        read_result(st, out);
        const char *sig = db_col_text(st, 16);
        if (signature && sig && *sig && !(*signature = strdup(sig)))
            rc = err_set(e, ERR_NOMEM, "", "out of memory");
    } else if (step == DB_DONE) {
        rc = sql == SQL_RES_GET
                 ? err_set(e, ERR_NOT_FOUND, "result_no", "no electronic result numbered '%.64s'",
                           result_no ? result_no : "")
                 : err_set(e, ERR_NOT_FOUND, "dossier", "dossier %.40s has no electronic result",
                           key);
    } else {
        rc = sq_fail(s, step, "electronic result", e);
    }
    sq_done(s, st);
    return rc;
}

int store_digi_result_get(struct store *s, const char *result_no, struct digi_result *out,
                          char **signature, struct err *e)
{
    return result_row(s, SQL_RES_GET, result_no, out, signature, e);
}

int store_digi_result_of_dossier(struct store *s, const char *dossier, struct digi_result *out,
                                 char **signature, struct err *e)
{
    return result_row(s, SQL_RES_OF_DOSSIER, dossier, out, signature, e);
}

struct reuse_tx {
    struct comp_tx c;
    const char *result_no;
};

static int reuse_tx(struct store *s, void *ctx, struct err *e)
{
    struct reuse_tx *x = ctx;
    struct digi_result r;
    struct dossier d;
    int rc = store_digi_result_get(s, x->result_no, &r, NULL, e);
    if (!rc) rc = store_dossier_get(s, x->c.in->dossier, &d, e);
    if (rc) return rc;
    if (!r.citizen_id[0] || strcmp(r.citizen_id, d.applicant.idno))
        return err_set(e, ERR_CONFLICT, "result_no",
                       "result '%s' belongs to another citizen than dossier %s's applicant",
                       r.result_no, d.code);
    struct digi_component *o = x->c.out;
    snprintf(o->name, sizeof o->name, "%.*s", DIGI_NAME_MAX, r.title);
    snprintf(o->mime, sizeof o->mime, "%s", r.mime);
    o->size = r.size;
    snprintf(o->sha256, sizeof o->sha256, "%s", r.sha256);
    snprintf(o->reused_from, sizeof o->reused_from, "%s", r.result_no);
    x->c.reuse_prov = r.province;
    return comp_tx(s, &x->c, e);
}

int store_digi_component_reuse(struct store *s, const char *dossier, int doc_index,
                               const char *result_no, const char *actor, int64_t at,
                               struct digi_component *out, struct err *e)
{
    int rc = comp_common(dossier, doc_index, actor, at, out, e);
    if (!rc) rc = digitise_result_no_check(result_no, e);
    if (rc) return rc;
    struct digi_component_in in = {.dossier = dossier, .doc_index = doc_index};
    struct reuse_tx x = {{&in, result_no, NULL, out, NULL}, result_no};
    /* the dossier's province: the reused result's (another's, maybe) is only read */
    return store_tx_dossier(s, dossier, reuse_tx, &x, e);
}

int store_digi_components(struct store *s, const char *dossier, digi_component_fn fn, void *ctx,
                          struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_COMP_LIST, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, dossier ? dossier : "");
    int step, urc = 0;
    while (!urc && (step = db_step(st)) == DB_ROW) {
        struct digi_component c;
        memset(&c, 0, sizeof c);
        c.id = db_col_int64(st, 0);
        sq_col_text(st, 1, c.dossier, sizeof c.dossier);
        c.doc_index = (int)db_col_int64(st, 2);
        sq_col_text(st, 3, c.doc_name, sizeof c.doc_name);
        sq_col_text(st, 4, c.name, sizeof c.name);
        sq_col_text(st, 5, c.mime, sizeof c.mime);
        c.size = db_col_int64(st, 6);
        sq_col_text(st, 7, c.sha256, sizeof c.sha256);
        sq_col_text(st, 8, c.reused_from, sizeof c.reused_from);
        c.at = db_col_int64(st, 9);
        sq_col_text(st, 10, c.by, sizeof c.by);
        sq_col_text(st, 11, c.province, sizeof c.province);
        urc = fn(&c, ctx);
    }
    rc = urc ? urc : step == DB_DONE ? 0 : sq_fail(s, step, "components", e);
    sq_done(s, st);
    return rc;
}

struct res_tx {
    const struct digi_result_in *in;
    struct digi_result *out;
};

static int res_tx(struct store *s, void *ctx, struct err *e)
{
    struct res_tx *x = ctx;
    struct digi_result *o = x->out;
    struct dossier d;
    int rc = store_dossier_get(s, x->in->dossier, &d, e);
    if (rc) return rc;
    if (d.st.status != DS_RESULT_READY && d.st.status != DS_RETURNED)
        return err_set(e, ERR_CONFLICT, "dossier",
                       "dossier %s has no result yet (status %s): an electronic result is "
                       "registered once the dossier is solved",
                       d.code, dossier_status_name(d.st.status));
    struct db_stmt *st;
    if ((rc = sq_prep(s, SQL_RES_BY_DOSSIER, &st, e))) return rc;
    db_bind_text(st, 1, d.code);
    int step = db_step(st);
    sq_done(s, st);
    if (step == DB_ROW)
        return err_set(e, ERR_CONFLICT, "dossier", "dossier %s already has an electronic result",
                       d.code);
    int complete0 = 0, eres0 = 0;
    if ((rc = store_digi_facts(s, &d, &complete0, &eres0, e))) return rc;
    snprintf(o->unit, sizeof o->unit, "%s", d.unit);
    snprintf(o->citizen_id, sizeof o->citizen_id, "%s", d.applicant.idno);
    char prov[UNIT_CODE_MAX]; /* the dossier's, as read above */
    if ((rc = sq_dossier_province(s, d.id, prov, sizeof prov, e)) ||
        (rc = sq_prov_guard(s, prov, e)) ||
        (rc = sq_blob_put(s, SQ_DIGI_BLOBS, o->sha256, x->in->data, o->size, prov, "file content",
                          e)) ||
        (rc = sq_prep(s, SQL_RES_INSERT, &st, e)))
        return rc;
    snprintf(o->province, sizeof o->province, "%s", prov);
    db_bind_text(st, 1, o->result_no);
    db_bind_text(st, 11, prov);
    db_bind_text(st, 2, o->dossier);
    db_bind_text(st, 3, o->unit);
    sq_bind_text(st, 4, o->citizen_id);
    db_bind_text(st, 5, o->title);
    db_bind_text(st, 6, o->mime);
    db_bind_int64(st, 7, o->size);
    db_bind_text(st, 8, o->sha256);
    db_bind_int64(st, 9, o->issued_at);
    db_bind_text(st, 10, o->issued_by);
    rc = sq_step_done(s, st, "electronic result", e);
    sq_done(s, st);
    if (rc == ERR_CONFLICT)
        rc = err_set(e, ERR_CONFLICT, "result_no", "result number '%s' is already registered",
                     o->result_no);
    /* the registered result makes the dossier's result electronic in the statistics (4.1) */
    return rc ? rc : store_stats_apply_facts(s, &d, complete0, eres0, e);
}

int store_digi_result_add(struct store *s, const struct digi_result_in *in, struct digi_result *out,
                          struct err *e)
{
    int64_t max = in->max_size > 0 ? in->max_size : DIGI_MAX_DEFAULT;
    char mime[DIGI_MIME_MAX] = "";
    memset(out, 0, sizeof *out);
    int rc = text_max("dossier", in->dossier, DOSSIER_CODE_LEN - 1, e);
    if (!rc) rc = digitise_result_no_check(in->result_no, e);
    if (!rc) rc = text_max("title", in->title, PROC_TEXT_MAX - 1, e);
    if (!rc) rc = text_max("actor", in->actor, sizeof out->issued_by - 1, e);
    if (!rc) rc = digitise_file_check(in->title, "application/pdf", in->size, max, e);
    if (!rc && !in->data) rc = err_set(e, ERR_INVALID, "file", "file: no content");
    if (!rc) rc = blob_sniff(in->data, (size_t)in->size, mime, sizeof mime, e);
    if (!rc && strcmp(mime, "application/pdf"))
        rc = err_set(e, ERR_INVALID, "file", "result: content is '%s', must be PDF",
                     mime[0] ? mime : "unknown");
    if (rc) return rc;
    snprintf(out->result_no, sizeof out->result_no, "%s", in->result_no);
    snprintf(out->dossier, sizeof out->dossier, "%s", in->dossier);
    snprintf(out->title, sizeof out->title, "%s", in->title);
    snprintf(out->mime, sizeof out->mime, "%s", mime);
    out->size = in->size;
    blob_sha256_hex(in->data, (size_t)in->size, out->sha256);
    out->issued_at = in->at;
    snprintf(out->issued_by, sizeof out->issued_by, "%s", in->actor);
    struct res_tx x = {in, out};
    return store_tx_dossier(s, in->dossier, res_tx, &x, e);
}

struct sign_tx {
    const char *no, *sig, *actor;
    int layer;
    int64_t at;
};

static int sign_tx(struct store *s, void *ctx, struct err *e)
{
    struct sign_tx *x = ctx;
    struct digi_result r;
    int rc = store_digi_result_get(s, x->no, &r, NULL, e);
    if (rc) return rc;
    if (r.layers != x->layer - 1)
        return err_set(e, ERR_CONFLICT, "layer",
                       x->layer == 2 && r.layers == 0
                           ? "layer 1 missing: result %s is not signed by the competent person"
                           : "result %s already has signature layer(s) up to %d",
                       r.result_no, r.layers);
    struct db_stmt *st;
    if ((rc = sq_prov_guard(s, r.province, e)) || /* the row read to be changed */
        (rc = sq_prep(s, x->layer == 1 ? SQL_RES_SIGN1 : SQL_RES_SIGN2, &st, e)))
        return rc;
    db_bind_text(st, 1, x->no);
    db_bind_text(st, 2, x->sig);
    db_bind_text(st, 3, x->actor);
    db_bind_int64(st, 4, x->at);
    rc = sq_step_done(s, st, "signature", e);
    sq_done(s, st);
    return rc;
}

int store_digi_result_sign(struct store *s, const char *result_no, int layer, const char *sig,
                           const char *actor, int64_t at, struct err *e)
{
    if (layer != 1 && layer != 2)
        return err_set(e, ERR_INVALID, "layer", "layer %d: must be 1 or 2", layer);
    int rc = text_max("signature", sig, 1 << 20, e);
    if (!rc) rc = text_max("actor", actor, 63, e);
    if (rc) return rc;
    struct sign_tx x = {result_no, sig, actor, layer, at};
    /* the result's province, its dossier's */
    return sq_tx_keyed(s, SQL_RES_LOCK_PROVINCE, result_no, sign_tx, &x, e);
}

int store_digi_result_find(struct store *s, const char *result_no, const char *citizen_id,
                           digi_result_fn fn, void *ctx, struct err *e)
{
    if ((!result_no || !*result_no) && (!citizen_id || !*citizen_id))
        return err_set(e, ERR_INVALID, "query", "give a result number or a citizen ID number");
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_RES_FIND, &st, e);
    if (rc) return rc;
    sq_bind_text(st, 1, result_no);
    sq_bind_text(st, 2, citizen_id);
    int step, urc = 0;
    while (!urc && (step = db_step(st)) == DB_ROW) {
        struct digi_result r;
        read_result(st, &r);
        urc = fn(&r, ctx);
    }
    rc = urc ? urc : step == DB_DONE ? 0 : sq_fail(s, step, "electronic results", e);
    sq_done(s, st);
    return rc;
}

struct fig_ctx {
    struct store *s;
    struct digitise_figures *f;
    digi_fact_fn fn;
    void *ctx;
    struct procedure proc; /* the last procedure read */
    struct err *e;
    int rc;
};

static int fig_one(const struct dossier *d, void *vctx)
{
    struct fig_ctx *c = vctx;
    struct digi_dossier_fact x = {.d = d};
    if (strcmp(c->proc.code, d->procedure) &&
        (c->rc = store_procedure_get(c->s, d->procedure, &c->proc, c->e)))
        return c->rc;
    x.ndocs = c->proc.ndocs;
    struct db_stmt *st;
    if ((c->rc = sq_prep(c->s, SQL_COMP_COUNT, &st, c->e))) return c->rc;
    db_bind_text(st, 1, d->code);
    uint32_t have = 0;
    int step;
    while ((step = db_step(st)) == DB_ROW) {
        int64_t i = db_col_int64(st, 0);
        if (i >= 1 && i <= 32) have |= UINT32_C(1) << (i - 1);
        x.ndigitised++;
        x.reused |= !db_col_null(st, 1);
    }
    sq_done(c->s, st);
    if (step != DB_DONE) return c->rc = sq_fail(c->s, step, "components", c->e);
    if ((c->rc = sq_prep(c->s, SQL_RES_BY_DOSSIER, &st, c->e))) return c->rc;
    db_bind_text(st, 1, d->code);
    step = db_step(st);
    sq_done(c->s, st);
    if (step != DB_ROW && step != DB_DONE) return c->rc = sq_fail(c->s, step, "results", c->e);
    x.e_result = step == DB_ROW;
    x.complete = digitise_dossier_complete(c->proc.docs, x.ndocs, have);
    x.solved = d->st.status == DS_RESULT_READY || d->st.status == DS_RETURNED;
    int64_t day = d->st.received_at >= 0 ? d->st.received_at / 1440 : 0;
    x.required = digitise_required(d->channel, day, NULL);
    x.declared = d->digitised && !x.complete;
    c->f->received++;
    c->f->complete += x.complete || x.declared;
    c->f->reused += x.reused;
    c->f->solved += x.solved;
    c->f->e_result += x.solved && x.e_result;
    return c->fn ? (c->rc = c->fn(&x, c->ctx)) : 0;
}

int store_digi_figures(struct store *s, const char *unit, int64_t from_day, int64_t to_day,
                       struct digitise_figures *out, digi_fact_fn fn, void *ctx, struct err *e)
{
    memset(out, 0, sizeof *out);
    struct fig_ctx *c = calloc(1, sizeof *c);
    if (!c) return err_set(e, ERR_NOMEM, "", "out of memory");
    c->s = s;
    c->f = out;
    c->fn = fn;
    c->ctx = ctx;
    c->e = e;
    struct dossier_filter f = {.unit = unit,
                               .status = -1,
                               .outcome = -1,
                               .from_day = from_day,
                               .to_day = to_day,
                               .rows = DOSSIER_ROWS_FULL};
    int rc = store_dossier_list(s, &f, fig_one, c, e);
    if (!rc) rc = c->rc;
    free(c);
    return rc;
}
