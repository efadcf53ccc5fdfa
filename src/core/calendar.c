/* calendar.c — compiles the working-day calendar from its data files into per-day tables,
 * and answers deadline questions with array lookups (see calendar.h).
 * Legal basis of the rules applied here: data/calendar/README.md and docs/calendar.md. */
#include "calendar.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lunar.h"
#include "tsv.h"

/* Every string read from the data files lives in one list owned by the calendar. */
struct strnode {
    struct strnode *next;
    char s[];
};

struct calendar {
    int y0, y1;
    int64_t first; /* day number of y0-01-01 */
    int64_t ndays;
    uint8_t *kind;       /* enum day_kind per day */
    const char **name;   /* per day, NULL for ordinary days */
    const char **source; /* per day, NULL where none */
    int32_t *wd_before;  /* working days in [first, first+i), i in 0..ndays */
    int32_t *nth;        /* day index (from first) of the k-th working day, k from 0 */
    int32_t nwork;
    uint8_t *year_decision; /* per year y0..y1: 1 if a decision file was read */
    struct office_hours hours;
    int cum[5];  /* office minutes before interval i; cum[n] = minutes per day */
    int day_end; /* minute of the day at which a day limit ends */
    struct strnode *strings;
};

static const char *intern(struct calendar *cal, const char *s)
{
    size_t n = strlen(s);
    struct strnode *node = malloc(sizeof *node + n + 1);
    if (!node) return NULL;
    memcpy(node->s, s, n + 1);
    node->next = cal->strings;
    cal->strings = node;
    return node->s;
}

const char *day_kind_name(enum day_kind k)
{
    static const char *const names[] = {"work",         "weekend", "holiday",
                                        "compensatory", "swap",    "workday"};
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

static int kind_parse(const char *s, enum day_kind *k)
{
    for (int i = DAY_HOLIDAY; i <= DAY_WORKDAY; i++)
        if (!strcmp(s, day_kind_name((enum day_kind)i))) {
            *k = (enum day_kind)i;
            return 0;
        }
    return -1;
}

struct office_hours office_hours_default(void)
{
    struct office_hours h = {2, {7 * 60 + 30, 13 * 60 + 30}, {11 * 60 + 30, 17 * 60}};
    return h;
}

static int hhmm(const char *s, int *out)
{
    if (strlen(s) < 5 || s[2] != ':') return -1;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (s[i] < '0' || s[i] > '9')) return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h > 24 || m > 59 || (h == 24 && m)) return -1;
    *out = h * 60 + m;
    return 0;
}

int office_hours_parse(const char *s, struct office_hours *out, struct err *e)
{
    struct office_hours h = {0, {0}, {0}};
    const char *p = s;
    while (p && *p) {
        if (h.n == 4) return err_set(e, ERR_INVALID, "hours", "hours '%s': at most 4 intervals", s);
        int a, b;
        if (hhmm(p, &a) || p[5] != '-' || hhmm(p + 6, &b) || (p[11] != ',' && p[11] != '\0'))
            return err_set(e, ERR_INVALID, "hours",
                           "hours '%s': expected intervals HH:MM-HH:MM separated by commas", s);
        if (b <= a || (h.n && a < h.end[h.n - 1]))
            return err_set(e, ERR_INVALID, "hours",
                           "hours '%s': intervals must be non-empty, ascending and disjoint", s);
        h.start[h.n] = a;
        h.end[h.n] = b;
        h.n++;
        p = p[11] ? p + 12 : NULL;
    }
    if (h.n == 0)
        return err_set(e, ERR_INVALID, "hours", "hours '%s': at least one interval is needed", s);
    *out = h;
    return 0;
}

/* ---- reading the data files ---------------------------------------------------------- */

/* Reads the next meaningful line: strips the newline and CR, skips blanks and # comments.
 * Returns 1 with a line, 0 at end of file. */
