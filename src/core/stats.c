/* stats.c — per-dossier contributions to daily counters, period figures computed from sums of
 * counters, the direct per-dossier membership test used for drill-down, rates with named
 * denominators and period parsing. Definitions: docs/statistics.md. */
#include "stats.h"
#include "report_period.h"

#include <stdio.h>
#include <string.h>

#include "date.h"

static const char *const counter_names[SC__COUNT] = {
    "received",      "received_direct", "received_online", "received_postal",
    "online_full",   "online_partial",  "solved_early",    "solved_on_time",
    "solved_late",   "refused",         "withdrawn",       "cancelled",
    "finished_late", "result_digital",  "returned",        "due",
    "due_met",       "cohort_in_time",  "fee_due",         "paid_online",
    "digitised",     "rated",           "rating_good",     "rating_ok",
    "rating_bad",
};

static const char *const figure_names[SF__COUNT - SC__COUNT] = {
    "solved",
    "finished",
    "carried_over",
    "received_total",
    "in_progress",
    "in_progress_in_time",
    "in_progress_overdue",
};

static const char *const labels_vi[SF__COUNT] = {
    "Tiếp nhận mới trong kỳ",
    "Tiếp nhận trực tiếp",
    "Tiếp nhận trực tuyến",
    "Tiếp nhận qua bưu chính",
    "Trực tuyến toàn trình",
    "Trực tuyến một phần",
    "Giải quyết trước hạn",
    "Giải quyết đúng hạn",
    "Giải quyết quá hạn",
    "Từ chối",
    "Rút hồ sơ",
    "Dừng xử lý",
    "Kết thúc sau hạn",
    "Có kết quả điện tử",
    "Đã trả kết quả",
    "Đến hạn trong kỳ",
    "Đến hạn, xong đúng hạn",
    "Tiếp nhận trong kỳ, đã giải quyết đúng hạn",
    "Có phí, lệ phí",
    "Thanh toán trực tuyến",
    "Số hóa hồ sơ",
    "Được đánh giá",
    "Hài lòng",
    "Bình thường",
    "Không hài lòng",
    "Đã giải quyết",
    "Kết thúc xử lý",
    "Tồn kỳ trước chuyển sang",
    "Tổng số hồ sơ tiếp nhận",
    "Đang giải quyết",
    "Đang giải quyết trong hạn",
    "Đang giải quyết quá hạn",
};

const char *stats_counter_name(enum stats_counter c)
{
    return (c >= 0 && c < SC__COUNT) ? counter_names[c] : "?";
}

const char *stats_figure_name(int f)
{
    if (f >= 0 && f < SC__COUNT) return counter_names[f];
    if (f >= SC__COUNT && f < SF__COUNT) return figure_names[f - SC__COUNT];
    return "?";
}

const char *stats_figure_label_vi(int f)
{
    return (f >= 0 && f < SF__COUNT) ? labels_vi[f] : "?";
}

int stats_figure_parse(const char *s, int *out, struct err *e)
{
    for (int f = 0; f < SF__COUNT; f++)
        if (!strcmp(s, stats_figure_name(f))) {
            *out = f;
            return 0;
        }
    return err_set(e, ERR_INVALID, "figure",
                   "'%s': not a statistic (e.g. received, solved_late, in_progress_overdue; "
                   "see docs/statistics.md)",
                   s);
}

static const char *const channel_names[STATS_CHANNEL_COUNT] = {"direct", "online", "postal"};

const char *stats_channel_name(enum stats_channel c)
{
    return (c >= 0 && c < STATS_CHANNEL_COUNT) ? channel_names[c] : "?";
}

int stats_channel_parse(const char *s, enum stats_channel *out, struct err *e)
{
    for (int c = 0; c < STATS_CHANNEL_COUNT; c++)
        if (!strcmp(s, channel_names[c])) {
            *out = (enum stats_channel)c;
            return 0;
        }
    return err_set(e, ERR_INVALID, "channel", "'%s': must be direct, online or postal", s);
}

/* ---- contributions ------------------------------------------------------------------- */

