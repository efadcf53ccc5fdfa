/* store_feedback.h — feedback and petitions in the store (migration 010), part of store.h's
 * contract (errors, transactions and iteration as defined there), kept in its own header so
 * the resource's additions stay in its own files. The domain decisions are src/core/
 * feedback.c's: the store reads the record, applies the action there, writes the row and one
 * event, in one transaction; both backends run the same SQL (src/store/feedback.c). */
#ifndef CCHC_STORE_FEEDBACK_H
#define CCHC_STORE_FEEDBACK_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "dossier.h"
#include "feedback.h"
#include "store.h"

/* One item as stored. */
struct feedback_item {
    int64_t id;
    char code[FEEDBACK_CODE_LEN];
    char unit[UNIT_CODE_MAX]; /* the unit holding it now */
    enum feedback_channel channel;
    char dossier[DOSSIER_CODE_LEN];            /* "" if not about a dossier */
    char officer[FEEDBACK_OFFICER_MAX];        /* "" if not about an officer */
    char body[FEEDBACK_BODY_MAX + 1];          /* NFC */
    struct feedback_contact contact;           /* personal data */
    int consent;                               /* to publication */
    char dup_key[FEEDBACK_KEY_LEN];            /* "" without contact */
    struct feedback_state st;                  /* status, kind and clock */
    int64_t submitted_at;                      /* first reception anywhere */
    char answer[FEEDBACK_BODY_MAX + 1];        /* "" until answered */
    char answered_by[FEEDBACK_ACTOR_MAX];      /* "" until answered */
    char body_public[FEEDBACK_BODY_MAX + 1];   /* masked, once published */
    char answer_public[FEEDBACK_BODY_MAX + 1]; /* masked, once published */
    int rating;                                /* 1..5, 0 not rated */
    int64_t rated_at;
    int n_events;
    int duplicates; /* store_feedback_submit: 1 when the submission was linked to this item */
};

/* A new item. unit may be NULL when dossier names a stored dossier: the dossier's unit is
 * then responsible. at is the reception instant. */
struct feedback_new {
    const char *unit;
    enum feedback_kind kind;
    enum feedback_channel channel;
    const char *dossier; /* may be NULL */
    const char *officer; /* may be NULL */
    const char *body;
    struct feedback_contact contact;
    int consent;
    int64_t at;
    const char *actor; /* who recorded it: "citizen" for the web form, the officer at the desk */
};
/* Stores a new item with its follow-up code (random, PA-YYMMDD-XXXXXX) and first deadline,
 * or — when an item with the same duplicate key (feedback_dup_key: same contact, same folded
 * text) was received in the FEEDBACK_DUP_WINDOW before `at` — links the submission to that
 * item instead (an event "duplicate" on it; nothing new is counted) and returns that item
 * with out->duplicates = 1. ERR_INVALID: bad text or contact, unknown unit or dossier. */
int store_feedback_submit(struct store *s, const struct calendar *cal,
                          const struct feedback_rules *rules, const struct feedback_new *in,
                          struct feedback_item *out, struct err *e);

/* One item by follow-up code (case-insensitive); ERR_NOT_FOUND naming the code. */
int store_feedback_get(struct store *s, const char *code, struct feedback_item *out, struct err *e);

/* One action on an item. */
struct feedback_change {
    const char *code;
    enum feedback_action action;
    int64_t at;
    const char *actor;
    const char *note;    /* refuse, forward: the reason (FAF_REASON); no personal data */
    const char *to_unit; /* forward: the responsible unit (exists, not the current one) */
    const char *answer;  /* answer: the text sent to the citizen */
    const char *scope;   /* if not NULL: the actor's unit; an item outside its scope that day
                          * is ERR_NOT_FOUND, as if it did not exist */
};
/* Applies the change in one transaction: the state machine (feedback_apply), the row, one
 * event. publish takes the consent recorded at submission and stores the masked body and
 * answer (feedback_mask_personal). */
int store_feedback_apply(struct store *s, const struct calendar *cal,
                         const struct feedback_rules *rules, const struct feedback_change *c,
                         struct feedback_item *out, struct err *e);

/* The citizen's rating of the answer: score 1..5, once, only when answered or published
 * (ERR_CONFLICT otherwise, or when already rated). */
int store_feedback_rate(struct store *s, const char *code, int score, int64_t at, struct err *e);

