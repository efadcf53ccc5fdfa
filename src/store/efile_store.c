/* efile_store.c — online filing's rows (store_efile.h) in the SQL both backends share
 * (db.h): filings, their documents (content in digi_blobs, by SHA-256), the submission that
 * makes a dossier, the citizen's answer to a supplement request and the online-service
 * figures. A filing carries its province (migration 042), the root of its unit's tree when it
 * is created, never changed; its documents carry the filing's. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blob.h"
#include "catalog.h"
#include "sqlite_int.h"
#include "store_efile.h"

#define FILING_COLS                                                                                \
    "f.id, f.contact, f.procedure_code, f.unit_code, f.decider_unit, f.name, f.idno, f.phone, "    \
    "f.address, f.created_at, f.submitted_at, f.dossier_code, f.paper, f.result_online_at, "       \
    "f.province"
static const char SQL_INSERT[] =
    "INSERT INTO efile_filings (id, contact, procedure_code, unit_code, decider_unit, name, idno, "
    "phone, address, created_at, province) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
/* the filing's province for its write lock, read before the transaction */
static const char SQL_LOCK_PROVINCE[] = "SELECT province FROM efile_filings WHERE id = ?1 LIMIT 2";
static const char SQL_GET[] = "SELECT " FILING_COLS " FROM efile_filings f WHERE f.id = ?1";
static const char SQL_OF_DOSSIER[] =
    "SELECT " FILING_COLS " FROM efile_filings f WHERE f.dossier_code = ?1";
static const char SQL_LIST[] =
    "SELECT " FILING_COLS ", d.status FROM efile_filings f LEFT JOIN dossiers d ON d.code = "
    "f.dossier_code WHERE (CAST(?1 AS TEXT) IS NULL OR d.status = ?1) AND (CAST(?2 AS TEXT) IS "
    "NULL OR f.contact = ?2) AND (CAST(?1 AS TEXT) IS NOT NULL OR CAST(?2 AS TEXT) IS NOT NULL OR "
    "f.dossier_code IS NOT NULL) ORDER BY f.submitted_at, f.id";
/* a document's content: its own province's copy */
static const char SQL_BLOB_GET[] =
    "SELECT b.content FROM efile_documents d JOIN digi_blobs b ON b.sha256 = d.sha256 AND "
    "b.province = d.province WHERE d.filing_id = ?1 AND d.doc_index = ?2";
#define DOC_COLS "doc_index, doc_name, name, mime, size, sha256, uploaded_at, round"
static const char SQL_DOC_PUT[] =
    "INSERT INTO efile_documents (filing_id, " DOC_COLS ", province) VALUES (?1, ?2, ?3, ?4, ?5, "
    "?6, ?7, ?8, ?9, ?10) ON CONFLICT (filing_id, doc_index, province) DO UPDATE SET doc_name = "
    "excluded.doc_name, name = excluded.name, mime = excluded.mime, size = excluded.size, "
    "sha256 = excluded.sha256, uploaded_at = excluded.uploaded_at, round = excluded.round";
static const char SQL_DOCS[] =
    "SELECT " DOC_COLS " FROM efile_documents WHERE filing_id = ?1 ORDER BY doc_index";
static const char SQL_OTHERS[] = "SELECT coalesce(sum(size), 0) FROM efile_documents WHERE "
                                 "filing_id = ?1 AND doc_index <> ?2";
static const char SQL_ROUND_DOCS[] =
    "SELECT count(*) FROM efile_documents WHERE filing_id = ?1 AND round = ?2";
static const char SQL_SUBMITTED[] = "UPDATE efile_filings SET submitted_at = ?2, dossier_code = "
                                    "?3, paper = ?4 WHERE id = ?1 AND dossier_code IS NULL";
static const char SQL_TAKEN[] = "UPDATE efile_filings SET result_online_at = ?2 WHERE id = ?1 "
                                "AND result_online_at IS NULL";
static const char SQL_PROCS[] =
    "SELECT count(*), coalesce(sum(CASE WHEN online <> 'none' THEN 1 ELSE 0 END), 0) FROM "
    "procedures WHERE CAST(?1 AS TEXT) IS NULL OR level = ?1";
