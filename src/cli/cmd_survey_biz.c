/* cmd_survey_biz.c — `cchc survey businesses`: a DDCI round's businesses for one unit, drawn
 * from its business-registration dossiers of the round's period (one per business) or from an
 * imported CSV list (tax_code,name,contact,sector), with the round's margin and seed. Every
 * problem of a list is printed as FILE:LINE: column: rule and nothing is written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "store.h"
#include "store_survey.h"
#include "survey.h"
#include "survey_businesses.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: cchc survey businesses --round R --unit CODE [--import FILE.csv]\n"
               "                [--tokens OUT.csv] [--base URL] [--db FILE] [--data DIR]\n"
               "Without --import, the unit's businesses are those of its business-registration\n"
               "dossiers returned in the round's period (one per business); with it, the list\n"
               "(header tax_code,name,contact,sector; contact may be empty) is the population,\n"
               "strata by sector. Either way the sample is drawn with the round's margin and\n"
               "seed; tokens are printed once (or written to --tokens).\n");
}

struct tok {
    FILE *out;
    const char *base, *who;
    int n;
};

static int tok_print(const char *unit, const char *stratum, const char *who, const char *token,
                     void *vc)
{
    struct tok *t = vc;
    if (!t->n++) fprintf(t->out, "unit,stratum,%s,token,link\n", t->who);
    fprintf(t->out, "%s,\"%s\",%s,%s,%s#/khao-sat/%s\n", unit, stratum, who, token, t->base, token);
    return ferror(t->out) ? -1 : 0;
}

static void print_problem(void *ctx, const char *msg)
{
    (*(int *)ctx)++;
    fprintf(stderr, "%s\n", msg);
}

int cmd_survey_businesses(int argc, char **argv)
{
    const char *db = NULL, *data = NULL, *round = NULL, *unit = NULL, *file = NULL;
    const char *tokens = NULL, *base = "";
    struct err e = {0};
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL, **slot = NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        }
        if (!strcmp(a, "--db")) slot = &db;
        if (!strcmp(a, "--data")) slot = &data;
        if (!strcmp(a, "--round")) slot = &round;
        if (!strcmp(a, "--unit")) slot = &unit;
        if (!strcmp(a, "--import")) slot = &file;
        if (!strcmp(a, "--tokens")) slot = &tokens;
        if (!strcmp(a, "--base")) slot = &base;
        if (!strcmp(a, "--actor")) slot = &v; /* accepted like every survey command; unused */
        if (!slot) {
            err_set(&e, ERR_INVALID, "option", "'%s': unknown option (see --help)", a);
            return cli_fail("survey", &e);
        }
        if (!v) {
            err_set(&e, ERR_INVALID, a, "%s needs a value", a);
            return cli_fail("survey", &e);
        }
        *slot = v;
        i++;
    }
    if (!round || !unit) {
        err_set(&e, ERR_INVALID, round ? "unit" : "round",
                "--round R and --unit CODE are required");
        return cli_fail("survey", &e);
    }
    struct survey_business *b = NULL;
    size_t n = 0;
    int printed = 0, rc;
    if (file && survey_businesses_read(file, NULL, 0, &b, &n, print_problem, &printed, &e))
        return printed ? EXIT_BADINPUT : cli_fail("survey", &e);
    struct store *s;
    if ((rc = cli_store_open("survey", db, 0, &s))) {
        free(b);
        return rc;
    }
    struct survey_round r;
    struct survey_set set;
    int set_ok = 0, invited = 0;
    rc = store_survey_round_get(s, round, &r, &e);
    if (!rc) {
        char path[1024];
        if (strchr(r.set_file, '/'))
            snprintf(path, sizeof path, "%s", r.set_file);
        else
            snprintf(path, sizeof path, "%s/surveys/%s", cli_data_dir(data), r.set_file);
        rc = survey_set_load(path, &set, NULL, NULL, &e);
        set_ok = !rc;
    }
    struct tok t = {stdout, base, file ? "tax_code" : "dossier", 0};
    if (!rc && tokens && !(t.out = fopen(tokens, "w")))
        rc = err_set(&e, ERR_IO, "tokens", "%s: cannot write", tokens);
    if (!rc) {
        rc = file ? store_survey_business_import(s, &set, round, unit, b, n, tok_print, &t,
                                                 &invited, &e)
                  : store_survey_business_sample(s, &set, round, unit, tok_print, &t, &invited, &e);
        if (tokens && fclose(t.out) && !rc)
            rc = err_set(&e, ERR_IO, "tokens", "%s: write failed", tokens);
        if (rc && tokens) remove(tokens);
    }
    if (!rc)
        fprintf(tokens ? stdout : stderr, "Đã mời %d doanh nghiệp của %s (đợt %s, %s)\n", invited,
                unit, round, file ? "danh sách nhập" : "hồ sơ đăng ký kinh doanh");
    if (set_ok) survey_set_free(&set);
    store_close(s);
    free(b);
    return rc ? cli_fail("survey", &e) : 0;
}
