/* par_cli.h — the database-backed `cchc par` subcommands (cmd_par_round.c), dispatched by
 * cmd_par.c: import-set, round, score, history, evidence, survey, target, metrics, dossiers and
 * results --round. Each takes argv[0] = its own name and returns the exit status. */
#ifndef CCHC_PAR_CLI_H
#define CCHC_PAR_CLI_H

#include <stdio.h>

#include "par.h"
#include "vntext.h"

/* Points for human-readable output, as Vietnamese writes them: "13,50" (buf: 40 bytes). CSV
 * and JSON outputs keep par_pts_format's "13.50". */
static inline char *par_pts_vi(par_pts v, int decimals, char *buf)
{
    char b[32];
    vntext_number_vi(par_pts_format(v, decimals, b), buf, 40);
    return buf;
}

int par_cmd_import_set(int argc, char **argv);
int par_cmd_round(int argc, char **argv);
int par_cmd_score(int argc, char **argv);
int par_cmd_history(int argc, char **argv);
int par_cmd_evidence(int argc, char **argv);
int par_cmd_survey(int argc, char **argv);
int par_cmd_target(int argc, char **argv);
int par_cmd_metrics(int argc, char **argv);
int par_cmd_dossiers(int argc, char **argv);
/* `cchc par results --round R …` (cmd_par.c hands over when --round is given). */
int par_cmd_round_results(int argc, char **argv);
/* Usage lines of the database subcommands, appended to `cchc par --help`. */
void par_round_usage(FILE *f);

#endif
