/* test_store_units.c — the store foundation and units on a real SQLite file: opening and
 * migrating (and refusing a newer schema), transactions (rollback, savepoints, a commit that
 * fails), the unit tree as of a day across the 2025 merger, successor chains, cycles, and the
 * CSV import: a tricky good file, every bad file in tests/data/import (with its expected
 * reports), an injected failure on the last row, and a disk failing at every possible write
 * (nothing half-written, nothing acknowledged lost). */
#include "store_testutil.h"

#include "date.h"

static int64_t day(const char *s)
{
    struct ymd d;
    assert_int_equal(ymd_parse(s, &d, "test", NULL), 0);
    return ymd_to_days(d);
}

static struct unit mk(const char *code, const char *name, enum unit_kind k, const char *parent,
                      const char *from, const char *to, const char *succ)
{
    struct unit u;
    memset(&u, 0, sizeof u);
    snprintf(u.code, sizeof u.code, "%s", code);
    snprintf(u.name, sizeof u.name, "%s", name);
    u.kind = k;
    snprintf(u.parent, sizeof u.parent, "%s", parent ? parent : "");
    u.valid_from = from ? day(from) : UNIT_DAY_MIN;
    u.valid_to = to ? day(to) : UNIT_DAY_MAX;
    snprintf(u.successor, sizeof u.successor, "%s", succ ? succ : "");
    return u;
}

static void put(struct store *s, struct unit u)
{
    struct err e = {0};
    if (store_unit_put(s, &u, &e)) fail_msg("put %s: %s", u.code, e.msg);
}

/* Joins the codes an iteration yields: "A,B,C". */
struct codes {
    char buf[1024];
};
static int add_code(const struct unit *u, void *ctx)
{
    struct codes *c = ctx;
    size_t n = strlen(c->buf);
    snprintf(c->buf + n, sizeof c->buf - n, "%s%s", n ? "," : "", u->code);
    return 0;
}

/* --- opening and migrations --- */