/* The figures of one unit (or, with the unit NULL, of every unit) in a period. Received and
 * received online are the statistics counters (kept in the same transaction as each
 * reception, equal to `cchc stats rebuild`): the period's whole months from stats_month, the
 * days at its edges from stats_unit_day, as the dashboard reads them (sqlite_stats.c). The
 * procedures used online are the online procedures with a row of the online channel in
 * stats_day, one index seek each. The 766 index asks for each ranked unit in turn, and
 * reading the dossiers' rows made a province's index grow with the data (bench/curve.sh:
 * 1.9 s at 20,000 dossiers). ?1 level, ?2 unit, ?3/?4 the period's first and last day. */
#define SQL_USED_OF(unit_is)                                                                       \
    "SELECT count(*) FROM procedures p WHERE p.online <> 'none' AND (CAST(?1 AS TEXT) IS NULL "    \
    "OR p.level = ?1) AND EXISTS (SELECT 1 FROM stats_day s WHERE " unit_is " AND "                \
    "s.procedure_code = p.code AND s.channel = 'online' AND s.day BETWEEN ?3 AND ?4 AND "          \
    "s.received > 0)"
static const char SQL_USED[] = SQL_USED_OF("CAST(?2 AS TEXT) IS NULL");
static const char SQL_USED_UNIT[] = SQL_USED_OF("s.unit_code = ?2");
/* ?1 unit; whole months ?2..?3; edge days ?4..?5 and ?6..?7 */
#define SQL_RECEIVED_OF(unit_is)                                                                   \
    "SELECT coalesce(sum(r), 0), coalesce(sum(o), 0) FROM (SELECT received r, received_online "    \
    "o FROM stats_month WHERE " unit_is " AND month BETWEEN ?2 AND ?3 UNION ALL SELECT "           \
    "received, received_online FROM stats_unit_day WHERE " unit_is " AND (day BETWEEN ?4 AND ?5 "  \
    "OR day BETWEEN ?6 AND ?7)) t"
static const char SQL_RECEIVED[] = SQL_RECEIVED_OF("CAST(?1 AS TEXT) IS NULL");
static const char SQL_RECEIVED_UNIT[] = SQL_RECEIVED_OF("unit_code = ?1");
/* Driven by the filings (the correlated form keeps SQLite from walking the period's dossiers
 * for a join with the few filings). */
static const char SQL_SERVED_FULL[] =
    "SELECT count(*) FROM efile_filings f WHERE f.paper = 0 AND f.result_online_at IS NOT NULL "
    "AND EXISTS (SELECT 1 FROM dossiers d WHERE d.code = f.dossier_code AND (CAST(?1 AS TEXT) IS "
    "NULL OR d.unit_code = ?1) AND d.received_at >= ?2 AND d.received_at < ?3)";

/* The same figures for many units at once (store_efile_figures_units): one statement each,
 * grouped by unit, over the units whose parent is ?1 (NULL: every unit). The procedures by
 * level; the used ones probed as above, one index seek per unit and online procedure, in one
 * statement (a unit of the list is a row of units: dossiers.unit_code references it, and the
 * statistics count dossiers; the OFFSET keeps PostgreSQL from turning the probes into a
 * semi-join that reads every unit's stats_day rows of the period: 10 -> 4 ms for the
 * province at 20,000 dossiers, and flat as the data grows); received from the counters; served
 * fully online driven by the filings, in the order written (CROSS JOIN). ?2/?3 the period's first
 * and last day, or for the received the whole months ?2..?3 and the edge days ?4..?5, ?6..?7; for
 * the served the minutes [?2, ?3). */
static const char SQL_PROCS_BY_LEVEL[] =
    "SELECT level, count(*), coalesce(sum(CASE WHEN online <> 'none' THEN 1 ELSE 0 END), 0) "
    "FROM procedures GROUP BY level";
static const char SQL_USED_UNITS[] =
    "SELECT u.code, p.level, count(*) FROM units u CROSS JOIN procedures p WHERE (CAST(?1 AS "
    "TEXT) IS NULL OR u.parent = ?1) AND p.online <> 'none' AND EXISTS (SELECT 1 FROM stats_day "
    "s WHERE s.unit_code = u.code AND s.procedure_code = p.code AND s.channel = 'online' AND "
    "s.day BETWEEN ?2 AND ?3 AND s.received > 0 LIMIT 1 OFFSET 0) GROUP BY u.code, p.level";
static const char SQL_RECEIVED_UNITS[] =
    "SELECT unit_code, coalesce(sum(r), 0), coalesce(sum(o), 0) FROM (SELECT unit_code, "
    "received r, received_online o FROM stats_month WHERE month BETWEEN ?2 AND ?3 UNION ALL "
    "SELECT unit_code, received, received_online FROM stats_unit_day WHERE day BETWEEN ?4 AND "
    "?5 OR day BETWEEN ?6 AND ?7) t WHERE CAST(?1 AS TEXT) IS NULL OR unit_code IN (SELECT code "
    "FROM units WHERE parent = ?1) GROUP BY unit_code";
