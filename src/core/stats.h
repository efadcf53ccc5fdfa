/* stats.h — dossier statistics as pure arithmetic: what one dossier contributes to which daily
 * counter, the figures of a period (flows, carried over, in progress, in time / overdue), and
 * rates that always carry the name of their denominator. docs/statistics.md defines every
 * figure and gives its legal source (Decree 61/2018/NĐ-CP as amended by 107/2021, Circular
 * 01/2018/TT-VPCP, Circular 01/2020/TT-VPCP, Decision 766/QĐ-TTg).
 *
 * Linearity is the design: a dossier contributes +1 to a few (counter, day) cells computed from
 * its current state alone. An event changes the state, and the aggregates change by
 * contributions(new) − contributions(old); a rebuild sums contributions(final). Both must agree,
 * whatever the order of events. Stock figures (open, overdue at an instant) are differences of
 * cumulative flows, so they need no per-day snapshot. */
#ifndef CCHC_STATS_H
#define CCHC_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "dossier.h"
#include "procedure.h"

/* Daily flow counters. Each is placed on one day of the dossier (in brackets). */
enum stats_counter {
    SC_RECEIVED = 0,   /* [reception] received (the clock started) */
    SC_RECV_DIRECT,    /* [reception] at the desk */
    SC_RECV_ONLINE,    /* [reception] online */
    SC_RECV_POSTAL,    /* [reception] by post (bưu chính công ích) */
    SC_ONLINE_FULL,    /* [reception] online, procedure provided fully online (toàn trình) */
    SC_ONLINE_PARTIAL, /* [reception] online, procedure provided partly online (một phần) */
    SC_SOLVED_EARLY,   /* [finish] result on a day before the due day */
    SC_SOLVED_ON_TIME, /* [finish] result on the due day, at or before the due instant */
    SC_SOLVED_LATE,    /* [finish] result after the due instant */
    SC_REFUSED,        /* [finish] refused (Mẫu 03) */
    SC_WITHDRAWN,      /* [finish] withdrawn by the applicant */
    SC_CANCELLED,      /* [finish] processing stopped by the agency */
    SC_FINISHED_LATE,  /* [finish] any finish after the due instant */
    SC_RESULT_DIGITAL, /* [finish] solved with an electronic result */
    SC_RETURNED,       /* [return] result handed over */
    SC_DUE,            /* [due] the due instant falls on this day */
    SC_DUE_MET,        /* [due] ... and the dossier finished at or before it */
    SC_COHORT_IN_TIME, /* [reception] solved early or on time (so far) */
    SC_FEE_DUE,        /* [reception] the procedure has a fee > 0 */
    SC_PAID_ONLINE,    /* [reception] the fee was paid online */
    SC_DIGITISED,      /* [reception] dossier components digitised */
    SC_RATED,          /* [rating] rated by the applicant */
    SC_RATING_GOOD,    /* [rating] hài lòng */
    SC_RATING_OK,      /* [rating] bình thường */
    SC_RATING_BAD,     /* [rating] không hài lòng */
    SC__COUNT
};

/* Column names used in the database, CSV and JSON ("received", "solved_early" …). */
const char *stats_counter_name(enum stats_counter c);

enum stats_channel { STATS_DIRECT = 0, STATS_ONLINE, STATS_POSTAL, STATS_CHANNEL_COUNT };
const char *stats_channel_name(enum stats_channel c);
int stats_channel_parse(const char *s, enum stats_channel *out, struct err *e);

enum stats_finish {
    FIN_NONE = 0,  /* still open (or never received) */
    FIN_RESULT,    /* result ready (result_ready, then returned) */
    FIN_REFUSED,   /* refused after reception */
    FIN_WITHDRAWN, /* withdrawn after reception */
    FIN_CANCELLED, /* cancelled after reception */
};

enum stats_rating { RATING_NONE = 0, RATING_GOOD, RATING_OK, RATING_BAD };

/* What statistics read of one dossier. Instants are minutes (date.h); 0 = not set. A dossier
 * that was never received (submitted, refused at the check) contributes nothing. */
