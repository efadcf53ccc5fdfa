/* stats_report.h — the statistics reports shared by `cchc report` / `cchc stats index` and the
 * HTTP API: the options of a selection, the Decision 766 service index of a period (per unit or
 * per child of a parent, with external rates) and the three tables — periodic report, tracking
 * book (Mẫu 06) and index ranking — written as JSON, CSV or .xlsx (report_table.h).
 * Definitions: docs/statistics.md. */
#ifndef CCHC_STATS_REPORT_H
#define CCHC_STATS_REPORT_H

#include <stdint.h>

#include "indicators.h"
#include "report_table.h"
#include "stats.h"
#include "store.h"

/* Progress of a long export: called every 5,000 rows (done = 0) and once at the end of an
 * export of 5,000 rows or more (done = 1). */
typedef void (*report_progress_fn)(int64_t rows, int done, void *ctx);

struct stats_opts {
    /* data: the data directory holding indicators/ (resolved by the caller, never NULL for
     * the index); out: the output file (NULL or "-": stdout, JSON and CSV only) */
    const char *db, *period, *parent, *set, *external, *data, *format, *out;
    struct stats_query q;
    enum stats_denom denom;
    int figure;
    /* drill-down of an officer's row: steps_fig 1 = steps_done, 2 = steps_late */
    int steps_fig, step;
    const char *officer;
    report_progress_fn progress; /* NULL: silent */
    void *progress_ctx;
};

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
/* Scores and ranks the peers the options select (children of o->parent with their subtrees,
 * else every unit with dossiers) for the period o->q; o->external (a file path) adds rates cchc
 * cannot compute. Ties share a rank (1, 2, 2, 4); a unit with nothing to judge is not ranked. */
int stats_index_compute(struct store *s, const struct stats_opts *o, struct stats_index **out,
                        struct err *e);
void stats_index_free(struct stats_index *ix);
/* The rates of the indicators whose metric is catalog_published, catalog_updated or
 * catalog_complete (Decision 766 group 1), from the procedures catalogue and
 * data/catalog/publicity.tsv, for every row of ix, into in[row * IND_MAX_ROWS + indicator]
 * (catalog_index.c). A level with nothing to judge leaves the rate unknown. */
int catalog_index_inputs(struct store *s, const struct stats_opts *o, struct stats_index *ix,
                         struct ind_input *in, struct err *e);
/* The inputs (aligned with set->ind) of the indicators whose metric is computed from the
 * feedback data — "feedback_ontime_766" (QĐ 766 5.2) and "feedback_satisfaction_766" (5.3) —
 * for unit's scope, feedback submitted in [from_day, to_day], judged at the end of to_day
 * (or now, if earlier). A zero denominator leaves the input unknown (feedback_index.c). */
int feedback_index_inputs(struct store *s, const struct indicator_set *set, const char *unit,
                          int64_t from_day, int64_t to_day, struct ind_input *in, struct err *e);
/* The same for n units at once (an index's ranked units) in one statement whatever n: units[u]'s
 * inputs at in + u * stride. parent: the parent of every unit of the list, or NULL for any
 * units (store_feedback_summary_units). */
int feedback_index_inputs_units(struct store *s, const struct indicator_set *set,
                                const char *parent, int n, const char *const *units,
                                int64_t from_day, int64_t to_day, struct ind_input *in,
                                size_t stride, struct err *e);

/* The periodic report of o->q's period: one row per child of o->q.unit (with its subtree) and a
 * total row, or per unit with dossiers when o->q.unit is NULL. */
int report_summary(struct store *s, const struct stats_opts *o, enum rformat fmt, struct err *e);
/* The tracking book: every dossier received in the period under o->q.unit, phones masked. */
int report_book(struct store *s, const struct stats_opts *o, enum rformat fmt, struct err *e);
/* The processing control sheets of the period (control_report.c): one row per step of every
 * dossier received in it under o->q.unit. */
int report_control(struct store *s, const struct stats_opts *o, enum rformat fmt, struct err *e);
/* Receiving regardless of residence in figures (receiving_report.c): per unit under
 * o->q.unit, dossiers received (of them for another unit) and decided (of them received by
 * another unit's desk), each labelled. */
int report_receiving(struct store *s, const struct stats_opts *o, enum rformat fmt, struct err *e);
/* The dossiers received in the period by one unit for another to decide, one row each, where
 * either unit is under o->q.unit: how the deciding unit finds what it decides. */
int report_receiving_list(struct store *s, const struct stats_opts *o, enum rformat fmt,
                          struct err *e);
/* The service index ranking (stats_index_compute), groups and indicators as columns. */
int report_index(struct store *s, const struct stats_opts *o, enum rformat fmt, struct err *e);
/* The backdated actions recorded in the period under o->q.unit, by unit and officer
 * (backdated_report.c); over HTTP only for leaders and administrators (GET /api/backdated). */
int report_backdated(struct store *s, const struct stats_opts *o, enum rformat fmt, struct err *e);

/* The reports, one row each: every layer (the CLI's `cchc report NAME`, the API's
 * GET /api/reports/NAME) finds a report here instead of comparing names. */
typedef int (*report_fn)(struct store *s, const struct stats_opts *o, enum rformat fmt,
                         struct err *e);
#define REPORT_BY_PARENT   1u /* ranks the children of a parent unit (else: one unit's subtree) */
#define REPORT_PER_DOSSIER 2u /* one row per dossier (the API caps its size) */
#define REPORT_OWN_ROUTE   4u /* served by its own route, not GET /api/reports/{report} */
struct report_desc {
    const char *name;
    report_fn run;
    unsigned flags;
    const char *summary;
};
extern const struct report_desc report_table[];
/* The report called name, or NULL. */
const struct report_desc *report_find(const char *name);
/* "summary, book, index": the names, for messages, in buf (n bytes). */
char *report_names(char *buf, size_t n);

#endif
