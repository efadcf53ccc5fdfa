/* stats_cli.h — what `cchc stats` and `cchc report` share: their options, and the service
 * index computed for a period (per unit or per child of a parent, with external rates). */
#ifndef CCHC_STATS_CLI_H
#define CCHC_STATS_CLI_H

#include "indicators.h"
#include "stats.h"
#include "store.h"

struct stats_opts {
    const char *db, *period, *parent, *set, *external, *data, *format, *out;
    struct stats_query q;
    enum stats_denom denom;
    int figure;
};
/* Parses argv[first..] (--period, --unit, --procedure, --field, --channel, --denominator,
 * --figure, --parent, --set, --external, --data, --format, --out, --db). */
int stats_opts_parse(int argc, char **argv, int first, struct stats_opts *o, struct err *e);

struct stats_index_row {
    char unit[UNIT_CODE_MAX];
    struct stats_figures f;
    struct ind_score score;
    int rank; /* 0: not ranked (nothing to judge) */
};
struct stats_index {
    struct indicator_set set;
    int n;
    struct stats_index_row *rows;
    int *order; /* best first */
};
/* Scores and ranks the peers the options select (children of --parent with their subtrees,
 * else every unit with dossiers) for o->period. */
int stats_index_compute(struct store *s, const struct stats_opts *o, struct stats_index **out,
                        struct err *e);
void stats_index_free(struct stats_index *ix);

#endif
