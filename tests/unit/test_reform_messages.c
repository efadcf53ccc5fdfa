/* test_reform_messages.c — the reform errors of src/core/reform.c and src/store/reform_store.c
 * as the message catalogue (src/http/messages.c) words them: Vietnamese with the task's state
 * and action by their Vietnamese names, English on request, never the raw English on a
 * Vietnamese page. The texts below are the ones the core and store write. */
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

static void task_messages(void **state)
{
    (void)state;
    struct msg_found f =
        look("conflict", "action", "task #12 is done: 'pause' is not allowed", MSG_LANG_VI);
    assert_string_equal(f.rule, "task.transition");
    assert_non_null(strstr(f.text, "tạm dừng"));
    assert_non_null(strstr(f.text, "Hoàn thành"));
    f = look("conflict", "action", "task #12 is in_progress: 'reopen' is not allowed", MSG_LANG_EN);
    assert_non_null(strstr(f.text, "In progress"));
    f = look("invalid", "progress",
             "progress: task #3 has child tasks; its progress is rolled up from theirs",
             MSG_LANG_VI);
    assert_string_equal(f.rule, "task.rollup");
    f = look("invalid", "progress", "progress: 100 is outside 0..99 (100 % is 'complete')",
             MSG_LANG_VI);
    assert_string_equal(f.rule, "task.progress");
    f = look("invalid", "area", "area '1.TD': not a reform area of criteria set 'T1' (1, 2, 3)",
             MSG_LANG_VI);
    assert_string_equal(f.rule, "task.area");
    assert_non_null(strstr(f.text, "1, 2, 3"));
    f = look("invalid", "owner", "owner 'X02': not unit 'SNV' or a unit below it on 2026-03-01",
             MSG_LANG_VI);
    assert_string_equal(f.rule, "task.owner");
    f = look("invalid", "due", "due: a child task's dates must lie inside its parent's",
             MSG_LANG_VI);
    assert_string_equal(f.rule, "task.child_dates");
    f = look("invalid", "note", "note: 'cancel' needs a reason", MSG_LANG_VI);
    assert_string_equal(f.rule, "task.reason");
    f = look("conflict", "year", "unit 'TINH' has a CCHC plan for 2026 already (#1)", MSG_LANG_VI);
    assert_string_equal(f.rule, "plan.exists");
    assert_non_null(strstr(f.text, "2026"));
    f = look("not_found", "task", "task #9 does not exist", MSG_LANG_VI);
    assert_string_equal(f.rule, "task.not_found");
    /* a field's name in a generic message */
    f = look("missing_field", "progress", "field 'progress' is required for report", MSG_LANG_VI);
    assert_non_null(strstr(f.text, "tiến độ"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(task_messages)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
