/* cmd_par.c — `cchc par`: the PAR index (Chỉ số CCHC). From files: check-set validates a
 * criteria set and prints its tree summary; export-set converts it between CSV and JSON;
 * results computes totals, area components, index %, ranks (ties share a rank), change
 * against last year and targets from a scores CSV. The database-backed subcommands (rounds,
 * scores, evidence, survey, results --round) are in cmd_par_round.c. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "par.h"
#include "par_cli.h"
#include "par_io.h"

static void par_usage(FILE *f)
{
    fprintf(f, "usage: cchc par check-set FILE\n"
               "       cchc par export-set FILE --format csv|json\n"
               "       cchc par results --set FILE --scores FILE [--previous FILE]\n"
               "                        [--targets FILE] [--format table|csv|json]\n"
               "FILE of a set ends in .csv or .json (formats in docs/par.md).\n"
               "check-set prints every problem of an invalid set, one per line on stderr.\n"
               "results: scores CSV columns unit,node and any of self,appraised,survey,metric\n"
               "(optional name); previous CSV unit,index[,rank][,successor]; targets CSV\n"
               "unit and any of up (places), rank, index. Ranks are competition ranks: equal\n"
               "totals share a rank and the next rank is skipped (1, 2, 2, 4).\n");
    par_round_usage(f);
}

/* Prints one problem of a set and counts it (ctx: int *). */
static void print_problem(void *ctx, const struct err *problem)
{
    (*(int *)ctx)++;
    fprintf(stderr, "cchc par: %s\n", problem->msg);
}

/* Points of one area's subtree by depth: criteria (depth 1) and sub-criteria (depth >= 2). */
static void area_counts(const struct par_set *s, int a, int *crit, int *sub)
{
    *crit = *sub = 0;
    for (int i = 0; i < s->n; i++) {
        if (s->node[i].area != a || s->node[i].depth == 0) continue;
        if (s->node[i].depth == 1)
            (*crit)++;
        else
            (*sub)++;
    }
}

static void print_summary(const struct par_set *s)
{
    char b[40];
    int crit = 0, sub = 0, survey = 0;
    par_pts survey_max = 0;
    for (int d = 2; d < PAR_DEPTH_MAX; d++)
        sub += s->count_by_depth[d];
    crit = s->count_by_depth[1];
    for (int l = 0; l < s->nleaves; l++)
        if (s->node[s->leaves[l]].method == PAR_SURVEY) {
            survey++;
            survey_max += s->node[s->leaves[l]].max;
        }
    printf("Bộ tiêu chí %s%s%s\n", s->code, s->title && *s->title ? ": " : "",
           s->title ? s->title : "");
    printf("Năm %d; phạm vi: %s; phiên bản: %s\n", s->year, par_scope_label(s->scope),
           s->version[0] ? s->version : "—");
    if (s->legal_source && *s->legal_source) printf("Căn cứ: %s\n", s->legal_source);
    printf("%d lĩnh vực, %d tiêu chí, %d tiêu chí thành phần; điểm tối đa %s", s->nareas, crit, sub,
           par_pts_vi(s->max, 2, b));
    printf(" (điều tra XHH: %d tiêu chí, %s điểm)\n", survey, par_pts_vi(survey_max, 2, b));
    for (int a = 0; a < s->nareas; a++) {
        const struct par_node *n = &s->node[s->areas[a]];
        int c, sc;
        area_counts(s, a, &c, &sc);
        printf("  %-5s %7s  %2d tiêu chí, %2d TCTP  %s\n", n->code, par_pts_vi(n->max, 2, b), c, sc,
               n->title);
    }
}

static int check_set(int argc, char **argv)
{
    struct err e = {0};
    if (argc != 2 || argv[1][0] == '-') {
        err_set(&e, ERR_INVALID, "argument", "check-set takes one FILE (see --help)");
        return cli_fail("par", &e);
    }
    struct par_set *s;
    int printed = 0;
    int rc = par_io_read_set(argv[1], &s, print_problem, &printed, &e);
    if (rc == ERR_INVALID && printed) return EXIT_BADINPUT; /* every problem is printed */
    if (rc) return cli_fail("par", &e);
    print_summary(s);
    par_set_free(s);
    return 0;
}

static int export_set(int argc, char **argv)
{
    struct err e = {0};
    const char *file = NULL, *fmt_s = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--format") && i + 1 < argc)
            fmt_s = argv[++i];
        else if (argv[i][0] != '-' && !file)
            file = argv[i];
        else {
            err_set(&e, ERR_INVALID, "argument", "unexpected argument '%s' (see --help)", argv[i]);
            return cli_fail("par", &e);
        }
    }
    enum par_format fmt;
    if (!file || !fmt_s) {
        err_set(&e, ERR_INVALID, "argument", "export-set needs FILE and --format csv|json");
        return cli_fail("par", &e);
    }
    if (par_format_parse(fmt_s, 0, &fmt, &e)) return cli_fail("par", &e);
    struct par_set *s;
    if (par_io_read_set(file, &s, NULL, NULL, &e)) return cli_fail("par", &e);
    int rc = fmt == PAR_FMT_CSV ? par_io_write_set_csv(stdout, s, &e)
                                : par_io_write_set_json(stdout, s, &e);
    par_set_free(s);
    return rc ? cli_fail("par", &e) : 0;
}