static int next_line(FILE *f, char *buf, size_t n, int *lineno)
{
    while (fgets(buf, (int)n, f)) {
        (*lineno)++;
        buf[strcspn(buf, "\r\n")] = '\0';
        if (buf[0] == '\0' || buf[0] == '#') continue;
        return 1;
    }
    return 0;
}

static int in_range(const struct calendar *cal, int64_t day)
{
    return day >= cal->first && day < cal->first + cal->ndays;
}

static int set_day(struct calendar *cal, int64_t day, enum day_kind k, const char *name,
                   const char *source, struct err *e)
{
    if (!in_range(cal, day)) return 0; /* a rule may reach beyond the compiled years */
    int64_t i = day - cal->first;
    cal->kind[i] = (uint8_t)k;
    if (name && !(cal->name[i] = intern(cal, name)))
        return err_set(e, ERR_NOMEM, "", "out of memory");
    if (source && !(cal->source[i] = intern(cal, source)))
        return err_set(e, ERR_NOMEM, "", "out of memory");
    return 0;
}

/* One decision file: every line names a day of that year and what it is. */
static int load_year_file(struct calendar *cal, const char *path, FILE *f, int year, struct err *e)
{
    char line[2048];
    int lineno = 0;
    while (next_line(f, line, sizeof line, &lineno)) {
        char *fld[5];
        int nf = tsv_split(line, fld, 5);
        if (nf != 4)
            return err_set(e, ERR_INVALID, "calendar",
                           "%s:%d: expected 4 tab-separated fields (date, kind, name, source), "
                           "found %d",
                           path, lineno, nf);
        struct ymd d;
        struct err de;
        if (ymd_parse(fld[0], &d, "date", &de))
            return err_set(e, ERR_INVALID, "calendar", "%s:%d: %s", path, lineno, de.msg);
        if (d.y != year)
            return err_set(e, ERR_INVALID, "calendar", "%s:%d: date %s is not in year %d", path,
                           lineno, fld[0], year);
        enum day_kind k;
        if (kind_parse(fld[1], &k))
            return err_set(e, ERR_INVALID, "calendar",
                           "%s:%d: kind '%s': must be one of holiday, compensatory, swap, workday",
                           path, lineno, fld[1]);
        int64_t day = ymd_to_days(d);
        int wd = day_weekday(day);
        int weekend = wd >= 6;
        if ((k == DAY_WORKDAY && !weekend) || ((k == DAY_COMPENSATORY || k == DAY_SWAP) && weekend))
            return err_set(e, ERR_INVALID, "calendar",
                           "%s:%d: %s is a %s: a '%s' day must fall on a %s", path, lineno, fld[0],
                           weekend ? "weekend day" : "weekday", fld[1],
                           k == DAY_WORKDAY ? "Saturday or Sunday" : "weekday");
        if (fld[2][0] == '\0' || fld[3][0] == '\0')
            return err_set(e, ERR_INVALID, "calendar", "%s:%d: name and source must not be empty",
                           path, lineno);
        int64_t i = day - cal->first;
        if (cal->name[i])
            return err_set(e, ERR_INVALID, "calendar", "%s:%d: %s is listed twice", path, lineno,
                           fld[0]);
        int rc = set_day(cal, day, k, fld[2], fld[3], e);
        if (rc) return rc;
    }
    return 0;
}

struct rule {
    int from, to; /* years, inclusive */
    char kind[16];
    char value[16];
    char name[256];
    char source[512];
};

static int parse_year(const char *s, int open_ok, int *out)
{
    if (open_ok && !strcmp(s, "-")) {
        *out = 9999;
        return 0;
    }
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || end == s || v < 1900 || v > 2100) return -1;
    *out = (int)v;
    return 0;
}

