/* store_initiative.h — the store's door to CCHC initiatives (sáng kiến, mô hình mới trong
 * CCHC): the proposal of a unit in a reform area of the PAR set in force for it, the
 * evaluation by the council of the evaluating unit, recognition, the units applying it, its
 * history and evidence files (kept in the PAR evidence store's blobs), and the count of
 * recognised initiatives PAR sets score (metric initiatives_count). The rules are
 * src/core/initiative.c's; this layer reads and writes rows in the SQL both databases share
 * (migration 020). Errors, transactions and iteration as store.h's opening comment defines. */
#ifndef CCHC_STORE_INITIATIVE_H
#define CCHC_STORE_INITIATIVE_H

#include "initiative.h"
#include "par.h"
#include "par_round.h"
#include "store.h"

struct initiative {
    int64_t id;
    char unit[UNIT_CODE_MAX], evaluator[UNIT_CODE_MAX];
    int year;
    char set_code[PAR_CODE_MAX], area[PAR_CODE_MAX];
    char title[INIT_TITLE_MAX], description[INIT_TEXT_MAX], authors[INIT_AUTHORS_MAX],
        effect[INIT_TEXT_MAX];
    int64_t proposed_day;
    enum init_status status;
    int score; /* -1 until evaluated */
    char opinion[INIT_TEXT_MAX], reason[INIT_TEXT_MAX];
    int64_t evaluated_day; /* 0 until evaluated */
    char decision_no[INIT_DECISION_MAX];
    int64_t decision_day; /* 0 until recognised */
    int level;            /* enum init_level, -1 until recognised */
    int napplied;         /* units applying it */
    int64_t created_at;
    char created_by[PAR_ACTOR_MAX];
};

/* A proposal. The evaluator must be the unit itself (its own council, cấp cơ sở) or a unit
 * above it; the area a top-level node (area) of the PAR set named by set (latest version) or,
 * when NULL, of the set in force for the unit's kind in the proposal's year. */
struct initiative_in {
    const char *unit, *evaluator, *set, *area, *title, *description, *authors, *effect;
    int64_t proposed_day;
    const char *actor;
    int64_t at;
};
int store_init_create(struct store *s, const struct initiative_in *in, struct initiative *out,
                      struct err *e);
/* The PAR set whose areas a proposal of unit in year takes: set (its latest version) or the
 * set in force for the unit's kind. Free with par_set_free. */
int store_init_set(struct store *s, const char *unit, const char *set, int year,
                   struct par_set **out, struct err *e);
/* ERR_NOT_FOUND if none. */
int store_init_get(struct store *s, int64_t id, struct initiative *out, struct err *e);

struct init_filter {
    const char *scope; /* proposer, evaluator or an applying unit in this unit's subtree */
    int year;          /* 0: any */
    int status;        /* enum init_status; -1: any */
    int recognized;    /* 1: every recognised initiative too, whatever its units (to replicate) */
};
typedef int (*initiative_fn)(const struct initiative *i, void *ctx);
/* By proposal day (newest first), then id. */
int store_init_list(struct store *s, const struct init_filter *f, initiative_fn fn, void *ctx,
                    struct err *e);

/* Applies accept, reject, recognize, withdraw or resubmit (init_apply) in one transaction:
 * the row and one history event. accept and reject record the council's day (the day of at);
 * resubmit clears the evaluation. apply goes through store_init_apply. */
int store_init_act(struct store *s, int64_t id, enum init_action a, const struct init_args *args,
                   const char *actor, int64_t at, struct initiative *out, struct err *e);

/* A unit applying the initiative from a day, with a note on its result. ERR_CONFLICT when the
 * state refuses it or the unit applies it already. */
struct init_unit {
    int64_t initiative_id;
    char unit[UNIT_CODE_MAX];
    int64_t from_day;
    char result[INIT_TEXT_MAX];
    int64_t added_at;
    char added_by[PAR_ACTOR_MAX];
};
int store_init_apply(struct store *s, int64_t id, const char *unit, int64_t from_day,
                     const char *result, const char *actor, int64_t at, struct err *e);
typedef int (*init_unit_fn)(const struct init_unit *u, void *ctx);
int store_init_units(struct store *s, int64_t id, init_unit_fn fn, void *ctx, struct err *e);

struct init_event {
    int64_t id, at;
    char actor[PAR_ACTOR_MAX], action[16], from[16], to[16];
    char note[INIT_TEXT_MAX];
};
typedef int (*init_event_fn)(const struct init_event *ev, void *ctx);
int store_init_history(struct store *s, int64_t id, init_event_fn fn, void *ctx, struct err *e);

/* Evidence files, checked, sniffed and hashed as PAR evidence; the bytes in par_blobs. */
struct init_evidence_in {
    int64_t initiative_id;
    const char *name;
    const void *data;
    int64_t size, max_size; /* max_size 0: PAR_EVIDENCE_MAX_DEFAULT */
    const char *actor;
    int64_t at;
};
struct init_evidence {
    int64_t id, initiative_id;
    char name[PAR_EVIDENCE_NAME_MAX], mime[PAR_MIME_MAX];
    int64_t size;
    char sha256[65];
    int64_t added_at;
    char added_by[PAR_ACTOR_MAX];
};
int store_init_evidence_add(struct store *s, const struct init_evidence_in *in,
                            struct init_evidence *out, struct err *e);
typedef int (*init_evidence_fn)(const struct init_evidence *ev, void *ctx);
int store_init_evidence_list(struct store *s, int64_t id, init_evidence_fn fn, void *ctx,
                             struct err *e);
/* One file with its content (*data malloc'd, the caller frees). */
int store_init_evidence_get(struct store *s, int64_t id, struct init_evidence *out, void **data,
                            struct err *e);

/* The PAR metric initiatives_count of unit over [from, to] (init_counted over the initiatives
 * of the unit and of the units merged into it): num recognised in the period, den listed;
 * value num in thousandths. fn (may be NULL) receives each listed initiative: the drill-down. */
struct init_count {
    int64_t num, den;
    par_pts value;
};
typedef int (*init_count_fn)(const struct initiative *i, int in_num, void *ctx);
int store_init_count(struct store *s, const char *unit, int64_t from, int64_t to,
                     struct init_count *out, init_count_fn fn, void *ctx, struct err *e);

#endif