static const char SQL_SERVED_UNITS[] =
    "SELECT d.unit_code, count(*) FROM efile_filings f CROSS JOIN dossiers d WHERE d.code = "
    "f.dossier_code AND f.paper = 0 AND f.result_online_at IS NOT NULL AND d.received_at >= ?2 "
    "AND d.received_at < ?3 AND (CAST(?1 AS TEXT) IS NULL OR d.unit_code IN (SELECT code FROM "
    "units WHERE parent = ?1)) GROUP BY d.unit_code";

static void read_filing(struct db_stmt *st, struct efile_filing *f)
{
    memset(f, 0, sizeof *f);
    sq_col_text(st, 0, f->id, sizeof f->id);
    sq_col_text(st, 1, f->contact, sizeof f->contact);
    sq_col_text(st, 2, f->procedure, sizeof f->procedure);
    sq_col_text(st, 3, f->unit, sizeof f->unit);
    sq_col_text(st, 4, f->decider, sizeof f->decider);
    sq_col_text(st, 5, f->applicant.name, sizeof f->applicant.name);
    sq_col_text(st, 6, f->applicant.idno, sizeof f->applicant.idno);
    sq_col_text(st, 7, f->applicant.phone, sizeof f->applicant.phone);
    sq_col_text(st, 8, f->applicant.address, sizeof f->applicant.address);
    f->created_at = db_col_int64(st, 9);
    f->submitted_at = db_col_int64(st, 10);
    sq_col_text(st, 11, f->dossier, sizeof f->dossier);
    f->paper = (uint32_t)db_col_int64(st, 12);
    f->result_online_at = db_col_int64(st, 13);
    sq_col_text(st, 14, f->province, sizeof f->province);
}

static int filing_row(struct store *s, const char *sql, const char *key, struct efile_filing *out,
                      struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, sql, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, key);
    int step = db_step(st);
    if (step == DB_ROW)
        read_filing(st, out);
    else if (step == DB_DONE)
        rc = sql == SQL_GET
                 ? err_set(e, ERR_NOT_FOUND, "id", "no online filing '%.40s'", key)
                 : err_set(e, ERR_NOT_FOUND, "code", "dossier '%.40s' was not filed online", key);
    else
        rc = sq_fail(s, step, "online filing", e);
    sq_done(s, st);
    return rc;
}

int store_efile_get(struct store *s, const char *id, struct efile_filing *out, struct err *e)
{
    return filing_row(s, SQL_GET, id, out, e);
}

int store_efile_of_dossier(struct store *s, const char *code, struct efile_filing *out,
                           struct err *e)
{
    return filing_row(s, SQL_OF_DOSSIER, code, out, e);
}

/* Receiving regardless of residence: may f's unit receive for f's decider? */
static int decider_ok(struct store *s, const struct procedure *p, const struct efile_filing *f,
                      struct err *e)
{
    if (!f->decider[0] || !strcmp(f->decider, f->unit)) return 0;
    struct unit u;
    int rc = store_unit_get(s, f->decider, &u, NULL);
    if (rc == ERR_NOT_FOUND)
        return err_set(e, ERR_NOT_FOUND, "decider", "deciding unit '%s' does not exist",
                       f->decider);
    char rp[UNIT_CODE_MAX], dp[UNIT_CODE_MAX];
    if (rc || (rc = store_unit_province(s, f->unit, rp, e)) ||
        (rc = store_unit_province(s, f->decider, dp, e)))
        return rc ? rc : store_unit_get(s, f->decider, &u, e);
    return receive_check(p, f->unit, rp, f->decider, dp, e);
}