static int parse_mmdd(const char *s, int *m, int *d)
{
    if (strlen(s) != 5 || s[2] != '-') return -1;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (s[i] < '0' || s[i] > '9')) return -1;
    *m = (s[0] - '0') * 10 + (s[1] - '0');
    *d = (s[3] - '0') * 10 + (s[4] - '0');
    return (*m >= 1 && *m <= 12 && *d >= 1 && *d <= 31) ? 0 : -1;
}

static int parse_range(const char *s, int *a, int *b)
{
    char *end;
    long x = strtol(s, &end, 10);
    if (end == s || strncmp(end, "..", 2)) return -1;
    const char *p = end + 2;
    long y = strtol(p, &end, 10);
    if (end == p || *end || x > y || x < -30 || y > 30) return -1;
    *a = (int)x;
    *b = (int)y;
    return 0;
}

static int read_rules(const char *path, struct rule **out, int *nout, struct err *e)
{
    FILE *f = fopen(path, "r");
    if (!f) return err_set(e, ERR_IO, "calendar", "%s: cannot open: %s", path, strerror(errno));
    struct rule *r = NULL;
    int n = 0, cap = 0, rc = 0, lineno = 0;
    char line[2048];
    while (next_line(f, line, sizeof line, &lineno)) {
        char *fld[7];
        int nf = tsv_split(line, fld, 7);
        if (nf != 6) {
            rc = err_set(e, ERR_INVALID, "calendar",
                         "%s:%d: expected 6 tab-separated fields (from_year, to_year, rule, "
                         "value, name, source), found %d",
                         path, lineno, nf);
            goto out;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            struct rule *nr = realloc(r, (size_t)cap * sizeof *r);
            if (!nr) {
                rc = err_set(e, ERR_NOMEM, "", "out of memory");
                goto out;
            }
            r = nr;
        }
        struct rule *x = &r[n];
        int m, d, a, b;
        if (parse_year(fld[0], 0, &x->from) || parse_year(fld[1], 1, &x->to) || x->to < x->from) {
            rc = err_set(e, ERR_INVALID, "calendar",
                         "%s:%d: years '%s'..'%s': expected from_year <= to_year (or '-'), "
                         "1900-2100",
                         path, lineno, fld[0], fld[1]);
            goto out;
        }
        int known = 1, valid = 0;
        if (!strcmp(fld[2], "solar") || !strcmp(fld[2], "lunar") || !strcmp(fld[2], "adjacent"))
            valid = !parse_mmdd(fld[3], &m, &d);
        else if (!strcmp(fld[2], "tet"))
            valid = !parse_range(fld[3], &a, &b);
        else
            known = 0;
        if (!known) {
            rc = err_set(e, ERR_INVALID, "calendar",
                         "%s:%d: rule '%s': must be one of solar, lunar, tet, adjacent", path,
                         lineno, fld[2]);
            goto out;
        }
        if (!valid) {
            rc = err_set(e, ERR_INVALID, "calendar", "%s:%d: value '%s': expected %s for rule '%s'",
                         path, lineno, fld[3],
                         strcmp(fld[2], "tet") ? "MM-DD" : "A..B (e.g. -1..3)", fld[2]);
            goto out;
        }
        if (strlen(fld[2]) >= sizeof x->kind || strlen(fld[3]) >= sizeof x->value ||
            strlen(fld[4]) >= sizeof x->name || strlen(fld[5]) >= sizeof x->source || !fld[4][0] ||
            !fld[5][0]) {
            rc = err_set(e, ERR_INVALID, "calendar",
                         "%s:%d: name and source must be present (name < 256, source < 512 bytes)",
                         path, lineno);
            goto out;
        }
        strcpy(x->kind, fld[2]);
        strcpy(x->value, fld[3]);
        strcpy(x->name, fld[4]);
        strcpy(x->source, fld[5]);
        n++;
    }
out:
    fclose(f);
    if (rc) {
        free(r);
        return rc;
    }
    *out = r;
    *nout = n;
    return 0;
}

