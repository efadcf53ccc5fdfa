/* test_messages.c — the API's message catalogue (src/http/messages.c): the server's English
 * texts become Vietnamese (or English) messages with the values in the language's forms, each
 * with its stable rule; a text no entry knows still gets its code's wording, never English on
 * a Vietnamese page. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "messages.h"

static struct msg_found look(const char *code, const char *field, const char *detail,
                             enum msg_lang lang)
{
    struct msg_found f;
    msg_lookup(code, field, detail, lang, &f);
    return f;
}

static void test_language(void **state)
{
    (void)state;
    assert_int_equal(msg_lang_of("vi"), MSG_LANG_VI);
    assert_int_equal(msg_lang_of("vi-VN,vi;q=0.9,en;q=0.8"), MSG_LANG_VI);
    assert_int_equal(msg_lang_of("en-GB"), MSG_LANG_EN);
    assert_int_equal(msg_lang_of("fr-FR, en;q=0.5"), MSG_LANG_EN);
    assert_int_equal(msg_lang_of("fr"), MSG_LANG_NONE);
    assert_int_equal(msg_lang_of("view"), MSG_LANG_NONE); /* "vi" must be a whole tag */
    assert_int_equal(msg_lang_of(NULL), MSG_LANG_NONE);
}

static void test_concrete_limits(void **state)
{
    (void)state;
    struct msg_found f =
        look("invalid", "self",
             "unit 'DT.MYTHO': node '1.1.1': self points 5 exceed the node's max 1", MSG_LANG_VI);
    assert_string_equal(f.rule, "par.over_max");
    assert_non_null(strstr(f.text, "tối đa 1,00 điểm"));
    assert_non_null(strstr(f.text, "Điểm 5,00"));
    f = look("invalid", "self", "unit 'X': node '1': self points 5 exceed the node's max 1",
             MSG_LANG_EN);
    assert_non_null(strstr(f.text, "at most 1.00 points"));
    f = look("rate_limited", NULL, "too many failed attempts; try again in 898 seconds",
             MSG_LANG_VI);
    assert_string_equal(f.rule, "rate.retry");
    assert_non_null(strstr(f.text, "thử lại sau khoảng 15 phút"));
    assert_int_equal(f.nparams, 1);
    assert_string_equal(f.pname[0], "seconds");
    assert_string_equal(f.pval[0], "898");
    /* a sentence longer than 160 bytes before its placeholder stays whole */
    f = look("rate_limited", NULL,
             "too many failed sign-ins for this account from several addresses; sign in from a "
             "device you used before or with your second-factor code, try again in 900 seconds, "
             "or ask an administrator to unlock it",
             MSG_LANG_VI);
    assert_string_equal(f.rule, "auth.user_locked");
    assert_string_equal(f.text,
                        "Tài khoản này bị tạm khóa với thiết bị mới do đăng nhập sai nhiều lần từ "
                        "nhiều địa chỉ. Hãy đăng nhập từ thiết bị đã dùng trước đây hoặc nhập mã "
                        "xác thực hai lớp, thử lại sau khoảng 15 phút, hoặc đề nghị quản trị viên "
                        "mở khóa.");
    f = look("rate_limited", NULL, "too many failed lookups; try again in 30 seconds", MSG_LANG_VI);
    assert_non_null(strstr(f.text, "30 giây"));
    f = look("conflict", "action",
             "cannot 'finish' a dossier in state 'returned': the result was handed over",
             MSG_LANG_VI);
    assert_string_equal(f.rule, "dossier.transition");
    assert_non_null(strstr(f.text, "hoàn thành xử lý"));
    assert_non_null(strstr(f.text, "Đã trả kết quả"));
    f = look("missing_field", "applicant_name", "field 'applicant_name' is required", MSG_LANG_VI);
    assert_string_equal(f.text, "Vui lòng nhập họ tên người nộp.");
}

static void test_fallbacks(void **state)
{
    (void)state;
    /* a field the phone rule owns, whatever the English says */
    struct msg_found f =
        look("invalid", "phone", "applicant phone: must be 0 and 9 digits", MSG_LANG_VI);
    assert_string_equal(f.rule, "applicant.phone");
    /* an unknown message: its code's wording with the field's name, never the English */
    f = look("invalid", "period", "period 'x': expected YYYY or YYYY-MM", MSG_LANG_VI);
    assert_string_equal(f.rule, "invalid");
    assert_string_equal(f.text, "Giá trị của kỳ báo cáo không hợp lệ.");
    f = look("invalid", "some_internal_id", "whatever", MSG_LANG_VI);
    assert_string_equal(f.text, "Giá trị của mục này không hợp lệ.");
    assert_null(strstr(f.text, "some_internal_id"));
    f = look("teapot", NULL, "short and stout", MSG_LANG_VI);
    assert_string_equal(f.rule, "error");
    assert_string_equal(f.text, "Có lỗi xảy ra.");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_language),
        cmocka_unit_test(test_concrete_limits),
        cmocka_unit_test(test_fallbacks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
