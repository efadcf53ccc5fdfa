/* test_ratelimit.c — issue 12, finding 2: a key whose window runs is never evicted by
 * failures about other keys (12,000 failures on made-up codes once gave a locked code five
 * fresh guesses), windows expire, a reset forgets, and network keys group /24 and /64. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "ratelimit.h"

static void locked_key_survives_flood(void **state)
{
    (void)state;
    struct ratelimit *rl = ratelimit_new(4096, 5, 900);
    assert_non_null(rl);
    for (int i = 0; i < 5; i++)
        ratelimit_fail(rl, "c:000.00.31.H20-250804-0001", 1000);
    int retry = 0;
    assert_true(ratelimit_blocked(rl, "c:000.00.31.H20-250804-0001", 1000, &retry));
    char key[64];
    for (int i = 0; i < 200000; i++) { /* far more keys than the first table holds */
        snprintf(key, sizeof key, "c:made-up-%d", i);
        ratelimit_fail(rl, key, 1000 + i / 1000);
    }
    assert_true(ratelimit_blocked(rl, "c:000.00.31.H20-250804-0001", 1200, &retry));
    assert_int_equal(retry, 700);
    /* the flood's keys are counted too */
    assert_false(ratelimit_blocked(rl, "c:made-up-7", 1200, NULL));
    for (int i = 0; i < 4; i++)
        ratelimit_fail(rl, "c:made-up-7", 1200);
    assert_true(ratelimit_blocked(rl, "c:made-up-7", 1200, NULL));
    /* the window ends */
    assert_false(ratelimit_blocked(rl, "c:000.00.31.H20-250804-0001", 1900, NULL));
    ratelimit_free(rl);
}

static void reset_and_reuse(void **state)
{
    (void)state;
    struct ratelimit *rl = ratelimit_new(64, 2, 60);
    ratelimit_fail(rl, "u:a", 10);
    ratelimit_fail(rl, "u:a", 10);
    assert_true(ratelimit_blocked(rl, "u:a", 11, NULL));
    ratelimit_reset(rl, "u:a");
    assert_false(ratelimit_blocked(rl, "u:a", 11, NULL));
    /* many short-lived keys over time: expired windows are reused, memory stays bounded */
    char key[32];
    for (int i = 0; i < 100000; i++) {
        snprintf(key, sizeof key, "k%d", i);
        ratelimit_fail(rl, key, 100 + i); /* each window over before the next minute's keys */
    }
    ratelimit_fail(rl, "u:a", 200000);
    ratelimit_fail(rl, "u:a", 200000);
    assert_true(ratelimit_blocked(rl, "u:a", 200001, NULL));
    ratelimit_free(rl);
}

static void network_keys(void **state)
{
    (void)state;
    char k[80];
    assert_int_equal(ratelimit_net_key("192.0.2.17", k, sizeof k), 0);
    assert_string_equal(k, "n:192.0.2.0/24");
    ratelimit_net_key("2001:db8:1:2:3:4:5:6", k, sizeof k);
    assert_string_equal(k, "n:2001:db8:1:2::/64");
    ratelimit_net_key("::ffff:198.51.100.9", k, sizeof k);
    assert_string_equal(k, "n:198.51.100.0/24");
}

int main(void)
{
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(locked_key_survives_flood),
        cmocka_unit_test(reset_and_reuse),
        cmocka_unit_test(network_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
