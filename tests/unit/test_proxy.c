/* test_proxy.c — the client address behind trusted proxies (src/http/proxy.c): the trusted
 * list's parser and prefixes, and the right-to-left walk over X-Forwarded-For and Forwarded
 * hops, including forged headers from untrusted peers and hops that are not addresses; and
 * the request log's line and the client network it names (src/http/reqlog.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "err.h"
#include "proxy.h"
#include "reqlog.h"

static struct proxy_list list(const char *text)
{
    struct proxy_list l;
    struct err e = {0};
    assert_int_equal(proxy_list_parse(text, &l, &e), 0);
    return l;
}

static void test_list_parse(void **state)
{
    (void)state;
    struct proxy_list l = list(" 127.0.0.1, 10.0.0.0/8 ::1,2001:db8::/32 ");
    assert_int_equal(l.n, 4);
    assert_true(proxy_list_contains(&l, "127.0.0.1"));
    assert_false(proxy_list_contains(&l, "127.0.0.2"));
    assert_true(proxy_list_contains(&l, "10.255.1.2"));
    assert_false(proxy_list_contains(&l, "11.0.0.1"));
    assert_true(proxy_list_contains(&l, "::1"));
    assert_true(proxy_list_contains(&l, "2001:db8:ffff::7"));
    assert_false(proxy_list_contains(&l, "2001:db9::7"));
    assert_true(proxy_list_contains(&l, "::ffff:127.0.0.1")); /* IPv4-mapped counts as IPv4 */
    assert_false(proxy_list_contains(&l, "not-an-address"));
    l = list("");
    assert_int_equal(l.n, 0);
    assert_false(proxy_list_contains(&l, "127.0.0.1"));
    /* A prefix that is not on a byte boundary. */
    l = list("192.168.4.0/22");
    assert_true(proxy_list_contains(&l, "192.168.7.255"));
    assert_false(proxy_list_contains(&l, "192.168.8.0"));
    l = list("0.0.0.0/0");
    assert_true(proxy_list_contains(&l, "8.8.8.8"));
    assert_false(proxy_list_contains(&l, "::1"));
}

static void test_list_errors(void **state)
{
    (void)state;
    const char *bad[] = {"127.0.0.1/33", "::1/129", "10.0.0.0/",  "10.0.0.0/x",
                         "localhost",    "1.2.3",   "10.0.0.0/-1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct proxy_list l;
        struct err e = {0};
        assert_int_equal(proxy_list_parse(bad[i], &l, &e), ERR_INVALID);
        assert_string_equal(e.field, "trusted_proxies");
        assert_non_null(strstr(e.msg, bad[i]));
    }
    enum proxy_header h;
    struct err e = {0};
    assert_int_equal(proxy_header_parse("X-Forwarded-For", &h, &e), 0);
    assert_int_equal(h, PROXY_XFF);
    assert_int_equal(proxy_header_parse("forwarded", &h, &e), 0);
    assert_int_equal(h, PROXY_FORWARDED);
    assert_int_equal(proxy_header_parse("x-real-ip", &h, &e), ERR_INVALID);
    assert_string_equal(e.field, "proxy_header");
}

/* One case: trusted list, header kind, peer, header value, expected client, from header? */
struct walk_case {
    const char *trusted;
    enum proxy_header kind;
    const char *peer, *header, *want;
    int from_header;
};