static void test_open_migrates_once(void **state)
{
    struct fixture *f = *state;
    struct err e = {0};
    int have, known;
    assert_int_equal(store_schema_version(f->s, &have, &known, &e), 0);
    assert_true(known >= 1);
    assert_int_equal(have, known);
    assert_int_equal(raw_int(f->db.path, "SELECT count(*) FROM schema_migrations WHERE version = 1 "
                                         "AND name = '001_units_procedures.sql'"),
                     1);
    if (!testdb_pg())
        assert_int_equal(
            raw_int(f->db.path, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"), 1);
    /* (count, not known: a branch may hold migration N without the N-1 of another) */
    int64_t applied = raw_int(f->db.path, "SELECT count(*) FROM schema_migrations");
    store_close(f->s);
    assert_int_equal(store_open(f->db.path, &f->s, &e), 0); /* again: nothing to apply */
    assert_int_equal(raw_int(f->db.path, "SELECT count(*) FROM schema_migrations"), applied);
    assert_int_equal(raw_int(f->db.path, "SELECT max(version) FROM schema_migrations"), known);
}

static void test_open_refuses_newer_schema(void **state)
{
    struct fixture *f = *state;
    store_close(f->s);
    f->s = NULL;
    raw_exec(f->db.path, "INSERT INTO schema_migrations VALUES (999, '999_future.sql', 'x')");
    struct store *s = NULL;
    struct err e = {0};
    assert_int_equal(store_open(f->db.path, &s, &e), ERR_CONFLICT);
    assert_null(s);
    assert_non_null(strstr(e.msg, "schema version 999 is newer"));
    assert_int_equal(
        raw_int(f->db.path, "SELECT count(*) FROM schema_migrations WHERE version = 999"), 1);
    raw_exec(f->db.path, "DELETE FROM schema_migrations WHERE version = 999");
    assert_int_equal(store_open(f->db.path, &f->s, &e), 0);
}

static void test_open_targets(void **state)
{
    skip_on_pg(); /* SQLite URLs and files */
    struct fixture *f = *state;
    struct store *s = NULL;
    struct err e = {0};
    /* a PostgreSQL URL goes to the PostgreSQL driver: nothing listens on port 1 */
    assert_int_equal(store_open("postgres://127.0.0.1:1/cchc", &s, &e), ERR_IO);
    assert_non_null(strstr(e.msg, "cannot connect to PostgreSQL"));
    assert_null(s);
    assert_int_equal(store_open("mysql://x", &s, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "unknown scheme"));
    assert_int_equal(store_open("", &s, &e), ERR_INVALID);
    assert_int_equal(store_open("sqlite:", &s, &e), ERR_INVALID);
    char url[400];
    snprintf(url, sizeof url, "sqlite:%s?synchronous=fast", f->db.path);
    assert_int_equal(store_open(url, &s, &e), ERR_INVALID);
    snprintf(url, sizeof url, "sqlite:%s?synchronous=normal", f->db.path);
    assert_int_equal(store_open(url, &s, &e), 0);
    store_close(s);
    assert_int_equal(store_open("/nonexistent-dir/x.db", &s, &e), ERR_IO);
    assert_null(s);
}

/* --- units --- */

static void test_unit_roundtrip_and_replace(void **state)
{
    struct fixture *f = *state;
    struct unit u = mk("P", "Tỉnh Mẫu", UNIT_PROVINCE, NULL, "2025-07-01", NULL, NULL);
    snprintf(u.ident_code, sizeof u.ident_code, "000.00.00.H20");
    put(f->s, u);
    struct unit got;
    struct err e = {0};
    assert_int_equal(store_unit_get(f->s, "P", &got, &e), 0);
    assert_string_equal(got.name, "Tỉnh Mẫu");
    assert_int_equal(got.kind, UNIT_PROVINCE);
    assert_int_equal(got.valid_from, day("2025-07-01"));
    assert_true(got.valid_to == UNIT_DAY_MAX);
    assert_string_equal(got.parent, "");
    assert_string_equal(got.ident_code, "000.00.00.H20");
    snprintf(u.name, sizeof u.name, "Tỉnh Mới");
    put(f->s, u);
    assert_int_equal(store_unit_get(f->s, "P", &got, &e), 0);
    assert_string_equal(got.name, "Tỉnh Mới");
    int64_t n;
    assert_int_equal(store_unit_count(f->s, &n, &e), 0);
    assert_int_equal(n, 1);
    assert_int_equal(store_unit_get(f->s, "NOPE", &got, &e), ERR_NOT_FOUND);
    assert_non_null(strstr(e.msg, "'NOPE'"));
}

static void test_unit_checks(void **state)
{
    struct fixture *f = *state;
    struct err e = {0};
    struct unit u = mk("A B", "X", UNIT_COMMUNE, NULL, NULL, NULL, NULL);
    assert_int_equal(store_unit_put(f->s, &u, &e), ERR_INVALID);
    assert_string_equal(e.field, "code");
    u = mk("A", "X", UNIT_COMMUNE, NULL, "2025-07-01", "2025-06-30", NULL);
    assert_int_equal(store_unit_put(f->s, &u, &e), ERR_INVALID);
    assert_string_equal(e.field, "valid_to");
    u = mk("A", "X", UNIT_COMMUNE, NULL, NULL, NULL, "B");
    assert_int_equal(store_unit_put(f->s, &u, &e), ERR_INVALID);
    assert_string_equal(e.field, "successor");
    u = mk("A", "X", UNIT_COMMUNE, "A", NULL, NULL, NULL);
    assert_int_equal(store_unit_put(f->s, &u, &e), ERR_INVALID);
    assert_string_equal(e.field, "parent");
    u = mk("A", "", UNIT_COMMUNE, NULL, NULL, NULL, NULL);
    assert_int_equal(store_unit_put(f->s, &u, &e), ERR_INVALID);
    assert_string_equal(e.field, "name");
    u = mk("A", "X", UNIT_COMMUNE, "MISSING", NULL, NULL, NULL); /* outside a transaction */
    assert_int_equal(store_unit_put(f->s, &u, &e), ERR_CONFLICT);
    assert_non_null(strstr(e.msg, "'MISSING'"));
    int64_t n;
    assert_int_equal(store_unit_count(f->s, &n, &e), 0);
    assert_int_equal(n, 0);
}

/* Old province P0 with district D and communes C1, C2 (to 2025-06-30), merged into the new
 * province N and commune NC from 2025-07-01. */
static void merger_tree(struct store *s)
{
    put(s, mk("N", "Tỉnh mới", UNIT_PROVINCE, NULL, "2025-07-01", NULL, NULL));
    put(s, mk("NC", "Xã mới", UNIT_COMMUNE, "N", "2025-07-01", NULL, NULL));
    put(s, mk("P0", "Tỉnh cũ", UNIT_PROVINCE, NULL, NULL, "2025-06-30", "N"));
    put(s, mk("D", "Huyện", UNIT_DISTRICT, "P0", NULL, "2025-06-30", NULL));
    put(s, mk("C2", "Xã hai", UNIT_COMMUNE, "D", "2010-01-01", "2025-06-30", "NC"));
    put(s, mk("C1", "Thị trấn", UNIT_TOWN, "D", NULL, "2025-06-30", "NC"));
}

static void test_tree_as_of(void **state)
{
    struct fixture *f = *state;
    merger_tree(f->s);
    struct err e = {0};
    struct codes c = {""};
    assert_int_equal(store_unit_children(f->s, "D", day("2025-06-30"), add_code, &c, &e), 0);
    assert_string_equal(c.buf, "C1,C2");
    c = (struct codes){""};
    assert_int_equal(store_unit_children(f->s, "D", day("2009-12-31"), add_code, &c, &e), 0);
    assert_string_equal(c.buf, "C1"); /* C2 begins in 2010 */
    c = (struct codes){""};
    assert_int_equal(store_unit_children(f->s, "D", day("2025-07-01"), add_code, &c, &e), 0);
    assert_string_equal(c.buf, "");
    c = (struct codes){""};
    assert_int_equal(store_unit_children(f->s, NULL, day("2025-07-01"), add_code, &c, &e), 0);
    assert_string_equal(c.buf, "N");
    c = (struct codes){""};
    assert_int_equal(store_unit_children(f->s, "", UNIT_DAY_MIN, add_code, &c, &e), 0);
    assert_string_equal(c.buf, "N,P0");
    c = (struct codes){""};
    assert_int_equal(store_unit_subtree(f->s, "P0", day("2024-01-01"), add_code, &c, &e), 0);
    assert_string_equal(c.buf, "P0,D,C1,C2");
    c = (struct codes){""};
    assert_int_equal(store_unit_subtree(f->s, "P0", day("2025-07-01"), add_code, &c, &e), 0);
    assert_string_equal(c.buf, ""); /* the old province no longer exists */
    c = (struct codes){""};
    assert_int_equal(store_unit_list(f->s, day("2025-07-01"), add_code, &c, &e), 0);
    assert_string_equal(c.buf, "N,NC");
    assert_int_equal(store_unit_subtree(f->s, "NOPE", UNIT_DAY_MIN, add_code, &c, &e),
                     ERR_NOT_FOUND);
}

static void test_subtree_is_depth_first(void **state)
{
    struct fixture *f = *state;
    /* "A-X" sorts before "A.B" by code, but A.B is A's child and must follow A directly. */
    put(f->s, mk("R", "Gốc", UNIT_PROVINCE, NULL, NULL, NULL, NULL));
    put(f->s, mk("A", "A", UNIT_DEPARTMENT, "R", NULL, NULL, NULL));
    put(f->s, mk("A-X", "A-X", UNIT_DEPARTMENT, "R", NULL, NULL, NULL));
    put(f->s, mk("A.B", "A.B", UNIT_AGENCY, "A", NULL, NULL, NULL));
    put(f->s, mk("A.B.C", "A.B.C", UNIT_DESK, "A.B", NULL, NULL, NULL));
    struct codes c = {""};
    struct err e = {0};
    assert_int_equal(store_unit_subtree(f->s, "R", UNIT_DAY_MIN, add_code, &c, &e), 0);
    assert_string_equal(c.buf, "R,A,A.B,A.B.C,A-X");
}

static void test_resolve_and_predecessors(void **state)
{
    struct fixture *f = *state;
    merger_tree(f->s);
    struct unit u;
    struct err e = {0};
    assert_int_equal(store_unit_resolve(f->s, "C1", day("2025-08-01"), &u, &e), 0);
    assert_string_equal(u.code, "NC");
    assert_int_equal(store_unit_resolve(f->s, "C1", day("2025-06-30"), &u, &e), 0);
    assert_string_equal(u.code, "C1");
    assert_int_equal(store_unit_resolve(f->s, "P0", day("2026-01-01"), &u, &e), 0);
    assert_string_equal(u.code, "N");
    assert_int_equal(store_unit_resolve(f->s, "D", day("2025-07-01"), &u, &e), ERR_NOT_FOUND);
    assert_non_null(strstr(e.msg, "ended on 2025-06-30 with no successor"));
    assert_int_equal(store_unit_resolve(f->s, "NC", day("2020-01-01"), &u, &e), ERR_NOT_FOUND);
    assert_non_null(strstr(e.msg, "did not exist yet"));
    struct codes c = {""};
    assert_int_equal(store_unit_predecessors(f->s, "NC", add_code, &c, &e), 0);
    assert_string_equal(c.buf, "C1,C2");
}

/* The list's scope: the subtree on the day plus every unit merged into it, transitively, by
 * identifier code (not by unit code), each once; the same units as the subtree followed by
 * predecessors of predecessors. */
static void test_scope(void **state)
{
    struct fixture *f = *state;
    merger_tree(f->s);
    /* C0 merged into C1 in 2020, so its dossiers count under C1, then under NC. */
    put(f->s, mk("C0", "Xã không", UNIT_COMMUNE, "D", NULL, "2019-12-31", "C1"));
    /* Identifier codes out of unit-code order; D has none. */
    const char *ids[][2] = {{"N", "000.00.20.H10"},  {"NC", "000.00.01.H10"},
                            {"P0", "000.00.30.H10"}, {"C0", "000.00.09.H10"},
                            {"C1", "000.00.05.H10"}, {"C2", "000.00.03.H10"}};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        struct unit u;
        struct err e = {0};
        assert_int_equal(store_unit_get(f->s, ids[i][0], &u, &e), 0);
        snprintf(u.ident_code, sizeof u.ident_code, "%s", ids[i][1]);
        put(f->s, u);
    }
    struct err e = {0};
    struct codes c = {""};
    assert_int_equal(store_unit_scope(f->s, "N", day("2025-08-01"), add_code, &c, &e), 0);
    assert_string_equal(c.buf, "NC,C2,C1,C0,N,P0");
    c = (struct codes){""};
    assert_int_equal(store_unit_scope(f->s, "NC", day("2025-08-01"), add_code, &c, &e), 0);
    assert_string_equal(c.buf, "NC,C2,C1,C0");
    c = (struct codes){""};
    /* Before the merger: the old tree, D without identifier code first. */
    assert_int_equal(store_unit_scope(f->s, "P0", day("2024-01-01"), add_code, &c, &e), 0);
    assert_string_equal(c.buf, "D,C2,C1,C0,P0");
    c = (struct codes){""};
    assert_int_equal(store_unit_scope(f->s, "C1", day("2024-01-01"), add_code, &c, &e), 0);
    assert_string_equal(c.buf, "C1,C0");
    c = (struct codes){""};
    assert_int_equal(store_unit_scope(f->s, "P0", day("2025-08-01"), add_code, &c, &e), 0);
    assert_string_equal(c.buf, ""); /* exists, but not on that day */
    assert_int_equal(store_unit_scope(f->s, "NOPE", day("2025-08-01"), add_code, &c, &e),
                     ERR_NOT_FOUND);
}

/* A new commune under NC inside a transaction that then fails: the scope seen inside has
 * it, and once rolled back the (cached) scope must not. */
static int add_then_fail(struct store *s, void *ctx, struct err *e)
{
    struct codes *c = ctx;
    put(s, mk("NC2", "Xã mới hai", UNIT_COMMUNE, "NC", "2025-07-01", NULL, NULL));
    if (store_unit_scope(s, "NC", day("2025-08-01"), add_code, c, e)) return ERR_INTERNAL;
    return ERR_CONFLICT;
}

/* The scope read inside a read transaction, as the server's GET requests do (there the
 * counter itself is kept while SQLite's data version stays the same). */
struct scope_in_read {
    const char *root;
    struct codes c;
};
static int scope_in_read(struct store *s, void *ctx, struct err *e)
{
    struct scope_in_read *x = ctx;
    x->c = (struct codes){""};
    /* a read first, as the session check comes first: the snapshot is taken */
    struct unit u;
    int rc = store_unit_get(s, x->root, &u, e);
    if (!rc) rc = store_unit_scope(s, x->root, day("2025-08-01"), add_code, &x->c, e);
    struct codes again = {""};
    if (!rc) rc = store_unit_scope(s, x->root, day("2025-08-01"), add_code, &again, e);
    if (!rc && strcmp(again.buf, x->c.buf)) rc = ERR_INTERNAL;
    return rc;
}

/* store_unit_scope keeps scopes per connection: any change to the units, by this connection,
 * another one or a raw SQL write from another process, shows in the next call; a rolled back
 * change does not. */
static void test_scope_cache_follows_changes(void **state)
{
    struct fixture *f = *state;
    merger_tree(f->s);
    struct err e = {0};
    struct codes c = {""};
    assert_int_equal(store_unit_scope(f->s, "NC", day("2025-08-01"), add_code, &c, &e), 0);
    assert_string_equal(c.buf, "C1,C2,NC");
    c = (struct codes){""};
    assert_int_equal(store_tx(f->s, add_then_fail, &c, &e), ERR_CONFLICT);
    assert_string_equal(c.buf, "C1,C2,NC,NC2"); /* no ident codes: by code */
    c = (struct codes){""};
    assert_int_equal(store_unit_scope(f->s, "NC", day("2025-08-01"), add_code, &c, &e), 0);
    assert_string_equal(c.buf, "C1,C2,NC");
    /* another connection */
    struct store *other;
    assert_int_equal(store_open(f->db.path, &other, &e), 0);
    put(other, mk("NC3", "Xã mới ba", UNIT_COMMUNE, "NC", "2025-07-01", NULL, NULL));
    store_close(other);
    c = (struct codes){""};
    assert_int_equal(store_unit_scope(f->s, "NC", day("2025-08-01"), add_code, &c, &e), 0);
    assert_string_equal(c.buf, "C1,C2,NC,NC3");
    /* raw SQL behind the store's back (sqlite3 shell, another program) */
    raw_exec(f->db.path, "UPDATE units SET valid_to = '2025-07-31' WHERE code = 'NC3'");
    c = (struct codes){""};
    assert_int_equal(store_unit_scope(f->s, "NC", day("2025-08-01"), add_code, &c, &e), 0);
    assert_string_equal(c.buf, "C1,C2,NC");
    raw_exec(f->db.path, "DELETE FROM units WHERE code = 'NC3'");
    c = (struct codes){""};
    assert_int_equal(store_unit_scope(f->s, "NC", day("2025-07-15"), add_code, &c, &e), 0);
    assert_string_equal(c.buf, "C1,C2,NC");
    /* in read transactions: a change by another connection shows in the next one */
    struct scope_in_read x = {"NC", {""}};
    assert_int_equal(store_read(f->s, scope_in_read, &x, &e), 0);
    assert_string_equal(x.c.buf, "C1,C2,NC");
    assert_int_equal(store_open(f->db.path, &other, &e), 0);
    put(other, mk("NC4", "Xã mới bốn", UNIT_COMMUNE, "NC", "2025-07-01", NULL, NULL));
    store_close(other);
    assert_int_equal(store_read(f->s, scope_in_read, &x, &e), 0);
    assert_string_equal(x.c.buf, "C1,C2,NC,NC4");
    raw_exec(f->db.path, "DELETE FROM units WHERE code = 'NC4'");
    assert_int_equal(store_read(f->s, scope_in_read, &x, &e), 0);
    assert_string_equal(x.c.buf, "C1,C2,NC");
    /* more roots than the cache holds, then the first again */
    for (int round = 0; round < 2; round++) {
        const char *roots[] = {"N", "NC", "C1", "C2", "P0", "D"};
        for (int day_off = 0; day_off < 3; day_off++)
            for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++) {
                c = (struct codes){""};
                assert_int_equal(
                    store_unit_scope(f->s, roots[i], day("2025-08-01") + day_off, add_code, &c, &e),
                    0);
            }
    }
    c = (struct codes){""};
    assert_int_equal(store_unit_scope(f->s, "N", day("2025-08-01"), add_code, &c, &e), 0);
    assert_string_equal(c.buf, "C1,C2,N,NC,P0");
}

