/* health.c — GET /healthz: 200 {"status":"ok"} when the database answers, 503 otherwise,
 * so a load balancer takes a server with a broken store out of rotation. It also says which
 * years' deadlines fall back to the statutory holidays because the government's decision file
 * (data/calendar/YYYY.tsv) is missing, the same warning `cchc serve` logs at start. */
#include <stdio.h>

#include "calendar.h"
#include "http.h"
#include "server_int.h"
#include "store.h"

/* Writes the warning for the years without a decision file into buf (empty when none);
 * returns how many years lack one (0..2) and fills years. */
static int calendar_warning(const struct calendar *cal, int64_t today, int years[2], char *buf,
                            size_t n)
{
    int k = calendar_years_without_decision(cal, today, years);
    buf[0] = 0;
    if (k == 0) return 0;
    char list[64];
    if (k == 1)
        snprintf(list, sizeof list, "năm %d (data/calendar/%d.tsv)", years[0], years[0]);
    else
        snprintf(list, sizeof list, "các năm %d, %d (data/calendar/%d.tsv, %d.tsv)", years[0],
                 years[1], years[0], years[1]);
    snprintf(buf, n,
             "chưa có quyết định nghỉ lễ, Tết của %s: hạn xử lý hồ sơ tính theo ngày nghỉ "
             "luật định (statutory.tsv), chưa có ngày nghỉ bù, hoán đổi; thêm tệp quyết định "
             "của năm",
             list);
    return k;
}

void server_log_calendar_warning(const struct server *s, FILE *f)
{
    int years[2];
    char msg[512];
    if (calendar_warning(s->cal, today_local(), years, msg, sizeof msg))
        fprintf(f, "cchc serve: cảnh báo lịch: %s\n", msg);
}

void h_health(struct req *r)
{
    if (req_query_check(r, NULL)) return;
    struct err e = {0};
    int dbv = 0, known = 0;
    struct store *s = req_store(r);
    if (!s || store_schema_version(s, &dbv, &known, &e)) {
        reply_error(r, 503, "unavailable", "db", "the database does not answer");
        return;
    }
    int years[2];
    char msg[512];
    int k = calendar_warning(req_calendar(r), today_local(), years, msg, sizeof msg);
    json_t *cal = json_pack("{s:o}", "years_without_decision", json_array());
    for (int i = 0; i < k; i++)
        json_array_append_new(json_object_get(cal, "years_without_decision"),
                              json_integer(years[i]));
    if (k) json_object_set_new(cal, "warning", json_string(msg));
    reply_json(r, 200,
               json_pack("{s:s, s:i, s:i, s:o}", "status", "ok", "schema", dbv, "schema_known",
                         known, "calendar", cal));
}
