/* lunar.c — the Vietnamese lunar calendar (âm lịch) for UTC+7, solar 1900-01-31..2100-12-31.
 * Rules and formulas: Hồ Ngọc Đức, "Thuật toán tính âm lịch" / "Computing the Vietnamese lunar
 * calendar" (https://www.informatik.uni-leipzig.de/~duc/amlich/calrules.html), whose new-moon and
 * sun-longitude formulas abridge J. Meeus, "Astronomical Algorithms" (2nd ed., 1998), ch. 25, 49.
 * A month starts on the local (UTC+7) day of a new moon; month 11 holds the winter solstice; when
 * 13 months lie between two months 11, the first month after month 11 without a major solar term
 * (trung khí) is leap and repeats the number of the month before it.
 * All month starts of the range are computed once at first use (pthread_once, about 1 ms) into a
 * static table, so each conversion is a binary search or a short scan.
 * Years before 1968 are computed proleptically for UTC+7 (Vietnam followed the UTC+8 calendar
 * until the decree of 8 August 1967), as Hồ Ngọc Đức's program does. Against a full-ephemeris
 * UTC+7 calendar the formulas differ only for three new moons within 90 s of midnight
 * (tests/data/lunar-ephem7-differs.tsv). */
#include "lunar.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "date.h"

#define TZ_HOURS      7.0
#define JD_1970       2440588 /* Julian day number of 1970-01-01 */
#define SYNODIC_MONTH 29.530588853
#define FIRST_YEAR    1900
#define LAST_YEAR     2100
#define NYEARS        (LAST_YEAR - FIRST_YEAR + 2) /* lunar years 1900..2101 */
#define MAX_MONTHS    2600                         /* 203 years of at most 13 months */

static const double DEG = 3.14159265358979323846 / 180.0;

struct month {
    int64_t start; /* day number of day 1 */
    int y, m, leap;
};

static struct {
    int ok;                           /* 0 if the table could not be built (a bug) */
    int n;                            /* months in mon[]; mon[n].start ends the last one */
    struct month mon[MAX_MONTHS + 1]; /* from month 11 of 1899 to month 10 of 2101 */
    int year_first[NYEARS];           /* index in mon[] of month 1 of each lunar year */
    int64_t first_day, last_day;      /* supported solar range */
} T;

static pthread_once_t table_once = PTHREAD_ONCE_INIT;

/* Julian ephemeris day (as UT) of the k-th new moon after that of 1900-01-01 (Meeus ch. 49,
 * abridged to the terms Hồ Ngọc Đức keeps, with his Delta-T fit). */
static double new_moon_jd(int k)
{
    double t = k / 1236.85, t2 = t * t, t3 = t2 * t;
    double jd = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3;
    jd += 0.00033 * sin((166.56 + 132.87 * t - 0.009173 * t2) * DEG);
    double m = (359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3) * DEG;
    double mp = (306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3) * DEG;
    double f = (21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3) * DEG;
    double c = (0.1734 - 0.000393 * t) * sin(m) + 0.0021 * sin(2 * m);
    c += -0.4068 * sin(mp) + 0.0161 * sin(2 * mp) - 0.0004 * sin(3 * mp);
    c += 0.0104 * sin(2 * f) - 0.0051 * sin(m + mp) - 0.0074 * sin(m - mp);
    c += 0.0004 * sin(2 * f + m) - 0.0004 * sin(2 * f - m) - 0.0006 * sin(2 * f + mp);
    c += 0.0010 * sin(2 * f - mp) + 0.0005 * sin(2 * mp + m);
    double delta_t =
        t < -11 ? 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
                : -0.000278 + 0.000265 * t + 0.000262 * t2;
    return jd + c - delta_t;
}

/* Day number of the local (UTC+7) civil day on which the k-th new moon falls. */
static int64_t new_moon_day(int k)
{
    return (int64_t)floor(new_moon_jd(k) + 0.5 + TZ_HOURS / 24) - JD_1970;
}

/* Apparent sun longitude in degrees [0, 360) at Julian day jd (Meeus ch. 25, low accuracy). */
static double sun_longitude(double jd)
{
    double t = (jd - 2451545.0) / 36525, t2 = t * t;
    double m = (357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2) * DEG;
    double l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
    double dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * sin(m) +
                (0.019993 - 0.000101 * t) * sin(2 * m) + 0.000290 * sin(3 * m);
    double l = fmod(l0 + dl, 360.0);
    return l < 0 ? l + 360.0 : l;
}

/* Which 30-degree sector (0 = from the March equinox … 9 = from the winter solstice) the sun
 * is in at local midnight starting day; a major solar term begins each sector. */
static int sun_sector(int64_t day)
{
    double jd_midnight = (double)(day + JD_1970) - 0.5 - TZ_HOURS / 24;
    return (int)floor(sun_longitude(jd_midnight) / 30.0);
}

/* Index k of the new moon that starts lunar month 11 of solar year y: the last new moon
 * before the end of December, or the one before it if the solstice had already passed. */
