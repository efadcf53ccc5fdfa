/* demo_data.c — what `cchc demo` adds to a freshly seeded database so every demo account has
 * something current to do: the citizen's own dossiers (one being processed, one waiting for a
 * supplement, one returned and ready to rate) and two PAR index rounds (last year's published,
 * this year's open for self-assessment). Everything is dated from the clock, through the
 * store's own operations (state machine, audit chain), never by raw rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "cli.h"
#include "demo_data.h"
#include "par_io.h"
#include "store.h"

/* The day n working days before day d (d itself when n is 0 and d is a working day). */
static int64_t working_day_back(const struct calendar *cal, int64_t d, int n)
{
    while (!calendar_is_working(cal, d))
        d--;
    while (n > 0) {
        d--;
        if (calendar_is_working(cal, d)) n--;
    }
    return d;
}

static int64_t plus_work(const struct calendar *cal, int64_t t, int64_t minutes)
{
    int64_t out = t + minutes;
    calendar_add_working_minutes(cal, t, minutes, &out, NULL);
    return out;
}

struct citizen_story {
    const char *procedure;
    int days_back;   /* received this many working days before today */
    int minute;      /* at this minute of that day */
    const char *end; /* "processing", "supplement" or "returned" */
};

/* One dossier of the demo citizen, received and moved along to where the story ends. */
static int citizen_dossier(struct store *s, const struct calendar *cal,
                           const struct citizen_story *c, int64_t now, struct err *e)
{
    int64_t day = working_day_back(cal, instant_day(now), c->days_back);
    int64_t at = day * MINUTES_PER_DAY + c->minute;
    struct dossier_intake in = {.unit = "DT.MYTHO",
                                .procedure = c->procedure,
                                .channel = CHANNEL_DIRECT,
                                .at = at,
                                .actor = "motcua.mytho",
                                .receive = 1,
                                .digitised = 1,
                                .recorded_at = at}; /* the demo's own clock: not backdated */
    snprintf(in.applicant.name, sizeof in.applicant.name, "%s", DEMO_CITIZEN_NAME);
    snprintf(in.applicant.phone, sizeof in.applicant.phone, "%s", DEMO_CITIZEN_PHONE);
    snprintf(in.applicant.idno, sizeof in.applicant.idno, "087090012345");
    snprintf(in.applicant.address, sizeof in.applicant.address,
             "Số 25 đường Lê Lợi, phường Mỹ Tho");
    struct dossier d;
    int rc = store_dossier_create(s, cal, &in, &d, e);
    if (rc) return rc;
    char code[DOSSIER_CODE_LEN];
    snprintf(code, sizeof code, "%s", d.code);
    int64_t t = at;
    /* every change records the demo's own clock as its recorded time: not backdated */
    struct dossier_change ch = {.code = code, .actor = "motcua.mytho"};
    /* who holds step k + 1: the desk checks, the specialist examines, the leader signs, the
     * desk hands the result over */
    const char *officers[] = {"motcua.mytho", "chuyenvien.mytho", "lanhdao.mytho", "motcua.mytho"};
    if (!strcmp(c->end, "supplement")) {
        ch.action = DA_REQUEST_SUPPLEMENT;
        ch.at = plus_work(cal, t, 40);
        ch.note = "Bổ sung bản sao Giấy chứng nhận quyền sử dụng đất (hoặc hợp đồng thuê nhà) "
                  "chứng minh chỗ ở hợp pháp";
        ch.recorded_at = ch.at;
        return ch.at < now ? store_dossier_apply(s, cal, &ch, &d, e) : 0;
    }
    for (int k = 0; k < d.st.n_steps; k++) {
        if (!strcmp(c->end, "processing") && k == 2) return 0;
        t = plus_work(cal, t, k == 0 ? 20 : 150);
        if (t >= now) return 0;
        ch.action = DA_ADVANCE;
        ch.at = t;
        ch.actor = k == 0 ? "motcua.mytho" : officers[k - 1 < 4 ? k - 1 : 3];
        ch.officer = officers[k < 4 ? k : 3];
        ch.recorded_at = ch.at;
        if ((rc = store_dossier_apply(s, cal, &ch, &d, e))) return rc;
    }
    ch.officer = NULL;
    ch.action = DA_FINISH;
    ch.actor = "lanhdao.mytho";
    ch.at = t = plus_work(cal, t, 120);
    if (t >= now) return 0;
    ch.recorded_at = ch.at;
    if ((rc = store_dossier_apply(s, cal, &ch, &d, e))) return rc;
    ch.action = DA_RETURN;
    ch.actor = "motcua.mytho";
    ch.at = ch.recorded_at = plus_work(cal, t, 60);
    return ch.at < now ? store_dossier_apply(s, cal, &ch, &d, e) : 0;
}

/* A marital status certificate (1.004873, received anywhere in the province: Decree
 * 118/2025/NĐ-CP) handed in yesterday at Cao Lãnh's desk by someone living in Mỹ Tho, for Mỹ
 * Tho to decide: its desk's "received across units" tab always has one to show, whatever the
 * seeded year drew. */