static void test_walk(void **state)
{
    (void)state;
    static const struct walk_case cases[] = {
        /* No header, or an untrusted peer: the peer, whatever the header says. */
        {"127.0.0.1", PROXY_XFF, "127.0.0.1", NULL, "127.0.0.1", 0},
        {"127.0.0.1", PROXY_XFF, "127.0.0.2", "203.0.113.9", "127.0.0.2", 0},
        {"", PROXY_XFF, "127.0.0.1", "203.0.113.9", "127.0.0.1", 0},
        /* nginx's $proxy_add_x_forwarded_for: what the client sent, then its address. */
        {"127.0.0.1", PROXY_XFF, "127.0.0.1", "203.0.113.9", "203.0.113.9", 1},
        {"127.0.0.1", PROXY_XFF, "127.0.0.1", "6.6.6.6, 198.51.100.4", "198.51.100.4", 1},
        /* Two trusted proxies in a row: skipped from the right. */
        {"127.0.0.1,10.0.0.0/8", PROXY_XFF, "127.0.0.1", "6.6.6.6, 198.51.100.4,10.1.1.1",
         "198.51.100.4", 1},
        /* Every hop trusted: the left-most. */
        {"127.0.0.1,10.0.0.0/8", PROXY_XFF, "127.0.0.1", "10.0.0.5, 10.1.1.1", "10.0.0.5", 1},
        /* A hop that is no address ends the walk at the last address read. */
        {"127.0.0.1,10.0.0.0/8", PROXY_XFF, "127.0.0.1", "198.51.100.4, garbage, 10.1.1.1",
         "10.1.1.1", 1},
        {"127.0.0.1", PROXY_XFF, "127.0.0.1", "unknown", "127.0.0.1", 0},
        {"127.0.0.1", PROXY_XFF, "127.0.0.1", "", "127.0.0.1", 0},
        {"127.0.0.1", PROXY_XFF, "127.0.0.1", " , ", "127.0.0.1", 0},
        /* Ports and IPv6 forms; canonical text. */
        {"::1", PROXY_XFF, "::1", "203.0.113.9:4711", "203.0.113.9", 1},
        {"::1", PROXY_XFF, "::1", "[2001:DB8::0001]:443", "2001:db8::1", 1},
        {"::1", PROXY_XFF, "::1", "2001:db8:0::2", "2001:db8::2", 1},
        {"127.0.0.1", PROXY_XFF, "::ffff:127.0.0.1", "::ffff:198.51.100.4", "198.51.100.4", 1},
        /* Forwarded (RFC 7239): the for= parameter, quoted IPv6, several elements. */
        {"127.0.0.1", PROXY_FORWARDED, "127.0.0.1",
         "for=6.6.6.6, for=198.51.100.4;proto=https;by=127.0.0.1", "198.51.100.4", 1},
        {"127.0.0.1", PROXY_FORWARDED, "127.0.0.1", "For=\"[2001:db8:cafe::17]:4711\"",
         "2001:db8:cafe::17", 1},
        {"127.0.0.1", PROXY_FORWARDED, "127.0.0.1", "for=_hidden", "127.0.0.1", 0},
        {"127.0.0.1", PROXY_FORWARDED, "127.0.0.1", "proto=https", "127.0.0.1", 0},
        /* A forged X-Forwarded-For is not read when Forwarded is the configured header (the
         * caller passes the configured header only). */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct walk_case *c = &cases[i];
        struct proxy_list l = list(c->trusted);
        char out[PROXY_ADDR_MAX];
        int from = proxy_client_addr(&l, c->kind, c->peer, c->header, out, sizeof out);
        if (strcmp(out, c->want) || from != c->from_header)
            fail_msg("case %zu: peer %s header '%s': got %s (%d), expected %s (%d)", i, c->peer,
                     c->header ? c->header : "(none)", out, from, c->want, c->from_header);
    }
}

static void test_config_check(void **state)
{
    (void)state;
    struct serve_config cfg;
    struct err e = {0};
    config_defaults(&cfg);
    assert_int_equal(config_check(&cfg, &e), 0);
    assert_int_equal(config_set(&cfg, "trusted_proxies", "127.0.0.1, ::1", "test", &e), 0);
    assert_int_equal(config_check(&cfg, &e), 0);
    assert_int_equal(config_set(&cfg, "trusted_proxies", "127.0.0.1/40", "test", &e), 0);
    assert_int_equal(config_check(&cfg, &e), ERR_INVALID);
    assert_string_equal(e.field, "trusted_proxies");
    config_defaults(&cfg);
    assert_int_equal(config_set(&cfg, "proxy_header", "x-real-ip", "test", &e), 0);
    assert_int_equal(config_check(&cfg, &e), ERR_INVALID);
    assert_string_equal(e.field, "proxy_header");
}

/* The request log names the client's network, never its address. */
static void test_reqlog_net(void **state)
{
    (void)state;
    char out[64];
    reqlog_client_net("203.0.113.77", out, sizeof out);
    assert_string_equal(out, "203.0.113.0/24");
    reqlog_client_net("2001:db8:abcd:1234::1", out, sizeof out);
    assert_string_equal(out, "2001:db8:abcd::/48");
    reqlog_client_net("", out, sizeof out);
    assert_string_equal(out, "");
    reqlog_client_net("not an address", out, sizeof out);
    assert_string_equal(out, "");
    /* A line is one JSON object with the route pattern, not the URL. */
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    assert_non_null(f);
    reqlog_line(f, 1764900000123, "GET", "/api/dossiers/{code}", 404, 0.0125, 99, "198.51.100.4",
                1);
    reqlog_line(f, 1764900000123, "BREW", NULL, 404, 0.001, 0, "", 0);
    fclose(f);
    assert_string_equal(buf,
                        "{\"time\":\"2025-12-05T02:00:00.123Z\",\"method\":\"GET\",\"route\":"
                        "\"/api/dossiers/{code}\",\"status\":404,\"ms\":12.500,\"bytes\":99,"
                        "\"client\":\"198.51.100.0/24\",\"complete\":true}\n"
                        "{\"time\":\"2025-12-05T02:00:00.123Z\",\"method\":\"BREW\",\"route\":null,"
                        "\"status\":404,\"ms\":1.000,\"bytes\":0,\"client\":\"\",\"complete\":"
                        "false}\n");
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_parse), cmocka_unit_test(test_list_errors),
        cmocka_unit_test(test_walk),       cmocka_unit_test(test_config_check),
        cmocka_unit_test(test_reqlog_net),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
