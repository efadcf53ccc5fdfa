/* test_feedback_store.c — feedback and petitions through the store, on SQLite and (as
 * pg.unit.test_feedback_store) PostgreSQL: submission with a follow-up code and duplicate
 * linking, the whole handling path to a published, searchable, masked answer and one rating,
 * unit scopes and forwarding, bad input that changes nothing, attachments sniffed by content,
 * reply templates and the handling summary behind indicators 6.1 and 6.2. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "calendar.h"
#include "date.h"
#include "feedback.h"
#include "store.h"
#include "store_feedback.h"
#include "testdb.h"

static struct calendar *cal;
static struct feedback_rules rules;
static struct store *db;
static struct tmpdb tdb;
static struct feedback_item item; /* static: the struct is large */

static int64_t instant(const char *s)
{
    int64_t t = 0;
    struct err e = {0};
    if (instant_parse(s, &t, "instant", &e)) fail_msg("%s", e.msg);
    return t;
}

static void put_unit(const char *code, const char *parent, enum unit_kind kind)
{
    struct unit u;
    memset(&u, 0, sizeof u);
    snprintf(u.code, sizeof u.code, "%s", code);
    snprintf(u.name, sizeof u.name, "Đơn vị %s", code);
    u.kind = kind;
    snprintf(u.parent, sizeof u.parent, "%s", parent ? parent : "");
    u.valid_from = UNIT_DAY_MIN;
    u.valid_to = UNIT_DAY_MAX;
    struct err e = {0};
    if (store_unit_put(db, &u, &e)) fail_msg("unit: %s", e.msg);
}

static int setup(void **state)
{
    (void)state;
    struct err e = {0};
    const char *dir = getenv("CCHC_DATA");
    if (!dir) dir = CCHC_DATA_DIR;
    if (calendar_load(dir, 2023, 2026, NULL, &cal, &e) || feedback_rules_load(dir, &rules, &e)) {
        fprintf(stderr, "setup: %s\n", e.msg);
        return -1;
    }
    tmpdb_make(&tdb);
    if (store_open(tdb.path, &db, &e)) {
        fprintf(stderr, "store_open: %s\n", e.msg);
        return -1;
    }
    put_unit("TINH", NULL, UNIT_PROVINCE);
    put_unit("XA-A", "TINH", UNIT_COMMUNE);
    put_unit("XA-B", "TINH", UNIT_COMMUNE);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    store_close(db);
    tmpdb_remove(&tdb);
    calendar_free(cal);
    return 0;
}

static struct feedback_new mk(const char *unit, const char *body, const char *phone, const char *at)
{
    struct feedback_new in;
    memset(&in, 0, sizeof in);
    in.unit = unit;
    in.kind = FK_HANDLING;
    in.channel = FC_WEB;
    in.body = body;
    snprintf(in.contact.name, sizeof in.contact.name, "Nguyễn Văn An");
    snprintf(in.contact.phone, sizeof in.contact.phone, "%s", phone ? phone : "");
    in.consent = 1;
    in.at = instant(at);
    in.actor = "citizen";
    return in;
}

static void submit(struct feedback_new in, char code[FEEDBACK_CODE_LEN])
{
    struct err e = {0};
    if (store_feedback_submit(db, cal, &rules, &in, &item, &e)) fail_msg("submit: %s", e.msg);
    snprintf(code, FEEDBACK_CODE_LEN, "%s", item.code);
}

static int do_act(const char *code, enum feedback_action a, const char *at, const char *scope,
                  const char *note, const char *to, const char *answer, struct err *e)
{
    struct feedback_change c = {code, a, instant(at), "can.bo", note, to, answer, scope};
    return store_feedback_apply(db, cal, &rules, &c, &item, e);
}

static void act(const char *code, enum feedback_action a, const char *at, const char *note,
                const char *to, const char *answer)
{
    struct err e = {0};
    if (do_act(code, a, at, NULL, note, to, answer, &e))
        fail_msg("%s %s: %s", feedback_action_name(a), code, e.msg);
}

static int count_fn(const struct feedback_item *f, void *ctx)
{
    (void)f;
    (*(int *)ctx)++;
    return 0;
}