/* The instant a finish is judged at: the start of a stop still running at the finish. */
static int64_t judged_at(const struct stats_dossier *d)
{
    if (d->stopped_at && d->stopped_at < d->finish_at) return d->stopped_at;
    return d->finish_at;
}

/* 1 if the dossier has a due day to be judged on: finished ones always; open ones unless a
 * stop started before the due instant is still running (the clock is not running out). */
static int has_due_day(const struct stats_dossier *d)
{
    if (d->finish != FIN_NONE) return 1;
    return !(d->stopped_at && d->stopped_at <= d->due_at);
}

int stats_finish_counter(const struct stats_dossier *d)
{
    switch (d->finish) {
    case FIN_NONE:
        return -1;
    case FIN_REFUSED:
        return SC_REFUSED;
    case FIN_WITHDRAWN:
        return SC_WITHDRAWN;
    case FIN_CANCELLED:
        return SC_CANCELLED;
    case FIN_RESULT:
        break;
    }
    int64_t at = judged_at(d);
    if (at > d->due_at) return SC_SOLVED_LATE;
    return instant_day(at) < instant_day(d->due_at) ? SC_SOLVED_EARLY : SC_SOLVED_ON_TIME;
}

static void put(struct stats_contrib *o, int64_t day, int counter)
{
    if (o->n < STATS_CONTRIB_MAX) o->c[o->n++] = (struct stats_cell){day, counter};
}

static void reception_cells(const struct stats_dossier *d, struct stats_contrib *o, int fin)
{
    int64_t day = instant_day(d->received_at);
    static const int by_channel[STATS_CHANNEL_COUNT] = {SC_RECV_DIRECT, SC_RECV_ONLINE,
                                                        SC_RECV_POSTAL};
    put(o, day, SC_RECEIVED);
    put(o, day, by_channel[d->channel]);
    if (d->channel == STATS_ONLINE && d->online == ONLINE_FULL) put(o, day, SC_ONLINE_FULL);
    if (d->channel == STATS_ONLINE && d->online == ONLINE_PARTIAL) put(o, day, SC_ONLINE_PARTIAL);
    if (fin == SC_SOLVED_EARLY || fin == SC_SOLVED_ON_TIME) put(o, day, SC_COHORT_IN_TIME);
    if (d->has_fee) put(o, day, SC_FEE_DUE);
    if (d->has_fee && d->paid_online) put(o, day, SC_PAID_ONLINE);
    if (d->digitised) put(o, day, SC_DIGITISED);
}

void stats_contributions(const struct stats_dossier *d, struct stats_contrib *o)
{
    o->n = 0;
    if (!d || !d->received) return;
    int fin = stats_finish_counter(d);
    reception_cells(d, o, fin);
    if (fin >= 0) {
        int64_t day = instant_day(d->finish_at);
        put(o, day, fin);
        if (judged_at(d) > d->due_at) put(o, day, SC_FINISHED_LATE);
        if (d->finish == FIN_RESULT && d->result_digital) put(o, day, SC_RESULT_DIGITAL);
    }
    if (d->returned_at) put(o, instant_day(d->returned_at), SC_RETURNED);
    if (has_due_day(d)) {
        int64_t day = instant_day(d->due_at);
        put(o, day, SC_DUE);
        if (fin >= 0 && judged_at(d) <= d->due_at) put(o, day, SC_DUE_MET);
    }
    if (d->rating != RATING_NONE && d->rated_at) {
        int64_t day = instant_day(d->rated_at);
        static const int by_rating[] = {0, SC_RATING_GOOD, SC_RATING_OK, SC_RATING_BAD};
        put(o, day, SC_RATED);
        put(o, day, by_rating[d->rating]);
    }
}