static int month11_k(int y)
{
    double off = (double)(ymd_to_days((struct ymd){y, 12, 31}) + JD_1970) - 2415021.0;
    int k = (int)floor(off / SYNODIC_MONTH);
    return sun_sector(new_moon_day(k)) >= 9 ? k - 1 : k;
}

/* In a 13-month year starting with month 11 at new moon k: offset (1..12) of the first month
 * in which no major term begins (the sun is in the same sector at its start and the next). */
static int leap_offset(int k)
{
    int prev = sun_sector(new_moon_day(k + 1));
    for (int i = 1; i <= 12; i++) {
        int next = sun_sector(new_moon_day(k + i + 1));
        if (next == prev) return i;
        prev = next;
    }
    return -1;
}

/* Appends the months of one solar year y: from its month 11 (new moon k) up to, not
 * including, the next month 11 (new moon k_next). Returns 0, or -1 on an impossible count. */
static int add_months(int y, int k, int k_next)
{
    int count = k_next - k;
    if (count != 12 && count != 13) return -1;
    int leap = count == 13 ? leap_offset(k) : -1;
    if (count == 13 && leap < 1) return -1;
    if (T.n + count > MAX_MONTHS) return -1;
    int year = y;
    for (int o = 0; o < count; o++) {
        int numbered = (leap >= 1 && o >= leap) ? o - 1 : o;
        int m = (numbered + 10) % 12 + 1; /* offset 0 is month 11 */
        if (m == 1 && o != leap) year = y + 1;
        T.mon[T.n++] = (struct month){new_moon_day(k + o), year, m, o == leap};
    }
    return 0;
}

static void build_table(void)
{
    T.first_day = ymd_to_days((struct ymd){FIRST_YEAR, 1, 31});
    T.last_day = ymd_to_days((struct ymd){LAST_YEAR, 12, 31});
    int k = month11_k(FIRST_YEAR - 1);
    for (int y = FIRST_YEAR - 1; y <= LAST_YEAR; y++) {
        int k_next = month11_k(y + 1);
        if (add_months(y, k, k_next)) return;
        k = k_next;
    }
    T.mon[T.n].start = new_moon_day(k);
    int seen = 0;
    for (int i = 0; i < T.n; i++) {
        const struct month *mo = &T.mon[i];
        if (mo->m == 1 && !mo->leap && mo->y >= FIRST_YEAR && mo->y < FIRST_YEAR + NYEARS) {
            T.year_first[mo->y - FIRST_YEAR] = i;
            seen++;
        }
    }
    T.ok = seen == NYEARS && T.mon[T.year_first[0]].start == T.first_day;
}

static int table_ready(struct err *e)
{
    pthread_once(&table_once, build_table);
    if (!T.ok)
        return err_set(e, ERR_INTERNAL, "lunar", "lunar calendar table could not be computed");
    return 0;
}

