/* cmd_calendar.c — `cchc calendar YEAR` (the non-working days of a year and why) and
 * `cchc deadline` (a due instant in working days or hours, with --explain listing every
 * day skipped and the rule or decision behind it). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "cli.h"
#include "store.h"
#include "store_calendar.h"

/* The span of years every command compiles: statutory data starts with the Labour Code
 * 2012 (in force 1/5/2013); the lunar tables end in 2100. */
#define CAL_FIRST_YEAR 2013
#define CAL_LAST_YEAR  2100

static const char *const weekday_vi[8] = {"",        "Thứ Hai", "Thứ Ba",  "Thứ Tư",
                                          "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"};

/* Parses a whole number in [lo, hi] or fills e naming the option. */
static int parse_int(const char *s, long lo, long hi, long *out, const char *field, struct err *e)
{
    char *end;
    errno = 0;
    long v = s ? strtol(s, &end, 10) : 0;
    if (!s || !*s || errno || *end || v < lo || v > hi)
        return err_set(e, ERR_INVALID, field, "%s '%s': must be a whole number from %ld to %ld",
                       field, s ? s : "", lo, hi);
    *out = v;
    return 0;
}

static int load(const char *data, const struct office_hours *hours, struct calendar **cal,
                struct err *e)
{
    return calendar_load(cli_data_dir(data), CAL_FIRST_YEAR, CAL_LAST_YEAR, hours, cal, e);
}

static void calendar_usage(FILE *f)
{
    fprintf(f,
            "usage: cchc calendar YEAR [--data DIR] [--db DB]\n"
            "       cchc calendar decisions [--db DB]\n"
            "Prints one line per day of YEAR that is not a working day, and per weekend day\n"
            "that is worked: DATE<TAB>KIND<TAB>NAME, KIND one of weekend, holiday,\n"
            "compensatory, swap, workday. Years %d-%d. With --db (or CCHC_DB), the\n"
            "decisions recorded in that database (#/quan-tri/lich) are laid over the data\n"
            "files, as the server counts. 'decisions' lists them, one line per day changed:\n"
            "ID<TAB>CITATION<TAB>ISSUER<TAB>SIGNED<TAB>EFFECTIVE<TAB>KIND<TAB>DAY<TAB>WORK_DAY<TAB>"
            "NAME.\n",
            CAL_FIRST_YEAR, CAL_LAST_YEAR);
}

/* `cchc calendar decisions`: the decisions recorded in the database, a line per day. */
static int list_decisions(const char *db)
{
    struct store *s;
    int rc = cli_store_open("calendar", cli_db_path(db), 0, &s);
    if (rc) return rc;
    struct caldec *d = NULL;
    int n = 0;
    struct err e = {0};
    rc = store_caldec_list(s, &d, &n, &e);
    store_close(s);
    if (rc) return cli_fail("calendar", &e);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < d[i].n; j++) {
            const struct caldec_change *c = &d[i].ch[j];
            char a[11], b[11], x[11], y[11] = "-";
            if (c->kind == CALDEC_SWAP) day_format(c->work_day, y);
            printf("%lld\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", (long long)d[i].id, d[i].citation,
                   d[i].issuer, day_format(d[i].signed_on, a), day_format(d[i].effective, b),
                   caldec_kind_name(c->kind), day_format(c->day, x), y, c->name);
        }
    free(d);
    return 0;
}

int cmd_calendar(int argc, char **argv)
{
    const char *year_s = NULL, *data = NULL, *db = NULL;
    struct err e = {0};
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            calendar_usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "--data") && i + 1 < argc) {
            data = argv[++i];
        } else if (!strcmp(argv[i], "--db") && i + 1 < argc) {
            db = argv[++i];
        } else if (argv[i][0] != '-' && !year_s) {
            year_s = argv[i];
        } else {
            err_set(&e, ERR_INVALID, "argument", "unexpected argument '%s' (see --help)", argv[i]);
            return cli_fail("calendar", &e);
        }
    }
    if (year_s && !strcmp(year_s, "decisions")) return list_decisions(db);
    long year;
    if (!year_s) {
        err_set(&e, ERR_INVALID, "year", "missing YEAR (see --help)");
        return cli_fail("calendar", &e);
    }
    if (parse_int(year_s, CAL_FIRST_YEAR, CAL_LAST_YEAR, &year, "year", &e))
        return cli_fail("calendar", &e);
    struct calendar *cal;
    if (load(data, NULL, &cal, &e)) return cli_fail("calendar", &e);
    if (db || getenv("CCHC_DB")) { /* with the decisions recorded in the database */
        struct store *s;
        int rc = cli_store_open("calendar", cli_db_path(db), 0, &s);
        if (rc) {
            calendar_free(cal);
            return rc;
        }
        rc = store_calendar_apply(s, &cal, &e);
        store_close(s);
        if (rc) {
            calendar_free(cal);
            return cli_fail("calendar", &e);
        }
    }
    if (!calendar_year_has_decision(cal, (int)year))
        fprintf(stderr,
                "cchc calendar: note: no government decision on file for %ld; statutory rules "
                "only (data/calendar/%ld.tsv would make it exact)\n",
                year, year);
    int64_t d0 = ymd_to_days((struct ymd){(int)year, 1, 1});
    int64_t d1 = ymd_to_days((struct ymd){(int)year + 1, 1, 1});
    for (int64_t d = d0; d < d1; d++) {
        enum day_kind k;
        const char *name;
        calendar_day(cal, d, &k, &name, NULL, NULL);
        if (k == DAY_WORK) continue;
        char buf[11];
        printf("%s\t%s\t%s\n", day_format(d, buf), day_kind_name(k),
               name ? name : weekday_vi[day_weekday(d)]);
    }
    calendar_free(cal);
    return 0;
}