int stats_delta(const struct stats_dossier *a, const struct stats_dossier *b,
                struct stats_delta_cell *out)
{
    struct stats_contrib ca, cb;
    stats_contributions(a, &ca);
    stats_contributions(b, &cb);
    int used_b[STATS_CONTRIB_MAX] = {0};
    int n = 0;
    for (int i = 0; i < ca.n; i++) {
        int matched = 0;
        for (int j = 0; j < cb.n && !matched; j++)
            if (!used_b[j] && cb.c[j].day == ca.c[i].day && cb.c[j].counter == ca.c[i].counter)
                used_b[j] = matched = 1;
        if (!matched) out[n++] = (struct stats_delta_cell){ca.c[i].day, ca.c[i].counter, -1};
    }
    for (int j = 0; j < cb.n; j++)
        if (!used_b[j]) out[n++] = (struct stats_delta_cell){cb.c[j].day, cb.c[j].counter, +1};
    return n;
}

/* ---- figures ------------------------------------------------------------------------- */

void stats_counts_add(struct stats_counts *to, const struct stats_counts *x)
{
    for (int i = 0; i < SC__COUNT; i++)
        to->c[i] += x->c[i];
}

static int64_t finished_of(const struct stats_counts *c)
{
    return c->c[SC_SOLVED_EARLY] + c->c[SC_SOLVED_ON_TIME] + c->c[SC_SOLVED_LATE] +
           c->c[SC_REFUSED] + c->c[SC_WITHDRAWN] + c->c[SC_CANCELLED];
}

void stats_figures_compute(const struct stats_counts *flow, const struct stats_counts *cum_before,
                           const struct stats_counts *cum_end, struct stats_figures *out)
{
    memset(out, 0, sizeof *out);
    out->flow = *flow;
    const int64_t *f = flow->c;
    out->solved = f[SC_SOLVED_EARLY] + f[SC_SOLVED_ON_TIME] + f[SC_SOLVED_LATE];
    out->finished = finished_of(flow);
    out->carried_over = cum_before->c[SC_RECEIVED] - finished_of(cum_before);
    out->received_total = out->carried_over + f[SC_RECEIVED];
    out->in_progress = cum_end->c[SC_RECEIVED] - finished_of(cum_end);
    out->in_progress_overdue =
        cum_end->c[SC_DUE] - cum_end->c[SC_DUE_MET] - cum_end->c[SC_FINISHED_LATE];
    out->in_progress_in_time = out->in_progress - out->in_progress_overdue;
}

int64_t stats_figure_value(const struct stats_figures *f, int fig)
{
    if (fig >= 0 && fig < SC__COUNT) return f->flow.c[fig];
    switch (fig) {
    case SF_SOLVED:
        return f->solved;
    case SF_FINISHED:
        return f->finished;
    case SF_CARRIED_OVER:
        return f->carried_over;
    case SF_RECEIVED_TOTAL:
        return f->received_total;
    case SF_IN_PROGRESS:
        return f->in_progress;
    case SF_IN_TIME:
        return f->in_progress_in_time;
    case SF_OVERDUE:
        return f->in_progress_overdue;
    }
    return 0;
}

/* ---- drill-down: membership computed from the dossier itself ------------------------- */

static int in_range(int64_t day, int64_t from, int64_t to)
{
    return day >= from && day <= to;
}

/* Open at the end of day t: received by then and not finished by then. */
static int open_at(const struct stats_dossier *d, int64_t t)
{
    if (!d->received || instant_day(d->received_at) > t) return 0;
    return d->finish == FIN_NONE || instant_day(d->finish_at) > t;
}

/* Open at the end of day t and past its due day by then. */
static int overdue_at(const struct stats_dossier *d, int64_t t)
{
    if (!open_at(d, t) || !has_due_day(d)) return 0;
    return instant_day(d->due_at) <= t;
}

int stats_dossier_in(const struct stats_dossier *d, int fig, int64_t from, int64_t to)
{
    if (!d->received) return 0;
    if (fig >= 0 && fig < SC__COUNT) {
        struct stats_contrib c;
        stats_contributions(d, &c);
        for (int i = 0; i < c.n; i++)
            if (c.c[i].counter == fig && in_range(c.c[i].day, from, to)) return 1;
        return 0;
    }
    int fin = stats_finish_counter(d);
    int64_t fday = fin >= 0 ? instant_day(d->finish_at) : 0;
    switch (fig) {
    case SF_SOLVED:
        return d->finish == FIN_RESULT && in_range(fday, from, to);
    case SF_FINISHED:
        return fin >= 0 && in_range(fday, from, to);
    case SF_CARRIED_OVER:
        return open_at(d, from - 1);
    case SF_RECEIVED_TOTAL:
        return open_at(d, from - 1) || in_range(instant_day(d->received_at), from, to);
    case SF_IN_PROGRESS:
        return open_at(d, to);
    case SF_IN_TIME:
        return open_at(d, to) && !overdue_at(d, to);
    case SF_OVERDUE:
        return overdue_at(d, to);
    }
    return 0;
}

