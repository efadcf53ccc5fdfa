/* store_dialogue.h — dialogues and their commitments in the store (migration 010), part of
 * store.h's contract (errors, transactions, iteration), in its own header so the resource's
 * additions stay in its files. Checks are core's (src/core/dialogue.c). */
#ifndef CCHC_STORE_DIALOGUE_H
#define CCHC_STORE_DIALOGUE_H

#include "dialogue.h"
#include "store.h"

/* Stores a dialogue (unit must exist) and sets d->id. */
int store_dialogue_add(struct store *s, struct dialogue *d, struct err *e);
int store_dialogue_get(struct store *s, int64_t id, struct dialogue *out, struct err *e);
/* Adds a commitment to its dialogue (ERR_NOT_FOUND for an unknown dialogue) and sets c->id. */
int store_commitment_add(struct store *s, struct commitment *c, struct err *e);
/* Commitment id and its dialogue (ERR_NOT_FOUND naming "commitment"). */
int store_commitment_get(struct store *s, int64_t id, struct commitment *c, struct dialogue *d,
                         struct err *e);
/* Closes commitment id on day with what was done (ERR_CONFLICT if already closed). */
int store_commitment_close(struct store *s, int64_t id, int64_t day, const char *result,
                           struct err *e);
typedef int (*commitment_fn)(const struct dialogue *d, const struct commitment *c, void *ctx);
/* The commitments of the dialogues of unit's scope (store_unit_scope on day today; NULL: all
 * units), by due day; only_open: those not closed yet. */
int store_commitments(struct store *s, const char *unit, int64_t today, int only_open,
                      commitment_fn fn, void *ctx, struct err *e);

#endif