static int list_count(const char *unit, int status)
{
    struct feedback_filter f = {
        unit, status, -1, -1, NULL, NULL, 0, 0, instant("2024-06-03T08:00")};
    int n = 0;
    struct err e = {0};
    if (store_feedback_list(db, &f, count_fn, &n, &e)) fail_msg("list: %s", e.msg);
    return n;
}

static void test_submit_and_duplicates(void **state)
{
    (void)state;
    char c1[FEEDBACK_CODE_LEN], c2[FEEDBACK_CODE_LEN], c3[FEEDBACK_CODE_LEN];
    submit(mk("XA-A", "Cán bộ hẹn trả kết quả nhưng không trả", "0912345678", "2024-06-03T09:00"),
           c1);
    assert_true(feedback_code_valid(c1));
    assert_int_equal(item.duplicates, 0);
    assert_int_equal(item.st.status, FS_RECEIVED);
    assert_int_equal(item.st.decide_due_at, instant("2024-06-06T17:00"));
    /* the same text (case and spacing aside) from the same phone the next morning: linked */
    submit(
        mk("XA-A", "cán bộ hẹn trả kết quả  nhưng KHÔNG trả", "+84912345678", "2024-06-04T08:59"),
        c2);
    assert_string_equal(c1, c2);
    assert_int_equal(item.duplicates, 1);
    assert_int_equal(item.n_events, 2);
    /* a day later: a new item */
    submit(mk("XA-A", "Cán bộ hẹn trả kết quả nhưng không trả", "0912345678", "2024-06-04T09:00"),
           c3);
    assert_string_not_equal(c1, c3);
    /* without a contact the same words are two items */
    submit(mk("XA-A", "Đèn đường hỏng", NULL, "2024-06-03T09:00"), c2);
    submit(mk("XA-A", "Đèn đường hỏng", NULL, "2024-06-03T09:01"), c3);
    assert_string_not_equal(c2, c3);
    /* the lookup is case-insensitive */
    char lower[FEEDBACK_CODE_LEN];
    for (int i = 0; c1[i] || (lower[i] = 0); i++)
        lower[i] = (char)(c1[i] | 0x20);
    lower[FEEDBACK_CODE_LEN - 1] = 0;
    struct err e = {0};
    assert_int_equal(store_feedback_get(db, lower, &item, &e), 0);
    assert_string_equal(item.code, c1);
    assert_string_equal(item.contact.phone, "0912345678");
}

static int published_fn(const struct feedback_item *f, void *ctx)
{
    char *buf = ctx;
    snprintf(buf + strlen(buf), 2048 - strlen(buf), "%s|%s|%s;", f->code, f->body_public,
             f->answer_public);
    assert_string_equal(f->contact.phone, "");
    assert_string_equal(f->body, "");
    return 0;
}

static void test_handling_to_publication(void **state)
{
    (void)state;
    char code[FEEDBACK_CODE_LEN];
    submit(mk("XA-B", "Đường ngập nước, gọi tôi 0987 654 321", "0987654321", "2024-04-26T10:00"),
           code);
    struct err e = {0};
    assert_int_equal(store_feedback_rate(db, code, 5, instant("2024-04-26T11:00"), &e),
                     ERR_CONFLICT);
    act(code, FA_ACCEPT, "2024-04-26T11:00", NULL, NULL, NULL);
    assert_int_equal(item.st.answer_due_at, instant("2024-05-14T17:00"));
    act(code, FA_START, "2024-05-02T08:00", NULL, NULL, NULL);
    act(code, FA_ANSWER, "2024-05-10T15:00", NULL, NULL,
        "Xã đã nạo vét cống; liên hệ an@xa-b.gov.vn nếu còn ngập.");
    assert_int_equal(feedback_outcome_at(&item.st, 0), FO_ON_TIME);
    act(code, FA_PUBLISH, "2024-05-11T09:00", NULL, NULL, NULL);
    assert_int_equal(item.st.status, FS_PUBLISHED);
    assert_string_equal(item.body_public, "Đường ngập nước, gọi tôi ***");
    char buf[2048] = "";
    /* diacritics- and case-insensitive search over the masked texts */
    assert_int_equal(store_feedback_published(db, "NGAP nuoc", 10, published_fn, buf, &e), 0);
    assert_non_null(strstr(buf, code));
    assert_null(strstr(buf, "0987"));
    assert_null(strstr(buf, "an@xa-b"));
    buf[0] = '\0';
    assert_int_equal(store_feedback_published(db, "0987", 10, published_fn, buf, &e), 0);
    assert_string_equal(buf, "");
    assert_int_equal(store_feedback_published(db, "100%", 10, published_fn, buf, &e), 0);
    assert_string_equal(buf, "");
    /* rated once */
    assert_int_equal(store_feedback_rate(db, code, 0, instant("2024-05-12T09:00"), &e),
                     ERR_INVALID);
    assert_int_equal(store_feedback_rate(db, code, 4, instant("2024-05-12T09:00"), &e), 0);
    assert_int_equal(store_feedback_rate(db, code, 5, instant("2024-05-12T10:00"), &e),
                     ERR_CONFLICT);
    assert_int_equal(store_feedback_get(db, code, &item, &e), 0);
    assert_int_equal(item.rating, 4);
    assert_int_equal(item.n_events, 5);
}

