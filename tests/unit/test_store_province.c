/* test_store_province.c — store_tx_province (docs/province-lock.md) on either backend: a
 * transaction that writes its own province's rows runs once (on PostgreSQL under that
 * province's advisory key and the global key shared, as pg_locks shows from another session);
 * one that writes a row of another province (the guard), or opens a nested province
 * transaction of another province, is rolled back whole and runs once more under the
 * exclusive lock, leaving each row once; nested calls of the same province, and province calls
 * nested in an exclusive transaction, run in the outer one; an ordinary failure is not run
 * again. The writes are outbox rows (outbox_enqueue binds the row's province through the
 * guard). Then the switched entry points of online filing, payments and digitisation, called
 * inside a transaction of another province, write nothing there (their guard) and run once
 * more under the exclusive lock; inside their own province's, once. */
#include "store_testutil.h"

#include <stdlib.h>

#include "calendar.h"
#include "digistore.h"
#include "store_efile.h"
#include "store_notify.h"
#include "store_payment.h"

struct probe {
    const char *path;     /* the database, for a second connection */
    const char *prov[3];  /* provinces of the outbox rows fn writes, in order (NULL: fewer) */
    const char *nested;   /* fn opens a nested store_tx_province of this province, or NULL */
    int swallow;          /* fn ignores the failure of its writes */
    int fail;             /* fn fails with ERR_INVALID after its writes */
    int runs, inner_runs; /* how many times fn and the nested callback ran */
    long long prov_locks[4], excl_locks[4]; /* per run: pg_locks seen from another session */
};

static int enqueue(struct store *s, const char *prov, struct err *e)
{
    struct outbox_msg m = {.event = NE_RECEIVED,
                           .recipient = "0912345678",
                           .dossier_code = "X-1",
                           .vars = "{}",
                           .province = prov};
    return outbox_enqueue(s, &m, NULL, e);
}

static int inner(struct store *s, void *ctx, struct err *e)
{
    struct probe *p = ctx;
    p->inner_runs++;
    return enqueue(s, p->nested, e);
}

/* pg_locks as another session sees them: advisory province keys (two int4s) and the global
 * key held exclusively, granted, in this database (the cluster is shared with other tests) */
#define THIS_DB "database = (SELECT oid FROM pg_database WHERE datname = current_database())"
static void locks(struct probe *p)
{
    if (!testdb_pg() || p->runs > 4) return;
    p->prov_locks[p->runs - 1] = raw_int(p->path, "SELECT count(*) FROM pg_locks WHERE " THIS_DB
                                                  " AND locktype = 'advisory' AND objsubid = 2 "
                                                  "AND granted");
    p->excl_locks[p->runs - 1] =
        raw_int(p->path, "SELECT count(*) FROM pg_locks WHERE " THIS_DB
                         " AND locktype = 'advisory' AND objsubid = 1 AND objid = 7361 AND "
                         "mode = 'ExclusiveLock' AND granted");
}

static int outer(struct store *s, void *ctx, struct err *e)
{
    struct probe *p = ctx;
    p->runs++;
    locks(p);
    for (int i = 0; i < 3 && p->prov[i]; i++) {
        int rc = enqueue(s, p->prov[i], e);
        if (rc && !p->swallow) return rc;
    }
    if (p->nested) {
        int rc = store_tx_province(s, p->nested, inner, p, e);
        if (rc && !p->swallow) return rc;
    }
    return p->fail ? err_set(e, ERR_INVALID, "x", "fn failed on purpose") : 0;
}

static long long rows(const char *path, const char *prov)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM outbox WHERE province = '%s'", prov);
    return raw_int(path, sql);
}

static int run(struct fixture *f, struct probe *p, const char *prov)
{
    struct err e = {0};
    p->path = f->db.path;
    return store_tx_province(f->s, prov, outer, p, &e);
}

static void test_own_province_runs_once(void **state)
{
    struct fixture *f = *state;
    struct probe p = {.prov = {"P", "P"}};
    assert_int_equal(run(f, &p, "P"), 0);
    assert_int_equal(p.runs, 1);
    assert_int_equal(rows(f->db.path, "P"), 2);
    if (testdb_pg()) { /* P's key, not the exclusive global one */
        assert_int_equal(p.prov_locks[0], 1);
        assert_int_equal(p.excl_locks[0], 0);
    }
}