static int create_tx(struct store *s, void *ctx, struct err *e)
{
    struct efile_filing *f = ctx;
    struct procedure *p = calloc(1, sizeof *p);
    struct unit u;
    if (!p) return err_set(e, ERR_NOMEM, "", "out of memory");
    int rc = store_procedure_get(s, f->procedure, p, e);
    if (!rc && !efile_offered(p->online))
        rc = err_set(e, ERR_CONFLICT, "procedure", "procedure %s is not offered online",
                     f->procedure);
    if (!rc) rc = store_unit_get(s, f->unit, &u, e);
    if (!rc) rc = decider_ok(s, p, f, e);
    free(p);
    /* the root of the unit's tree, fixed now (docs/scale.md, decision 6): first_submit makes
     * the dossier with this same unit_code as its receiving unit, so the dossier takes the same
     * root (the same province while the unit tree is unchanged between the two) */
    char prov[UNIT_CODE_MAX];
    struct db_stmt *st;
    if (rc || (rc = sq_unit_root(s, f->unit, prov, sizeof prov, e)) ||
        (rc = sq_prov_guard(s, prov, e)) || (rc = sq_prep(s, SQL_INSERT, &st, e)))
        return rc;
    snprintf(f->province, sizeof f->province, "%s", prov);
    db_bind_text(st, 1, f->id);
    db_bind_text(st, 2, f->contact);
    db_bind_text(st, 3, f->procedure);
    db_bind_text(st, 4, f->unit);
    sq_bind_text(st, 5, f->decider);
    db_bind_text(st, 6, f->applicant.name);
    sq_bind_text(st, 7, f->applicant.idno);
    sq_bind_text(st, 8, f->applicant.phone);
    sq_bind_text(st, 9, f->applicant.address);
    db_bind_int64(st, 10, f->created_at);
    db_bind_text(st, 11, prov);
    rc = sq_step_done(s, st, "online filing", e);
    sq_done(s, st);
    return rc;
}

int store_efile_create(struct store *s, struct efile_filing *f, struct err *e)
{
    size_t n = strlen(f->contact);
    if (!n || n >= sizeof f->contact)
        return err_set(e, ERR_INVALID, "contact",
                       "contact: the confirmed phone or e-mail is "
                       "required");
    int rc = applicant_check(&f->applicant, e);
    if (rc) return rc;
    if (!f->id[0]) {
        unsigned char raw[16];
        randombytes_buf(raw, sizeof raw);
        sodium_bin2hex(f->id, sizeof f->id, raw, sizeof raw);
    }
    /* the root of the unit's tree, the filing's province for good (as store_dossier_create) */
    return store_tx_unit(s, f->unit, create_tx, f, e);
}

static void read_doc(struct db_stmt *st, struct efile_doc *d)
{
    memset(d, 0, sizeof *d);
    d->doc_index = (int)db_col_int64(st, 0);
    sq_col_text(st, 1, d->doc_name, sizeof d->doc_name);
    sq_col_text(st, 2, d->name, sizeof d->name);
    sq_col_text(st, 3, d->mime, sizeof d->mime);
    d->size = db_col_int64(st, 4);
    sq_col_text(st, 5, d->sha256, sizeof d->sha256);
    d->at = db_col_int64(st, 6);
    d->round = (int)db_col_int64(st, 7);
}

int store_efile_docs(struct store *s, const char *id, efile_doc_fn fn, void *ctx, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_DOCS, &st, e), step;
    if (rc) return rc;
    db_bind_text(st, 1, id);
    while ((step = db_step(st)) == DB_ROW) {
        struct efile_doc d;
        read_doc(st, &d);
        if ((rc = fn(&d, ctx))) break;
    }
    if (!rc && step != DB_DONE) rc = sq_fail(s, step, "online filing documents", e);
    sq_done(s, st);
    return rc;
}

static int one_int(struct store *s, const char *sql, const char *a, int64_t b, int64_t *out,
                   struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, sql, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, a);
    db_bind_int64(st, 2, b);
    int step = db_step(st);
    if (step == DB_ROW)
        *out = db_col_int64(st, 0);
    else
        rc = sq_fail(s, step, "online filing documents", e);
    sq_done(s, st);
    return rc;
}

/* The filing and, once filed, its dossier: may documents be uploaded now? *round receives the
 * round the documents belong to. */
static int upload_open(struct store *s, const struct efile_filing *f, int *round, struct err *e)
{
    *round = 0;
    if (!f->dossier[0]) return 0;
    struct dossier d;
    int rc = store_dossier_get(s, f->dossier, &d, e);
    if (rc) return rc;
    if (d.st.status != DS_SUPPLEMENT_REQUESTED)
        return err_set(e, ERR_CONFLICT, "id",
                       "filing %.40s was submitted as dossier %s (status %s): documents are "
                       "uploaded again only when the desk asks for them",
                       f->id, f->dossier, dossier_status_name(d.st.status));
    *round = d.st.supplements;
    return 0;
}