struct stats_dossier {
    int received; /* 1 once the clock started */
    enum stats_channel channel;
    enum online_mode online; /* the procedure's online mode */
    int64_t received_at;
    int64_t due_at;     /* legal due instant, moved by clock stops only */
    int64_t stopped_at; /* start of a running supplement/pause stop, 0 if the clock runs */
    enum stats_finish finish;
    int64_t finish_at; /* result_at, or the closing instant */
    int64_t returned_at;
    int has_fee, paid_online, digitised, result_digital;
    enum stats_rating rating;
    int64_t rated_at;
};

/* What statistics read of a dossier beyond its record: the procedure's fee and online mode,
 * and the applicant's rating. */
struct stats_extra {
    int has_fee;
    enum online_mode online;
    int score; /* 1..5, 0 = not rated */
    int64_t rated_at;
    /* The digitisation facts (issue 17, docs/digitisation.md): every required component of the
     * procedure's list is digitised, and an electronic result is in the registry. A dossier
     * counts as digitised (766 indicator 4.2) when its components are, or when it was declared
     * digitised at reception or import (components kept elsewhere); its result counts as
     * electronic (4.1) only from the registry. */
    int components_complete, e_result;
};
/* The statistics input of a dossier record (dossier.h) and its extra facts. */
void stats_dossier_of(const struct dossier *d, const struct stats_extra *x,
                      struct stats_dossier *o);

/* Outcome of a finished dossier, by the rules above: SC_SOLVED_EARLY / _ON_TIME / _LATE for a
 * result, else the finish kind's counter; -1 if open. While a stop is running at the finish,
 * the instant that counts is the start of the stop (Decision 766 method 2.1: a dossier waiting
 * for a supplement is judged at the request). */
int stats_finish_counter(const struct stats_dossier *d);

/* One contribution: +1 to counter on day. */
struct stats_cell {
    int64_t day;
    int counter; /* enum stats_counter */
};
#define STATS_CONTRIB_MAX 16
struct stats_contrib {
    int n;
    struct stats_cell c[STATS_CONTRIB_MAX];
};
/* The cells a dossier in this state contributes to (none if not received). */
void stats_contributions(const struct stats_dossier *d, struct stats_contrib *out);

/* The change from state a to state b (either may be NULL: not yet / no longer counted), as
 * signed cells; cells present in both cancel. Returns the number of cells written (<= 2 *
 * STATS_CONTRIB_MAX). */
struct stats_delta_cell {
    int64_t day;
    int counter;
    int delta; /* +1 or -1 */
};
int stats_delta(const struct stats_dossier *a, const struct stats_dossier *b,
                struct stats_delta_cell *out);

/* A vector of counters (summed over some days). */
struct stats_counts {
    int64_t c[SC__COUNT];
};
void stats_counts_add(struct stats_counts *to, const struct stats_counts *x);

/* The figures of a period. */
struct stats_figures {
    struct stats_counts flow; /* flows of the period */
    int64_t solved;           /* early + on time + late */
    int64_t finished;         /* solved + refused + withdrawn + cancelled */
    int64_t carried_over;     /* open at the end of the day before the period */
    int64_t received_total;   /* carried_over + received */
    int64_t in_progress;      /* open at the end of the period */
    int64_t in_progress_in_time;
    int64_t in_progress_overdue;
};
/* Computes the figures from three sums: flow over the period, cum_before = every day before
 * the period, cum_end = every day up to the period's last day. */
void stats_figures_compute(const struct stats_counts *flow, const struct stats_counts *cum_before,
                           const struct stats_counts *cum_end, struct stats_figures *out);

/* Every figure by name, for output and drill-down: the counters first (same numbering), then
 * the derived figures. */
enum stats_figure {
    SF_SOLVED = SC__COUNT,
    SF_FINISHED,
    SF_CARRIED_OVER,
    SF_RECEIVED_TOTAL,
    SF_IN_PROGRESS,
    SF_IN_TIME,
    SF_OVERDUE,
    SF__COUNT
};
const char *stats_figure_name(int f);     /* "solved", "in_progress_overdue" … */
const char *stats_figure_label_vi(int f); /* Vietnamese header */
int stats_figure_parse(const char *s, int *out, struct err *e);
int64_t stats_figure_value(const struct stats_figures *f, int fig);