static void test_other_province_write_reruns_exclusive(void **state)
{
    struct fixture *f = *state;
    struct probe p = {.prov = {"P", "Q", "P"}};
    assert_int_equal(run(f, &p, "P"), 0);
    assert_int_equal(p.runs, 2);
    /* the first run was rolled back whole: each row once */
    assert_int_equal(rows(f->db.path, "P"), 2);
    assert_int_equal(rows(f->db.path, "Q"), 1);
    if (testdb_pg()) { /* first P's key, then the exclusive lock alone */
        assert_int_equal(p.prov_locks[0], 1);
        assert_int_equal(p.excl_locks[0], 0);
        assert_int_equal(p.prov_locks[1], 0);
        assert_int_equal(p.excl_locks[1], 1);
    }
    /* the national outbox ('') is another province too */
    struct probe n = {.prov = {"P", OUTBOX_NATIONAL}};
    assert_int_equal(run(f, &n, "P"), 0);
    assert_int_equal(n.runs, 2);
    assert_int_equal(rows(f->db.path, ""), 1);
}

static void test_swallowed_guard_still_reruns(void **state)
{
    struct fixture *f = *state;
    /* fn goes on after the refused write and returns 0: the transaction is not whole, so it
     * must not commit as it is */
    struct probe p = {.prov = {"Q", "P"}, .swallow = 1};
    assert_int_equal(run(f, &p, "P"), 0);
    assert_int_equal(p.runs, 2);
    assert_int_equal(rows(f->db.path, "Q"), 1);
    assert_int_equal(rows(f->db.path, "P"), 1);
}

static void test_nested_other_province_reruns(void **state)
{
    struct fixture *f = *state;
    struct probe p = {.prov = {"P"}, .nested = "Q"};
    assert_int_equal(run(f, &p, "P"), 0);
    /* the nested call was refused before its callback ran; the rerun ran both */
    assert_int_equal(p.runs, 2);
    assert_int_equal(p.inner_runs, 1);
    assert_int_equal(rows(f->db.path, "P"), 1);
    assert_int_equal(rows(f->db.path, "Q"), 1);
}

static void test_nested_same_province_inherits(void **state)
{
    struct fixture *f = *state;
    struct probe p = {.prov = {"P"}, .nested = "P"};
    assert_int_equal(run(f, &p, "P"), 0);
    assert_int_equal(p.runs, 1);
    assert_int_equal(p.inner_runs, 1);
    assert_int_equal(rows(f->db.path, "P"), 2);
}

static int exclusive_outer(struct store *s, void *ctx, struct err *e)
{
    struct probe *p = ctx;
    p->runs++;
    locks(p);
    int rc = store_tx_province(s, "Q", inner, p, e);
    if (!rc) rc = store_tx_province(s, "P", inner, p, e);
    return rc;
}

static void test_nested_in_exclusive_runs_there(void **state)
{
    struct fixture *f = *state;
    struct probe p = {.path = f->db.path, .nested = "Q"};
    struct err e = {0};
    assert_int_equal(store_tx(f->s, exclusive_outer, &p, &e), 0);
    assert_int_equal(p.runs, 1);
    assert_int_equal(p.inner_runs, 2);
    assert_int_equal(rows(f->db.path, "Q"), 2);
    if (testdb_pg()) {
        assert_int_equal(p.prov_locks[0], 0);
        assert_int_equal(p.excl_locks[0], 1);
    }
}

static void test_failure_is_not_rerun(void **state)
{
    struct fixture *f = *state;
    struct probe p = {.prov = {"P"}, .fail = 1};
    struct err e = {0};
    p.path = f->db.path;
    assert_int_equal(store_tx_province(f->s, "P", outer, &p, &e), ERR_INVALID);
    assert_string_equal(e.msg, "fn failed on purpose");
    assert_int_equal(p.runs, 1);
    assert_int_equal(rows(f->db.path, "P"), 0);
    /* a failure after a cross-province write: the rerun's own answer */
    struct probe q = {.prov = {"Q"}, .fail = 1};
    assert_int_equal(run(f, &q, "P"), ERR_INVALID);
    assert_int_equal(q.runs, 2);
    assert_int_equal(rows(f->db.path, "Q"), 0);
    /* the store is usable after all this, in either mode */
    struct probe r = {.prov = {"P"}};
    assert_int_equal(run(f, &r, "P"), 0);
    assert_int_equal(r.runs, 1);
    assert_int_equal(rows(f->db.path, "P"), 1);
}