static int cross_dossier(struct store *s, const struct calendar *cal, int64_t now, struct err *e)
{
    int64_t at = working_day_back(cal, instant_day(now), 1) * MINUTES_PER_DAY + 10 * 60 + 30;
    struct dossier_intake in = {.unit = "DT.CAOLANH",
                                .decider = "DT.MYTHO",
                                .procedure = "1.004873",
                                .channel = CHANNEL_DIRECT,
                                .at = at,
                                .actor = "motcua.caolanh",
                                .receive = 1,
                                .digitised = 1,
                                .recorded_at = at};
    snprintf(in.applicant.name, sizeof in.applicant.name, "Trần Thị Bích Ngọc");
    snprintf(in.applicant.phone, sizeof in.applicant.phone, "0907315268");
    snprintf(in.applicant.idno, sizeof in.applicant.idno, "087195004321");
    snprintf(in.applicant.address, sizeof in.applicant.address,
             "Số 12 đường Nguyễn Trãi, phường Mỹ Tho");
    struct dossier d;
    return store_dossier_create(s, cal, &in, &d, e);
}

int demo_citizen_dossiers(struct store *s, const struct calendar *cal, int64_t now, struct err *e)
{
    static const struct citizen_story stories[] = {
        {"1.004884", 14, 8 * 60 + 15, "returned"}, /* Đăng ký lại khai sinh, 5 working days */
        {"1.013225", 4, 9 * 60 + 5, "processing"}, /* building permit, 15 days */
        {"1.004222", 1, 14 * 60 + 10, "supplement"}, /* permanent residence, 7 working days */
    };
    for (size_t i = 0; i < sizeof stories / sizeof stories[0]; i++) {
        int rc = citizen_dossier(s, cal, &stories[i], now, e);
        if (rc) return rc;
    }
    return cross_dossier(s, cal, now, e);
}

/* ---- PAR rounds ---- */

struct unit_codes {
    char (*code)[UNIT_CODE_MAX];
    int n;
};

static int collect_code(const struct unit *u, void *ctx)
{
    struct unit_codes *c = ctx;
    void *p = realloc(c->code, sizeof *c->code * (size_t)(c->n + 1));
    if (!p) return ERR_NOMEM;
    c->code = p;
    snprintf(c->code[c->n++], UNIT_CODE_MAX, "%s", u->code);
    return 0;
}

/* Self scores of every manual criterion for every unit of the round, varied by unit and
 * criterion (a reproducible share of the maximum in quarter points). */
static int score_round(struct store *s, const struct par_set *set, const char *round, int64_t at,
                       struct err *e)
{
    struct unit_codes uc = {0};
    int rc = store_par_round_units(s, round, collect_code, &uc, e);
    for (int i = 0; !rc && i < uc.n; i++) {
        for (int k = 0; !rc && k < set->nleaves; k++) {
            const struct par_node *nd = &set->node[set->leaves[k]];
            if (nd->method != PAR_MANUAL) continue;
            unsigned h = (unsigned)(i * 7919 + k * 104729) % 100;
            par_pts quarters = nd->max / 250, pts = quarters * (h < 55 ? 4 : h < 85 ? 3 : 1) / 4;
            struct par_score_in in = {.round = round,
                                      .unit = uc.code[i],
                                      .node = nd->code,
                                      .kind = PAR_SELF,
                                      .points = pts * 250,
                                      .actor = "admin",
                                      .at = at};
            rc = store_par_score_put(s, &in, e);
        }
    }
    free(uc.code);
    return rc;
}

static void quiet(void *ctx, const struct err *problem)
{
    (void)ctx;
    fprintf(stderr, "%s\n", problem->msg);
}

int demo_par_rounds(struct store *s, const char *data, int year, int64_t now, struct err *e)
{
    char path[4096], prev[32], cur[32], title[PAR_TITLE_MAX];
    snprintf(path, sizeof path, "%s/par/commune-ht-3396-2021.csv", data);
    struct par_set *set = NULL;
    int rc = par_io_read_set(path, &set, quiet, NULL, e);
    if (!rc) rc = store_par_set_import(s, set, "admin", now, e);
    snprintf(prev, sizeof prev, "XA-%d", year - 1);
    snprintf(cur, sizeof cur, "XA-%d", year);
    struct par_round r;
    if (!rc) {
        snprintf(title, sizeof title, "Chỉ số CCHC cấp xã năm %d", year - 1);
        struct par_round_new in = {.code = prev,
                                   .title = title,
                                   .set = set->code,
                                   .year = year - 1,
                                   .period_from = INT64_MIN,
                                   .period_to = INT64_MIN,
                                   .under = "DT",
                                   .actor = "admin",
                                   .at = now};
        rc = store_par_round_create(s, &in, &r, e);
    }
    if (!rc) rc = score_round(s, set, prev, now, e);
    if (!rc) rc = store_par_round_close_phase(s, prev, NULL, "admin", now, &r, e);
    if (!rc) rc = store_par_round_close_phase(s, prev, NULL, "thamdinh", now, &r, e);
    if (!rc) rc = store_par_round_publish(s, prev, "admin", now, &r, e);
    if (!rc) {
        snprintf(title, sizeof title, "Chỉ số CCHC cấp xã năm %d", year);
        struct par_round_new in = {.code = cur,
                                   .title = title,
                                   .set = set->code,
                                   .year = year,
                                   .period_from = INT64_MIN,
                                   .period_to = INT64_MIN,
                                   .under = "DT",
                                   .actor = "admin",
                                   .at = now};
        rc = store_par_round_create(s, &in, &r, e);
    }
    par_set_free(set);
    return rc;
}
