/* test_forms.c — the form registry by effective date (data/forms/): dossiers on either side
 * of 1/7/2025 (Decree 118/2025 replaces Decree 61/2018) and of 15/9/2025 (Circular
 * 03/2025/TT-VPCP's forms replace Circular 01/2018/TT-VPCP's) get the forms, numbers and
 * citations of their own period; a form that does not apply to a dossier's state, an unknown
 * number and malformed data files are refused with the reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "forms.h"

static struct forms *load(void)
{
    struct forms *f = NULL;
    struct err e = {0};
    const char *dir = getenv("CCHC_DATA");
    if (!dir) fail_msg("CCHC_DATA is not set (run through ctest)");
    if (forms_load(dir, &f, &e)) fail_msg("forms_load: %s", e.msg);
    return f;
}

static int64_t at(int y, int m, int d, int hh)
{
    return ymd_to_days((struct ymd){y, m, d}) * MINUTES_PER_DAY + hh * 60;
}

static int64_t day(int y, int m, int d)
{
    return ymd_to_days((struct ymd){y, m, d});
}

static void test_basis_by_date(void **state)
{
    (void)state;
    struct forms *f = load();
    const struct form_basis *b = forms_basis(f, day(2025, 6, 30));
    assert_non_null(b);
    assert_non_null(strstr(b->decree, "61/2018/NĐ-CP"));
    assert_non_null(strstr(b->guidance, "01/2018/TT-VPCP"));
    b = forms_basis(f, day(2025, 7, 1));
    assert_non_null(b);
    assert_non_null(strstr(b->decree, "118/2025/NĐ-CP"));
    assert_non_null(strstr(b->guidance, "03/2025/TT-VPCP"));
    forms_free(f);
}

/* The late-dossier rule and the code format, by period (data/forms/rules.tsv). */
static void test_rules_by_date(void **state)
{
    (void)state;
    struct forms *f = load();
    const struct form_rule *r = forms_rule(f, "apology", day(2025, 6, 30));
    assert_non_null(r);
    assert_non_null(strstr(r->source, "61/2018/NĐ-CP"));
    assert_non_null(strstr(r->text, "hẹn lại ngày trả kết quả"));
    r = forms_rule(f, "apology", day(2025, 7, 1));
    assert_non_null(r);
    assert_non_null(strstr(r->source, "118/2025/NĐ-CP"));
    assert_non_null(strstr(r->text, "đề nghị gia hạn"));
    r = forms_rule(f, "code", day(2025, 9, 14));
    assert_non_null(r);
    assert_non_null(strstr(r->source, "01/2018/TT-VPCP"));
    r = forms_rule(f, "code", day(2025, 9, 15));
    assert_non_null(r);
    assert_non_null(strstr(r->source, "03/2025/TT-VPCP"));
    assert_null(forms_rule(f, "nothing", day(2025, 9, 15)));
    forms_free(f);
}

static void test_receipt_either_side(void **state)
{
    (void)state;
    struct forms *f = load();
    struct dossier_state st = {.status = DS_RECEIVED, .received_at = at(2025, 9, 14, 9)};
    struct form_facts x = {.st = &st};
    const struct form_def *d;
    int64_t t;
    struct err e = {0};
    assert_int_equal(forms_resolve(f, "01", &x, &d, &t, &e), 0);
    assert_int_equal(d->kind, FORM_RECEIPT);
    assert_string_equal(d->circular, "Thông tư 01/2018/TT-VPCP");
    assert_int_equal(t, st.received_at);
    /* the decree on that day is already 118/2025, with the old circular's forms */
    assert_non_null(strstr(forms_basis(f, day(2025, 9, 14))->decree, "118/2025"));
    st.received_at = at(2025, 9, 15, 9);
    assert_int_equal(forms_resolve(f, "1", &x, &d, &t, &e), 0);
    assert_string_equal(d->circular, "Thông tư 03/2025/TT-VPCP");
    assert_string_equal(d->number, "01");
    assert_string_equal(d->title, "Giấy tiếp nhận hồ sơ và hẹn trả kết quả");
    forms_free(f);
}

/* Numbering differs: 05 is the control sheet under Circular 01/2018 and the stop notice
 * under Circular 03/2025; the apology's title changes too. */