/* store_unit_contact_find keeps its answers per connection (migration 052): a contact put,
 * changed or removed by another connection or by raw SQL, and a desk added under the unit,
 * show in the next call; "no contact" is not kept past a change either. */
static void expect_contact(struct store *s, const char *unit, const char *want_unit,
                           const char *want_phone)
{
    struct unit_contact c;
    struct err e = {0};
    int rc = store_unit_contact_find(s, unit, &c, &e);
    if (!want_unit) {
        assert_int_equal(rc, ERR_NOT_FOUND);
        assert_non_null(strstr(e.msg, "no contact"));
        return;
    }
    if (rc) fail_msg("contact of %s: %s", unit, e.msg);
    assert_string_equal(c.unit, want_unit);
    assert_string_equal(c.phone, want_phone);
}

static void put_contact(struct store *s, const char *unit, const char *phone)
{
    struct unit_contact c;
    memset(&c, 0, sizeof c);
    snprintf(c.unit, sizeof c.unit, "%s", unit);
    snprintf(c.address, sizeof c.address, "Số 1, đường Hùng Vương");
    snprintf(c.phone, sizeof c.phone, "%s", phone);
    struct err e = {0};
    if (store_unit_contact_put(s, &c, &e)) fail_msg("contact %s: %s", unit, e.msg);
}

