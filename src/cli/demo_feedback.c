/* demo_feedback.c — a year of feedback and petitions for `cchc demo`, dated back from the
 * clock: every ward and commune under DT receives a few items a month through the web form,
 * the desk (phone, letter, visit) and the dossier lookup page; most are accepted and answered
 * in time, some late, some refused with a reason or forwarded to the responsible unit, a few
 * still open (in time or overdue); about half of the answered are published with consent and
 * most are rated. Reply templates come first. Everything goes through the store's own
 * operations (core's state machine and deadlines), reproducibly (a fixed random seed). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "date.h"
#include "demo_data.h"
#include "feedback.h"
#include "store.h"
#include "store_feedback.h"

static uint64_t seed = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
}

static int64_t below(int64_t n)
{
    return n > 0 ? (int64_t)(rnd() % (uint64_t)n) : 0;
}

static const struct {
    enum feedback_kind kind;
    const char *text;
} texts[] = {
    {FK_HANDLING, "Tôi nộp hồ sơ đăng ký khai sinh cho con, đã quá ngày hẹn trả nhưng chưa nhận "
                  "được kết quả và không được thông báo lý do."},
    {FK_HANDLING, "Cán bộ tiếp nhận tại Bộ phận Một cửa yêu cầu bổ sung giấy tờ nhiều lần, mỗi lần "
                  "một loại khác nhau."},
    {FK_HANDLING, "Thái độ của cán bộ trả kết quả chưa niềm nở, không hướng dẫn khi tôi hỏi thêm."},
    {FK_HANDLING, "Hồ sơ chứng thực của tôi bị trả lại mà không có phiếu yêu cầu bổ sung."},
    {FK_HANDLING, "Tra cứu trên cổng dịch vụ công thấy hồ sơ đã có kết quả nhưng đến nhận thì "
                  "chưa có."},
    {FK_REGULATION, "Thủ tục xác nhận tình trạng hôn nhân yêu cầu nộp bản sao giấy tờ đã có trong "
                    "cơ sở dữ liệu dân cư, đề nghị bỏ yêu cầu này."},
    {FK_REGULATION, "Thời hạn giải quyết thủ tục cấp phép xây dựng nhà ở riêng lẻ quá dài so với "
                    "nhu cầu của người dân."},
    {FK_REGULATION, "Mức phí chứng thực bản sao theo trang gây tốn kém cho hồ sơ nhiều trang, đề "
                    "nghị xem xét lại."},
    {FK_REGULATION, "Mẫu tờ khai đăng ký thường trú có nhiều trường trùng lặp với thông tin trên "
                    "căn cước."},
    {FK_SUGGESTION, "Đề nghị bố trí thêm ghế chờ và quạt tại khu vực Bộ phận Một cửa."},
    {FK_SUGGESTION, "Đề nghị mở thêm buổi tiếp nhận hồ sơ sáng thứ Bảy cho người đi làm."},
    {FK_SUGGESTION, "Nên có hướng dẫn nộp hồ sơ trực tuyến bằng video ngắn trên trang của phường."},
    {FK_SUGGESTION, "Đề nghị niêm yết số điện thoại đường dây nóng ở nơi dễ thấy."},
};

static const struct {
    const char *code, *title, *body;
} templates[] = {
    {"TIEP-THU", "Tiếp thu góp ý",
     "Cảm ơn ông/bà đã góp ý. Đơn vị tiếp thu và sẽ bố trí thực hiện trong thời gian sớm nhất."},
    {"DA-XU-LY", "Đã xử lý",
     "Đơn vị đã kiểm tra, xử lý nội dung phản ánh và chấn chỉnh cán bộ liên quan. Kết quả hồ sơ "
     "đã được trả cho ông/bà."},
    {"KIEN-NGHI-CAP-TREN", "Đã kiến nghị cấp có thẩm quyền",
     "Nội dung kiến nghị về quy định hành chính đã được tổng hợp, gửi cơ quan có thẩm quyền sửa "
     "đổi theo Nghị định 20/2008/NĐ-CP."},
};

struct units {
    int n;
    char code[64][UNIT_CODE_MAX];
};

static int collect(const struct unit *u, void *ctx)
{
    struct units *us = ctx;
    if ((u->kind == UNIT_WARD || u->kind == UNIT_COMMUNE) && us->n < 64)
        snprintf(us->code[us->n++], UNIT_CODE_MAX, "%s", u->code);
    return 0;
}

/* An instant between a and b (a <= b). */
static int64_t between(int64_t a, int64_t b)
{
    return a + below(b - a + 1);
}

