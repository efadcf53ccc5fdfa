/* test_vntext.c — vntext_fold / vntext_nfc: the table in tests/data/vntext-fold.tsv (NFC and
 * NFD inputs, đ/Đ, case, spaces), plus invalid UTF-8, buffers too small and NFC output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "err.h"
#include "vntext.h"

static void test_fold_table(void **state)
{
    (void)state;
    const char *dir = getenv("CCHC_TESTDATA");
    assert_non_null(dir);
    char path[1024], line[1024];
    snprintf(path, sizeof path, "%s/vntext-fold.tsv", dir);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n') continue;
        line[strcspn(line, "\n")] = '\0';
        char *tab = strchr(line, '\t');
        assert_non_null(tab);
        *tab = '\0';
        char out[256];
        assert_int_equal(vntext_fold(line, out, sizeof out), 0);
        if (strcmp(out, tab + 1)) fail_msg("fold('%s') = '%s', want '%s'", line, out, tab + 1);
        n++;
    }
    fclose(f);
    assert_true(n >= 10);
}

static void test_fold_whitespace_and_empty(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(vntext_fold("\t Trần\n\nThị\r\nHoa  ", out, sizeof out), 0);
    assert_string_equal(out, "tran thi hoa");
    assert_int_equal(vntext_fold("", out, sizeof out), 0);
    assert_string_equal(out, "");
    assert_int_equal(vntext_fold("   ", out, sizeof out), 0);
    assert_string_equal(out, "");
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    char out[64] = "x";
    assert_int_equal(vntext_fold("ab\xff", out, sizeof out), ERR_INVALID);
    assert_string_equal(out, "");
    assert_int_equal(vntext_fold("\xc3", out, sizeof out), ERR_INVALID); /* truncated sequence */
    assert_int_equal(vntext_nfc("\xed\xa0\x80", out, sizeof out), ERR_INVALID); /* surrogate */
    assert_int_equal(vntext_valid_utf8("Đức"), 1);
    assert_int_equal(vntext_valid_utf8("\xc0\xaf"), 0); /* overlong '/' */
}

static void test_small_buffer(void **state)
{
    (void)state;
    char out[8] = "x";
    /* "nguyen van" needs 11 bytes */
    assert_int_equal(vntext_fold("Nguyễn Văn", out, sizeof out), ERR_RANGE);
    assert_string_equal(out, "");
    char fit[11];
    assert_int_equal(vntext_fold("Nguyễn Văn", fit, sizeof fit), 0);
    assert_string_equal(fit, "nguyen van");
    assert_int_equal(vntext_nfc("Đức", out, 4), ERR_RANGE); /* "Đức" is 5 bytes in NFC */
}

static void test_nfc(void **state)
{
    (void)state;
    char out[64];
    /* "Nguyễn": e + circumflex (U+0302) + tilde (U+0303) composes to ễ (U+1EC5). */
    assert_int_equal(vntext_nfc("Nguye\xcc\x82\xcc\x83n", out, sizeof out), 0);
    assert_string_equal(out, "Nguy\xe1\xbb\x85n");
    assert_string_equal(out, "Nguyễn");
    assert_int_equal(vntext_nfc("Hòa", out, sizeof out), 0);
    assert_string_equal(out, "Hòa"); /* already NFC: unchanged */
}

/* Numbers for people: thousands with dots, decimals with a comma; anything else as it is. */
/* The developers' "(verify …)" notes leave text for people; a citation before one stays. */
static void test_user_text(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"Cải cách thể chế (verify: điểm tối đa)", "Cải cách thể chế"},
        {"(Decree 168/2025, verify the date) applies", "(Decree 168/2025) applies"},
        {"Quyết định 766 (verify)", "Quyết định 766"},
        {"Thông tư 01/2023 (Điều 5; VERIFY) mẫu", "Thông tư 01/2023 (Điều 5) mẫu"},
        {"a (verifying) b", "a (verifying) b"}, /* not the word */
        {"a (b) (verify c) d", "a (b) d"},
        {"(a (verify) b)", "(a b)"}, /* only the innermost parentheses */
        {"no note here", "no note here"},
        {"open ( verify", "open ( verify"},
        {"", ""},
    };
    char out[128];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vntext_user(cases[i][0], out, sizeof out);
        assert_string_equal(out, cases[i][1]);
    }
    vntext_user("Cải cách (verify)", out, 5); /* bounded */
    assert_true(strlen(out) <= 4);
}

static void test_number_vi(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"13.50", "13,50"}, {"100.00", "100,00"}, {"1234.5", "1.234,5"},
        {"2907", "2.907"},  {"-13.50", "-13,50"}, {"+7.25", "+7,25"},
        {"0.5", "0,5"},     {"999", "999"},       {"1000000", "1.000.000"},
        {"—", "—"},         {"1.2.3", "1.2.3"},   {"12.", "12."},
        {"", ""},           {"X01", "X01"},       {".5", ".5"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[32];
        vntext_number_vi(cases[i][0], out, sizeof out);
        assert_string_equal(out, cases[i][1]);
    }
    char small[5];
    vntext_number_vi("1234.5", small, sizeof small); /* bounded */
    assert_string_equal(small, "1.23");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fold_table),   cmocka_unit_test(test_fold_whitespace_and_empty),
        cmocka_unit_test(test_invalid_utf8), cmocka_unit_test(test_small_buffer),
        cmocka_unit_test(test_nfc),          cmocka_unit_test(test_number_vi),
        cmocka_unit_test(test_user_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