/* ---- rates --------------------------------------------------------------------------- */

static const char *const denom_names[DEN__COUNT] = {"solved",  "due", "received",
                                                    "handled", "fee", "rated"};
static const char *const denom_labels[DEN__COUNT] = {
    "hồ sơ đã giải quyết",    "hồ sơ đến hạn trong kỳ", "hồ sơ tiếp nhận trong kỳ",
    "hồ sơ đã và đang xử lý", "hồ sơ có phí, lệ phí",   "hồ sơ được đánh giá",
};

const char *stats_denom_name(enum stats_denom d)
{
    return (d >= 0 && d < DEN__COUNT) ? denom_names[d] : "?";
}

const char *stats_denom_label_vi(enum stats_denom d)
{
    return (d >= 0 && d < DEN__COUNT) ? denom_labels[d] : "?";
}

int stats_denom_parse(const char *s, enum stats_denom *out, struct err *e)
{
    for (int d = 0; d < DEN__COUNT; d++)
        if (!strcmp(s, denom_names[d])) {
            *out = (enum stats_denom)d;
            return 0;
        }
    return err_set(e, ERR_INVALID, "denominator",
                   "'%s': must be solved, due, received, handled, fee or rated", s);
}

static const char *const metric_names[SM__COUNT] = {
    "ontime",    "early",          "online_share",     "online_full",  "paid_online",
    "digitised", "result_digital", "satisfaction_766", "satisfaction",
};
static const enum stats_denom metric_denoms[SM__COUNT] = {
    DEN_SOLVED,   DEN_SOLVED, DEN_RECEIVED, DEN_RECEIVED, DEN_FEE,
    DEN_RECEIVED, DEN_SOLVED, DEN_HANDLED,  DEN_RATED,
};

const char *stats_metric_name(enum stats_metric m)
{
    return (m >= 0 && m < SM__COUNT) ? metric_names[m] : "?";
}

int stats_metric_parse(const char *s, enum stats_metric *m, struct err *e)
{
    for (int i = 0; i < SM__COUNT; i++)
        if (!strcmp(s, metric_names[i])) {
            *m = (enum stats_metric)i;
            return 0;
        }
    return err_set(e, ERR_INVALID, "metric",
                   "'%s': not a metric (ontime, early, online_share, online_full, paid_online, "
                   "digitised, result_digital, satisfaction_766, satisfaction)",
                   s);
}

enum stats_denom stats_metric_default_denom(enum stats_metric m)
{
    return (m >= 0 && m < SM__COUNT) ? metric_denoms[m] : DEN_SOLVED;
}

/* On-time numerator and denominator under each convention (docs/statistics.md table). */
static int ontime_rate(const struct stats_figures *f, enum stats_denom d, struct stats_rate *r)
{
    const int64_t *c = f->flow.c;
    switch (d) {
    case DEN_SOLVED:
        r->num = c[SC_SOLVED_EARLY] + c[SC_SOLVED_ON_TIME];
        r->den = f->solved;
        return 0;
    case DEN_DUE:
        r->num = c[SC_DUE_MET];
        r->den = c[SC_DUE];
        return 0;
    case DEN_RECEIVED:
        r->num = c[SC_COHORT_IN_TIME];
        r->den = c[SC_RECEIVED];
        return 0;
    case DEN_HANDLED:
        r->num = f->finished - c[SC_FINISHED_LATE] + f->in_progress_in_time;
        r->den = f->finished + f->in_progress;
        return 0;
    default:
        return -1;
    }
}

