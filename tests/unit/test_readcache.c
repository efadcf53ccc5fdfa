/* test_readcache.c — the server's read cache (src/http/readcache.h): a value read before a
 * change is never put after the change's drop (the ticket), a request's own flush lets it fill
 * again, the oldest entries go at the byte bound, an off cache gives no ticket, and under two
 * threads (a writer changing and dropping, a reader filling and reading) no read returns a
 * value older than the last change dropped before it. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "readcache.h"

static void put_get_drop(void **state)
{
    (void)state;
    struct readcache *c = readcache_new(1 << 20, 1);
    assert_non_null(c);
    uint64_t t = readcache_ticket(c);
    assert_true(t != 0);
    int v = 7, out = 0;
    assert_false(readcache_get(c, "d:A", &out, sizeof out));
    readcache_put(c, t, "d:A", &v, sizeof v);
    assert_true(readcache_get(c, "d:A", &out, sizeof out));
    assert_int_equal(out, 7);
    /* another size is another thing: no hit */
    int64_t wide;
    assert_false(readcache_get(c, "d:A", &wide, sizeof wide));
    readcache_drop(c, "d:A");
    assert_false(readcache_get(c, "d:A", &out, sizeof out));
    /* the value read before the drop, put after it, is refused */
    v = 6;
    readcache_put(c, t, "d:A", &v, sizeof v);
    assert_false(readcache_get(c, "d:A", &out, sizeof out));
    /* a drop of another key refuses it too (the ticket is the whole cache's) */
    uint64_t t2 = readcache_ticket(c);
    readcache_drop(c, "d:B");
    readcache_put(c, t2, "d:A", &v, sizeof v);
    assert_false(readcache_get(c, "d:A", &out, sizeof out));
    struct readcache_stats st;
    readcache_stats(c, &st);
    assert_int_equal(st.refused, 2);
    assert_int_equal(st.puts, 1);
    assert_int_equal(st.drops, 2);
    readcache_free(c);
}

static void sync_moves_own_ticket(void **state)
{
    (void)state;
    struct readcache *c = readcache_new(1 << 20, 1);
    int v = 1, out;
    uint64_t t = readcache_ticket(c);
    readcache_put(c, t, "s:x", &v, sizeof v);
    /* unchanged: nothing dropped */
    readcache_sync(c, &t, 0);
    assert_true(readcache_get(c, "s:x", &out, sizeof out));
    /* changed: all dropped, and this request, whose snapshot is after the change, may fill */
    uint64_t before = t;
    readcache_sync(c, &t, 1);
    assert_true(t != before);
    assert_false(readcache_get(c, "s:x", &out, sizeof out));
    readcache_put(c, t, "s:x", &v, sizeof v);
    assert_true(readcache_get(c, "s:x", &out, sizeof out));
    /* a request whose ticket is older than someone else's drop keeps it: its puts refused */
    uint64_t a = readcache_ticket(c);
    readcache_drop(c, "d:other");
    readcache_sync(c, &a, 1);
    v = 2;
    readcache_put(c, a, "s:y", &v, sizeof v);
    assert_false(readcache_get(c, "s:y", &out, sizeof out));
    readcache_free(c);
}

static void oldest_go_first(void **state)
{
    (void)state;
    char big[1000];
    memset(big, 'x', sizeof big);
    struct readcache *c = readcache_new(20 * 1024, 1);
    uint64_t t = readcache_ticket(c);
    char key[32];
    for (int i = 0; i < 100; i++) {
        snprintf(key, sizeof key, "d:%03d", i);
        readcache_put(c, t, key, big, sizeof big);
    }
    struct readcache_stats st;
    readcache_stats(c, &st);
    assert_true(st.bytes <= 20 * 1024);
    assert_true(st.entries >= 10 && st.entries < 20);
    char out[1000];
    assert_true(readcache_get(c, "d:099", out, sizeof out));
    assert_false(readcache_get(c, "d:000", out, sizeof out));
    /* a value larger than the whole cache is not kept */
    static char huge[30 * 1024];
    readcache_put(c, t, "d:huge", huge, sizeof huge);
    assert_false(readcache_get(c, "d:huge", huge, sizeof huge));
    readcache_free(c);
}

static void off_until_live(void **state)
{
    (void)state;
    assert_null(readcache_new(0, 1)); /* read_cache_mb = 0 */
    assert_int_equal(readcache_ticket(NULL), 0);
    struct readcache *c = readcache_new(1 << 20, 0); /* PostgreSQL before its listener */
    assert_int_equal(readcache_ticket(c), 0);
    readcache_live(c, 1);
    uint64_t t = readcache_ticket(c);
    assert_true(t != 0);
    int v = 3, out;
    readcache_put(c, t, "d:A", &v, sizeof v);
    assert_true(readcache_get(c, "d:A", &out, sizeof out));
    /* the listener lost: no ticket, nothing kept, the old ticket's puts refused */
    readcache_live(c, 0);
    assert_int_equal(readcache_ticket(c), 0);
    assert_false(readcache_get(c, "d:A", &out, sizeof out));
    readcache_put(c, t, "d:A", &v, sizeof v);
    readcache_live(c, 1);
    assert_false(readcache_get(c, "d:A", &out, sizeof out));
    readcache_free(c);
}

/* The race: the "database" is an atomic version; the writer changes it, then drops the key (a
 * notification after the commit) and publishes the version it dropped. The reader takes a
 * ticket, reads the version (its snapshot), maybe yields, puts it; and before each get notes
 * the version last dropped: a hit older than that is a stale read the ticket must prevent. */
struct race {
    struct readcache *c;
    atomic_long version, dropped;
    atomic_int stop;
    atomic_long stale, hits;
};

static void *writer(void *p)
{
    struct race *x = p;
    for (long i = 0; i < 20000; i++) {
        long v = atomic_fetch_add(&x->version, 1) + 1;
        readcache_drop(x->c, "d:K");
        atomic_store(&x->dropped, v);
        for (volatile int spin = 0; spin < 2000; spin++) { /* readers hit in between */
        }
    }
    atomic_store(&x->stop, 1);
    return NULL;
}

static void *reader(void *p)
{
    struct race *x = p;
    while (!atomic_load(&x->stop)) {
        long floor = atomic_load(&x->dropped), got;
        if (readcache_get(x->c, "d:K", &got, sizeof got)) {
            x->hits++;
            if (got < floor) x->stale++;
            continue;
        }
        uint64_t t = readcache_ticket(x->c);
        long v = atomic_load(&x->version);
        if (v % 3 == 0) usleep(20); /* let the writer change it between read and put */
        readcache_put(x->c, t, "d:K", &v, sizeof v);
    }
    return NULL;
}

static void no_stale_read_under_race(void **state)
{
    (void)state;
    struct race x = {.c = readcache_new(1 << 20, 1)};
    pthread_t a, b, d;
    pthread_create(&a, NULL, writer, &x);
    pthread_create(&b, NULL, reader, &x);
    pthread_create(&d, NULL, reader, &x);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    pthread_join(d, NULL);
    printf("race: %ld hits, %ld stale\n", x.hits, x.stale);
    assert_true(x.hits > 0); /* else nothing was tried */
    assert_int_equal(x.stale, 0);
    readcache_free(x.c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(put_get_drop),
        cmocka_unit_test(sync_moves_own_ticket),
        cmocka_unit_test(oldest_go_first),
        cmocka_unit_test(off_until_live),
        cmocka_unit_test(no_stale_read_under_race),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
