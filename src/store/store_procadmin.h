/* store_procadmin.h — the procedures catalogue changed by an administrator (migration 029):
 * attributes edited in place (a dossier keeps its own copy of what it needs: the due instant
 * and budget set at reception, the documents received), and the process template versioned
 * by the day it takes effect, since a dossier reads its procedure's steps at every advance.
 * Every change is logged with who made it. Errors as store.h. */
#ifndef CCHC_STORE_PROCADMIN_H
#define CCHC_STORE_PROCADMIN_H

#include <stdint.h>

#include "store.h"

/* The procedure with the steps in force on day (the latest version taking effect on or
 * before day, else the imported template). ERR_NOT_FOUND if none. */
int store_procedure_get_on(struct store *s, const char *code, int64_t day, struct procedure *out,
                           struct err *e);
/* The procedure a dossier works with: the steps in force on the day it was received (or, not
 * yet received, on day `at`, the instant of the action about to receive it). */
int store_dossier_procedure(struct store *s, const struct dossier *d, int64_t at,
                            struct procedure *out, struct err *e);

/* Replaces the attributes of procedure p->code (everything but the code and the steps: name,
 * field, level, legal time, notes, fee, online mode, legal basis, documents, the published
 * catalogue's decision and dates, where it is received). The result must pass
 * procedure_check() with the imported template and with every version (the rule the import
 * applies), else ERR_INVALID naming the field. Logged as 'attributes' by actor at `now`. */
int store_procedure_update(struct store *s, const struct procedure *p, const char *actor,
                           int64_t now, struct err *e);

/* Sets the steps of procedure code from day `from` on (replacing a version already planned
 * for that day). Refused (ERR_CONFLICT, field "effective_from") when from is before today or
 * not after the last day on which a dossier of the procedure was received: those dossiers
 * keep the steps they were received with. The steps pass procedure_check() with the
 * procedure's attributes (ERR_INVALID, field "steps"). Logged as 'steps'. */
int store_procedure_steps_set(struct store *s, const char *code, int64_t from, int64_t today,
                              const struct proc_step *steps, int n, const char *actor, int64_t now,
                              struct err *e);

/* The first day a new step version may take effect (max(today, last reception day + 1)),
 * and the last reception day (-1: none). */
int store_procedure_steps_earliest(struct store *s, const char *code, int64_t today,
                                   int64_t *earliest, int64_t *last_received, struct err *e);

/* The step versions of code, oldest first: fn(from, steps, n, ctx); from = -1 for the
 * imported template. */
typedef int (*proc_version_fn)(int64_t from, const struct proc_step *steps, int n, void *ctx);
int store_procedure_versions(struct store *s, const char *code, proc_version_fn fn, void *ctx,
                             struct err *e);

/* The change log of code, newest first, at most limit rows. */
struct procedure_change {
    int64_t id, at, effective_from; /* effective_from: -1 for attributes */
    char actor[64], what[16], summary[400];
};
typedef int (*proc_change_fn)(const struct procedure_change *c, void *ctx);
int store_procedure_changes(struct store *s, const char *code, int limit, proc_change_fn fn,
                            void *ctx, struct err *e);

#endif