static void test_scope_and_forward(void **state)
{
    (void)state;
    char code[FEEDBACK_CODE_LEN];
    submit(mk("XA-A", "Thủ tục cấp phép xây dựng quá phức tạp", "0911111111", "2024-06-03T08:00"),
           code);
    struct err e = {0};
    /* an officer of XA-B does not see XA-A's item */
    assert_int_equal(do_act(code, FA_ACCEPT, "2024-06-03T09:00", "XA-B", NULL, NULL, NULL, &e),
                     ERR_NOT_FOUND);
    /* forwarding needs a reason and another, existing unit */
    assert_int_equal(do_act(code, FA_FORWARD, "2024-06-03T09:00", "XA-A", "", "XA-B", NULL, &e),
                     ERR_INVALID);
    assert_string_equal(e.field, "note");
    assert_int_equal(
        do_act(code, FA_FORWARD, "2024-06-03T09:00", "XA-A", "không thuộc", "XA-A", NULL, &e),
        ERR_INVALID);
    assert_int_equal(
        do_act(code, FA_FORWARD, "2024-06-03T09:00", "XA-A", "không thuộc", "XA-Z", NULL, &e),
        ERR_INVALID);
    assert_int_equal(do_act(code, FA_FORWARD, "2024-06-03T09:00", "XA-A", "Thuộc thẩm quyền xã B",
                            "XA-B", NULL, &e),
                     0);
    assert_string_equal(item.unit, "XA-B");
    assert_int_equal(item.st.status, FS_FORWARDED);
    /* now XA-A cannot act on it, XA-B can, the province sees it */
    assert_int_equal(do_act(code, FA_ACCEPT, "2024-06-03T10:00", "XA-A", NULL, NULL, NULL, &e),
                     ERR_NOT_FOUND);
    assert_int_equal(do_act(code, FA_ACCEPT, "2024-06-03T10:00", "TINH", NULL, NULL, NULL, &e), 0);
    assert_int_equal(list_count("XA-B", FS_ACCEPTED), 1);
    assert_int_equal(list_count("XA-A", FS_ACCEPTED), 0);
    assert_int_equal(list_count("TINH", FS_ACCEPTED), 1);
}

struct evs {
    char buf[1024];
};
static int ev_fn(const struct feedback_event *ev, void *ctx)
{
    struct evs *x = ctx;
    snprintf(x->buf + strlen(x->buf), sizeof x->buf - strlen(x->buf), "%d:%s:%s>%s:%s>%s;", ev->seq,
             ev->action, ev->from_status, ev->to_status, ev->from_unit, ev->to_unit);
    return 0;
}

