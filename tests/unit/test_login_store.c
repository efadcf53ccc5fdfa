/* test_login_store.c — what sign-in keeps in the database (store_login.h, migration 025) on
 * both backends: failure counters that lock at the limit, locks that double when repeated
 * within a day up to the cap and start small again after a quiet day, counts from two
 * connections (two servers) adding up, the servers' shared key; and the second factor: RFC
 * 6238's test vectors through liboath, a code accepted once per step (a replay refused, also
 * through another connection), recovery codes used once, an administrator's reset. */
#include <stdint.h>
#include <time.h>

#include <liboath/oath.h>

#include "store.h"
#include "store_login.h"
#include "testdb.h"
#include "totp.h"
#include "user.h"

static struct tmpdb tdb;
static struct store *db;

static int setup(void **state)
{
    (void)state;
    struct err e = {0};
    tmpdb_make(&tdb);
    if (store_open(tdb.path, &db, &e)) {
        fprintf(stderr, "store_open: %s\n", e.msg);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    store_close(db);
    tmpdb_remove(&tdb);
    return 0;
}

static struct limit_row row(struct store *s, const char *k)
{
    struct limit_row r;
    struct err e = {0};
    if (store_limit_get(s, k, &r, &e)) fail_msg("limit_get: %s", e.msg);
    return r;
}

static void fail_n(struct store *s, const char *k, int n, int64_t now)
{
    struct err e = {0};
    for (int i = 0; i < n; i++)
        if (store_limit_fail(s, k, now, 100, 3, 350, &e)) fail_msg("limit_fail: %s", e.msg);
}

static void test_lock_grows(void **state)
{
    (void)state;
    fail_n(db, "k", 2, 1000);
    struct limit_row r = row(db, "k");
    assert_int_equal(r.fails, 2);
    assert_int_equal(r.lock_until, 0);
    fail_n(db, "k", 1, 1010); /* the third failure locks for the window */
    r = row(db, "k");
    assert_int_equal(r.lock_until, 1110);
    assert_int_equal(r.lock_len, 100);
    assert_int_equal(r.fails, 0);
    fail_n(db, "k", 3, 1110); /* again, right after: twice as long */
    r = row(db, "k");
    assert_int_equal(r.lock_len, 200);
    assert_int_equal(r.lock_until, 1310);
    fail_n(db, "k", 3, 1310); /* 400, capped at 350 */
    r = row(db, "k");
    assert_int_equal(r.lock_len, 350);
    assert_int_equal(r.lock_until, 1660);
    fail_n(db, "k", 3, 1660 + 86400); /* a quiet day after the last lock: back to the window */
    r = row(db, "k");
    assert_int_equal(r.lock_len, 100);
    assert_int_equal(r.lock_until, 1660 + 86400 + 100);
    /* failures in different windows do not add up */
    fail_n(db, "w", 2, 5000);
    fail_n(db, "w", 1, 5100);
    r = row(db, "w");
    assert_int_equal(r.fails, 1);
    assert_int_equal(r.lock_until, 0);
    /* a reset ends the lock and forgets the failures, but the next lock still doubles */
    struct err e = {0};
    fail_n(db, "r", 3, 7000);
    assert_int_equal(store_limit_reset(db, "r", 7050, &e), 0);
    r = row(db, "r");
    assert_int_equal(r.lock_until, 7050);
    assert_int_equal(r.fails, 0);
    fail_n(db, "r", 3, 7060);
    assert_int_equal(row(db, "r").lock_len, 200);
    /* a limit of one failure locks at once; the purge keeps live keys only */
    assert_int_equal(store_limit_fail(db, "one", 9000, 100, 1, 350, &e), 0);
    assert_int_equal(row(db, "one").lock_until, 9100);
    assert_int_equal(store_limit_purge(db, 9000, &e), 0);
    assert_int_equal(row(db, "w").fails, 0); /* quiet since 5100: gone */
    assert_int_equal(row(db, "r").lock_len, 0);
    assert_int_equal(row(db, "k").lock_len, 100); /* locked until after 9000: kept */
    assert_int_equal(row(db, "one").lock_until, 9100);
}

/* Two connections, as two servers: their failures add up to one lock. */
static void test_two_servers(void **state)
{
    (void)state;
    struct store *b;
    struct err e = {0};
    assert_int_equal(store_open(tdb.path, &b, &e), 0);
    fail_n(db, "shared", 1, 1000);
    fail_n(b, "shared", 1, 1001);
    assert_int_equal(row(db, "shared").lock_until, 0);
    fail_n(db, "shared", 1, 1002);
    assert_int_equal(row(b, "shared").lock_until, 1102);
    unsigned char k1[32], k2[32];
    assert_int_equal(store_server_key(db, "limits", k1, sizeof k1, &e), 0);
    assert_int_equal(store_server_key(b, "limits", k2, sizeof k2, &e), 0);
    assert_memory_equal(k1, k2, sizeof k1);
    assert_int_equal(store_server_key(b, "device", k2, sizeof k2, &e), 0);
    assert_memory_not_equal(k1, k2, sizeof k1);
    store_close(b);
}

/* RFC 6238 appendix B, SHA-1 key "12345678901234567890", the last 6 of the 8 digits. */
static void test_rfc6238(void **state)
{
    (void)state;
    const char *secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    int64_t step = 0;
    assert_true(totp_code_ok(secret, "287082", 59, &step));
    assert_int_equal(step, 1);
    assert_true(totp_code_ok(secret, "081804", 1111111109, &step));
    assert_int_equal(step, 1111111109 / 30);
    assert_true(totp_code_ok(secret, "050471", 1111111111, &step));      /* 1111111111: 14050471 */
    assert_true(totp_code_ok(secret, "081804", 1111111109 + 30, &step)); /* the step before */
    assert_int_equal(step, 1111111109 / 30);
    assert_false(totp_code_ok(secret, "081804", 1111111109 + 90, &step)); /* too old */
    assert_false(totp_code_ok(secret, "081805", 1111111109, &step));
    assert_false(totp_code_ok(secret, "08180", 1111111109, &step));
    assert_false(totp_code_ok(secret, "08180a", 1111111109, &step));
    assert_false(totp_code_ok("", "081804", 1111111109, &step));
    char uri[512];
    assert_int_equal(totp_uri("an b", secret, uri, sizeof uri), 0);
    assert_string_equal(uri, "otpauth://totp/cchc:an%20b?secret="
                             "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
                             "&issuer=cchc&algorithm=SHA1&digits=6&period=30");
    char *svg = totp_qr_svg(uri);
    assert_non_null(svg);
    assert_non_null(strstr(svg, "<svg"));
    free(svg);
}

static void add_user(const char *name)
{
    struct user u = {0};
    snprintf(u.username, sizeof u.username, "%s", name);
    u.role = UROLE_CITIZEN;
    u.created_at = 1;
    struct err e = {0};
    /* any argon2id string: the password plays no part here */
    if (store_user_add(db, &u, "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA", &e))
        fail_msg("user: %s", e.msg);
}

/* The code of secret at time t, by liboath. */
static void code_at(const char *secret, int64_t t, char out[7])
{
    char *key = NULL;
    size_t n = 0;
    assert_int_equal(oath_base32_decode(secret, strlen(secret), &key, &n), OATH_OK);
    assert_int_equal(oath_totp_generate(key, n, (time_t)t, 30, 0, 6, out), OATH_OK);
    free(key);
}

static void test_second_factor(void **state)
{
    (void)state;
    struct err e = {0};
    add_user("anh");
    struct user_totp t;
    char secret[TOTP_SECRET_MAX], code[7];
    assert_int_equal(totp_new_secret(secret, &e), 0);
    assert_int_equal(strlen(secret), 32);
    /* confirming without a pending secret is refused */
    assert_int_equal(store_totp_confirm(db, "anh", 5, NULL, 0, &e), ERR_CONFLICT);
    assert_int_equal(store_totp_begin(db, "anh", secret, &e), 0);
    assert_int_equal(store_totp_begin(db, "nobody", secret, &e), ERR_NOT_FOUND);
    assert_int_equal(store_totp_get(db, "anh", &t, &e), 0);
    assert_string_equal(t.secret, secret);
    assert_false(t.confirmed);
    char codes[3][TOTP_RECOVERY_LEN], hashes[3][128];
    const char *hp[3] = {hashes[0], hashes[1], hashes[2]};
    assert_int_equal(totp_recovery_new(codes, hashes, 3, &e), 0);
    assert_int_equal(strlen(codes[0]), 11);
    assert_int_equal(codes[0][5], '-');
    int64_t now = 1800000000, step = now / 30;
    assert_int_equal(store_totp_confirm(db, "anh", step, hp, 3, &e), 0);
    assert_int_equal(store_totp_get(db, "anh", &t, &e), 0);
    assert_true(t.confirmed);
    assert_int_equal(t.recovery_left, 3);
    /* the confirming code's step is used: the same code at sign-in is a replay */
    code_at(secret, now, code);
    assert_int_equal(totp_login_check(db, "anh", &t, code, now, &e), ERR_CONFLICT);
    code_at(secret, now + 30, code);
    assert_int_equal(totp_login_check(db, "anh", &t, code, now + 30, &e), 0);
    /* another server that read the row before: the database refuses the replay */
    assert_int_equal(totp_login_check(db, "anh", &t, code, now + 30, &e), ERR_CONFLICT);
    assert_int_equal(totp_login_check(db, "anh", &t, "000000", now + 60, &e) != 0, 1);
    /* a recovery code, in capitals and with spaces, once */
    char typed[40];
    /* the code's letters may be digits: upper-case only letters (the loop below) */
    snprintf(typed, sizeof typed, " %.5s %s", codes[1], codes[1] + 6);
    for (char *p = typed; *p; p++)
        if (*p >= 'a' && *p <= 'z') *p = (char)(*p - 32);
    assert_int_equal(totp_login_check(db, "anh", &t, typed, now + 60, &e), 0);
    assert_int_equal(totp_login_check(db, "anh", &t, codes[1], now + 60, &e), ERR_INVALID);
    assert_int_equal(store_totp_get(db, "anh", &t, &e), 0);
    assert_int_equal(t.recovery_left, 2);
    assert_int_equal(totp_login_check(db, "anh", &t, "abcde-fghjk", now + 60, &e), ERR_INVALID);
    /* the administrator's reset */
    assert_int_equal(store_totp_reset(db, "anh", &e), 0);
    assert_int_equal(store_totp_get(db, "anh", &t, &e), 0);
    assert_false(t.confirmed);
    assert_string_equal(t.secret, "");
    assert_int_equal(t.recovery_left, 0);
    assert_int_equal(store_totp_reset(db, "nobody", &e), ERR_NOT_FOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_lock_grows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_servers, setup, teardown),
        cmocka_unit_test(test_rfc6238),
        cmocka_unit_test_setup_teardown(test_second_factor, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