int stats_rate(const struct stats_figures *f, enum stats_metric m, enum stats_denom d,
               struct stats_rate *r, struct err *e)
{
    const int64_t *c = f->flow.c;
    r->denom = d;
    r->num = r->den = 0;
    if (m == SM_ONTIME && ontime_rate(f, d, r) == 0) return 0;
    if (m < 0 || m >= SM__COUNT || (m != SM_ONTIME && d != metric_denoms[m]))
        return err_set(e, ERR_INVALID, "denominator", "the %s rate is not defined over '%s'",
                       stats_metric_name(m), stats_denom_name(d));
    switch (m) {
    case SM_EARLY:
        r->num = c[SC_SOLVED_EARLY], r->den = f->solved;
        break;
    case SM_ONLINE:
        r->num = c[SC_RECV_ONLINE], r->den = c[SC_RECEIVED];
        break;
    case SM_ONLINE_FULL:
        r->num = c[SC_ONLINE_FULL], r->den = c[SC_RECEIVED];
        break;
    case SM_PAID_ONLINE:
        r->num = c[SC_PAID_ONLINE], r->den = c[SC_FEE_DUE];
        break;
    case SM_DIGITISED:
        r->num = c[SC_DIGITISED], r->den = c[SC_RECEIVED];
        break;
    case SM_RESULT_DIGITAL:
        r->num = c[SC_RESULT_DIGITAL], r->den = f->solved;
        break;
    case SM_SATISFACTION_766: {
        /* 100% − (late or overdue + unsatisfied) over the dossiers handled (verify: the
         * decision counts complaints too; cchc counts unsatisfied ratings). */
        int64_t bad = c[SC_FINISHED_LATE] + f->in_progress_overdue + c[SC_RATING_BAD];
        r->den = f->finished + f->in_progress;
        r->num = r->den > bad ? r->den - bad : 0;
        break;
    }
    case SM_SATISFACTION:
        r->num = c[SC_RATING_GOOD], r->den = c[SC_RATED];
        break;
    default:
        break;
    }
    return 0;
}

int64_t stats_rate_permille(const struct stats_rate *r)
{
    if (r->den <= 0) return -1;
    return (r->num * 2000 + r->den) / (2 * r->den);
}

char *stats_int_format(int64_t v, char *buf, size_t n)
{
    char digits[32];
    int len = snprintf(digits, sizeof digits, "%lld", (long long)(v < 0 ? -v : v));
    size_t k = 0;
    if (v < 0 && k + 1 < n) buf[k++] = '-';
    for (int i = 0; i < len && k + 1 < n; i++) {
        if (i > 0 && (len - i) % 3 == 0 && k + 1 < n) buf[k++] = '.';
        if (k + 1 < n) buf[k++] = digits[i];
    }
    buf[k] = '\0';
    return buf;
}

char *stats_rate_format(const struct stats_rate *r, char *buf, size_t n)
{
    char a[32], b[32];
    stats_int_format(r->num, a, sizeof a);
    stats_int_format(r->den, b, sizeof b);
    int64_t pm = stats_rate_permille(r);
    if (pm < 0)
        snprintf(buf, n, "— (0 %s)", stats_denom_label_vi(r->denom));
    else
        snprintf(buf, n, "%lld,%lld%% (%s/%s %s)", (long long)(pm / 10), (long long)(pm % 10), a, b,
                 stats_denom_label_vi(r->denom));
    return buf;
}

/* ---- periods ------------------------------------------------------------------------- */

static int period_months(int y, int m0, int m1, int64_t *from, int64_t *to)
{
    *from = ymd_to_days((struct ymd){y, m0, 1});
    *to = ymd_to_days((struct ymd){y, m1, days_in_month(y, m1)});
    return 0;
}

