/* store_unitadmin.h — units changed by an administrator (issue 13, migration 031): a unit
 * created, a unit edited, a merger recorded (several units end the day before a date, one
 * successor, existing or created with them), each in one transaction with a row of the change
 * log saying who did it. The rules are unit_check()'s (src/core/unit.c) and store_unit_put()'s
 * cycle checks, the ones `cchc import units` applies. Errors as store.h; e->field names the
 * request's field ("code", "parent", "units", "successor", "effective" …). */
#ifndef CCHC_STORE_UNITADMIN_H
#define CCHC_STORE_UNITADMIN_H

#include <stdint.h>

#include "store.h"

#define UNIT_MERGE_MAX 50 /* units ending in one merger */

/* Creates unit u (its code must be new: ERR_CONFLICT "code"). The parent must exist on
 * u->valid_from (ERR_CONFLICT "parent"); an identifier code may not be another unit's in an
 * overlapping period (ERR_CONFLICT "ident_code": the two would issue the same dossier codes).
 * u->valid_to and u->successor must be open. Logged as 'create'. */
int store_unit_create(struct store *s, const struct unit *u, const char *actor, int64_t now,
                      struct err *e);

/* Replaces the name, kind, parent and identifier code of the existing unit u->code (its period
 * and successor stay). ERR_NOT_FOUND if none; the rules as for create, the parent existing on
 * `today` (or the unit's nearest day when it does not exist today). Logged as 'edit' with the
 * fields changed; an edit changing nothing is not logged. */
int store_unit_edit(struct store *s, const struct unit *u, int64_t today, const char *actor,
                    int64_t now, struct err *e);

/* A merger: units ending[0..n) end on effective - 1 with successor `successor`, an existing
 * unit that exists on effective, or new_successor (non-NULL), created with valid_from =
 * effective. Every unit that ends must exist the day before and be open (not ending already);
 * every unit below one of them on `effective` must end with them (ERR_CONFLICT "units"
 * naming it: otherwise it would hang under a unit that no longer exists). All or nothing.
 * Logged as 'merge' for each unit that ends and the successor. */
struct unit_merger {
    const char (*ending)[UNIT_CODE_MAX];
    int n;
    int64_t effective;
    const char *successor;            /* code of an existing unit, or NULL */
    const struct unit *new_successor; /* or the unit to create */
};
int store_unit_merge(struct store *s, const struct unit_merger *m, const char *actor, int64_t now,
                     struct err *e);

/* The change log of a unit, newest first, at most limit rows. summary: for 'edit' the fields
 * changed ("name,parent"); for 'merge' "successor=S;effective=YYYY-MM-DD" on a unit that ended
 * and "from=A,B;effective=YYYY-MM-DD" on the successor; for 'create' the name. */
struct unit_change {
    int64_t id, at;
    char actor[64], what[8], summary[400];
};
typedef int (*unit_change_fn)(const struct unit_change *c, void *ctx);
int store_unit_changes(struct store *s, const char *code, int limit, unit_change_fn fn, void *ctx,
                       struct err *e);

#endif