struct put_tx {
    const struct efile_doc_in *in;
    struct efile_doc *out;
    enum efile_refusal *why;
};

static int put_tx(struct store *s, void *ctx, struct err *e)
{
    struct put_tx *x = ctx;
    const struct efile_doc_in *in = x->in;
    struct efile_doc *o = x->out;
    struct efile_filing f;
    int round = 0;
    int rc = store_efile_get(s, in->filing, &f, e);
    if (!rc) rc = upload_open(s, &f, &round, e);
    if (rc) return rc;
    struct procedure *p = calloc(1, sizeof *p);
    if (!p) return err_set(e, ERR_NOMEM, "", "out of memory");
    rc = store_procedure_get(s, f.procedure, p, e);
    int max = p->ndocs > 0 ? p->ndocs : PROC_DOCS_MAX;
    if (!rc && (in->doc_index < 1 || in->doc_index > max))
        rc = err_set(e, ERR_INVALID, "doc", "doc %d: procedure %s lists %d documents (1..%d)",
                     in->doc_index, p->code, p->ndocs, max);
    else if (!rc && p->ndocs > 0)
        snprintf(o->doc_name, sizeof o->doc_name, "%s", p->docs[in->doc_index - 1]);
    else if (!rc)
        snprintf(o->doc_name, sizeof o->doc_name, "Thành phần %d", in->doc_index);
    free(p);
    int64_t others = 0;
    if (!rc) rc = one_int(s, SQL_OTHERS, f.id, in->doc_index, &others, e);
    if (rc) return rc;
    if ((*x->why = efile_file_check(in->name, o->mime, in->size, in->file_max, others,
                                    in->dossier_max, e)))
        return ERR_INVALID;
    o->round = round;
    struct db_stmt *st;
    const char *prov = f.province; /* the filing's; a replaced document keeps its row's */
    if ((rc = sq_prov_guard(s, prov, e)) ||
        (rc = sq_blob_put(s, SQ_DIGI_BLOBS, o->sha256, in->data, in->size, prov, "file content",
                          e)) ||
        (rc = sq_prep(s, SQL_DOC_PUT, &st, e)))
        return rc;
    db_bind_text(st, 1, f.id);
    db_bind_text(st, 10, prov);
    db_bind_int64(st, 2, o->doc_index);
    db_bind_text(st, 3, o->doc_name);
    db_bind_text(st, 4, o->name);
    db_bind_text(st, 5, o->mime);
    db_bind_int64(st, 6, o->size);
    db_bind_text(st, 7, o->sha256);
    db_bind_int64(st, 8, o->at);
    db_bind_int64(st, 9, o->round);
    rc = sq_step_done(s, st, "online filing document", e);
    sq_done(s, st);
    return rc;
}

int store_efile_doc_put(struct store *s, const struct efile_doc_in *in, struct efile_doc *out,
                        enum efile_refusal *why, struct err *e)
{
    *why = EFILE_OK;
    memset(out, 0, sizeof *out);
    int64_t file_max = in->file_max > 0 ? in->file_max : EFILE_FILE_MAX_DEFAULT;
    /* name and size first: a file over the limit is neither sniffed nor hashed */
    if ((*why = efile_file_check(in->name, "application/pdf", in->size, file_max, 0, INT64_MAX / 2,
                                 e)))
        return ERR_INVALID;
    if (!in->data) return err_set(e, ERR_INVALID, "file", "file: no content");
    int rc = blob_sniff(in->data, (size_t)in->size, out->mime, sizeof out->mime, e);
    if (rc) return rc;
    out->doc_index = in->doc_index;
    snprintf(out->name, sizeof out->name, "%s", in->name);
    out->size = in->size;
    out->at = in->at;
    blob_sha256_hex(in->data, (size_t)in->size, out->sha256);
    struct efile_doc_in in2 = *in;
    in2.file_max = file_max;
    struct put_tx x = {&in2, out, why};
    return sq_tx_keyed(s, SQL_LOCK_PROVINCE, in->filing, put_tx, &x, e); /* the filing's */
}

struct find_doc {
    int want;
    struct efile_doc *d;
    int found;
};

static int find_doc(const struct efile_doc *d, void *ctx)
{
    struct find_doc *x = ctx;
    if (d->doc_index == x->want) *x->d = *d, x->found = 1;
    return 0;
}