/* The statutory holidays of a year with no decision file, then the compensation rule:
 * a holiday on the weekly rest day gives a compensatory day on the next working day. */
static int apply_statutory(struct calendar *cal, const struct rule *r, int nr, int year,
                           const char *path, struct err *e)
{
    int64_t hol[64];
    int nh = 0, rc;
    for (int i = 0; i < nr; i++) {
        if (year < r[i].from || year > r[i].to) continue;
        int64_t days[32], ny = 0; /* ny: lunar New Year's day, for the tet rule */
        int nd = 0;
        int m, d;
        struct err le;
        if (!strcmp(r[i].kind, "solar") || !strcmp(r[i].kind, "adjacent")) {
            parse_mmdd(r[i].value, &m, &d);
            struct ymd y = {year, m, d};
            if (!ymd_valid(y)) continue;
            int64_t day = ymd_to_days(y);
            if (!strcmp(r[i].kind, "adjacent")) {
                /* Default choice: join the weekend (cf. data/calendar/README.md). */
                int wd = day_weekday(day);
                day += (wd == 1 || wd == 4) ? 1 : -1;
            }
            days[nd++] = day;
        } else if (!strcmp(r[i].kind, "lunar")) {
            parse_mmdd(r[i].value, &m, &d);
            struct lunar_date ld = {year, m, d, 0};
            int64_t day;
            if (lunar_to_day(ld, &day, &le))
                return err_set(e, ERR_INVALID, "calendar", "%s: rule %s %s for %d: %s", path,
                               r[i].kind, r[i].value, year, le.msg);
            days[nd++] = day;
        } else { /* tet */
            int a, b;
            parse_range(r[i].value, &a, &b);
            if (lunar_new_year(year, &ny, &le))
                return err_set(e, ERR_INVALID, "calendar", "%s: Tết of %d: %s", path, year, le.msg);
            for (int k = a; k <= b && nd < 32; k++)
                days[nd++] = ny + k;
        }
        for (int k = 0; k < nd; k++) {
            char name[300];
            if (!strcmp(r[i].kind, "tet") && days[k] < ny)
                snprintf(name, sizeof name, "%s (tháng Chạp)", r[i].name);
            else if (!strcmp(r[i].kind, "tet"))
                snprintf(name, sizeof name, "%s (mùng %d)", r[i].name, (int)(days[k] - ny + 1));
            else
                snprintf(name, sizeof name, "%s", r[i].name);
            if ((rc = set_day(cal, days[k], DAY_HOLIDAY, name, r[i].source, e))) return rc;
            if (nh == 64)
                return err_set(e, ERR_INVALID, "calendar", "%s: more than 64 holidays in %d", path,
                               year);
            hol[nh++] = days[k];
        }
    }
    /* Compensation, in date order so a run of holidays pushes its compensations past it. */
    for (int i = 1; i < nh; i++)
        for (int j = i; j > 0 && hol[j - 1] > hol[j]; j--) {
            int64_t t = hol[j];
            hol[j] = hol[j - 1];
            hol[j - 1] = t;
        }
    for (int i = 0; i < nh; i++) {
        if (day_weekday(hol[i]) < 6 || !in_range(cal, hol[i])) continue;
        int64_t c = hol[i] + 1;
        while (in_range(cal, c) && cal->kind[c - cal->first] != DAY_WORK)
            c++;
        if (!in_range(cal, c)) continue;
        char name[300];
        char dbuf[11];
        snprintf(name, sizeof name, "Nghỉ bù %s (%s)", cal->name[hol[i] - cal->first],
                 day_format(hol[i], dbuf));
        if ((rc = set_day(cal, c, DAY_COMPENSATORY, name,
                          "Bộ luật Lao động 2019 Điều 111 khoản 3 (quy tắc luật định; chưa có "
                          "quyết định của năm)",
                          e)))
            return rc;
    }
    return 0;
}