static void test_numbers_by_period(void **state)
{
    (void)state;
    struct forms *f = load();
    const struct form_def *d;
    int64_t t;
    struct err e = {0};
    struct dossier_state old = {.status = DS_PROCESSING, .received_at = at(2024, 3, 4, 9)};
    struct form_facts xo = {.st = &old};
    assert_int_equal(forms_resolve(f, "05", &xo, &d, &t, &e), 0);
    assert_int_equal(d->kind, FORM_CONTROL);
    assert_int_equal(forms_resolve(f, "06", &xo, &d, &t, &e), ERR_CONFLICT);
    assert_non_null(strstr(e.msg, "Sổ theo dõi hồ sơ"));
    assert_int_equal(forms_resolve(f, "07", &xo, &d, &t, &e), ERR_CONFLICT);
    assert_non_null(strstr(e.msg, "not in force"));

    struct dossier_state nw = {.status = DS_PROCESSING, .received_at = at(2026, 3, 4, 9)};
    struct form_facts xn = {.st = &nw};
    assert_int_equal(forms_resolve(f, "06", &xn, &d, &t, &e), 0);
    assert_int_equal(d->kind, FORM_CONTROL);
    assert_int_equal(forms_resolve(f, "05", &xn, &d, &t, &e), ERR_CONFLICT);
    assert_non_null(strstr(e.msg, "neither cancelled nor paused"));
    assert_non_null(strstr(e.msg, "'processing'"));
    nw.status = DS_CANCELLED;
    nw.closed_at = at(2026, 3, 10, 10);
    assert_int_equal(forms_resolve(f, "05", &xn, &d, &t, &e), 0);
    assert_int_equal(d->kind, FORM_STOP);
    assert_int_equal(t, nw.closed_at);
    assert_string_equal(d->title, "Thông báo dừng giải quyết hồ sơ");

    /* apology issued before and after 15/9/2025 for one dossier received before it */
    struct dossier_state ap = {
        .status = DS_PROCESSING, .received_at = at(2025, 8, 1, 9), .apologies = 1};
    struct form_facts xa = {.st = &ap, .apology_at = at(2025, 9, 12, 10)};
    assert_int_equal(forms_resolve(f, "04", &xa, &d, &t, &e), 0);
    assert_string_equal(d->title, "Phiếu xin lỗi và hẹn lại ngày trả kết quả");
    xa.apology_at = at(2025, 9, 16, 10);
    assert_int_equal(forms_resolve(f, "04", &xa, &d, &t, &e), 0);
    assert_string_equal(d->title, "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết");
    forms_free(f);
}

static void test_does_not_apply(void **state)
{
    (void)state;
    struct forms *f = load();
    const struct form_def *d;
    int64_t t;
    struct err e = {0};
    struct dossier_state st = {.status = DS_SUBMITTED, .last_at = at(2026, 1, 5, 8)};
    struct form_facts x = {.st = &st};
    assert_int_equal(forms_resolve(f, "01", &x, &d, &t, &e), ERR_CONFLICT);
    assert_non_null(strstr(e.msg, "not been received"));
    assert_null(d);
    st.status = DS_RECEIVED;
    st.received_at = at(2026, 1, 5, 9);
    assert_int_equal(forms_resolve(f, "02", &x, &d, &t, &e), ERR_CONFLICT);
    assert_int_equal(forms_resolve(f, "03", &x, &d, &t, &e), ERR_CONFLICT);
    assert_non_null(strstr(e.msg, "not refused"));
    assert_int_equal(forms_resolve(f, "04", &x, &d, &t, &e), ERR_CONFLICT);
    assert_int_equal(forms_resolve(f, "09", &x, &d, &t, &e), ERR_NOT_FOUND);
    assert_string_equal(e.field, "form");
    assert_int_equal(forms_resolve(f, "1a", &x, &d, &t, &e), ERR_INVALID);
    assert_int_equal(forms_resolve(f, "", &x, &d, &t, &e), ERR_INVALID);
    forms_free(f);
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static void test_malformed(void **state)
{
    (void)state;
    char dir[] = "/tmp/cchc-forms-XXXXXX", sub[64], p1[96], p2[96];
    assert_non_null(mkdtemp(dir));
    snprintf(sub, sizeof sub, "%s/forms", dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    snprintf(p1, sizeof p1, "%s/forms.tsv", sub);
    snprintf(p2, sizeof p2, "%s/basis.tsv", sub);
    write_file(p2, "2025-07-01\t-\tNĐ 118\tTT 03\tsrc\n");
    struct forms *f = NULL;
    struct err e = {0};
    write_file(p1, "receipt\t01\t2019-01-07\t2025-09-20\tA\tB\tC\n"
                   "receipt\t01\t2025-09-15\t-\tA\tB\tC\n");
    assert_int_equal(forms_load(dir, &f, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "forms.tsv:2: the period of this receipt form overlaps"));
    write_file(p1, "letter\t01\t2019-01-07\t-\tA\tB\tC\n");
    assert_int_equal(forms_load(dir, &f, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "kind 'letter'"));
    write_file(p1, "receipt\t1\t2019-01-07\t-\tA\tB\tC\n");
    assert_int_equal(forms_load(dir, &f, &e), ERR_INVALID);
    write_file(p1, "receipt\t01\t2019-13-07\t-\tA\tB\tC\n");
    assert_int_equal(forms_load(dir, &f, &e), ERR_INVALID);
    write_file(p1, "receipt\t01\t2019-01-07\t-\tA\tB\n");
    assert_int_equal(forms_load(dir, &f, &e), ERR_INVALID);
    assert_null(f);
    unlink(p1);
    unlink(p2);
    rmdir(sub);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basis_by_date),       cmocka_unit_test(test_rules_by_date),
        cmocka_unit_test(test_receipt_either_side), cmocka_unit_test(test_numbers_by_period),
        cmocka_unit_test(test_does_not_apply),      cmocka_unit_test(test_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