/* 1 if the dossier is one of those counted by figure fig in the period [from_day, to_day].
 * Computed directly from the dossier, independently of the counters: the drill-down lists
 * exactly the dossiers behind each number, and tests check both paths agree. */
int stats_dossier_in(const struct stats_dossier *d, int fig, int64_t from_day, int64_t to_day);

/* --- rates --- */

enum stats_denom {
    DEN_SOLVED = 0, /* đã giải quyết */
    DEN_DUE,        /* đến hạn trong kỳ */
    DEN_RECEIVED,   /* tiếp nhận trong kỳ */
    DEN_HANDLED,    /* đã và đang xử lý (Decision 766) */
    DEN_FEE,        /* hồ sơ có phí, lệ phí */
    DEN_RATED,      /* hồ sơ được đánh giá */
    DEN__COUNT
};
const char *stats_denom_name(enum stats_denom d);     /* "solved" … */
const char *stats_denom_label_vi(enum stats_denom d); /* "hồ sơ đã giải quyết" … */
int stats_denom_parse(const char *s, enum stats_denom *out, struct err *e);

enum stats_metric {
    SM_ONTIME = 0,       /* early + on time; any of solved / due / received / handled */
    SM_EARLY,            /* solved */
    SM_ONLINE,           /* received */
    SM_ONLINE_FULL,      /* received */
    SM_PAID_ONLINE,      /* fee */
    SM_DIGITISED,        /* received */
    SM_RESULT_DIGITAL,   /* solved */
    SM_SATISFACTION_766, /* handled: 1 − (overdue or late + unsatisfied) / handled */
    SM_SATISFACTION,     /* rated: good / rated */
    SM__COUNT
};
const char *stats_metric_name(enum stats_metric m);
int stats_metric_parse(const char *s, enum stats_metric *m, struct err *e);
/* The default (and for most metrics the only) denominator. */
enum stats_denom stats_metric_default_denom(enum stats_metric m);

struct stats_rate {
    int64_t num, den;
    enum stats_denom denom;
};
/* The rate of metric m with denominator d; ERR_INVALID if m is not defined on d. */
int stats_rate(const struct stats_figures *f, enum stats_metric m, enum stats_denom d,
               struct stats_rate *out, struct err *e);
/* Tenths of a percent, rounded half up (2890/2907 -> 994); -1 when den == 0. */
int64_t stats_rate_permille(const struct stats_rate *r);
/* "99,4% (2.890/2.907 hồ sơ đã giải quyết)", or "— (0 hồ sơ đã giải quyết)". */
char *stats_rate_format(const struct stats_rate *r, char *buf, size_t n);
/* "2.907": thousands separated by dots, as Vietnamese reports print them. */
char *stats_int_format(int64_t v, char *buf, size_t n);

/* --- periods --- */

/* Parses a period: "2024" (year), "2024-03" (month), "2024-Q2", "2024-4M"/"-6M"/"-9M" (the
 * first 4, 6 or 9 months), "2024-H1"/"-H2", "2024-CCHC-Q1"/"-6M"/"-Q3"/"-Y" (the periodic
 * CCHC reports' data periods, report_period.h: 15/12 of the year before to 14/3 …),
 * "2024-03-05" (one day) or "YYYY-MM-DD..YYYY-MM-DD". Days, inclusive. */
int stats_period_parse(const char *s, int64_t *from_day, int64_t *to_day, struct err *e);

/* A period that reaches past today is judged at the end of today: *to_day becomes today when
 * the period has begun. The figures "at the end of the period" (in_progress, its in-time and
 * overdue split) would otherwise be a forecast for a day not yet come — a dossier due next
 * week counted overdue in "this year" — and disagree with the lists of dossiers, which judge
 * at now. Day granularity: a dossier due later today counts overdue on today's figures. */
void stats_period_clamp(int64_t from_day, int64_t *to_day, int64_t today);

#endif
