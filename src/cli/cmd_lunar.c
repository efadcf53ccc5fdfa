/* cmd_lunar.c — `cchc lunar DATE` (solar → Vietnamese lunar date) and `cchc solar DATE`
 * (lunar → solar date), thin wrappers over core/lunar.c. Both take a date in either form,
 * YYYY-MM-DD or D/M/YYYY (a lunar leap month "D/M nhuận/YYYY" or "YYYY-MM-DD nhuận").
 * Output is one line on stdout; bad input is one line on stderr and exit status 2. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "date.h"
#include "lunar.h"

static const char lunar_help[] =
    "usage: cchc lunar YYYY-MM-DD | cchc lunar D/M/YYYY\n"
    "Đổi ngày dương lịch sang ngày âm lịch Việt Nam (múi giờ UTC+7), in ra D/M/YYYY\n"
    "hoặc D/M nhuận/YYYY cho tháng nhuận.\n"
    "Converts a solar (Gregorian) date to the Vietnamese lunar date.\n"
    "Range: 1900-01-31 .. 2100-12-31. Example: cchc lunar 2024-02-10  ->  1/1/2024\n";

static const char solar_help[] =
    "usage: cchc solar D/M/YYYY | cchc solar 'D/M nhuận/YYYY' | cchc solar YYYY-MM-DD [nhuận]\n"
    "Đổi ngày âm lịch Việt Nam (múi giờ UTC+7) sang ngày dương lịch, in ra YYYY-MM-DD.\n"
    "Converts a Vietnamese lunar date (leap month: 'nhuận' or 'nhuan') to the solar date.\n"
    "Range: lunar years 1900 .. 2100, up to solar 2100-12-31.\n"
    "Example: cchc solar 1/2/2023  ->  2023-02-20;  cchc solar '1/2 nhuận/2023'  ->  2023-03-22\n";

/* Checks that argv holds exactly one argument (or --help). Returns -1 to go on, else the
 * exit status to return at once. */
static int one_argument(const char *cmd, const char *help, const char *what, int argc, char **argv)
{
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(help, stdout);
        return 0;
    }
    if (argc < 2) {
        fprintf(stderr, "cchc %s: missing argument: expected %s (see 'cchc %s --help')\n", cmd,
                what, cmd);
        return EXIT_BADINPUT;
    }
    if (argc > 2) {
        fprintf(stderr, "cchc %s: unexpected argument '%s': takes exactly one date\n", cmd,
                argv[2]);
        return EXIT_BADINPUT;
    }
    return -1;
}

/* A solar date written D/M/YYYY (as Vietnamese write dates). 0 if s is one and valid. */
static int dmy_parse(const char *s, struct ymd *d)
{
    char tail;
    return sscanf(s, "%2d/%2d/%4d%c", &d->d, &d->m, &d->y, &tail) == 3 && ymd_valid(*d) ? 0 : -1;
}

int cmd_lunar(int argc, char **argv)
{
    int rc = one_argument("lunar", lunar_help, "a solar date YYYY-MM-DD or D/M/YYYY", argc, argv);
    if (rc >= 0) return rc;
    struct err e = {0};
    struct ymd d;
    struct lunar_date ld;
    if ((strchr(argv[1], '/') ? dmy_parse(argv[1], &d)
                                    ? err_set(&e, ERR_INVALID, "date",
                                              "date '%.40s': expected D/M/YYYY (a real day) or "
                                              "YYYY-MM-DD",
                                              argv[1])
                                    : 0
                              : ymd_parse(argv[1], &d, "date", &e)) ||
        lunar_from_day(ymd_to_days(d), &ld, &e))
        return cli_fail("lunar", &e);
    char buf[LUNAR_FORMAT_MAX];
    printf("%s\n", lunar_format(ld, buf, sizeof buf));
    return 0;
}

int cmd_solar(int argc, char **argv)
{
    int rc =
        one_argument("solar", solar_help, "a lunar date D/M/YYYY or D/M nhuận/YYYY", argc, argv);
    if (rc >= 0) return rc;
    struct err e = {0};
    struct lunar_date ld;
    int64_t day;
    /* YYYY-MM-DD [nhuận] is the same lunar date written the other way round */
    char dmy[64], leap[16] = "", tail;
    int y, m, dd;
    const char *arg = argv[1];
    int n = sscanf(arg, "%4d-%2d-%2d %15s %c", &y, &m, &dd, leap, &tail);
    if ((n == 3 || n == 4) && strlen(arg) >= 8 && arg[4] == '-') {
        snprintf(dmy, sizeof dmy, "%d/%d%s%s/%d", dd, m, n == 4 ? " " : "", n == 4 ? leap : "", y);
        arg = dmy;
    }
    if (lunar_parse(arg, &ld, "date", &e) || lunar_to_day(ld, &day, &e))
        return cli_fail("solar", &e);
    char buf[11];
    printf("%s\n", day_format(day, buf));
    return 0;
}