static void test_bad_input_changes_nothing(void **state)
{
    (void)state;
    struct err e = {0};
    struct feedback_new in = mk("XA-A", "", NULL, "2024-06-03T08:00");
    assert_int_equal(store_feedback_submit(db, cal, &rules, &in, &item, &e), ERR_INVALID);
    assert_string_equal(e.field, "body");
    in = mk("XA-A", "Nội dung", "12345", "2024-06-03T08:00");
    assert_int_equal(store_feedback_submit(db, cal, &rules, &in, &item, &e), ERR_INVALID);
    assert_string_equal(e.field, "phone");
    assert_null(strstr(e.msg, "12345")); /* personal data is not quoted */
    in = mk("XA-Z", "Nội dung", NULL, "2024-06-03T08:00");
    assert_int_equal(store_feedback_submit(db, cal, &rules, &in, &item, &e), ERR_INVALID);
    assert_string_equal(e.field, "unit");
    in = mk(NULL, "Nội dung", NULL, "2024-06-03T08:00");
    in.dossier = "000.00.00.H00-240603-0001";
    assert_int_equal(store_feedback_submit(db, cal, &rules, &in, &item, &e), ERR_INVALID);
    assert_string_equal(e.field, "dossier");

    char code[FEEDBACK_CODE_LEN];
    in = mk("XA-A", "Không đồng ý công khai", NULL, "2024-06-03T08:00");
    in.consent = 0;
    submit(in, code);
    act(code, FA_ACCEPT, "2024-06-03T09:00", NULL, NULL, NULL);
    act(code, FA_ANSWER, "2024-06-04T09:00", NULL, NULL, "Đã tiếp thu.");
    assert_int_equal(do_act(code, FA_PUBLISH, "2024-06-04T10:00", NULL, NULL, NULL, NULL, &e),
                     ERR_CONFLICT);
    assert_string_equal(e.field, "consent");
    assert_int_equal(do_act(code, FA_ANSWER, "2024-06-04T10:00", NULL, NULL, NULL, "x", &e),
                     ERR_CONFLICT);
    assert_int_equal(do_act(code, FA_REFUSE, "2024-06-04T10:00", NULL, NULL, NULL, NULL, &e),
                     ERR_INVALID);
    assert_int_equal(store_feedback_get(db, code, &item, &e), 0);
    assert_int_equal(item.n_events, 3);
    assert_int_equal(item.st.status, FS_ANSWERED);
    struct evs x = {""};
    assert_int_equal(store_feedback_events(db, code, ev_fn, &x, &e), 0);
    assert_string_equal(x.buf, "1:submit:>received:>XA-A;2:accept:received>accepted:XA-A>XA-A;"
                               "3:answer:accepted>answered:XA-A>XA-A;");
    assert_int_equal(store_feedback_get(db, "PA-000000-AAAAAA", &item, &e), ERR_NOT_FOUND);
}

static void test_files(void **state)
{
    (void)state;
    char code[FEEDBACK_CODE_LEN];
    submit(mk("XA-A", "Ảnh hiện trường đính kèm", NULL, "2024-06-03T08:00"), code);
    static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0,   0, 0, 13,
                                        'I',  'H', 'D', 'R', 0,    0,    0,    1,    0,   0, 0, 1,
                                        8,    2,   0,   0,   0,    0x90, 0x77, 0x53, 0xde};
    static const char pdf[] = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n";
    struct feedback_file ff;
    struct err e = {0};
    assert_int_equal(store_feedback_file_add(db, code, "anh.png", png, sizeof png, &ff, &e), 0);
    assert_string_equal(ff.mime, "image/png");
    assert_int_equal(strlen(ff.sha256), 64);
    /* the type comes from the content, never from the name */
    assert_int_equal(store_feedback_file_add(db, code, "don.jpg", pdf, sizeof pdf - 1, &ff, &e), 0);
    assert_string_equal(ff.mime, "application/pdf");
    const char *html = "<html><script>alert(1)</script></html>";
    assert_int_equal(store_feedback_file_add(db, code, "x.pdf", html, strlen(html), &ff, &e),
                     ERR_INVALID);
    assert_non_null(strstr(e.msg, "only JPEG, PNG images and PDF"));
    assert_int_equal(
        store_feedback_file_add(db, code, "big.pdf", pdf, FEEDBACK_FILE_MAX + 1, &ff, &e),
        ERR_INVALID);
    assert_int_equal(store_feedback_file_add(db, code, "../a.pdf", pdf, 10, &ff, &e), ERR_INVALID);
    int n = 0;
    assert_int_equal(store_feedback_files(db, code, (feedback_file_fn)count_fn, &n, &e), 0);
    assert_int_equal(n, 2);
}

