/* test_notify.c — the pure side of notifications (src/core/notify.c): contacts normalised
 * and refused precisely, the backoff schedule, template variables, and the templates of
 * data/notify/templates.tsv chosen by channel and effective date. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "date.h"
#include "notify.h"

static void contacts(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
        enum contact_kind kind;
    } ok[] = {
        {"0912345678", "0912345678", CONTACT_PHONE},
        {"0912 345 678", "0912345678", CONTACT_PHONE},
        {"+84 912.345.678", "0912345678", CONTACT_PHONE},
        {"84-912-345-678", "0912345678", CONTACT_PHONE},
        {"(+84) 387 654 321", "0387654321", CONTACT_PHONE},
        {"Nguoi.Dan@Example.GOV.VN", "nguoi.dan@example.gov.vn", CONTACT_EMAIL},
        {" a+b@x-y.vn ", "a+b@x-y.vn", CONTACT_EMAIL},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        char out[NOTIFY_CONTACT_MAX];
        enum contact_kind k = 0;
        struct err e = {0};
        assert_int_equal(notify_contact_normalize(ok[i].in, out, sizeof out, &k, NULL, &e), 0);
        assert_string_equal(out, ok[i].out);
        assert_int_equal(k, ok[i].kind);
    }
    static const char *const bad[] = {
        "",           "0912 34", "091234567890", "0212345678", "+1 202 555 0100",
        "09123x5678", "a@b",     "a..b@x.vn",    ".a@x.vn",    "a@x..vn",
        "a@-x.vn",    "a@x-.vn", "a@@x.vn",      "@x.vn",      "a b@x.vn"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char out[NOTIFY_CONTACT_MAX];
        struct err e = {0};
        assert_int_equal(notify_contact_normalize(bad[i], out, sizeof out, NULL, "contact", &e),
                         ERR_INVALID);
        assert_string_equal(e.field, "contact");
        /* a phone number never appears in the message */
        if (bad[i][0] && !strchr(bad[i], '@')) assert_null(strstr(e.msg, bad[i]));
    }
    char m[64];
    assert_string_equal(notify_contact_mask("0912345678", m, sizeof m), "09******78");
    assert_string_equal(notify_contact_mask("dan@example.vn", m, sizeof m), "d***@example.vn");
}

static void backoff(void **state)
{
    (void)state;
    assert_int_equal(notify_backoff_seconds(1), 60);
    assert_int_equal(notify_backoff_seconds(2), 120);
    assert_int_equal(notify_backoff_seconds(5), 960);
    assert_int_equal(notify_backoff_seconds(30), 6 * 3600);
}

static void vars(void **state)
{
    (void)state;
    char v[64] = "", out[32];
    struct err e = {0};
    assert_int_equal(notify_vars_add(v, sizeof v, "code", "A\tB\nC", &e), 0);
    assert_int_equal(notify_vars_add(v, sizeof v, "due", "20/10/2025", &e), 0);
    assert_int_equal(notify_vars_get(v, "code", out, sizeof out), 1);
    assert_string_equal(out, "A B C");
    assert_int_equal(notify_vars_get(v, "du", out, sizeof out), 0);
    assert_int_equal(
        notify_vars_add(v, sizeof v, "long", "0123456789012345678901234567890123456789", &e),
        ERR_RANGE);
}

static void templates(void **state)
{
    (void)state;
    char path[1024], subject[256], body[1024];
    const char *data = getenv("CCHC_DATA");
    snprintf(path, sizeof path, "%s/notify/templates.tsv", data ? data : CCHC_DATA_DIR);
    struct notify_templates *t = NULL;
    struct err e = {0};
    assert_int_equal(notify_templates_load(path, &t, &e), 0);
    const char *v = "code\tX-1\nprocedure_name\tKhai sinh\nunit_name\tPhường 1\ndue\t20/10/2025\n"
                    "link\thttps://l\nunsubscribe\thttps://u\n";
    struct ymd d = {2025, 9, 8};
    int64_t day = ymd_to_days(d);
    assert_int_equal(
        notify_render(t, "received", "sms", day, v, subject, sizeof subject, body, sizeof body, &e),
        0);
    assert_string_equal(body, "Hồ sơ X-1 (Khai sinh) đã được Phường 1 tiếp nhận. Ngày hẹn trả kết "
                              "quả: 20/10/2025. Tra cứu: https://l");
    assert_int_equal(notify_render(t, "received", "email", day, v, subject, sizeof subject, body,
                                   sizeof body, &e),
                     0);
    assert_non_null(strstr(body, "\n\nĐể ngừng nhận thông báo: https://u"));
    assert_string_equal(subject, "Hồ sơ X-1 đã được tiếp nhận");
    /* before the first effective date no template is in force */
    struct ymd old = {2010, 1, 1};
    assert_int_equal(notify_render(t, "received", "sms", ymd_to_days(old), v, subject,
                                   sizeof subject, body, sizeof body, &e),
                     ERR_NOT_FOUND);
    notify_templates_free(t);
    /* a file missing an event's '*' row is refused */
    FILE *f = tmpfile();
    assert_non_null(f);
    fclose(f);
    char tmp[] = "/tmp/cchc-tpl-XXXXXX";
    int fd = mkstemp(tmp);
    assert_true(fd >= 0);
    f = fdopen(fd, "w");
    fputs("received\t*\t2018-06-21\ts\tb\tsrc\n", f);
    fclose(f);
    assert_int_equal(notify_templates_load(tmp, &t, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "has no '*' template"));
    unlink(tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(contacts),
        cmocka_unit_test(backoff),
        cmocka_unit_test(vars),
        cmocka_unit_test(templates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