static int compile_tables(struct calendar *cal, struct err *e)
{
    cal->wd_before = malloc(((size_t)cal->ndays + 1) * sizeof *cal->wd_before);
    cal->nth = malloc(((size_t)cal->ndays + 1) * sizeof *cal->nth);
    if (!cal->wd_before || !cal->nth) return err_set(e, ERR_NOMEM, "", "out of memory");
    int32_t k = 0;
    for (int64_t i = 0; i < cal->ndays; i++) {
        cal->wd_before[i] = k;
        if (cal->kind[i] == DAY_WORK || cal->kind[i] == DAY_WORKDAY) cal->nth[k++] = (int32_t)i;
    }
    cal->wd_before[cal->ndays] = k;
    cal->nwork = k;
    cal->cum[0] = 0;
    cal->day_end = cal->hours.end[cal->hours.n - 1];
    for (int i = 0; i < cal->hours.n; i++)
        cal->cum[i + 1] = cal->cum[i] + cal->hours.end[i] - cal->hours.start[i];
    return 0;
}

int calendar_load(const char *dir, int y0, int y1, const struct office_hours *hours,
                  struct calendar **out, struct err *e)
{
    if (y0 < 1901 || y1 > 2100 || y0 > y1)
        return err_set(e, ERR_RANGE, "year",
                       "years %d..%d: the calendar covers years from 1901 to 2100", y0, y1);
    struct calendar *cal = calloc(1, sizeof *cal);
    if (!cal) return err_set(e, ERR_NOMEM, "", "out of memory");
    struct rule *rules = NULL;
    int nrules = 0, rc = 0;
    char path[4096];
    cal->y0 = y0;
    cal->y1 = y1;
    cal->hours = hours ? *hours : office_hours_default();
    cal->first = ymd_to_days((struct ymd){y0, 1, 1});
    cal->ndays = ymd_to_days((struct ymd){y1 + 1, 1, 1}) - cal->first;
    cal->kind = malloc((size_t)cal->ndays);
    cal->name = calloc((size_t)cal->ndays, sizeof *cal->name);
    cal->source = calloc((size_t)cal->ndays, sizeof *cal->source);
    cal->year_decision = calloc((size_t)(y1 - y0 + 1), 1);
    if (!cal->kind || !cal->name || !cal->source || !cal->year_decision) {
        rc = err_set(e, ERR_NOMEM, "", "out of memory");
        goto out;
    }
    for (int64_t i = 0; i < cal->ndays; i++)
        cal->kind[i] = day_weekday(cal->first + i) >= 6 ? DAY_WEEKEND : DAY_WORK;

    snprintf(path, sizeof path, "%s/calendar/statutory.tsv", dir);
    if ((rc = read_rules(path, &rules, &nrules, e))) goto out;
    for (int y = y0; y <= y1; y++) {
        char ypath[4096];
        snprintf(ypath, sizeof ypath, "%s/calendar/%04d.tsv", dir, y);
        FILE *f = fopen(ypath, "r");
        if (f) {
            rc = load_year_file(cal, ypath, f, y, e);
            fclose(f);
            cal->year_decision[y - y0] = 1;
        } else {
            rc = apply_statutory(cal, rules, nrules, y, path, e);
        }
        if (rc) goto out;
    }
    rc = compile_tables(cal, e);
out:
    free(rules);
    if (rc) {
        calendar_free(cal);
        return rc;
    }
    *out = cal;
    return 0;
}