struct results_args {
    const char *set, *scores, *previous, *targets, *format;
};

static int results_parse_args(int argc, char **argv, struct results_args *a, struct err *e)
{
    static const char *const names[] = {"--set", "--scores", "--previous", "--targets", "--format"};
    const char **slot[] = {&a->set, &a->scores, &a->previous, &a->targets, &a->format};
    for (int i = 1; i < argc; i++) {
        int k = 0;
        while (k < 5 && strcmp(argv[i], names[k]) != 0)
            k++;
        if (k == 5 || i + 1 >= argc)
            return err_set(e, ERR_INVALID, "argument", "unexpected argument '%s' (see --help)",
                           argv[i]);
        if (*slot[k]) return err_set(e, ERR_INVALID, "argument", "%s given twice", names[k]);
        *slot[k] = argv[++i];
    }
    if (!a->set || !a->scores)
        return err_set(e, ERR_INVALID, "argument", "results needs --set FILE and --scores FILE");
    return 0;
}

/* Everything `results` holds, freed in one place. */
struct results_run {
    struct par_set *set;
    struct par_scores *sc;
    struct par_results *res;
    struct par_prev_entry *prev;
    struct par_target *targets;
    int nprev, ntargets;
};

static int results_compute(const struct results_args *a, struct results_run *r, struct err *e)
{
    int rc = par_io_read_set(a->set, &r->set, NULL, NULL, e);
    if (!rc) rc = par_scores_new(r->set, &r->sc, e);
    if (!rc) rc = par_io_read_scores(a->scores, r->sc, NULL, NULL, e);
    if (!rc && a->previous) rc = par_io_read_previous(a->previous, &r->prev, &r->nprev, e);
    if (!rc && a->targets) rc = par_io_read_targets(a->targets, &r->targets, &r->ntargets, e);
    if (!rc) rc = par_compute(r->set, r->sc, &r->res, e);
    if (!rc && a->previous) rc = par_compare_previous(r->res, r->prev, r->nprev, e);
    if (!rc && a->targets) rc = par_apply_targets(r->res, r->targets, r->ntargets, e);
    return rc;
}

static int results(int argc, char **argv)
{
    struct err e = {0};
    struct results_args a = {0};
    struct results_run r = {0};
    enum par_format fmt = PAR_FMT_TABLE;
    int rc = results_parse_args(argc, argv, &a, &e);
    if (!rc && a.format) rc = par_format_parse(a.format, 1, &fmt, &e);
    if (!rc) rc = results_compute(&a, &r, &e);
    if (!rc)
        rc = par_io_write_results(stdout, r.res, fmt, a.previous != NULL, a.targets != NULL, &e);
    par_results_free(r.res);
    par_scores_free(r.sc);
    par_set_free(r.set);
    if (r.prev) par_io_free_previous(r.prev, r.nprev);
    if (r.targets) par_io_free_targets(r.targets, r.ntargets);
    return rc ? cli_fail("par", &e) : 0;
}

int cmd_par(int argc, char **argv)
{
    struct err e = {0};
    if (argc < 2) {
        err_set(&e, ERR_INVALID, "subcommand",
                "missing subcommand: check-set, export-set, results, import-set, round, score, "
                "history, evidence, survey, target, metrics or dossiers (see 'cchc par --help')");
        return cli_fail("par", &e);
    }
    const char *sub = argv[1];
    if (!strcmp(sub, "--help") || !strcmp(sub, "-h") || !strcmp(sub, "help")) {
        par_usage(stdout);
        return 0;
    }
    for (int i = 2; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            par_usage(stdout);
            return 0;
        }
    if (!strcmp(sub, "check-set")) return check_set(argc - 1, argv + 1);
    if (!strcmp(sub, "export-set")) return export_set(argc - 1, argv + 1);
    if (!strcmp(sub, "results")) {
        for (int i = 2; i < argc; i++)
            if (!strcmp(argv[i], "--round")) return par_cmd_round_results(argc - 1, argv + 1);
        return results(argc - 1, argv + 1);
    }
    static const struct {
        const char *name;
        int (*run)(int, char **);
    } db_subs[] = {
        {"import-set", par_cmd_import_set}, {"round", par_cmd_round},
        {"score", par_cmd_score},           {"history", par_cmd_history},
        {"evidence", par_cmd_evidence},     {"survey", par_cmd_survey},
        {"target", par_cmd_target},         {"metrics", par_cmd_metrics},
        {"dossiers", par_cmd_dossiers},
    };
    for (size_t i = 0; i < sizeof db_subs / sizeof db_subs[0]; i++)
        if (!strcmp(sub, db_subs[i].name)) return db_subs[i].run(argc - 1, argv + 1);
    err_set(&e, ERR_INVALID, "subcommand",
            "'%s' is not a par subcommand (check-set, export-set, results, import-set, round, "
            "score, history, evidence, survey, target, metrics, dossiers)",
            sub);
    return cli_fail("par", &e);
}
