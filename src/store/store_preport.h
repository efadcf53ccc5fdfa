/* store_preport.h — the store's door to the periodic CCHC reports (migration 021): one report
 * per unit, year and reporting period, its figures frozen as a JSON snapshot (assembled by
 * src/report/preport_build.c), its narrative sections, its state (src/core/preport.c decides)
 * and its history. Errors, transactions and iteration as store.h's opening comment defines. */
#ifndef CCHC_STORE_PREPORT_H
#define CCHC_STORE_PREPORT_H

#include "preport.h"
#include "store.h"

#define PREPORT_ACTOR_MAX 64

struct preport {
    int64_t id;
    char unit[UNIT_CODE_MAX], parent[UNIT_CODE_MAX];
    int year;
    char period[4]; /* "Q1", "6M", "Q3", "Y" (report_period.h) */
    int64_t from_day, to_day;
    enum preport_status status;
    int consolidated;
    int64_t snapshot_at, created_at, updated_at, submitted_at, decided_at; /* 0: not yet */
    char created_by[PREPORT_ACTOR_MAX], submitted_by[PREPORT_ACTOR_MAX],
        decided_by[PREPORT_ACTOR_MAX];
    char return_reason[PREPORT_NOTE_MAX];
    /* owned (malloc'd) when read with its content (store_preport_get); NULL in lists */
    char *snapshot;
    char *section[PS__COUNT];
};
/* Frees what a report read with its content owns (not r itself). */
void preport_clear(struct preport *r);

/* A new draft: unit, year and period ("Q1" …, report_period_find) with the data period's
 * days, the unit's parent at creation ('' for a root), the snapshot (JSON text, not empty).
 * ERR_CONFLICT when the unit has that report already. *id receives the new report's id. */
struct preport_in {
    const char *unit;
    int year;
    const char *period;
    const char *snapshot;
    int consolidated;
    const char *actor;
    int64_t at;
};
int store_preport_create(struct store *s, const struct preport_in *in, int64_t *id, struct err *e);
/* The report with its snapshot and sections (ERR_NOT_FOUND if none); preport_clear after. */
int store_preport_get(struct store *s, int64_t id, struct preport *out, struct err *e);
/* The id of the report of unit, year and period (ERR_NOT_FOUND if none). */
int store_preport_find(struct store *s, const char *unit, int year, const char *period, int64_t *id,
                       struct err *e);

/* One action in one transaction: preport_apply on the stored state, then what the action
 * writes — refresh: snapshot (and consolidated); edit: the sections given (NULL keeps one);
 * submit / accept / return: who and when (return: the reason) — and one history row. */
struct preport_act {
    enum preport_action action;
    const char *note;
    const char *snapshot;           /* refresh */
    int consolidated;               /* refresh */
    const char *section[PS__COUNT]; /* edit */
    const char *actor;
    int64_t at;
};
int store_preport_act(struct store *s, int64_t id, const struct preport_act *a, struct err *e);

/* Reports (without content) of year (0: any) and period (NULL: any) whose unit is in scope's
 * subtree (NULL: every unit) or, when parent is set, whose parent is exactly parent; by year,
 * period's order in the year, then unit code. */
struct preport_filter {
    const char *scope, *parent, *unit, *period;
    int year;
};
typedef int (*preport_fn)(const struct preport *r, void *ctx);
int store_preport_list(struct store *s, const struct preport_filter *f, preport_fn fn, void *ctx,
                       struct err *e);

struct preport_event {
    int64_t id, at;
    char actor[PREPORT_ACTOR_MAX], action[16], from[16], to[16];
    char note[PREPORT_NOTE_MAX];
};
typedef int (*preport_event_fn)(const struct preport_event *ev, void *ctx);
/* The report's history, oldest first. */
int store_preport_history(struct store *s, int64_t id, preport_event_fn fn, void *ctx,
                          struct err *e);

#endif
