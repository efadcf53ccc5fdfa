/* survey_report.c — a survey round's results as a table file (survey_report.h). Percentages
 * are written as RC_POINTS (fixed point, 1 = 10000) so that xlsx gets numbers with two decimals
 * and the PDF "82,66". */
#include "survey_report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "survey_compare.h"

static struct rcell pct_cell(double pct)
{
    struct rcell c = {0};
    if (pct < 0)
        c.null = 1;
    else
        c.v = (int64_t)(pct * 10000 + 0.5);
    return c;
}

int survey_report_write(struct store *s, const char *data_dir, const struct survey_set *set,
                        const struct survey_round *rd, enum rformat f, const char *path,
                        struct err *e)
{
    struct survey_results res;
    struct survey_change ch;
    int rc = store_survey_results(s, set, rd->code, &res, e);
    if (rc) return rc;
    if ((rc = survey_change_load(s, data_dir, rd, set, NULL, &res, &ch, e))) {
        store_survey_results_free(&res);
        return rc;
    }
    struct rcol cols[24] = {
        {"rank", "Hạng", RC_INT, 6},
        {"unit", "Mã đơn vị", RC_TEXT, 12},
        {"name", "Đơn vị", RC_TEXT, 34},
        {"responses", "Số phiếu (cỡ mẫu)", RC_INT, 10},
        {"below_min", "Dưới mẫu tối thiểu", RC_TEXT, 12},
        {"index", "Chỉ số (%)", RC_POINTS, 10},
        {"ci_low", "KTC 95% từ (%)", RC_POINTS, 10},
        {"ci_high", "KTC 95% đến (%)", RC_POINTS, 10},
        {"previous_rank", "Hạng trước", RC_INT, 6},
        {"rank_change", "Đổi hạng", RC_INT, 6},
        {"previous_index", "Năm trước (%)", RC_POINTS, 8},
        {"change", "Đổi (điểm)", RC_POINTS, 8},
    };
    char keys[16][SURVEY_CODE_MAX + 4], heads[16][256];
    int ncols = 12, comp[16], ncomp = 0;
    for (int k = 0; k < set->nnodes && ncomp < 16; k++) {
        if (set->nodes[k].level != SURVEY_COMPONENT) continue;
        snprintf(keys[ncomp], sizeof keys[0], "c_%s", set->nodes[k].code);
        snprintf(heads[ncomp], sizeof heads[0], "%s (%%)", set->nodes[k].text);
        cols[ncols++] = (struct rcol){keys[ncomp], heads[ncomp], RC_POINTS, 14};
        comp[ncomp++] = k;
    }
    char title[256], sub[1024], from[16] = "", to[16] = "";
    struct ymd a, b;
    if (!ymd_parse(rd->from, &a, "from", NULL))
        snprintf(from, sizeof from, "%02d/%02d/%04d", a.d % 100, a.m % 100, a.y % 10000);
    if (!ymd_parse(rd->to, &b, "to", NULL))
        snprintf(to, sizeof to, "%02d/%02d/%04d", b.d % 100, b.m % 100, b.y % 10000);
    snprintf(title, sizeof title, "%s — đợt %s", set->title ? set->title : set->code, rd->code);
    /* the published heading cites the method without the data file's "(verify …)" notes */
    char source[600];
    snprintf(source, sizeof source, "%s", set->source ? set->source : "");
    char *v = strstr(source, "(verify");
    if (v) {
        *v = 0;
        size_t n = strlen(source);
        while (n && (source[n - 1] == ' ' || source[n - 1] == ';' || source[n - 1] == ','))
            source[--n] = 0;
    }
    snprintf(sub, sizeof sub,
             "Hồ sơ trả kết quả từ %s đến %s; mẫu tối thiểu %d phiếu mỗi đơn vị; khoảng tin cậy "
             "95%%. Nguồn phương pháp: %s. So với năm trước (hạng trước, đổi hạng: + tăng bậc): %s",
             from, to, set->min_sample, source, ch.round[0] ? ch.round : "không có đợt");
    struct rwriter *w = NULL;
    rc = rwriter_open(f, path, title, sub, cols, ncols, &w, e);
    for (size_t u = 0; !rc && u < res.nunits; u++) {
        const struct survey_unit_result *x = &res.r[u];
        struct unit un;
        struct err ue = {0};
        const char *name = store_unit_get(s, res.unit[u], &un, &ue) ? "" : un.name;
        struct rcell c[24] = {{0}};
        c[0] = (struct rcell){.v = res.rank[u], .null = res.rank[u] <= 0};
        c[1].text = res.unit[u];
        c[2].text = name;
        c[3].v = (int64_t)x->n;
        c[4].text = x->below_min ? "có" : "không";
        c[5] = pct_cell(x->index);
        double lo = x->index - x->half, hi = x->index + x->half;
        c[6] = pct_cell(x->index < 0 ? -1 : lo < 0 ? 0 : lo);
        c[7] = pct_cell(x->index < 0 ? -1 : hi > 100 ? 100 : hi);
        c[8] = (struct rcell){.v = ch.rank[u], .null = !ch.rank[u]};
        c[9] = (struct rcell){.v = ch.rank_change[u], .null = !ch.has_change[u]};
        c[10] = pct_cell(ch.index[u]);
        c[11] =
            (struct rcell){.v = isnan(ch.change[u]) ? 0 : (int64_t)llround(ch.change[u] * 10000),
                           .null = isnan(ch.change[u])};
        for (int i = 0; i < ncomp; i++)
            c[12 + i] = pct_cell(x->node[comp[i]]);
        rc = rwriter_row(w, c, e);
    }
    if (w) {
        struct err ce = {0};
        int crc = rwriter_close(w, &ce);
        if (!rc && crc) {
            *e = ce;
            rc = crc;
        }
    }
    store_survey_results_free(&res);
    survey_change_free(&ch);
    return rc;
}