/* Index in T.mon of the month that contains day (day within the table). */
static int month_index(int64_t day)
{
    int lo = 0, hi = T.n - 1;
    while (lo < hi) {
        int mid = lo + (hi - lo + 1) / 2;
        if (T.mon[mid].start <= day)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

int lunar_from_day(int64_t day, struct lunar_date *out, struct err *e)
{
    int rc = table_ready(e);
    if (rc) return rc;
    if (day < T.first_day || day > T.last_day) {
        char b[3][16];
        return err_set(e, ERR_RANGE, "date", "%s: outside the supported range %s..%s",
                       day_format(day, b[0]), day_format(T.first_day, b[1]),
                       day_format(T.last_day, b[2]));
    }
    int i = month_index(day);
    *out =
        (struct lunar_date){T.mon[i].y, T.mon[i].m, (int)(day - T.mon[i].start) + 1, T.mon[i].leap};
    return 0;
}

/* Index in T.mon of month m (leap or not) of lunar year y, or -1 if that year has none. */
static int find_month(int y, int m, int leap)
{
    int from = T.year_first[y - FIRST_YEAR], to = T.year_first[y + 1 - FIRST_YEAR];
    for (int i = from; i < to; i++)
        if (T.mon[i].m == m && T.mon[i].leap == (leap != 0)) return i;
    return -1;
}

/* Leap month number of lunar year y (table ready, y in range), or 0. */
static int leap_of(int y)
{
    int from = T.year_first[y - FIRST_YEAR], to = T.year_first[y + 1 - FIRST_YEAR];
    for (int i = from; i < to; i++)
        if (T.mon[i].leap) return T.mon[i].m;
    return 0;
}

/* Checks year, month and leap flag; sets *idx to the month's index in T.mon. */
static int locate(struct lunar_date ld, int *idx, struct err *e)
{
    char b[LUNAR_FORMAT_MAX];
    int rc = table_ready(e);
    if (rc) return rc;
    if (ld.m < 1 || ld.m > 12)
        return err_set(e, ERR_INVALID, "date", "%s: lunar month must be 1..12",
                       lunar_format(ld, b, sizeof b));
    if (ld.y < FIRST_YEAR || ld.y > LAST_YEAR)
        return err_set(e, ERR_RANGE, "date", "%s: lunar year must be %d..%d",
                       lunar_format(ld, b, sizeof b), FIRST_YEAR, LAST_YEAR);
    int i = find_month(ld.y, ld.m, ld.leap);
    if (i < 0) {
        int lm = leap_of(ld.y);
        char which[8] = "none";
        if (lm) snprintf(which, sizeof which, "%d", lm);
        return err_set(e, ERR_INVALID, "date", "%s: %d has no leap month %d (its leap month: %s)",
                       lunar_format(ld, b, sizeof b), ld.y, ld.m, which);
    }
    *idx = i;
    return 0;
}

int lunar_to_day(struct lunar_date ld, int64_t *out, struct err *e)
{
    int i, rc = locate(ld, &i, e);
    if (rc) return rc;
    char b[LUNAR_FORMAT_MAX], s[2][16];
    int len = (int)(T.mon[i + 1].start - T.mon[i].start);
    if (ld.d < 1 || ld.d > len)
        return err_set(e, ERR_INVALID, "date", "%s: lunar month %d%s of %d has %d days",
                       lunar_format(ld, b, sizeof b), ld.m, ld.leap ? " nhuận" : "", ld.y, len);
    int64_t day = T.mon[i].start + ld.d - 1;
    if (day > T.last_day)
        return err_set(e, ERR_RANGE, "date", "%s: falls on %s, after the supported end %s",
                       lunar_format(ld, b, sizeof b), day_format(day, s[0]),
                       day_format(T.last_day, s[1]));
    *out = day;
    return 0;
}

int lunar_month_days(int y, int m, int leap, int *out, struct err *e)
{
    int i, rc = locate((struct lunar_date){y, m, 1, leap}, &i, e);
    if (rc) return rc;
    *out = (int)(T.mon[i + 1].start - T.mon[i].start);
    return 0;
}

int lunar_leap_month(int y, int *out, struct err *e)
{
    int rc = table_ready(e);
    if (rc) return rc;
    if (y < FIRST_YEAR || y > LAST_YEAR)
        return err_set(e, ERR_RANGE, "year", "%d: lunar year must be %d..%d", y, FIRST_YEAR,
                       LAST_YEAR);
    *out = leap_of(y);
    return 0;
}

int lunar_new_year(int y, int64_t *out, struct err *e)
{
    return lunar_to_day((struct lunar_date){y, 1, 1, 0}, out, e);
}

char *lunar_format(struct lunar_date ld, char *buf, size_t n)
{
    if (n == 0) return buf;
    snprintf(buf, n, "%d/%d%s/%d", ld.d, ld.m, ld.leap ? " nhuận" : "", ld.y);
    return buf;
}

/* Reads 1..max decimal digits at *p into *v and advances *p; -1 if none. */
static int read_number(const char **p, int max, int *v)
{
    int x = 0, n = 0;
    while (n < max && **p >= '0' && **p <= '9') {
        x = x * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    if (n == 0) return -1;
    *v = x;
    return 0;
}

/* Parses the NFC, case-folded text "D/M/YYYY" or "D/M nhuận/YYYY" (or "nhuan"). */
static int parse_folded(const char *p, struct lunar_date *ld)
{
    const char *y0;
    *ld = (struct lunar_date){0};
    if (read_number(&p, 2, &ld->d) || *p++ != '/' || read_number(&p, 2, &ld->m)) return -1;
    if (*p == ' ') {
        p++;
        if (!strncmp(p, "nhuận", strlen("nhuận")))
            p += strlen("nhuận");
        else if (!strncmp(p, "nhuan", 5))
            p += 5;
        else
            return -1;
        ld->leap = 1;
    }
    if (*p++ != '/') return -1;
    y0 = p;
    if (read_number(&p, 4, &ld->y) || p - y0 != 4 || *p != '\0') return -1;
    return 0;
}

int lunar_parse(const char *s, struct lunar_date *out, const char *field, struct err *e)
{
    utf8proc_uint8_t *folded = NULL;
    struct lunar_date ld;
    int rc = 0;
    if (!s) s = "";
    utf8proc_ssize_t len =
        utf8proc_map((const utf8proc_uint8_t *)s, 0, &folded,
                     UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
    if (len < 0) {
        rc = err_set(e, ERR_INVALID, field, "%s: not valid UTF-8", field);
        goto out;
    }
    if (parse_folded((const char *)folded, &ld)) {
        rc = err_set(e, ERR_INVALID, field,
                     "%s '%s': expected a lunar date D/M/YYYY or D/M nhuận/YYYY", field, s);
        goto out;
    }
    int64_t day;
    rc = lunar_to_day(ld, &day, e);
    if (rc) {
        if (e) snprintf(e->field, sizeof e->field, "%s", field ? field : "");
        goto out;
    }
    *out = ld;
out:
    free(folded);
    return rc;
}
