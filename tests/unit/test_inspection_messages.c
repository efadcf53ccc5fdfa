/* test_inspection_messages.c — the inspection errors of src/core/inspection.c,
 * src/store/inspection_store.c and src/http/inspection.c as the message catalogue
 * (src/http/messages.c) words them: each refused action by its own Vietnamese sentence with the
 * state's name, the inspection's texts never taken for a task's, English on request. The texts
 * below are the ones those files write. */
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

static void transitions(void **state)
{
    (void)state;
    static const struct {
        const char *detail, *rule, *vi;
    } rows[] = {
        {"inspection #3 is closed: 'start' is not allowed", "insp.transition.start", "Đã đóng"},
        {"inspection #3 is planned: 'conclude' is not allowed", "insp.transition.conclude",
         "Chưa triển khai"},
        {"inspection #3 is in_progress: 'close' is not allowed", "insp.transition.close",
         "chỉ đóng được"},
        {"inspection #3 is concluded: 'reopen' is not allowed", "insp.transition.reopen",
         "Đã kết luận"},
        {"inspection #3 is cancelled: 'cancel' is not allowed", "insp.transition.cancel",
         "chỉ hủy được"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct msg_found f = look("conflict", "action", rows[i].detail, MSG_LANG_VI);
        assert_string_equal(f.rule, rows[i].rule);
        assert_non_null(strstr(f.text, rows[i].vi));
        assert_non_null(strstr(f.text, "cuộc kiểm tra"));
    }
    /* a task's refusal stays a task's */
    struct msg_found f =
        look("conflict", "action", "task #3 is done: 'cancel' is not allowed", MSG_LANG_VI);
    assert_string_equal(f.rule, "task.transition");
}

static void guards(void **state)
{
    (void)state;
    struct msg_found f =
        look("conflict", "remedies", "inspection #4 has 2 open remedies: it closes when they do",
             MSG_LANG_VI);
    assert_string_equal(f.rule, "insp.open_remedies");
    assert_non_null(strstr(f.text, "Còn 2 nhiệm vụ khắc phục"));
    f = look("conflict", "findings",
             "inspection #4 has no findings: record them before the conclusion", MSG_LANG_EN);
    assert_string_equal(f.rule, "insp.no_findings");
    assert_non_null(strstr(f.text, "before the conclusion"));
    f = look("invalid", "note", "note: the inspection's 'cancel' needs a reason", MSG_LANG_VI);
    assert_string_equal(f.rule, "insp.reason.cancel");
    f = look("invalid", "note", "note: the inspection's 'reopen' needs a reason", MSG_LANG_VI);
    assert_string_equal(f.rule, "insp.reason");
    f = look("forbidden", "inspection", "inspection #4 is recorded by the inspecting unit 'DT'",
             MSG_LANG_VI);
    assert_string_equal(f.rule, "insp.inspector_only");
    assert_non_null(strstr(f.text, "(DT)"));
    f = look("invalid", "unit", "unit 'DT.B': not a unit below inspector 'DT.A'", MSG_LANG_VI);
    assert_string_equal(f.rule, "insp.unit_below");
    f = look("not_found", "plan", "unit 'DT.A' has no CCHC plan for 2026", MSG_LANG_VI);
    assert_string_equal(f.rule, "plan.missing");
    assert_non_null(strstr(f.text, "2026"));
    f = look("invalid", "finding", "finding #7 is a strength: remedies follow shortcomings",
             MSG_LANG_VI);
    assert_string_equal(f.rule, "insp.remedy_strength");
    f = look("conflict", "inspection", "inspection #4 is planned", MSG_LANG_VI);
    assert_string_equal(f.rule, "insp.state");
    /* a field named in a generic message */
    f = look("missing_field", "inspector", "field 'inspector' is required", MSG_LANG_VI);
    assert_non_null(strstr(f.text, "đơn vị kiểm tra"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(transitions), cmocka_unit_test(guards)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