int store_efile_doc_file(struct store *s, const char *id, int doc_index, struct efile_doc *doc,
                         void **data, size_t *n, struct err *e)
{
    *data = NULL;
    *n = 0;
    struct find_doc x = {doc_index, doc, 0};
    int rc = store_efile_docs(s, id, find_doc, &x, e);
    if (rc) return rc;
    if (!x.found)
        return err_set(e, ERR_NOT_FOUND, "doc", "document %d of filing %.40s was not uploaded",
                       doc_index, id);
    struct db_stmt *st;
    if ((rc = sq_prep(s, SQL_BLOB_GET, &st, e))) return rc;
    db_bind_text(st, 1, id);
    db_bind_int64(st, 2, doc_index);
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
    } else
        rc = step == DB_DONE ? err_set(e, ERR_NOT_FOUND, "doc", "document content missing")
                             : sq_fail(s, step, "file content", e);
    sq_done(s, st);
    return rc;
}

struct have_ctx {
    uint32_t have;
};

static int have_doc(const struct efile_doc *d, void *ctx)
{
    struct have_ctx *h = ctx;
    if (d->doc_index >= 1 && d->doc_index <= 32) h->have |= 1u << (d->doc_index - 1);
    return 0;
}

struct submit_tx {
    const struct calendar *cal;
    const char *id;
    uint32_t paper;
    int64_t at;
    struct dossier *out;
};

static int first_submit(struct store *s, struct submit_tx *x, const struct efile_filing *f,
                        struct err *e)
{
    struct procedure *p = calloc(1, sizeof *p);
    if (!p) return err_set(e, ERR_NOMEM, "", "out of memory");
    struct have_ctx h = {0};
    int rc = store_procedure_get(s, f->procedure, p, e);
    if (!rc) rc = store_efile_docs(s, f->id, have_doc, &h, e);
    if (!rc)
        rc = efile_complete((const char(*)[PROC_TEXT_MAX])p->docs, p->ndocs, p->online, h.have,
                            x->paper, e);
    int pos[PROC_DOCS_MAX], n = 0;
    for (int i = 0; i < PROC_DOCS_MAX && i < 32; i++)
        if (((h.have | x->paper) >> i) & 1u) pos[n++] = i + 1;
    struct dossier_intake in = {0};
    /* received by the filing's own unit_code: the dossier's province (the root of that unit's
     * tree, sqb_dossier_insert) is the filing's (create_tx) */
    in.unit = f->unit;
    in.procedure = f->procedure;
    in.channel = CHANNEL_ONLINE;
    in.applicant = f->applicant;
    in.at = x->at;
    in.actor = "portal";
    in.receive = 0;
    in.docs = pos;
    in.ndocs = n;
    in.proc = p;
    in.decider = f->decider[0] ? f->decider : NULL;
    in.digitised = 0;
    if (!rc && p->ndocs == 0) in.docs = NULL, in.ndocs = 0;
    if (!rc) rc = store_dossier_create(s, x->cal, &in, x->out, e);
    free(p);
    struct db_stmt *st;
    if (rc || (rc = sq_prov_guard(s, f->province, e)) || (rc = sq_prep(s, SQL_SUBMITTED, &st, e)))
        return rc;
    db_bind_text(st, 1, f->id);
    db_bind_int64(st, 2, x->at);
    db_bind_text(st, 3, x->out->code);
    db_bind_int64(st, 4, (int64_t)x->paper);
    rc = sq_step_done(s, st, "online filing", e);
    sq_done(s, st);
    return rc;
}

static int submit_tx(struct store *s, void *ctx, struct err *e)
{
    struct submit_tx *x = ctx;
    struct efile_filing f;
    int rc = store_efile_get(s, x->id, &f, e);
    if (rc) return rc;
    if (!f.dossier[0]) return first_submit(s, x, &f, e);
    int round = 0;
    int64_t n = 0;
    if ((rc = upload_open(s, &f, &round, e))) return rc;
    if ((rc = one_int(s, SQL_ROUND_DOCS, f.id, round, &n, e))) return rc;
    if (n == 0)
        return err_set(e, ERR_INVALID, "documents",
                       "documents: upload the documents the desk asked for before answering");
    struct dossier_change c = {0};
    c.code = f.dossier;
    c.action = DA_SUPPLEMENT_RECEIVED;
    c.at = x->at;
    c.actor = "portal";
    c.note = "bổ sung trực tuyến";
    c.supplement_rule = SUPPLEMENT_RESUME;
    return store_dossier_apply(s, x->cal, &c, x->out, e);
}