static void test_contact_memo_follows_changes(void **state)
{
    struct fixture *f = *state;
    merger_tree(f->s);
    struct err e = {0};
    expect_contact(f->s, "NC", NULL, NULL);
    expect_contact(f->s, "NC", NULL, NULL); /* kept "none" */
    struct store *other;
    assert_int_equal(store_open(f->db.path, &other, &e), 0);
    put_contact(other, "N", "0273 3871 111");
    expect_contact(f->s, "NC", "N", "0273 3871 111"); /* the province's, from above */
    put_contact(other, "NC", "0273 3871 222");
    expect_contact(f->s, "NC", "NC", "0273 3871 222");
    put(other, mk("NC.DESK", "Bộ phận một cửa xã mới", UNIT_DESK, "NC", "2025-07-01", NULL, NULL));
    put_contact(other, "NC.DESK", "0273 3871 333");
    store_close(other);
    expect_contact(f->s, "NC", "NC", "0273 3871 222"); /* its own first, then its desk's */
    raw_exec(f->db.path, "DELETE FROM unit_contacts WHERE unit = 'NC'");
    expect_contact(f->s, "NC", "NC.DESK", "0273 3871 333");
    raw_exec(f->db.path, "UPDATE unit_contacts SET phone = '0273 3871 444' WHERE unit = 'NC.DESK'");
    expect_contact(f->s, "NC", "NC.DESK", "0273 3871 444");
    raw_exec(f->db.path, "DELETE FROM unit_contacts");
    expect_contact(f->s, "NC", NULL, NULL);
    /* more units than the memo holds, then the first again */
    const char *all[] = {"N", "NC", "NC.DESK", "P0", "D", "C1", "C2"};
    for (int round = 0; round < 4; round++)
        for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
            expect_contact(f->s, all[i], NULL, NULL);
    put_contact(f->s, "N", "0273 3871 555");
    expect_contact(f->s, "NC.DESK", "N", "0273 3871 555");
}

