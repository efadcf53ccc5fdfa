/* demo_dialogue.c — the demo's dialogues with citizens and businesses (issue 14): two wards
 * each held one about a quarter ago and one last month, dated from the clock, with the
 * commitments made there — some done on time, one late, one overdue, the recent ones still
 * open — so the follow-up page (#/doi-thoai) has something to follow. */
#include <stdio.h>
#include <string.h>

#include "demo_data.h"
#include "store.h"
#include "store_dialogue.h"

struct demo_commitment {
    const char *text, *owner;
    int due_after;    /* days after the dialogue */
    int closed_after; /* days after the dialogue it was done; 0: still open */
    const char *result;
};

struct demo_dialogue {
    const char *unit, *title, *participants, *questions;
    int days_ago;
    struct demo_commitment c[3];
};

static const struct demo_dialogue DIALOGUES[] = {
    {"DT.MYTHO",
     "Đối thoại với hộ kinh doanh chợ Mỹ Tho",
     "38 hộ kinh doanh, Ban quản lý chợ, Công an phường, Phòng Kinh tế",
     "Thời gian cấp phép sửa chữa ki-ốt; thủ tục đăng ký hộ kinh doanh trực tuyến; lệ phí",
     95,
     {{"Niêm yết quy trình, thời hạn cấp phép sửa chữa ki-ốt tại chợ",
       "Văn phòng HĐND và UBND phường", 15, 12,
       "Đã niêm yết tại cổng chợ và trên Cổng thông tin của phường"},
      {"Hướng dẫn trực tiếp tại chợ cách nộp hồ sơ đăng ký hộ kinh doanh trực tuyến",
       "Bộ phận Một cửa phường", 30, 41, "Đã tổ chức 2 buổi hướng dẫn tại chợ, 26 hộ tham dự"},
      {"Kiến nghị tỉnh giảm lệ phí đăng ký hộ kinh doanh trực tuyến", "Phòng Kinh tế", 60, 0,
       NULL}}},
    {"DT.MYTHO",
     "Đối thoại với thanh niên về giải quyết thủ tục hộ tịch",
     "Đoàn Thanh niên phường, 55 đoàn viên",
     "Đăng ký kết hôn trực tuyến; thời gian cấp bản sao trích lục",
     20,
     {{"Trả bản sao trích lục hộ tịch trong ngày khi nộp trước 15 giờ",
       "Công chức Tư pháp - Hộ tịch", 10, 8,
       "Đã áp dụng từ ngày tiếp theo; niêm yết tại Bộ phận Một cửa"},
      {"Hỗ trợ đăng ký kết hôn trực tuyến tại Bộ phận Một cửa", "Bộ phận Một cửa phường", 45, 0,
       NULL},
      {NULL, NULL, 0, 0, NULL}}},
    {"DT.CAOLANH",
     "Đối thoại với doanh nghiệp về thủ tục đất đai",
     "21 doanh nghiệp, Hiệp hội Doanh nghiệp, Văn phòng đăng ký đất đai",
     "Thời gian xác nhận hồ sơ đất đai; hồ sơ phải bổ sung nhiều lần",
     70,
     {{"Một lần hướng dẫn đầy đủ thành phần hồ sơ cần bổ sung", "Bộ phận Một cửa phường", 20, 0,
       NULL},
      {"Công khai danh sách hồ sơ trễ hạn và lý do hằng tháng", "Văn phòng HĐND và UBND phường", 30,
       28, "Đã công khai trên trang của phường từ tháng này"},
      {NULL, NULL, 0, 0, NULL}}},
};

int demo_dialogues(struct store *s, int64_t now, struct err *e)
{
    int64_t today = now / 1440;
    for (size_t i = 0; i < sizeof DIALOGUES / sizeof DIALOGUES[0]; i++) {
        const struct demo_dialogue *x = &DIALOGUES[i];
        struct dialogue d;
        memset(&d, 0, sizeof d);
        snprintf(d.unit, sizeof d.unit, "%s", x->unit);
        snprintf(d.title, sizeof d.title, "%s", x->title);
        snprintf(d.participants, sizeof d.participants, "%s", x->participants);
        snprintf(d.questions, sizeof d.questions, "%s", x->questions);
        d.day = today - x->days_ago;
        int rc = store_dialogue_add(s, &d, e);
        if (rc) return rc;
        for (int k = 0; k < 3 && x->c[k].text; k++) {
            const struct demo_commitment *m = &x->c[k];
            struct commitment c;
            memset(&c, 0, sizeof c);
            c.dialogue_id = d.id;
            snprintf(c.text, sizeof c.text, "%s", m->text);
            snprintf(c.owner, sizeof c.owner, "%s", m->owner);
            c.due_day = d.day + m->due_after;
            if ((rc = store_commitment_add(s, &c, e))) return rc;
            if (m->closed_after && d.day + m->closed_after <= today &&
                (rc = store_commitment_close(s, c.id, d.day + m->closed_after, m->result, e)))
                return rc;
        }
    }
    return 0;
}