typedef int (*feedback_fn)(const struct feedback_item *f, void *ctx);
struct feedback_filter {
    const char *unit;         /* scope: this unit's subtree and the units merged into it (as for
                               * dossiers, store_unit_scope on the day of now); NULL: all units */
    int status;               /* an enum feedback_status, or -1 */
    int kind;                 /* an enum feedback_kind, or -1 */
    int outcome;              /* an enum feedback_outcome at `now`, or -1 */
    const char *officer;      /* items about this officer, or NULL */
    const char *dossier;      /* items about this dossier, or NULL */
    int64_t from_day, to_day; /* submitted in [from_day, to_day] (day numbers); 0: open */
    int64_t now;
};
/* Items matching f, unit by unit in scope order, then by submission. */
int store_feedback_list(struct store *s, const struct feedback_filter *f, feedback_fn fn, void *ctx,
                        struct err *e);

/* Published items whose masked text or answer contains query (folded: case and diacritics
 * ignored; "" lists all), newest answer first, at most limit. Only body_public and
 * answer_public are filled in the items given to fn; contact, body and answer are empty. */
int store_feedback_published(struct store *s, const char *query, int limit, feedback_fn fn,
                             void *ctx, struct err *e);

struct feedback_event {
    int seq;
    int64_t at;
    char actor[FEEDBACK_ACTOR_MAX];
    char action[24];
    char from_status[16], to_status[16];
    char from_unit[UNIT_CODE_MAX], to_unit[UNIT_CODE_MAX];
    char note[FEEDBACK_NOTE_MAX];
};
typedef int (*feedback_event_fn)(const struct feedback_event *ev, void *ctx);
int store_feedback_events(struct store *s, const char *code, feedback_event_fn fn, void *ctx,
                          struct err *e);

/* Attachments: images (JPEG, PNG) and PDF, the type sniffed from the content (blob.h), never
 * taken from the name; at most FEEDBACK_FILE_MAX bytes each and FEEDBACK_FILES_MAX per
 * item. */
#define FEEDBACK_FILE_MAX  (5 * 1024 * 1024)
#define FEEDBACK_FILES_MAX 5
struct feedback_file {
    int64_t id;
    char name[200];
    char mime[64];
    int64_t size;
    char sha256[65];
};
int store_feedback_file_add(struct store *s, const char *code, const char *name, const void *data,
                            size_t size, struct feedback_file *out, struct err *e);
typedef int (*feedback_file_fn)(const struct feedback_file *f, void *ctx);
int store_feedback_files(struct store *s, const char *code, feedback_file_fn fn, void *ctx,
                         struct err *e);

/* Reply templates. */
struct feedback_template {
    char code[32];
    char unit[UNIT_CODE_MAX]; /* "" every unit */
    char title[200];
    char body[FEEDBACK_BODY_MAX + 1];
};
int store_feedback_template_put(struct store *s, const struct feedback_template *t, struct err *e);
typedef int (*feedback_template_fn)(const struct feedback_template *t, void *ctx);
/* Templates for unit (its own and the general ones), by code. */
int store_feedback_templates(struct store *s, const char *unit, feedback_template_fn fn, void *ctx,
                             struct err *e);

/* Handling figures for a unit's scope over submissions in [from_day, to_day], judged at now
 * (the inputs of Decision 766 indicators 6.1 and 6.2). */
struct feedback_summary {
    int64_t items;                           /* received (duplicates are linked, not counted) */
    int64_t on_time, late, overdue, in_time; /* feedback_outcome_at(now) of the handled ones */
    int64_t refused, forwarded, waiting;     /* not handled by this scope (yet) */
    int64_t rated, satisfied, rating_sum;    /* ratings; satisfied = 4 or 5 */
    int64_t unsatisfied;                     /* ratings 1 or 2 */
};
int store_feedback_summary(struct store *s, const char *unit, int64_t from_day, int64_t to_day,
                           int64_t now, struct feedback_summary *out, struct err *e);

/* The same figures for many units at once, in a single statement: out[i] for units[i], which
 * must be children of parent (NULL: any units); a unit of the list that is not (or that does
 * not exist) gets zeros, where store_feedback_summary would fail on an unknown unit. */
int store_feedback_summary_units(struct store *s, const char *parent, int n,
                                 const char *const *units, int64_t from_day, int64_t to_day,
                                 int64_t now, struct feedback_summary *out, struct err *e);

/* Per officer, for feedback about officers (items naming one): the same figures as
 * store_feedback_summary, one call of fn per officer in name order. */
typedef int (*feedback_officer_fn)(const char *officer, const struct feedback_summary *m,
                                   void *ctx);
int store_feedback_officers(struct store *s, const char *unit, int64_t from_day, int64_t to_day,
                            int64_t now, feedback_officer_fn fn, void *ctx, struct err *e);

#endif
