/* demo_preport.c — the demo's periodic CCHC reports (issue 15; docs/reports.md), dated from the
 * clock: Thanh Bình commune's report for the last finished reporting period, written and
 * submitted to the province, and the province's consolidated report of that period as a draft
 * (Thanh Bình's figures in it, the other wards and communes listed as missing). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "demo_data.h"
#include "preport_doc.h"
#include "report_period.h"

static const char *const SECTIONS[PS__COUNT] = {
    "Ủy ban nhân dân xã ban hành và triển khai kế hoạch cải cách hành chính của kỳ; Bộ phận Một "
    "cửa tiếp nhận, giải quyết hồ sơ đúng quy trình, công khai đầy đủ thủ tục hành chính tại trụ "
    "sở và trên Cổng dịch vụ công.\nTỷ lệ hồ sơ tiếp nhận trực tuyến tăng so với kỳ trước.",
    "Một số hồ sơ còn giải quyết quá hạn; việc số hóa thành phần hồ sơ chưa đồng đều.",
    "Khối lượng hồ sơ tăng sau sắp xếp đơn vị hành chính, trong khi nhân lực Bộ phận Một cửa chưa "
    "được bổ sung kịp thời.",
    "Tiếp tục rà soát, đơn giản hóa thủ tục hành chính; đẩy mạnh dịch vụ công trực tuyến toàn "
    "trình và thanh toán trực tuyến; khắc phục tình trạng hồ sơ quá hạn.",
};

/* The last period whose data ended before today: its year and code. */
static void last_finished(int64_t today, int *year, const char **code)
{
    int n, y = days_to_ymd(today).y;
    const struct report_period *ps = report_periods(&n);
    int64_t best = INT64_MIN;
    for (int yy = y - 1; yy <= y + 1; yy++)
        for (int i = 0; i < n; i++) {
            int64_t from, to;
            report_period_days(&ps[i], yy, &from, &to);
            if (to < today && to > best) best = to, *year = yy, *code = ps[i].code;
        }
}

static int make(struct store *s, const char *data, const char *unit, int year, const char *code,
                int consolidate, int64_t at, int64_t *id, struct err *e)
{
    struct preport_build_in in = {.unit = unit,
                                  .year = year,
                                  .period = code,
                                  .consolidate = consolidate,
                                  .data = data,
                                  .now = at};
    char *snap = NULL;
    int rc = preport_build(s, &in, &snap, e);
    struct preport_in pin = {.unit = unit,
                             .year = year,
                             .period = code,
                             .snapshot = snap,
                             .consolidated = consolidate,
                             .actor = "chuyenvien.noivu",
                             .at = at};
    if (!rc) rc = store_preport_create(s, &pin, id, e);
    free(snap);
    return rc;
}

int demo_preports(struct store *s, const char *data, int64_t now, struct err *e)
{
    int year = 0;
    const char *code = NULL;
    last_finished(instant_day(now), &year, &code);
    if (!code) return 0;
    int64_t id, at = now - 3 * 1440; /* written three days ago */
    int rc = make(s, data, "DT.THANHBINH", year, code, 0, at, &id, e);
    struct preport_act edit = {.action = PA_EDIT, .actor = "chuyenvien.thanhbinh", .at = at + 60};
    for (int i = 0; i < PS__COUNT; i++)
        edit.section[i] = SECTIONS[i];
    if (!rc) rc = store_preport_act(s, id, &edit, e);
    struct preport_act submit = {.action = PA_SUBMIT, .actor = "lanhdao.thanhbinh", .at = at + 120};
    if (!rc) rc = store_preport_act(s, id, &submit, e);
    if (!rc) rc = make(s, data, "DT", year, code, 1, now - 1440, &id, e);
    return rc;
}