int calendar_overlay(const struct calendar *base, const struct calendar_day_set *set, int n,
                     struct calendar **out, struct err *e)
{
    struct calendar *cal = calloc(1, sizeof *cal);
    if (!cal) return err_set(e, ERR_NOMEM, "", "out of memory");
    int rc = 0;
    size_t nd = (size_t)base->ndays, ny = (size_t)(base->y1 - base->y0 + 1);
    cal->y0 = base->y0;
    cal->y1 = base->y1;
    cal->first = base->first;
    cal->ndays = base->ndays;
    cal->hours = base->hours;
    cal->kind = malloc(nd);
    cal->name = malloc(nd * sizeof *cal->name);
    cal->source = malloc(nd * sizeof *cal->source);
    cal->year_decision = malloc(ny);
    if (!cal->kind || !cal->name || !cal->source || !cal->year_decision) {
        rc = err_set(e, ERR_NOMEM, "", "out of memory");
        goto out;
    }
    /* base's strings outlive nothing here: the copy keeps its own */
    memcpy(cal->kind, base->kind, nd);
    memcpy(cal->year_decision, base->year_decision, ny);
    for (size_t i = 0; i < nd; i++) {
        cal->name[i] = base->name[i] ? intern(cal, base->name[i]) : NULL;
        cal->source[i] = base->source[i] ? intern(cal, base->source[i]) : NULL;
        if ((base->name[i] && !cal->name[i]) || (base->source[i] && !cal->source[i])) {
            rc = err_set(e, ERR_NOMEM, "", "out of memory");
            goto out;
        }
    }
    for (int i = 0; !rc && i < n; i++)
        rc = set_day(cal, set[i].day, set[i].kind, set[i].name, set[i].source, e);
    if (!rc) rc = compile_tables(cal, e);
    if (!rc) cal->day_end = base->day_end;
out:
    if (rc) {
        calendar_free(cal);
        return rc;
    }
    *out = cal;
    return 0;
}

void calendar_free(struct calendar *cal)
{
    if (!cal) return;
    while (cal->strings) {
        struct strnode *n = cal->strings->next;
        free(cal->strings);
        cal->strings = n;
    }
    free(cal->kind);
    free(cal->name);
    free(cal->source);
    free(cal->wd_before);
    free(cal->nth);
    free(cal->year_decision);
    free(cal);
}

int64_t calendar_first_day(const struct calendar *cal)
{
    return cal->first;
}

int64_t calendar_last_day(const struct calendar *cal)
{
    return cal->first + cal->ndays - 1;
}

int calendar_year_has_decision(const struct calendar *cal, int year)
{
    return year >= cal->y0 && year <= cal->y1 && cal->year_decision[year - cal->y0];
}

int calendar_years_without_decision(const struct calendar *cal, int64_t today, int years[2])
{
    struct ymd d = days_to_ymd(today);
    int n = 0;
    for (int y = d.y; y <= d.y + (d.m >= 10); y++)
        if (y >= cal->y0 && y <= cal->y1 && !cal->year_decision[y - cal->y0]) years[n++] = y;
    return n;
}

int calendar_minutes_per_day(const struct calendar *cal)
{
    return cal->cum[cal->hours.n];
}

static int range_error(const struct calendar *cal, int64_t day, struct err *e)
{
    char buf[11];
    return err_set(e, ERR_RANGE, "date",
                   "%s is outside the compiled calendar (years %d to %d): the deadline cannot "
                   "be computed",
                   day_format(day, buf), cal->y0, cal->y1);
}

int calendar_day(const struct calendar *cal, int64_t day, enum day_kind *kind, const char **name,
                 const char **source, struct err *e)
{
    if (!in_range(cal, day)) return range_error(cal, day, e);
    int64_t i = day - cal->first;
    if (kind) *kind = (enum day_kind)cal->kind[i];
    if (name) *name = cal->name[i];
    if (source) *source = cal->source[i];
    return 0;
}

int calendar_is_working(const struct calendar *cal, int64_t day)
{
    uint8_t k = cal->kind[day - cal->first];
    return k == DAY_WORK || k == DAY_WORKDAY;
}

