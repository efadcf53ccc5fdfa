/* test_efile.c — online filing's rules (src/core/efile.c): which files an upload may be and
 * which refusal (too large → 413, wrong type → 415) each gets, when a filing is complete,
 * full or partial online from the facts, and the online-service rates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "efile.h"

static void files(void **state)
{
    (void)state;
    struct err e = {0};
    assert_int_equal(efile_file_check("don.pdf", "application/pdf", 1000, 2000, 0, 5000, &e),
                     EFILE_OK);
    assert_int_equal(efile_file_check("a.png", "image/png", 2000, 2000, 3000, 5000, &e), EFILE_OK);
    /* the type read from the content decides, whatever the name says */
    assert_int_equal(efile_file_check("don.pdf", "text/plain", 10, 2000, 0, 5000, &e),
                     EFILE_BAD_TYPE);
    assert_string_equal(e.field, "file");
    assert_non_null(strstr(e.msg, "'text/plain'"));
    assert_int_equal(efile_file_check("scan.tiff", "image/tiff", 10, 2000, 0, 5000, &e),
                     EFILE_BAD_TYPE);
    assert_int_equal(efile_file_check("don.pdf", "application/pdf", 2001, 2000, 0, 5000, &e),
                     EFILE_TOO_LARGE);
    assert_non_null(strstr(e.msg, "2001 bytes, more than the limit 2000"));
    /* the dossier's total, the replaced document not counted by the caller */
    assert_int_equal(efile_file_check("don.pdf", "application/pdf", 2000, 2000, 3001, 5000, &e),
                     EFILE_TOO_LARGE);
    assert_int_equal(efile_file_check("", "application/pdf", 10, 2000, 0, 5000, &e),
                     EFILE_BAD_NAME);
    assert_int_equal(efile_file_check("../x.pdf", "application/pdf", 10, 2000, 0, 5000, &e),
                     EFILE_BAD_NAME);
    assert_int_equal(efile_file_check("x.pdf", "application/pdf", 0, 2000, 0, 5000, &e),
                     EFILE_BAD_NAME);
}

static void complete(void **state)
{
    (void)state;
    static const char docs[3][PROC_TEXT_MAX] = {"Tờ khai", "Giấy tờ tùy thân",
                                                "Giấy ủy quyền (nếu có)"};
    struct err e = {0};
    assert_int_equal(efile_complete(docs, 3, ONLINE_FULL, 0x3, 0, &e), 0);
    assert_int_equal(efile_complete(docs, 3, ONLINE_FULL, 0x1, 0, &e), ERR_INVALID);
    assert_string_equal(e.field, "documents");
    assert_non_null(strstr(e.msg, "document 2"));
    /* paper only for a partly online procedure */
    assert_int_equal(efile_complete(docs, 3, ONLINE_PARTIAL, 0x1, 0x2, &e), 0);
    assert_int_equal(efile_complete(docs, 3, ONLINE_FULL, 0x1, 0x2, &e), ERR_INVALID);
    assert_string_equal(e.field, "paper");
    assert_int_equal(efile_complete(docs, 0, ONLINE_FULL, 0, 0, &e), ERR_INVALID);
    assert_int_equal(efile_complete(docs, 0, ONLINE_FULL, 0x1, 0, &e), 0);
}

static void served(void **state)
{
    (void)state;
    assert_int_equal(efile_served(1, 1), ONLINE_FULL);
    assert_int_equal(efile_served(0, 1), ONLINE_PARTIAL);
    assert_int_equal(efile_served(1, 0), ONLINE_PARTIAL);
    assert_true(efile_offered(ONLINE_FULL) && efile_offered(ONLINE_PARTIAL));
    assert_false(efile_offered(ONLINE_NONE));
    assert_true(efile_result_online_allowed(ONLINE_FULL));
    assert_false(efile_result_online_allowed(ONLINE_PARTIAL));
}

static void rates(void **state)
{
    (void)state;
    struct efile_figures f = {25, 20, 5, 100, 40, 10};
    int64_t num = 0, den = 0;
    assert_true(efile_indicator_rate("online_offered", &f, &num, &den));
    assert_true(num == 20 && den == 25);
    assert_true(efile_indicator_rate("online_used", &f, &num, &den));
    assert_true(num == 5 && den == 20);
    assert_true(efile_indicator_rate("online_served_full", &f, &num, &den));
    assert_true(num == 10 && den == 40);
    assert_false(efile_indicator_rate("online_share", &f, &num, &den));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(files),
        cmocka_unit_test(complete),
        cmocka_unit_test(served),
        cmocka_unit_test(rates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
