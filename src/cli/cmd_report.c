/* cmd_report.c — `cchc report summary|book|index`: the periodic report on dossier processing
 * (one row per unit with carried over, received by channel, solved early / on time / late,
 * refused, withdrawn, in progress in time / overdue and rates naming their denominator), the
 * tracking book (Sổ theo dõi hồ sơ, Mẫu 06 of Circular 01/2018/TT-VPCP) and the Decision 766
 * index ranking, as JSON, CSV or Excel (src/report/stats_report.c). Long exports show their
 * progress on stderr, only when it is a terminal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "stats_cli.h"

static void usage(FILE *f)
{
    fprintf(
        f,
        "usage: cchc report summary --period P [--unit U] [--denominator D] [FORMAT]\n"
        "       cchc report book --period P [--unit U] [FORMAT]\n"
        "       cchc report control --period P [--unit U] [FORMAT]\n"
        "       cchc report backdated --period P [--unit U] [FORMAT]\n"
        "       cchc report index --period P [--parent U] [--set 766-2022] [--external F]\n"
        "                         [FORMAT]\n"
        "       cchc report receiving|receiving_dossiers --period P [--unit U] [FORMAT]\n"
        "       cchc report periodic ...  (the periodic CCHC reports: cchc report periodic "
        "--help)\n"
        "FORMAT: --format json|csv|xlsx|pdf (default json) [--out FILE] (required for xlsx, pdf);\n"
        "        --db FILE as for every database command.\n"
        "summary: the periodic report (4/6/9 months: 2024-4M, 2024-6M, 2024-9M; a year; any\n"
        "  range): one row per child of --unit (with its subtree) or per unit with dossiers,\n"
        "  and a total row; the on-time rate names its denominator (D: solved, due, received,\n"
        "  handled).\n"
        "book: Sổ theo dõi hồ sơ (Mẫu 07, Circular 03/2025/TT-VPCP; Mẫu 06 of 01/2018 before\n"
        "  15/9/2025: the form of the period's last day): every dossier received\n"
        "  in the period; phone numbers are masked.\n"
        "control: the processing control sheets (Mẫu 06, Circular 03/2025/TT-VPCP; Mẫu 05\n"
        "  of 01/2018 before 15/9/2025): one row per step of every dossier received.\n"
        "index: the Decision 766 service index, ranked (ties share a rank).\n"
        "backdated: actions recorded in the period with a time earlier than the\n"
        "  backdating tolerance, by unit and officer, with both times and the reason.\n"
        "receiving: receiving regardless of residence per unit: received (of them for another\n"
        "  unit to decide) and decided (of them received by another unit's desk).\n"
        "receiving_dossiers: each dossier received by one unit for another to decide.\n");
}

/* Progress on stderr; installed only when stderr is a terminal. */
static void tty_progress(int64_t rows, int done, void *ctx)
{
    (void)ctx;
    if (done)
        fprintf(stderr, "\rcchc report: %lld dòng, xong.\n", (long long)rows);
    else
        fprintf(stderr, "\rcchc report: %lld dòng…", (long long)rows);
    fflush(stderr);
}

int cmd_report(int argc, char **argv)
{
    struct err e = {0};
    struct stats_opts o;
    if (argc >= 2 && !strcmp(argv[1], "periodic")) return cmd_preport(argc - 1, argv + 1);
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_BADINPUT : 0;
    }
    const char *sub = argv[1];
    const struct report_desc *rep = report_find(sub);
    char names[128];
    if (!rep) {
        err_set(&e, ERR_INVALID, "report", "'%s': unknown report (%s)", sub,
                report_names(names, sizeof names));
        return cli_fail("report", &e);
    }
    enum rformat fmt = RF_JSON;
    if (stats_opts_parse(argc, argv, 2, &o, &e) || (o.format && rformat_parse(o.format, &fmt, &e)))
        return cli_fail("report", &e);
    if (!o.period) {
        err_set(&e, ERR_INVALID, "period", "--period is required");
        return cli_fail("report", &e);
    }
    if ((fmt == RF_XLSX || fmt == RF_PDF) && !o.out) {
        err_set(&e, ERR_INVALID, "out", "an .%s report needs --out FILE",
                fmt == RF_PDF ? "pdf" : "xlsx");
        return cli_fail("report", &e);
    }
    struct store *s = NULL;
    int st = cli_store_open("report", o.db, 0, &s);
    if (st) return st;
    if (isatty(STDERR_FILENO)) o.progress = tty_progress;
    int rc = rep->run(s, &o, fmt, &e);
    store_close(s);
    if (rc) return cli_fail("report", &e);
    /* a file written is named, so the user knows where to look (stdout is free with --out) */
    if (o.out) printf("cchc report: đã ghi %s (report written to %s)\n", o.out, o.out);
    return 0;
}