static void deadline_usage(FILE *f)
{
    fprintf(f, "usage: cchc deadline --from YYYY-MM-DDTHH:MM (--days N | --hours N) [--explain]\n"
               "                     [--office-hours HH:MM-HH:MM,...] [--day-end office|midnight]\n"
               "                     [--data DIR]\n"
               "Prints the due instant of a processing time limit. --days: the reception day is\n"
               "not counted (Civil Code 2015 Art. 147(2)); the limit ends at the close of office\n"
               "hours of the N-th working day after it (Art. 148). --hours: N working hours\n"
               "counted inside office hours (default 07:30-11:30,13:30-17:00).\n"
               "--explain lists each day skipped and why, and each day counted.\n");
}

/* Prints the days after the reception day up to the due day: skipped ones with the reason,
 * counted ones with their ordinal. */
static void explain(const struct calendar *cal, int64_t from, int64_t due, int by_days)
{
    char fbuf[17], dbuf[11];
    int64_t d0 = instant_day(from), d1 = instant_day(due);
    printf("received %s (%s)%s\n", instant_format(from, fbuf), weekday_vi[day_weekday(d0)],
           by_days ? "; the day of reception is not counted (Civil Code 2015 Art. 147(2))" : "");
    int counted = 0;
    for (int64_t d = by_days ? d0 + 1 : d0; d <= d1; d++) {
        enum day_kind k;
        const char *name, *source;
        calendar_day(cal, d, &k, &name, &source, NULL);
        day_format(d, dbuf);
        if (!calendar_is_working(cal, d)) {
            printf("%s\tskipped\t%s\t%s%s%s\n", dbuf, day_kind_name(k),
                   name ? name : weekday_vi[day_weekday(d)], source ? "\t" : "",
                   source ? source : "");
        } else {
            counted++;
            printf("%s\t%s %d\t%s%s%s\n", dbuf, by_days ? "day" : "working day", counted,
                   k == DAY_WORKDAY ? "workday: " : weekday_vi[day_weekday(d)],
                   k == DAY_WORKDAY ? name : "", d == d1 ? " (due)" : "");
        }
    }
    if (by_days)
        printf("due at the end of the last day (%s): %s\n",
               instant_minute_of_day(due) == 0 ? "24:00, Civil Code 2015 Art. 148"
                                               : "close of office hours, cchc's convention",
               instant_format(due, fbuf));
}

/* Validates the options of `cchc deadline`; fills e with the first problem found. */
static int check_deadline_args(const char *from_s, const char *days_s, const char *hours_s,
                               const char *office, int64_t *from, long *n,
                               struct office_hours *hours, struct err *e)
{
    if (!from_s) return err_set(e, ERR_INVALID, "from", "missing --from YYYY-MM-DDTHH:MM");
    if (!days_s == !hours_s)
        return err_set(e, ERR_INVALID, "days", "give exactly one of --days N or --hours N");
    if (instant_parse(from_s, from, "--from", e)) return e->code;
    if (parse_int(days_s ? days_s : hours_s, 0, 3650, n, days_s ? "--days" : "--hours", e))
        return e->code;
    if (office && office_hours_parse(office, hours, e)) return e->code;
    return 0;
}

int cmd_deadline(int argc, char **argv)
{
    const char *from_s = NULL, *days_s = NULL, *hours_s = NULL, *data = NULL, *office = NULL,
               *day_end = "office";
    int want_explain = 0;
    struct err e = {0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has = i + 1 < argc;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            deadline_usage(stdout);
            return 0;
        } else if (!strcmp(a, "--explain")) {
            want_explain = 1;
        } else if (has && !strcmp(a, "--from")) {
            from_s = argv[++i];
        } else if (has && !strcmp(a, "--days")) {
            days_s = argv[++i];
        } else if (has && !strcmp(a, "--hours")) {
            hours_s = argv[++i];
        } else if (has && !strcmp(a, "--office-hours")) {
            office = argv[++i];
        } else if (has && !strcmp(a, "--data")) {
            data = argv[++i];
        } else if (has && !strcmp(a, "--day-end")) {
            day_end = argv[++i];
        } else {
            err_set(&e, ERR_INVALID, "argument", "unexpected argument '%s' (see --help)", a);
            return cli_fail("deadline", &e);
        }
    }
    int64_t from;
    long n = 0;
    struct office_hours hours = office_hours_default();
    if (check_deadline_args(from_s, days_s, hours_s, office, &from, &n, &hours, &e))
        return cli_fail("deadline", &e);
    if (strcmp(day_end, "office") && strcmp(day_end, "midnight")) {
        err_set(&e, ERR_INVALID, "day-end", "--day-end '%s': must be office or midnight", day_end);
        return cli_fail("deadline", &e);
    }

    struct calendar *cal;
    if (load(data, &hours, &cal, &e)) return cli_fail("deadline", &e);
    if (!strcmp(day_end, "midnight")) calendar_set_day_end(cal, MINUTES_PER_DAY, NULL);
    int64_t due;
    int rc = days_s ? calendar_add_working_days(cal, from, (int)n, &due, &e)
                    : calendar_add_working_minutes(cal, from, (int64_t)n * 60, &due, &e);
    if (rc) {
        calendar_free(cal);
        return cli_fail("deadline", &e);
    }
    char buf[17];
    printf("%s\n", instant_format(due, buf));
    if (want_explain) explain(cal, from, due, days_s != NULL);
    calendar_free(cal);
    return 0;
}