/* ---- the entry points switched in the second slice ---- */

static void put_unit(struct store *s, const char *code, enum unit_kind kind, const char *parent,
                     const char *ident)
{
    struct unit u;
    memset(&u, 0, sizeof u);
    snprintf(u.code, sizeof u.code, "%s", code);
    snprintf(u.name, sizeof u.name, "Đơn vị %s", code);
    u.kind = kind;
    snprintf(u.parent, sizeof u.parent, "%s", parent);
    snprintf(u.ident_code, sizeof u.ident_code, "%s", ident);
    u.valid_from = UNIT_DAY_MIN;
    u.valid_to = UNIT_DAY_MAX;
    struct err e = {0};
    if (store_unit_put(s, &u, &e)) fail_msg("unit %s: %s", code, e.msg);
}

/* Provinces P and Q, a ward P.A, a fully online procedure with a fee and one document. */
static void catalogue(struct store *s)
{
    put_unit(s, "P", UNIT_PROVINCE, "", "000.00.00.H99");
    put_unit(s, "P.A", UNIT_WARD, "P", "000.00.31.H99");
    put_unit(s, "Q", UNIT_PROVINCE, "", "000.00.00.H98");
    struct procedure *p = calloc(1, sizeof *p);
    assert_non_null(p);
    snprintf(p->code, sizeof p->code, "9.000016");
    snprintf(p->name, sizeof p->name, "Thủ tục có lệ phí");
    snprintf(p->field, sizeof p->field, "Thử nghiệm");
    p->level = LEVEL_COMMUNE;
    p->time_amount = 3;
    p->time_unit = TIME_WORKING_DAYS;
    p->online = ONLINE_FULL;
    p->fee_vnd = 50000;
    p->ndocs = 1;
    snprintf(p->docs[0], sizeof p->docs[0], "Đơn");
    p->nsteps = 1;
    snprintf(p->steps[0].name, sizeof p->steps[0].name, "Giải quyết");
    p->steps[0].role = ROLE_LEADER;
    p->steps[0].unit_kind = -1;
    p->steps[0].share_unit = SHARE_PERCENT;
    p->steps[0].share = 100;
    struct err e = {0};
    if (store_procedure_put(s, p, &e)) fail_msg("procedure: %s", e.msg);
    free(p);
}

static const char PDF[] = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

enum op { OP_FILE, OP_UPLOAD, OP_SUBMIT, OP_PAY, OP_SETTLE, OP_SCAN };

struct call {
    enum op op;
    struct calendar *cal;
    struct efile_filing *f; /* OP_FILE: the new one; else the filing its dossier came from */
    struct dossier *d;      /* OP_SUBMIT: the dossier made */
    struct payment_row *pay;
    struct payment_settle_out *settled;
    int runs;
};

static int call_op(struct store *s, void *ctx, struct err *e)
{
    struct call *c = ctx;
    c->runs++;
    int64_t at = 29000000; /* a minute of 2025, inside the calendar */
    enum efile_refusal why;
    struct efile_doc doc;
    struct digi_component comp;
    switch (c->op) {
    case OP_FILE:
        return store_efile_create(s, c->f, e);
    case OP_UPLOAD: {
        struct efile_doc_in in = {.filing = c->f->id,
                                  .name = "don.pdf",
                                  .doc_index = 1,
                                  .data = PDF,
                                  .size = sizeof PDF - 1,
                                  .at = at};
        return store_efile_doc_put(s, &in, &doc, &why, e);
    }
    case OP_SUBMIT:
        return store_efile_submit(s, c->cal, c->f->id, 0, at, c->d, e);
    case OP_PAY:
        return store_payment_insert(s, c->pay, e);
    case OP_SETTLE:
        return store_payment_settle(s, c->pay->ref, PR_PAID, c->pay->amount, "TP1", "callback",
                                    at + 5, c->settled, e);
    case OP_SCAN: {
        struct digi_component_in in = {.dossier = c->d->code,
                                       .doc_index = 1,
                                       .name = "don.pdf",
                                       .data = PDF,
                                       .size = sizeof PDF - 1,
                                       .actor = "desk",
                                       .at = at + 10};
        return store_digi_component_add(s, &in, &comp, e);
    }
    }
    return 0;
}