/* store_unit_get and store_unit_root answer from the connection's copy of the units table
 * outside a write transaction: a change by another connection or by raw SQL shows at once, a
 * read transaction sees one snapshot throughout and the next one sees the change, and inside
 * a write transaction the store reads the database (its own uncommitted units), while what it
 * read there is gone with the rollback. */
static void expect_name(struct store *s, const char *code, const char *name)
{
    struct unit u;
    struct err e = {0};
    if (!name) {
        assert_int_equal(store_unit_get(s, code, &u, &e), ERR_NOT_FOUND);
        assert_non_null(strstr(e.msg, "no such unit"));
        return;
    }
    if (store_unit_get(s, code, &u, &e)) fail_msg("get %s: %s", code, e.msg);
    assert_string_equal(u.code, code);
    assert_string_equal(u.name, name);
}

struct twice_in_read {
    const char *path, *code;
    char first[UNIT_NAME_MAX], second[UNIT_NAME_MAX];
};
/* Reads code, has another connection rename it, reads it again: the same snapshot. */
static int twice_in_read(struct store *s, void *ctx, struct err *e)
{
    struct twice_in_read *x = ctx;
    struct unit u;
    int rc = store_unit_get(s, x->code, &u, e);
    if (rc) return rc;
    snprintf(x->first, sizeof x->first, "%s", u.name);
    struct store *other;
    if ((rc = store_open(x->path, &other, e))) return rc;
    struct unit w = u; /* written again as read, but for the name */
    size_t len = strlen(w.name);
    snprintf(w.name + len, sizeof w.name - len, " (đổi)");
    rc = store_unit_put(other, &w, e);
    store_close(other);
    if (!rc) rc = store_unit_get(s, x->code, &u, e);
    if (!rc) snprintf(x->second, sizeof x->second, "%s", u.name);
    return rc;
}

struct name_in_read {
    const char *code;
    char name[UNIT_NAME_MAX];
};
static int name_in_read(struct store *s, void *ctx, struct err *e)
{
    struct name_in_read *x = ctx;
    struct unit u;
    int rc = store_unit_get(s, x->code, &u, e);
    if (!rc) snprintf(x->name, sizeof x->name, "%s", u.name);
    return rc;
}

static int put_get_then_fail(struct store *s, void *ctx, struct err *e)
{
    (void)ctx;
    put(s, mk("NC9", "Xã chín", UNIT_COMMUNE, "NC", "2025-07-01", NULL, NULL));
    expect_name(s, "NC9", "Xã chín"); /* its own write, not in any copy */
    char root[UNIT_CODE_MAX];
    if (store_unit_root(s, "NC9", root, sizeof root, e)) return ERR_INTERNAL;
    if (strcmp(root, "N")) return ERR_INTERNAL;
    return err_set(e, ERR_CONFLICT, "", "rolled back");
}

static void test_unit_copy_follows_changes(void **state)
{
    struct fixture *f = *state;
    merger_tree(f->s);
    struct err e = {0};
    char root[UNIT_CODE_MAX];
    expect_name(f->s, "NC", "Xã mới");
    expect_name(f->s, "NOPE", NULL);
    assert_int_equal(store_unit_root(f->s, "C1", root, sizeof root, &e), 0);
    assert_string_equal(root, "P0");
    assert_int_equal(store_unit_root(f->s, "NOPE", root, sizeof root, &e), 0);
    assert_string_equal(root, "NOPE"); /* an unknown unit is its own root, as before */
    /* another connection renames, adds */
    struct store *other;
    assert_int_equal(store_open(f->db.path, &other, &e), 0);
    put(other, mk("NC", "Xã mới (đổi tên)", UNIT_COMMUNE, "N", "2025-07-01", NULL, NULL));
    put(other, mk("NC5", "Xã năm", UNIT_COMMUNE, "NC", "2025-07-01", NULL, NULL));
    store_close(other);
    expect_name(f->s, "NC", "Xã mới (đổi tên)");
    expect_name(f->s, "NC5", "Xã năm");
    assert_int_equal(store_unit_root(f->s, "NC5", root, sizeof root, &e), 0);
    assert_string_equal(root, "N");
    /* raw SQL behind the store's back */
    raw_exec(f->db.path, "UPDATE units SET name = 'Xã năm (sửa tay)' WHERE code = 'NC5'");
    expect_name(f->s, "NC5", "Xã năm (sửa tay)");
    raw_exec(f->db.path, "DELETE FROM units WHERE code = 'NC5'");
    expect_name(f->s, "NC5", NULL);
    /* a read transaction is one snapshot; the next one sees the change */
    struct twice_in_read x = {f->db.path, "C2", "", ""};
    assert_int_equal(store_read(f->s, twice_in_read, &x, &e), 0);
    assert_string_equal(x.first, "Xã hai");
    assert_string_equal(x.second, "Xã hai");
    struct name_in_read y = {"C2", ""}; /* the next read transaction, nothing read between */
    assert_int_equal(store_read(f->s, name_in_read, &y, &e), 0);
    assert_string_equal(y.name, "Xã hai (đổi)");
    expect_name(f->s, "C2", "Xã hai (đổi)");
    x = (struct twice_in_read){f->db.path, "C2", "", ""};
    assert_int_equal(store_read(f->s, twice_in_read, &x, &e), 0);
    assert_string_equal(x.first, "Xã hai (đổi)");
    assert_string_equal(x.second, "Xã hai (đổi)");
    expect_name(f->s, "C2", "Xã hai (đổi) (đổi)");
    /* a write transaction reads its own units; rolled back, they are gone */
    assert_int_equal(store_tx(f->s, put_get_then_fail, NULL, &e), ERR_CONFLICT);
    assert_string_equal(e.msg, "rolled back");
    expect_name(f->s, "NC9", NULL);
    /* and a unit with every field set comes back whole */
    struct unit full = mk("C3", "Xã ba", UNIT_COMMUNE, "D", "2011-02-03", "2025-06-30", "NC");
    snprintf(full.ident_code, sizeof full.ident_code, "000.00.31.H99");
    put(f->s, full);
    struct unit u;
    assert_int_equal(store_unit_get(f->s, "C3", &u, &e), 0);
    assert_memory_equal(&u, &full, sizeof u);
}

