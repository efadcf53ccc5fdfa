/* indicators.h — the service index of Decision 766/QĐ-TTg (23/6/2022) as data: groups and
 * indicators with their points and scoring rule are read from data/indicators/VERSION.tsv
 * (each row cites its source and says whether its weight is verified); scores per unit come
 * from rates (stats.h metrics, or external values), and units are ranked among peers with
 * competition ranking (ties share a rank). Points are fixed-point: 1 point = 10000. */
#ifndef CCHC_INDICATORS_H
#define CCHC_INDICATORS_H

#include <stdint.h>

#include "err.h"

#define IND_POINT    10000 /* fixed-point scale of points */
#define IND_ID_MAX   8
#define IND_NAME_MAX 200
#define IND_TEXT_MAX 400
#define IND_GROUPS   8
#define IND_MAX_ROWS 64

enum ind_rule {
    IND_NONE = 0,  /* tracked, not scored */
    IND_LINEAR,    /* max × rate */
    IND_THRESHOLD, /* max if rate >= target, else max × rate / target */
};

struct indicator {
    int group; /* 1-based group number */
    char id[IND_ID_MAX];
    char name[IND_NAME_MAX];
    int max; /* whole points */
    enum ind_rule rule;
    int target_pct;
    char metric[32]; /* a stats_metric name, "avg_days", or "external" */
    char numerator[IND_TEXT_MAX];
    char denominator[IND_TEXT_MAX];
    char source[IND_TEXT_MAX];
    int verify;
};

struct indicator_group {
    int number;
    char name[IND_NAME_MAX];
    int max;
};

struct indicator_set {
    char version[32];
    int ngroups;
    struct indicator_group groups[IND_GROUPS];
    int n;
    struct indicator ind[IND_MAX_ROWS];
};

/* Loads data/indicators/VERSION.tsv from the data directory. Checks: every row complete and
 * of the same version, numbers in range, group maxima consistent and equal to the sum of the
 * group's indicators, total 100. Errors name "FILE:LINE: problem". */
int indicator_set_load(const char *data_dir, const char *version, struct indicator_set *out,
                       struct err *e);
/* Same, from an explicit file path. */
int indicator_set_load_file(const char *path, struct indicator_set *out, struct err *e);

/* The rate of one indicator for one unit: has = 0 when unknown (external data not given, or
 * a zero denominator). */
struct ind_input {
    int has;
    int64_t num, den;
};

/* Points of one indicator for a rate (fixed point, rounded half up); -1 if not scored. */
int64_t indicator_points(const struct indicator *ind, const struct ind_input *in);

struct ind_score {
    int64_t points[IND_MAX_ROWS]; /* -1: not scored (no rate, or rule none) */
    int64_t group_points[IND_GROUPS];
    int64_t total;  /* sum of points scored */
    int64_t judged; /* sum of the max of indicators that were scored (× IND_POINT) */
};
/* Scores every indicator of the set from in[] (aligned with set->ind). */
void indicators_score(const struct indicator_set *set, const struct ind_input *in,
                      struct ind_score *out);

/* Competition ranking, higher is better: rank[i] = 1 + number of values strictly greater
 * (1, 2, 2, 4). order receives indices best first, ties by key (strcmp) when keys != NULL. */
void indicators_rank(const int64_t *value, const char *const *keys, int n, int *order, int *rank);

/* The rate of an indicator computed from dossier figures (stats.h): metric "ontime_766" is the
 * on-time rate over the dossiers handled (Decision 766, indicator 2.1), the others are
 * stats_metric names with their default denominator. "external" and unknown metrics, and a
 * zero denominator, give has = 0. */
struct stats_figures;
void indicator_input_from_stats(const struct indicator *ind, const struct stats_figures *f,
                                struct ind_input *out);

/* "12,3456" from fixed-point points, with decimals digits (0..4). */
char *ind_points_format(int64_t pts, int decimals, char *buf, int n);

#endif