/* c's entry point inside a transaction of province prov: 0 and how many times it ran */
static int nested_in(struct fixture *f, const char *prov, struct call *c)
{
    struct err e = {0};
    c->runs = 0;
    int rc = store_tx_province(f->s, prov, call_op, c, &e);
    if (rc) fail_msg("op %d in %s: %s", (int)c->op, prov, e.msg);
    return c->runs;
}

static void test_switched_paths_guard_their_province(void **state)
{
    struct fixture *f = *state;
    struct calendar *cal = NULL;
    struct err e = {0};
    const char *dir = getenv("CCHC_DATA");
    if (calendar_load(dir ? dir : CCHC_DATA_DIR, 2024, 2026, NULL, &cal, &e))
        fail_msg("calendar: %s", e.msg);
    catalogue(f->s);
    struct efile_filing fl[2];
    struct dossier d;
    struct payment_row pay;
    struct payment_settle_out settled;
    memset(fl, 0, sizeof fl);
    memset(&pay, 0, sizeof pay);
    for (int i = 0; i < 2; i++) {
        snprintf(fl[i].contact, sizeof fl[i].contact, "0912345678");
        snprintf(fl[i].procedure, sizeof fl[i].procedure, "9.000016");
        snprintf(fl[i].unit, sizeof fl[i].unit, "P.A");
        snprintf(fl[i].applicant.name, sizeof fl[i].applicant.name, "Trần Thị Bé");
        fl[i].created_at = 29000000;
    }
    struct call c = {.cal = cal, .f = &fl[0], .d = &d, .pay = &pay, .settled = &settled};
    /* each of P's writes inside Q's transaction: refused there, run again alone; inside P's
     * own, once */
    c.op = OP_FILE;
    assert_int_equal(nested_in(f, "Q", &c), 2);
    assert_string_equal(fl[0].province, "P");
    c.f = &fl[1];
    assert_int_equal(nested_in(f, "P", &c), 1);
    c.op = OP_UPLOAD;
    assert_int_equal(nested_in(f, "Q", &c), 2);
    c.f = &fl[0];
    assert_int_equal(nested_in(f, "P", &c), 1);
    c.op = OP_SUBMIT;
    assert_int_equal(nested_in(f, "Q", &c), 2);
    assert_string_equal(d.unit, "P.A");
    snprintf(pay.ref, sizeof pay.ref, "%032d", 1);
    snprintf(pay.dossier, sizeof pay.dossier, "%s", d.code);
    pay.amount = 50000;
    pay.created_at = 29000001;
    c.op = OP_PAY;
    assert_int_equal(nested_in(f, "Q", &c), 2);
    c.op = OP_SETTLE;
    assert_int_equal(nested_in(f, "Q", &c), 2);
    /* the first run's receipt number was given back with its rollback */
    assert_int_equal(settled.changed, 1);
    assert_int_equal(settled.p.receipt_no, 1);
    c.op = OP_SCAN;
    assert_int_equal(nested_in(f, "Q", &c), 2);
    /* each row once, in P */
    assert_int_equal(raw_int(f->db.path, "SELECT count(*) FROM efile_filings WHERE province = 'P'"),
                     2);
    assert_int_equal(
        raw_int(f->db.path, "SELECT count(*) FROM efile_documents WHERE province = 'P'"), 2);
    assert_int_equal(raw_int(f->db.path, "SELECT count(*) FROM dossiers WHERE province = 'P'"), 1);
    assert_int_equal(
        raw_int(f->db.path,
                "SELECT count(*) FROM payments WHERE province = 'P' AND status = 'paid'"),
        1);
    assert_int_equal(
        raw_int(f->db.path, "SELECT count(*) FROM digi_components WHERE province = 'P'"), 1);
    assert_int_equal(raw_int(f->db.path, "SELECT count(*) FROM digi_blobs WHERE province <> 'P'"),
                     0);
    calendar_free(cal);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_own_province_runs_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_province_write_reruns_exclusive, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_swallowed_guard_still_reruns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nested_other_province_reruns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nested_same_province_inherits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nested_in_exclusive_runs_there, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failure_is_not_rerun, setup, teardown),
        cmocka_unit_test_setup_teardown(test_switched_paths_guard_their_province, setup, teardown),
    };
    return cmocka_run_group_tests(tests, 0, 0);
}