/* One item's life, stopping at now. */
static int live(struct store *s, const struct calendar *cal, const struct feedback_rules *rules,
                const struct units *us, int ui, int64_t at, int64_t now, struct feedback_item *f,
                struct err *e)
{
    int k = (int)below((int64_t)(sizeof texts / sizeof texts[0]));
    struct feedback_new in;
    memset(&in, 0, sizeof in);
    in.unit = us->code[ui];
    in.kind = texts[k].kind;
    static const enum feedback_channel ch[] = {FC_WEB,   FC_WEB,   FC_WEB,
                                               FC_PHONE, FC_VISIT, FC_LETTER};
    in.channel = ch[below(6)];
    in.body = texts[k].text;
    if (below(10) < 7)
        snprintf(in.contact.phone, sizeof in.contact.phone, "09%08lld",
                 (long long)below(100000000));
    if (in.contact.phone[0]) snprintf(in.contact.name, sizeof in.contact.name, "Người dân");
    in.consent = below(10) < 6;
    if (texts[k].kind == FK_HANDLING && below(2)) in.officer = "cb.motcua";
    in.at = at;
    in.actor = in.channel == FC_WEB ? "citizen" : "demo.motcua";
    int rc = store_feedback_submit(s, cal, rules, &in, f, e);
    if (rc || f->duplicates) return rc;
    const char *code = f->code;
    char c[FEEDBACK_CODE_LEN];
    snprintf(c, sizeof c, "%s", code);
    int64_t t = between(at + 30, f->st.decide_due_at - 60);
    if (t > now) return 0;
    int64_t r = below(100);
    struct feedback_change ch2 = {c, FA_ACCEPT, t, "demo.motcua", NULL, NULL, NULL, NULL};
    if (r < 6) {
        ch2.action = FA_REFUSE;
        ch2.note = "Nội dung là khiếu nại, được hướng dẫn gửi theo Luật Khiếu nại.";
        return store_feedback_apply(s, cal, rules, &ch2, f, e);
    }
    if (r < 12 && us->n > 1) {
        ch2.action = FA_FORWARD;
        ch2.to_unit = us->code[(ui + 1) % us->n];
        ch2.note = "Địa điểm phản ánh thuộc địa bàn đơn vị khác.";
        if ((rc = store_feedback_apply(s, cal, rules, &ch2, f, e))) return rc;
        t = between(t + 60, f->st.decide_due_at - 60);
        if (t > now) return 0;
        ch2.action = FA_ACCEPT;
        ch2.at = t;
        ch2.to_unit = ch2.note = NULL;
    }
    if ((rc = store_feedback_apply(s, cal, rules, &ch2, f, e))) return rc;
    if (below(100) < 3) return 0; /* forgotten after acceptance: overdue once its day passes */
    int late = below(100) < 12;
    int64_t due = f->st.answer_due_at;
    t = late ? between(due + 1440, due + 8 * 1440) : between(t + 60, due - 60);
    if (t > now) {
        if (below(2) && t - 1440 > ch2.at && t - 1440 < now) {
            struct feedback_change st = {c,    FA_START, ch2.at + 120, "demo.chuyenvien",
                                         NULL, NULL,     NULL,         NULL};
            if (st.at < now) return store_feedback_apply(s, cal, rules, &st, f, e);
        }
        return 0;
    }
    struct feedback_change an = {c, FA_ANSWER, t, "demo.chuyenvien", NULL, NULL, NULL, NULL};
    an.answer = templates[k < 5 ? 1 : k < 9 ? 2 : 0].body;
    if ((rc = store_feedback_apply(s, cal, rules, &an, f, e))) return rc;
    if (f->consent && below(10) < 8 && t + 1440 < now) {
        struct feedback_change pb = {c,    FA_PUBLISH, t + 1440, "demo.lanhdao",
                                     NULL, NULL,       NULL,     NULL};
        if ((rc = store_feedback_apply(s, cal, rules, &pb, f, e))) return rc;
    }
    if (f->contact.phone[0] && below(10) < 7 && t + 2880 < now) {
        static const int scores[] = {5, 5, 5, 4, 4, 4, 4, 3, 2, 1};
        int sc = late ? scores[3 + below(7)] : scores[below(8)];
        rc = store_feedback_rate(s, c, sc, t + 2880, e);
    }
    return rc;
}

struct demo_ctx {
    const struct calendar *cal;
    const char *data;
    int64_t now;
};

static int demo_tx(struct store *s, void *vctx, struct err *e)
{
    struct demo_ctx *x = vctx;
    struct feedback_rules *rules = malloc(sizeof *rules);
    struct feedback_item *f = malloc(sizeof *f);
    struct units us = {0};
    int rc = rules && f ? 0 : err_set(e, ERR_NOMEM, "demo", "out of memory");
    if (!rc) rc = feedback_rules_load(x->data, rules, e);
    if (!rc) rc = store_unit_children(s, "DT", instant_day(x->now), collect, &us, e);
    for (size_t i = 0; !rc && i < sizeof templates / sizeof templates[0]; i++) {
        struct feedback_template *t = calloc(1, sizeof *t);
        if (!t) {
            rc = err_set(e, ERR_NOMEM, "demo", "out of memory");
            break;
        }
        snprintf(t->code, sizeof t->code, "%s", templates[i].code);
        snprintf(t->title, sizeof t->title, "%s", templates[i].title);
        snprintf(t->body, sizeof t->body, "%s", templates[i].body);
        rc = store_feedback_template_put(s, t, e);
        free(t);
    }
    /* about 3 a month per unit, over the 365 days before today */
    int64_t today = instant_day(x->now);
    for (int64_t d = today - 365; !rc && d < today; d++)
        for (int ui = 0; !rc && ui < us.n; ui++) {
            if (below(100) >= 10) continue;
            int64_t at = d * 1440 + 7 * 60 + below(12 * 60);
            if (at >= x->now) continue;
            rc = live(s, x->cal, rules, &us, ui, at, x->now, f, e);
        }
    free(rules);
    free(f);
    return rc;
}

int demo_feedback(struct store *s, const struct calendar *cal, const char *data, int64_t now,
                  struct err *e)
{
    struct demo_ctx x = {cal, data, now};
    return store_tx(s, demo_tx, &x, e); /* one transaction: the year is written at once */
}