int store_efile_submit(struct store *s, const struct calendar *cal, const char *id, uint32_t paper,
                       int64_t at, struct dossier *out, struct err *e)
{
    struct dossier tmp;
    struct submit_tx x = {cal, id, paper, at, out ? out : &tmp};
    /* the filing's province: its dossier's (first_submit), or the one it has (an answer) */
    return sq_tx_keyed(s, SQL_LOCK_PROVINCE, id, submit_tx, &x, e);
}

int store_efile_result_taken(struct store *s, const char *id, int64_t at, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_TAKEN, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, id);
    db_bind_int64(st, 2, at);
    rc = sq_step_done(s, st, "online filing", e);
    sq_done(s, st);
    return rc;
}

int store_efile_list(struct store *s, int status, const char *contact, efile_row_fn fn, void *ctx,
                     struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_LIST, &st, e), step;
    if (rc) return rc;
    sq_bind_text(st, 1, status >= 0 ? dossier_status_name((enum dossier_status)status) : NULL);
    sq_bind_text(st, 2, contact);
    while ((step = db_step(st)) == DB_ROW) {
        struct efile_filing f;
        char stname[24];
        read_filing(st, &f);
        sq_col_text(st, 15, stname, sizeof stname);
        if ((rc = fn(&f, stname, ctx))) break;
    }
    if (!rc && step != DB_DONE) rc = sq_fail(s, step, "listing online filings", e);
    sq_done(s, st);
    return rc;
}

/* Binds ?2..?7 of SQL_RECEIVED_OF: the whole months inside the period [from_day, to_day], and
 * the days before and after them. */
static void bind_months(struct db_stmt *st, int64_t from_day, int64_t to_day)
{
    int64_t m0 = stats_month_of_day(from_day), m1 = stats_month_of_day(to_day);
    int64_t w0 = stats_month_first_day(m0) == from_day ? m0 : m0 + 1;
    int64_t w1 = stats_month_first_day(m1 + 1) - 1 == to_day ? m1 : m1 - 1;
    int64_t d1 = to_day, d2 = 1, d3 = 0; /* the edge days: [from_day, d1] and [d2, d3] */
    if (w0 <= w1)
        d1 = stats_month_first_day(w0) - 1, d2 = stats_month_first_day(w1 + 1), d3 = to_day;
    else
        w0 = 1, w1 = 0;
    db_bind_int64(st, 2, w0);
    db_bind_int64(st, 3, w1);
    db_bind_int64(st, 4, from_day);
    db_bind_int64(st, 5, d1);
    db_bind_int64(st, 6, d2);
    db_bind_int64(st, 7, d3);
}

int store_efile_figures(struct store *s, const char *unit, int level, int64_t from_day,
                        int64_t to_day, struct efile_figures *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    const char *lv = level >= 0 ? proc_level_name((enum proc_level)level) : NULL;
    int64_t from = from_day * MINUTES_PER_DAY, to = (to_day + 1) * MINUTES_PER_DAY;
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_PROCS, &st, e), step;
    if (rc) return rc;
    sq_bind_text(st, 1, lv);
    if ((step = db_step(st)) == DB_ROW) {
        out->procedures = db_col_int64(st, 0);
        out->procedures_online = db_col_int64(st, 1);
    } else
        rc = sq_fail(s, step, "counting procedures", e);
    sq_done(s, st);
    if (rc || (rc = sq_prep(s, unit ? SQL_USED_UNIT : SQL_USED, &st, e))) return rc;
    sq_bind_text(st, 1, lv);
    sq_bind_text(st, 2, unit);
    db_bind_int64(st, 3, from_day);
    db_bind_int64(st, 4, to_day);
    if ((step = db_step(st)) == DB_ROW)
        out->procedures_used = db_col_int64(st, 0);
    else
        rc = sq_fail(s, step, "counting procedures filed online", e);
    sq_done(s, st);
    if (rc || (rc = sq_prep(s, unit ? SQL_RECEIVED_UNIT : SQL_RECEIVED, &st, e))) return rc;
    sq_bind_text(st, 1, unit);
    bind_months(st, from_day, to_day);
    if ((step = db_step(st)) == DB_ROW) {
        out->received = db_col_int64(st, 0);
        out->received_online = db_col_int64(st, 1);
    } else
        rc = sq_fail(s, step, "counting online dossiers", e);
    sq_done(s, st);
    if (rc || (rc = sq_prep(s, SQL_SERVED_FULL, &st, e))) return rc;
    sq_bind_text(st, 1, unit);
    db_bind_int64(st, 2, from);
    db_bind_int64(st, 3, to);
    if ((step = db_step(st)) == DB_ROW)
        out->served_full = db_col_int64(st, 0);
    else
        rc = sq_fail(s, step, "counting online dossiers", e);
    sq_done(s, st);
    return rc;
}

