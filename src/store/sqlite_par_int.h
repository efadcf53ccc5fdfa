/* sqlite_par_int.h — what the two PAR files of the SQLite backend share: sqlite_par.c (sets,
 * rounds, phases, scores, evidence, targets) and sqlite_par_results.c (computed criteria from
 * the dossier statistics, drill-down, results). Callers use store.h. */
#ifndef CCHC_SQLITE_PAR_INT_H
#define CCHC_SQLITE_PAR_INT_H

#include "sqlite_int.h"

/* A round's row: its database id, its set's id, the public record and its province (the
 * root of its least unit code, fixed at creation: migration 043), which every row of the
 * round carries. */
struct par_round_row {
    int64_t id, set_id;
    struct par_round r;
    char province[UNIT_CODE_MAX];
};
/* Reads round code (ERR_NOT_FOUND naming it when missing). */
int par_round_row(struct store *s, const char *code, struct par_round_row *out, struct err *e);
/* Loads and validates the set stored under id. */
int par_set_load_id(struct store *s, int64_t id, struct par_set **out, struct err *e);
/* ERR_NOT_FOUND unless unit belongs to the round. */
int par_round_has_unit(struct store *s, const struct par_round_row *rr, const char *unit,
                       struct err *e);
/* Freezes the computed metrics of every unit (with their dossiers) at publication. */
int par_metrics_freeze(struct store *s, const struct par_round_row *rr, struct err *e);

#endif