int calendar_set_day_end(struct calendar *cal, int minute_of_day, struct err *e)
{
    if (minute_of_day < 1 || minute_of_day > MINUTES_PER_DAY)
        return err_set(e, ERR_INVALID, "day_end",
                       "day end %d: must be a minute of the day from 1 to 1440", minute_of_day);
    cal->day_end = minute_of_day;
    return 0;
}

int calendar_add_working_days(const struct calendar *cal, int64_t from, int n, int64_t *due,
                              struct err *e)
{
    if (n < 0) return err_set(e, ERR_INVALID, "days", "days %d: must be a whole number >= 0", n);
    int64_t d = instant_day(from);
    if (!in_range(cal, d)) return range_error(cal, d, e);
    int64_t i = d - cal->first;
    /* Working days up to and including the reception day; the n-th after it is the due day.
     * With n = 0 the due day is the reception day when it is a working day. */
    int64_t idx = (int64_t)cal->wd_before[i + 1] + n - 1;
    if (n == 0 && !calendar_is_working(cal, d)) idx = cal->wd_before[i + 1];
    if (idx >= cal->nwork) return range_error(cal, cal->first + cal->ndays, e);
    *due = (cal->first + cal->nth[idx]) * MINUTES_PER_DAY + cal->day_end;
    return 0;
}

/* Office minutes elapsed in a working day before minute-of-day mod. */
static int office_elapsed(const struct calendar *cal, int mod)
{
    for (int k = 0; k < cal->hours.n; k++) {
        if (mod < cal->hours.start[k]) return cal->cum[k];
        if (mod < cal->hours.end[k]) return cal->cum[k] + mod - cal->hours.start[k];
    }
    return cal->cum[cal->hours.n];
}

/* Working minutes from the start of the calendar to instant t. */
static int working_position(const struct calendar *cal, int64_t t, int64_t *pos, struct err *e)
{
    int64_t d = instant_day(t);
    if (!in_range(cal, d)) return range_error(cal, d, e);
    int64_t i = d - cal->first;
    *pos = (int64_t)cal->wd_before[i] * calendar_minutes_per_day(cal) +
           (calendar_is_working(cal, d) ? office_elapsed(cal, instant_minute_of_day(t)) : 0);
    return 0;
}

int calendar_add_working_minutes(const struct calendar *cal, int64_t from, int64_t minutes,
                                 int64_t *due, struct err *e)
{
    if (minutes < 0)
        return err_set(e, ERR_INVALID, "hours", "working time %lld minutes: must be >= 0",
                       (long long)minutes);
    int64_t pos;
    int rc = working_position(cal, from, &pos, e);
    if (rc) return rc;
    if (minutes == 0) {
        *due = from;
        return 0;
    }
    int64_t target = pos + minutes, mpd = calendar_minutes_per_day(cal);
    /* The working day holding the target-th minute, and the office minute within it. */
    int64_t k = (target - 1) / mpd, o = target - k * mpd;
    if (k >= cal->nwork) return range_error(cal, cal->first + cal->ndays, e);
    int j = 0;
    while (o > cal->cum[j + 1])
        j++;
    *due = (cal->first + cal->nth[k]) * MINUTES_PER_DAY + cal->hours.start[j] + (o - cal->cum[j]);
    return 0;
}

int calendar_working_minutes_between(const struct calendar *cal, int64_t a, int64_t b, int64_t *out,
                                     struct err *e)
{
    int64_t pa, pb;
    int rc = working_position(cal, a, &pa, e);
    if (!rc) rc = working_position(cal, b, &pb, e);
    if (rc) return rc;
    *out = pb - pa;
    return 0;
}

int calendar_working_days_between(const struct calendar *cal, int64_t a, int64_t b, int64_t *out,
                                  struct err *e)
{
    if (!in_range(cal, a)) return range_error(cal, a, e);
    if (!in_range(cal, b)) return range_error(cal, b, e);
    *out = (int64_t)cal->wd_before[b - cal->first + 1] - cal->wd_before[a - cal->first + 1];
    return 0;
}
