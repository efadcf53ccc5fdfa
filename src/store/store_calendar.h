/* store_calendar.h — the calendar decisions recorded in the database (migration 030) and the
 * calendar deadlines are counted with: the file calendar with them laid over it
 * (src/core/caldecision.h). Errors as store.h. */
#ifndef CCHC_STORE_CALENDAR_H
#define CCHC_STORE_CALENDAR_H

#include <stdint.h>

#include "caldecision.h"
#include "store.h"

/* The change counter of the decisions (0 before the first): read it to know whether a
 * calendar built earlier still holds, whichever process changed the decisions. */
int store_caldec_version(struct store *s, int64_t *version, struct err *e);

/* Every recorded decision, by day signed then id, in *out (malloc'd, free() it; NULL when
 * none) and *n. */
int store_caldec_list(struct store *s, struct caldec **out, int *n, struct err *e);

/* The file calendar base with the recorded decisions laid over it, and the version it was
 * built at, read in one snapshot. *out is new (calendar_free). */
int store_calendar_overlay(struct store *s, const struct calendar *base, struct calendar **out,
                           int64_t *version, struct err *e);

/* Replaces *cal (a file calendar, freed) by it with the recorded decisions laid over it:
 * for a command that opens the database once. On failure *cal is unchanged. */
int store_calendar_apply(struct store *s, struct calendar **cal, struct err *e);

/* For a long-running reader (one thread): when the version in the database is not
 * *version (or *cur is NULL), replaces *cur by base with the recorded decisions (the old one
 * freed) and sets *version. On failure *cur is kept. */
int store_calendar_refresh(struct store *s, const struct calendar *base, struct calendar **cur,
                           int64_t *version, struct err *e);

/* Records decision d (its actor and created_at set by the caller) after caldec_check against
 * the calendar in force (base with the recorded decisions) on day today; sets d->id. Bumps
 * the version in the same transaction. */
int store_caldec_add(struct store *s, const struct calendar *base, struct caldec *d, int64_t today,
                     struct err *e);

/* Deletes decision id while it is not yet in effect (effective after today) and none of its
 * days is past: ERR_CONFLICT (field "effective") otherwise, ERR_NOT_FOUND if there is none.
 * Bumps the version. */
int store_caldec_delete(struct store *s, int64_t id, int64_t today, struct err *e);

#endif
