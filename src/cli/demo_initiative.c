/* demo_initiative.c — the demo's CCHC initiatives (issue 15), dated from the clock within the
 * current year: Mỹ Tho ward's community digital teams, evaluated by the province's council,
 * recognised at province level and applied by Mỹ Tho and Cao Lãnh wards; the province's own
 * virtual assistant accepted by the council and awaiting its decision; Cao Lãnh's new proposal;
 * a rejected one. The commune set's criterion 1.6 then counts Mỹ Tho's recognised one. */
#include <stdio.h>
#include <string.h>

#include "date.h"
#include "demo_data.h"
#include "store_initiative.h"

struct demo_init {
    const char *unit, *evaluator, *area, *title, *authors, *description, *effect;
    int proposed;         /* days before today (clamped to 1 January) */
    int evaluated, score; /* days before today; score -1: not evaluated, -2: rejected */
    const char *opinion;
    int decided; /* days before today; -1: not recognised */
    const char *decision_no;
};

static const struct demo_init inits[] = {
    {"DT.MYTHO", "DT", "3", "Tổ công nghệ số cộng đồng hỗ trợ người dân nộp hồ sơ trực tuyến",
     "Nguyễn Thị Thu, Trần Văn Hùng",
     "Mỗi khu phố một tổ gồm đoàn viên thanh niên và công chức một cửa, hướng dẫn người dân tạo "
     "tài khoản định danh điện tử và nộp hồ sơ trực tuyến tại nhà văn hóa khu phố vào chiều thứ "
     "Bảy.",
     "Tăng tỷ lệ hồ sơ trực tuyến toàn trình của phường; giảm người dân phải đến Bộ phận Một cửa.",
     60, 45, 88, "Có tính mới trong phạm vi tỉnh, hiệu quả rõ, dễ nhân rộng", 30, "215/QĐ-UBND"},
    {"DT", "DT", "7", "Trợ lý ảo tra cứu thủ tục hành chính trên Cổng dịch vụ công của tỉnh",
     "Ngô Thị Kim, Lê Văn Hòa",
     "Trợ lý ảo trả lời câu hỏi về thành phần hồ sơ, thời hạn và phí, lệ phí của thủ tục hành "
     "chính từ cơ sở dữ liệu thủ tục đã công bố.",
     "Giảm cuộc gọi hỏi đáp đến Trung tâm Phục vụ hành chính công.", 40, 12, 75,
     "Đề nghị Chủ tịch UBND tỉnh công nhận", -1, NULL},
    {"DT.CAOLANH", "DT", "3", "Mô hình “Bộ phận Một cửa thân thiện” trả kết quả tại nhà",
     "Võ Văn Tâm",
     "Trả kết quả giải quyết thủ tục hành chính tại nhà cho người cao tuổi, người "
     "khuyết tật theo đăng ký qua điện thoại.",
     "Người cao tuổi không phải đi lại; tăng mức độ hài lòng.", 10, -1, -1, NULL, -1, NULL},
    {"DT.MYTHO", "DT", "7", "Số hóa sổ hộ tịch giai đoạn 1999–2015 của phường", "Phạm Thị Lan",
     "Số hóa toàn bộ sổ hộ tịch lưu tại phường giai đoạn 1999–2015.",
     "Tra cứu, cấp bản sao trích lục nhanh hơn.", 50, 35, -2,
     "Trùng với nhiệm vụ số hóa dữ liệu hộ tịch của tỉnh, chưa có tính mới", -1, NULL},
};

static int64_t back(int64_t today, int64_t lo, int days)
{
    int64_t d = today - days;
    return d < lo ? lo : d;
}

int demo_initiatives(struct store *s, int year, int64_t now, struct err *e)
{
    int64_t today = instant_day(now), lo = ymd_to_days((struct ymd){year, 1, 1});
    int rc = 0;
    int64_t first = 0;
    for (size_t k = 0; !rc && k < sizeof inits / sizeof inits[0]; k++) {
        const struct demo_init *d = &inits[k];
        struct initiative_in in = {.unit = d->unit,
                                   .evaluator = d->evaluator,
                                   .area = d->area,
                                   .title = d->title,
                                   .description = d->description,
                                   .authors = d->authors,
                                   .effect = d->effect,
                                   .proposed_day = back(today, lo, d->proposed),
                                   .actor = "admin",
                                   .at = now};
        struct initiative i;
        if ((rc = store_init_create(s, &in, &i, e))) break;
        if (!k) first = i.id;
        struct init_args a = {.score = d->score,
                              .note = d->opinion,
                              .level = -1,
                              .day = d->evaluated >= 0 ? back(today, lo, d->evaluated) : 0};
        if (d->score >= 0)
            rc = store_init_act(s, i.id, INA_ACCEPT, &a, "admin", now, &i, e);
        else if (d->score == -2)
            rc = store_init_act(s, i.id, INA_REJECT, &a, "admin", now, &i, e);
        if (!rc && d->decided >= 0) {
            struct init_args r = {.score = -1,
                                  .decision_no = d->decision_no,
                                  .decision_day = back(today, lo, d->decided),
                                  .level = INL_PROVINCE};
            rc = store_init_act(s, i.id, INA_RECOGNIZE, &r, "admin", now, &i, e);
        }
    }
    /* the recognised model, applied by the ward that proposed it and replicated in Cao Lãnh */
    if (!rc)
        rc = store_init_apply(s, first, "DT.MYTHO", back(today, lo, 90),
                              "Tỷ lệ hồ sơ trực tuyến của phường tăng từ 35% lên 62%", "admin", now,
                              e);
    if (!rc)
        rc = store_init_apply(s, first, "DT.CAOLANH", back(today, lo, 20),
                              "Đã thành lập 5 tổ ở 5 khu phố", "admin", now, e);
    if (!rc)
        printf("cchc demo: %zu CCHC initiatives (one recognised, applied by 2 wards)\n",
               sizeof inits / sizeof inits[0]);
    return rc;
}