/* A callback that lists children again, with the same statement the outer iteration is
 * stepping: the store must hand out a private copy, not reset the outer one. */
struct nested {
    struct store *s;
    struct codes out;
};
static int count_grandchildren(const struct unit *u, void *ctx)
{
    struct nested *n = ctx;
    struct codes inner = {""};
    struct err e = {0};
    if (store_unit_children(n->s, u->code, UNIT_DAY_MIN, add_code, &inner, &e)) return -1;
    size_t len = strlen(n->out.buf);
    snprintf(n->out.buf + len, sizeof n->out.buf - len, "%s%s[%s]", len ? "," : "", u->code,
             inner.buf);
    return 0;
}

static int stop_at_c1(const struct unit *u, void *ctx)
{
    (void)ctx;
    return strcmp(u->code, "C1") ? 0 : 42;
}

static void test_reentrant_iteration_and_stop(void **state)
{
    struct fixture *f = *state;
    merger_tree(f->s);
    struct nested n = {f->s, {""}};
    struct err e = {0};
    assert_int_equal(store_unit_children(f->s, "P0", UNIT_DAY_MIN, count_grandchildren, &n, &e), 0);
    assert_string_equal(n.out.buf, "D[C1,C2]");
    n = (struct nested){f->s, {""}};
    assert_int_equal(store_unit_children(f->s, NULL, UNIT_DAY_MIN, count_grandchildren, &n, &e), 0);
    assert_string_equal(n.out.buf, "N[NC],P0[D]");
    assert_int_equal(store_unit_subtree(f->s, "P0", UNIT_DAY_MIN, stop_at_c1, NULL, &e), 42);
    /* the statement was given back: the same query works again */
    struct codes c = {""};
    assert_int_equal(store_unit_subtree(f->s, "P0", UNIT_DAY_MIN, add_code, &c, &e), 0);
    assert_string_equal(c.buf, "P0,D,C1,C2");
}

static void test_cycles_refused(void **state)
{
    struct fixture *f = *state;
    put(f->s, mk("A", "A", UNIT_AGENCY, NULL, NULL, NULL, NULL));
    put(f->s, mk("B", "B", UNIT_AGENCY, "A", NULL, NULL, NULL));
    put(f->s, mk("C", "C", UNIT_AGENCY, "B", NULL, NULL, NULL));
    struct err e = {0};
    struct unit a = mk("A", "A", UNIT_AGENCY, "C", NULL, NULL, NULL);
    assert_int_equal(store_unit_put(f->s, &a, &e), ERR_CONFLICT);
    assert_string_equal(e.field, "parent");
    struct unit got;
    assert_int_equal(store_unit_get(f->s, "A", &got, &e), 0);
    assert_string_equal(got.parent, ""); /* unchanged */
    put(f->s, mk("X", "X", UNIT_COMMUNE, NULL, NULL, "2025-06-30", NULL));
    put(f->s, mk("Y", "Y", UNIT_COMMUNE, NULL, NULL, "2025-12-31", "X"));
    struct unit x = mk("X", "X", UNIT_COMMUNE, NULL, NULL, "2025-06-30", "Y");
    assert_int_equal(store_unit_put(f->s, &x, &e), ERR_CONFLICT);
    assert_string_equal(e.field, "successor");
}

static void test_delete(void **state)
{
    struct fixture *f = *state;
    merger_tree(f->s);
    struct err e = {0};
    assert_int_equal(store_unit_delete(f->s, "D", &e), ERR_CONFLICT);  /* has children */
    assert_int_equal(store_unit_delete(f->s, "NC", &e), ERR_CONFLICT); /* successor of C1, C2 */
    assert_int_equal(store_unit_delete(f->s, "C1", &e), 0);
    assert_int_equal(store_unit_delete(f->s, "C1", &e), ERR_NOT_FOUND);
}

/* --- transactions --- */

static int put_two_then_fail(struct store *s, void *ctx, struct err *e)
{
    (void)ctx;
    struct unit a = mk("T1", "T1", UNIT_AGENCY, NULL, NULL, NULL, NULL);
    struct unit b = mk("T2", "T2", UNIT_AGENCY, "T1", NULL, NULL, NULL);
    int rc = store_unit_put(s, &a, e);
    if (!rc) rc = store_unit_put(s, &b, e);
    if (rc) return rc;
    return err_set(e, ERR_INVALID, "x", "deliberate failure after two writes");
}

static void test_tx_rollback(void **state)
{
    struct fixture *f = *state;
    struct err e = {0};
    assert_int_equal(store_tx(f->s, put_two_then_fail, NULL, &e), ERR_INVALID);
    assert_string_equal(e.msg, "deliberate failure after two writes");
    int64_t n;
    assert_int_equal(store_unit_count(f->s, &n, &e), 0);
    assert_int_equal(n, 0);
}

static int inner_fails(struct store *s, void *ctx, struct err *e)
{
    (void)ctx;
    struct unit b = mk("B", "B", UNIT_AGENCY, NULL, NULL, NULL, NULL);
    int rc = store_unit_put(s, &b, e);
    return rc ? rc : err_set(e, ERR_CONFLICT, "", "inner gives up");
}