/* ---- many units at once ---- */

struct units_ix {
    int n;
    const int *levels;
    struct efile_figures *out;
    struct sq_code_pos *order; /* the list by code */
};

/* Does a row of procedure level `name` count for unit i (its level, or every level)? */
static int level_counts(const struct units_ix *x, int i, const char *name)
{
    return x->levels[i] < 0 || !strcmp(name, proc_level_name((enum proc_level)x->levels[i]));
}

/* Runs one of the grouped statements (?1 parent, bound by the caller with the rest) and adds
 * each row (unit code, then for `used` its procedures' level and count, else the counts) to
 * the figures of every unit of the list with that code. */
static int add_rows(struct store *s, struct db_stmt *st, const struct units_ix *x, const char *sql,
                    const char *what, struct err *e)
{
    int step;
    while ((step = db_step(st)) == DB_ROW) {
        char code[UNIT_CODE_MAX], level[16];
        sq_col_text(st, 0, code, sizeof code);
        for (int k = sq_code_lower_bound(x->order, x->n, sq_code_pos_at, code);
             k < x->n && !strcmp(x->order[k].code, code); k++) {
            int i = x->order[k].i;
            struct efile_figures *f = &x->out[i];
            if (sql == SQL_USED_UNITS) {
                sq_col_text(st, 1, level, sizeof level);
                if (level_counts(x, i, level)) f->procedures_used += db_col_int64(st, 2);
            } else if (sql == SQL_RECEIVED_UNITS) {
                f->received += db_col_int64(st, 1);
                f->received_online += db_col_int64(st, 2);
            } else
                f->served_full += db_col_int64(st, 1);
        }
    }
    return step == DB_DONE ? 0 : sq_fail(s, step, what, e);
}

int store_efile_figures_units(struct store *s, const char *parent, int n, const char *const *units,
                              const int *levels, int64_t from_day, int64_t to_day, int served,
                              struct efile_figures *out, struct err *e)
{
    if (n <= 0) return 0;
    memset(out, 0, sizeof *out * (size_t)n);
    struct units_ix x = {n, levels, out, malloc(sizeof *x.order * (size_t)n)};
    if (!x.order) return err_set(e, ERR_NOMEM, "", "out of memory");
    for (int i = 0; i < n; i++)
        x.order[i] = (struct sq_code_pos){units[i], i};
    sq_code_pos_sort(x.order, n);
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_PROCS_BY_LEVEL, &st, e), step;
    if (rc) goto out;
    while ((step = db_step(st)) == DB_ROW) {
        char level[16];
        sq_col_text(st, 0, level, sizeof level);
        for (int i = 0; i < n; i++)
            if (level_counts(&x, i, level)) {
                out[i].procedures += db_col_int64(st, 1);
                out[i].procedures_online += db_col_int64(st, 2);
            }
    }
    if (step != DB_DONE) rc = sq_fail(s, step, "counting procedures", e);
    sq_done(s, st);
    if (rc || (rc = sq_prep(s, SQL_USED_UNITS, &st, e))) goto out;
    sq_bind_text(st, 1, parent);
    db_bind_int64(st, 2, from_day);
    db_bind_int64(st, 3, to_day);
    rc = add_rows(s, st, &x, SQL_USED_UNITS, "counting procedures filed online", e);
    sq_done(s, st);
    if (rc || !served || (rc = sq_prep(s, SQL_RECEIVED_UNITS, &st, e))) goto out;
    sq_bind_text(st, 1, parent);
    bind_months(st, from_day, to_day);
    rc = add_rows(s, st, &x, SQL_RECEIVED_UNITS, "counting online dossiers", e);
    sq_done(s, st);
    if (rc || (rc = sq_prep(s, SQL_SERVED_UNITS, &st, e))) goto out;
    sq_bind_text(st, 1, parent);
    db_bind_int64(st, 2, from_day * MINUTES_PER_DAY);
    db_bind_int64(st, 3, (to_day + 1) * MINUTES_PER_DAY);
    rc = add_rows(s, st, &x, SQL_SERVED_UNITS, "counting online dossiers", e);
    sq_done(s, st);
out:
    free(x.order);
    return rc;
}