static int tpl_fn(const struct feedback_template *t, void *ctx)
{
    strcat(ctx, t->code);
    strcat(ctx, ";");
    return 0;
}

static void test_templates(void **state)
{
    (void)state;
    struct feedback_template t;
    memset(&t, 0, sizeof t);
    struct err e = {0};
    snprintf(t.code, sizeof t.code, "TIEP-THU");
    snprintf(t.title, sizeof t.title, "Tiếp thu ý kiến");
    snprintf(t.body, sizeof t.body, "Cảm ơn ông/bà đã góp ý. Đơn vị xin tiếp thu.");
    assert_int_equal(store_feedback_template_put(db, &t, &e), 0);
    snprintf(t.code, sizeof t.code, "XA-B-RIENG");
    snprintf(t.unit, sizeof t.unit, "XA-B");
    assert_int_equal(store_feedback_template_put(db, &t, &e), 0);
    snprintf(t.unit, sizeof t.unit, "XA-Z");
    assert_int_equal(store_feedback_template_put(db, &t, &e), ERR_INVALID);
    char buf[256] = "";
    assert_int_equal(store_feedback_templates(db, "XA-A", tpl_fn, buf, &e), 0);
    assert_string_equal(buf, "TIEP-THU;");
    buf[0] = '\0';
    assert_int_equal(store_feedback_templates(db, "XA-B", tpl_fn, buf, &e), 0);
    assert_string_equal(buf, "TIEP-THU;XA-B-RIENG;");
}

static void test_summary(void **state)
{
    (void)state;
    /* a fresh unit so earlier tests do not count */
    put_unit("XA-S", "TINH", UNIT_COMMUNE);
    char a[FEEDBACK_CODE_LEN], b[FEEDBACK_CODE_LEN], c[FEEDBACK_CODE_LEN], d[FEEDBACK_CODE_LEN];
    submit(mk("XA-S", "một", NULL, "2024-06-03T08:00"), a); /* answered on time, rated 5 */
    submit(mk("XA-S", "hai", NULL, "2024-06-03T08:00"), b); /* answered late, rated 2 */
    submit(mk("XA-S", "ba", NULL, "2024-06-03T08:00"), c);  /* accepted, overdue */
    submit(mk("XA-S", "bốn", NULL, "2024-06-03T08:00"), d); /* refused */
    for (const char *x[] = {a, b, c}, **p = x; p < x + 3; p++)
        act(*p, FA_ACCEPT, "2024-06-03T09:00", NULL, NULL, NULL);
    act(a, FA_ANSWER, "2024-06-10T09:00", NULL, NULL, "Trả lời");
    act(b, FA_ANSWER, "2024-06-25T09:00", NULL, NULL, "Trả lời");
    act(d, FA_REFUSE, "2024-06-03T09:00", "Nội dung là khiếu nại", NULL, NULL);
    struct err e = {0};
    assert_int_equal(store_feedback_rate(db, a, 5, instant("2024-06-11T09:00"), &e), 0);
    assert_int_equal(store_feedback_rate(db, b, 2, instant("2024-06-26T09:00"), &e), 0);
    struct feedback_summary s;
    int64_t day = instant_day(instant("2024-06-03T00:00"));
    assert_int_equal(
        store_feedback_summary(db, "XA-S", day, day, instant("2024-07-01T08:00"), &s, &e), 0);
    assert_int_equal(s.items, 4);
    assert_int_equal(s.on_time, 1);
    assert_int_equal(s.late, 1);
    assert_int_equal(s.overdue, 1);
    assert_int_equal(s.refused, 1);
    assert_int_equal(s.rated, 2);
    assert_int_equal(s.satisfied, 1);
    assert_int_equal(s.rating_sum, 7);
    /* outside the period: nothing */
    assert_int_equal(
        store_feedback_summary(db, "XA-S", day + 1, day + 30, instant("2024-07-01T08:00"), &s, &e),
        0);
    assert_int_equal(s.items, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_submit_and_duplicates),
        cmocka_unit_test(test_handling_to_publication),
        cmocka_unit_test(test_scope_and_forward),
        cmocka_unit_test(test_bad_input_changes_nothing),
        cmocka_unit_test(test_files),
        cmocka_unit_test(test_templates),
        cmocka_unit_test(test_summary),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
