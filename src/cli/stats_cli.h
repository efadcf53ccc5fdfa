/* stats_cli.h — what `cchc stats` and `cchc report` share: the parsing of their options (the
 * options, the service index and the reports themselves are in src/report/stats_report.h). */
#ifndef CCHC_STATS_CLI_H
#define CCHC_STATS_CLI_H

#include "stats_report.h"

/* Parses argv[first..] (--period, --unit, --procedure, --field, --channel, --denominator,
 * --figure, --parent, --set, --external, --data, --format, --out, --db). */
int stats_opts_parse(int argc, char **argv, int first, struct stats_opts *o, struct err *e);

#endif