static int outer_goes_on(struct store *s, void *ctx, struct err *e)
{
    (void)ctx;
    struct unit a = mk("A", "A", UNIT_AGENCY, NULL, NULL, NULL, NULL);
    struct unit c = mk("C", "C", UNIT_AGENCY, NULL, NULL, NULL, NULL);
    int rc = store_unit_put(s, &a, e);
    if (rc) return rc;
    struct err ie = {0};
    if (store_tx(s, inner_fails, NULL, &ie) != ERR_CONFLICT) return ERR_INTERNAL;
    return store_unit_put(s, &c, e);
}

static void test_tx_nested_savepoint(void **state)
{
    struct fixture *f = *state;
    struct err e = {0};
    assert_int_equal(store_tx(f->s, outer_goes_on, NULL, &e), 0);
    struct codes c = {""};
    assert_int_equal(store_unit_list(f->s, UNIT_DAY_MIN, add_code, &c, &e), 0);
    assert_string_equal(c.buf, "A,C");
}

static int dangling_parent(struct store *s, void *ctx, struct err *e)
{
    (void)ctx;
    struct unit a = mk("OK", "OK", UNIT_AGENCY, NULL, NULL, NULL, NULL);
    struct unit b = mk("ORPHAN", "Orphan", UNIT_AGENCY, "MISSING", NULL, NULL, NULL);
    int rc = store_unit_put(s, &a, e);
    return rc ? rc : store_unit_put(s, &b, e); /* accepted now: checked at commit */
}

static void test_tx_commit_failure_changes_nothing(void **state)
{
    struct fixture *f = *state;
    struct err e = {0};
    assert_int_equal(store_tx(f->s, dangling_parent, NULL, &e), ERR_CONFLICT);
    assert_non_null(strstr(e.msg, "commit refused"));
    assert_int_equal(raw_int(f->db.path, "SELECT count(*) FROM units"), 0);
    put(f->s, mk("AFTER", "After", UNIT_AGENCY, NULL, NULL, NULL, NULL)); /* still usable */
    assert_int_equal(raw_int(f->db.path, "SELECT count(*) FROM units"), 1);
}

/* --- import --- */

static void base_unit(struct store *s)
{
    put(s, mk("BASE", "Đơn vị gốc", UNIT_PROVINCE, NULL, NULL, NULL, NULL));
}

static void test_import_good_quoting(void **state)
{
    struct fixture *f = *state;
    base_unit(f->s);
    char path[600];
    struct reports r = {.n = 0};
    struct import_result res = {0};
    struct err e = {0};
    int rc = import_units(f->s, testdata("import/units-good.csv", path, sizeof path),
                          collect_report, &r, &res, &e);
    if (rc) fail_msg("import: %s\n%s", e.msg, r.text);
    assert_int_equal(res.rows, 4);
    assert_int_equal(res.errors, 0);
    struct unit u;
    assert_int_equal(store_unit_get(f->s, "P1", &u, &e), 0);
    assert_string_equal(u.name, "Tỉnh \"Mẫu\", mới");
    assert_string_equal(u.ident_code, "000.00.00.H99");
    assert_int_equal(store_unit_get(f->s, "P1.X1", &u, &e), 0);
    assert_string_equal(u.name, "Xã Một\r\n(dòng thứ hai)");
    assert_int_equal(store_unit_get(f->s, "P1.X1.MC", &u, &e), 0);
    assert_string_equal(u.name, "Bộ phận Một cửa");
    assert_string_equal(u.parent, "P1.X1");
    assert_int_equal(store_unit_get(f->s, "OLD1", &u, &e), 0);
    assert_string_equal(u.successor, "P1.X1");
    assert_int_equal(u.valid_to, day("2025-06-30"));
    /* importing the same file again replaces, it does not duplicate */
    assert_int_equal(import_units(f->s, path, collect_report, &r, &res, &e), 0);
    assert_int_equal(raw_int(f->db.path, "SELECT count(*) FROM units"), 5);
}

