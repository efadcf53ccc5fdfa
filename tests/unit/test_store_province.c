/* test_store_province.c — store_tx_province (docs/province-lock.md) on either backend: a
 * transaction that writes its own province's rows runs once (on PostgreSQL under that
 * province's advisory key and the global key shared, as pg_locks shows from another session);
 * one that writes a row of another province (the guard), or opens a nested province
 * transaction of another province, is rolled back whole and runs once more under the
 * exclusive lock, leaving each row once; nested calls of the same province, and province calls
 * nested in an exclusive transaction, run in the outer one; an ordinary failure is not run
 * again. The writes are outbox rows (outbox_enqueue binds the row's province through the
 * guard). */
#include "store_testutil.h"

#include "store_notify.h"

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
    };
    return cmocka_run_group_tests(tests, 0, 0);
}