int stats_period_parse(const char *s, int64_t *from, int64_t *to, struct err *e)
{
    const char *dots = strstr(s, "..");
    if (dots) {
        char a[16];
        size_t la = (size_t)(dots - s);
        struct ymd d0, d1;
        if (la >= sizeof a) goto bad;
        memcpy(a, s, la);
        a[la] = '\0';
        if (ymd_parse(a, &d0, "period", NULL) || ymd_parse(dots + 2, &d1, "period", NULL)) goto bad;
        *from = ymd_to_days(d0);
        *to = ymd_to_days(d1);
        if (*to < *from)
            return err_set(e, ERR_INVALID, "period", "'%s': the range ends before it starts", s);
        return 0;
    }
    int y = 0, k = 0, used = 0;
    char c = 0;
    struct ymd day;
    int rp = report_period_parse(s, from, to, e); /* YYYY-CCHC-Q1: the reporting calendar */
    if (rp >= 0) return rp;
    if (strlen(s) == 10 && ymd_parse(s, &day, "period", NULL) == 0) { /* one day */
        *from = *to = ymd_to_days(day);
        return 0;
    }
    if (sscanf(s, "%4d%n", &y, &used) != 1 || used != 4 || y < 1900 || y > 2999) goto bad;
    if (s[4] == '\0') return period_months(y, 1, 12, from, to);
    if (sscanf(s + 4, "-Q%1d%n", &k, &used) == 1 && !s[4 + used] && k >= 1 && k <= 4)
        return period_months(y, 3 * k - 2, 3 * k, from, to);
    if (sscanf(s + 4, "-H%1d%n", &k, &used) == 1 && !s[4 + used] && k >= 1 && k <= 2)
        return period_months(y, 6 * k - 5, 6 * k, from, to);
    if (sscanf(s + 4, "-%d%c%n", &k, &c, &used) == 2 && c == 'M' && !s[4 + used] &&
        (k == 4 || k == 6 || k == 9))
        return period_months(y, 1, k, from, to);
    if (sscanf(s + 4, "-%2d%n", &k, &used) == 1 && used == 3 && !s[4 + used] && k >= 1 && k <= 12)
        return period_months(y, k, k, from, to);
bad:
    return err_set(e, ERR_INVALID, "period",
                   "'%s': must be YYYY, YYYY-MM, YYYY-Qn, YYYY-Hn, YYYY-4M/6M/9M, "
                   "YYYY-CCHC-Q1/6M/Q3/Y, YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD",
                   s);
}

/* ---- from a dossier record to what statistics read ---- */

/* Ratings 1..5: 4–5 hài lòng, 3 bình thường, 1–2 không hài lòng (verify the scale against
 * the rating form in use). */
static enum stats_rating rating_of(int score)
{
    return score >= 4   ? RATING_GOOD
           : score == 3 ? RATING_OK
           : score >= 1 ? RATING_BAD
                        : RATING_NONE;
}

void stats_dossier_of(const struct dossier *d, const struct stats_extra *x, struct stats_dossier *o)
{
    const struct dossier_state *t = &d->st;
    memset(o, 0, sizeof *o);
    o->received = t->received_at != 0;
    o->channel = d->channel == CHANNEL_ONLINE   ? STATS_ONLINE
                 : d->channel == CHANNEL_POSTAL ? STATS_POSTAL
                                                : STATS_DIRECT;
    o->online = x->online;
    o->received_at = t->received_at;
    o->due_at = t->due_at;
    o->stopped_at = t->stopped_at;
    switch (t->status) {
    case DS_RESULT_READY:
    case DS_RETURNED:
        o->finish = FIN_RESULT, o->finish_at = t->result_at;
        break;
    case DS_REFUSED:
        o->finish = FIN_REFUSED, o->finish_at = t->closed_at;
        break;
    case DS_WITHDRAWN:
        o->finish = FIN_WITHDRAWN, o->finish_at = t->closed_at;
        break;
    case DS_CANCELLED:
        o->finish = FIN_CANCELLED, o->finish_at = t->closed_at;
        break;
    default:
        o->finish = FIN_NONE;
    }
    o->returned_at = t->status == DS_RETURNED ? t->returned_at : 0;
    o->has_fee = x->has_fee;
    o->paid_online = d->fee_paid_online;
    o->digitised = d->digitised || x->components_complete;
    o->result_digital = x->e_result;
    o->rating = rating_of(x->score);
    o->rated_at = x->rated_at;
}

void stats_period_clamp(int64_t from_day, int64_t *to_day, int64_t today)
{
    if (from_day <= today && *to_day > today) *to_day = today;
}