static void test_import_bad_files(void **state)
{
    struct fixture *f = *state;
    base_unit(f->s);
    static const char *const bad[] = {
        "units-bad-parent",        "units-bad-duplicate",    "units-bad-date",   "units-bad-period",
        "units-bad-successor",     "units-bad-cycle",        "units-bad-kind",   "units-bad-header",
        "units-bad-quote",         "units-bad-unterminated", "units-bad-fields", "units-bad-ident",
        "units-bad-parent-period", "units-bad-utf8",         "units-bad-code",   "units-bad-empty",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_import_fails(f->s, f->db.path, import_units, bad[i], "units");
    struct import_result res;
    struct err e = {0};
    assert_int_equal(import_units(f->s, "/nonexistent/units.csv", NULL, NULL, &res, &e),
                     ERR_NOT_FOUND);
}

static void test_import_demo_tree(void **state)
{
    struct fixture *f = *state;
    const char *data = getenv("CCHC_DATA");
    assert_non_null(data);
    char path[600];
    snprintf(path, sizeof path, "%s/demo/units.csv", data);
    struct reports r = {.n = 0};
    struct import_result res = {0};
    struct err e = {0};
    if (import_units(f->s, path, collect_report, &r, &res, &e)) fail_msg("%s\n%s", e.msg, r.text);
    assert_true(res.rows >= 40);
    struct unit u;
    /* a pre-merger town resolves to the new commune */
    assert_int_equal(store_unit_resolve(f->s, "DT0.THANHBINH.TT", day("2025-07-01"), &u, &e), 0);
    assert_string_equal(u.code, "DT.THANHBINH");
    struct codes c = {""};
    assert_int_equal(store_unit_children(f->s, NULL, day("2025-07-01"), add_code, &c, &e), 0);
    assert_string_equal(c.buf, "DT");
    c = (struct codes){""};
    assert_int_equal(store_unit_children(f->s, NULL, day("2025-06-30"), add_code, &c, &e), 0);
    assert_string_equal(c.buf, "DT0,TG0");
    /* the root of a unit's tree (the province column's value): a pre-merger ward keeps its
     * old province's code, a new ward the new province's, a province is its own root, and a
     * code that is not in the tree is its own */
    char root[64];
    assert_int_equal(store_unit_root(f->s, "DT0.THANHBINH.TT", root, sizeof root, &e), 0);
    assert_string_equal(root, "DT0");
    assert_int_equal(store_unit_root(f->s, "DT.THANHBINH", root, sizeof root, &e), 0);
    assert_string_equal(root, "DT");
    assert_int_equal(store_unit_root(f->s, "TG0", root, sizeof root, &e), 0);
    assert_string_equal(root, "TG0");
    assert_int_equal(store_unit_root(f->s, "KHONG.CO", root, sizeof root, &e), 0);
    assert_string_equal(root, "KHONG.CO");
    assert_int_equal(store_unit_root(f->s, "DT.THANHBINH", root, 2, &e), ERR_INTERNAL);
    /* the province is the root on the day the unit was created and is never rewritten: a
     * ward moved under another root keeps it (the rows written for it stay together) */
    struct unit w;
    assert_int_equal(store_unit_get(f->s, "DT.THANHBINH", &w, &e), 0);
    snprintf(w.parent, sizeof w.parent, "%s", "TG0");
    w.valid_to = UNIT_DAY_MAX;
    assert_int_equal(store_unit_put(f->s, &w, &e), 0);
    assert_int_equal(store_unit_root(f->s, "DT.THANHBINH", root, sizeof root, &e), 0);
    assert_string_equal(root, "DT");
    /* a file that lists a new tree children first: each is written after its parent, and
     * takes the new root's province */
    char csv[700];
    snprintf(csv, sizeof csv, "%s/units-children-first.csv", f->db.dir);
    FILE *fp = fopen(csv, "w");
    assert_non_null(fp);
    fputs("code,name,kind,parent\n"
          "QN.A.X,Xã X,commune,QN.A\n"
          "QN.A,Sở A,department,QN\n"
          "QN,Tỉnh Q,province,\n",
          fp);
    fclose(fp);
    r = (struct reports){.n = 0};
    if (import_units(f->s, csv, collect_report, &r, &res, &e)) fail_msg("%s\n%s", e.msg, r.text);
    assert_int_equal(store_unit_root(f->s, "QN.A.X", root, sizeof root, &e), 0);
    assert_string_equal(root, "QN");
    assert_int_equal(store_unit_root(f->s, "QN.A", root, sizeof root, &e), 0);
    assert_string_equal(root, "QN");
}

/* A trigger makes the last row of an otherwise valid file fail inside the transaction. */
static void test_import_fault_on_last_row(void **state)
{
    struct fixture *f = *state;
    base_unit(f->s);
    fault_trigger(f->db.path, "fault", "units", "NEW.code = 'OLD1'", "injected fault");
    char path[600];
    struct reports r = {.n = 0};
    struct import_result res = {0};
    struct err e = {0};
    int rc = import_units(f->s, testdata("import/units-good.csv", path, sizeof path),
                          collect_report, &r, &res, &e);
    assert_int_equal(rc, ERR_INVALID);
    assert_non_null(strstr(r.text, "injected fault"));
    assert_int_equal(raw_int(f->db.path, "SELECT count(*) FROM units"), 1); /* BASE only */
}

/* The disk fails from the k-th write or sync on, for every k until an import gets through:
 * after each failure the database is intact and holds all of the file or none of it, and an
 * import that reported success is never lost. */
static void test_import_disk_failure_at_every_write(void **state)
{
    skip_on_pg(); /* a failing disk under SQLite's VFS; PostgreSQL's own WAL is its business */
    struct fixture *f = *state;
    base_unit(f->s);
    store_close(f->s); /* checkpoints: the base is one file */
    f->s = NULL;
    char src[600], work[400];
    testdata("import/units-good.csv", src, sizeof src);
    snprintf(work, sizeof work, "%s/work.db", f->db.dir);
    int runs = 0, failures = 0;
    for (int k = 1; k < 400; k++) {
        remove_db(work);
        copy_file(f->db.path, work);
        struct store *s = NULL;
        struct err e = {0};
        struct import_result res = {0};
        fault_arm(k);
        int rc = store_open(work, &s, &e);
        if (!rc) rc = import_units(s, src, NULL, NULL, &res, &e);
        int fired = fault_fired;
        store_close(s);
        fault_disarm();
        runs++;
        long long n = raw_int(work, "SELECT count(*) FROM units");
        char ok[16] = "";
        sqlite3 *db;
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_open(work, &db), SQLITE_OK);
        assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), 0);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        snprintf(ok, sizeof ok, "%s", (const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
        sqlite3_close(db);
        assert_string_equal(ok, "ok");
        if (n != 1 && n != 5) fail_msg("fault at write %d: %lld units, want 1 or 5", k, n);
        if (rc == 0 && n != 5) fail_msg("fault at write %d: import succeeded but was lost", k);
        if (rc) failures++;
        if (!fired) break; /* the whole run fit under k writes: every point was tried */
    }
    remove_db(work);
    print_message("disk failure injected at writes 1..%d: %d imports failed cleanly\n", runs,
                  failures);
    assert_true(failures >= 3); /* the faults really hit the import */
    assert_true(runs > failures);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_migrates_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_refuses_newer_schema, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_targets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unit_roundtrip_and_replace, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unit_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tree_as_of, setup, teardown),
        cmocka_unit_test_setup_teardown(test_subtree_is_depth_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_resolve_and_predecessors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scope_cache_follows_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unit_copy_follows_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_contact_memo_follows_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reentrant_iteration_and_stop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cycles_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tx_rollback, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tx_nested_savepoint, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tx_commit_failure_changes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_good_quoting, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_bad_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_demo_tree, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_fault_on_last_row, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_disk_failure_at_every_write, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
