/* store_remind.h — reminders and escalations in the store (migration 026, src/core/remind.h,
 * docs/reminders.md), in the SQL shared by SQLite and PostgreSQL.
 *
 * A sweep (store_remind_sweep, run by `cchc serve` every remind_interval seconds and by
 * `cchc remind`) reads every open plan task (remedies included), open feedback item and open
 * dialogue commitment, asks remind_stage_on which stage each has reached today, and for each
 * recipient the rule names — the responsible unit's active accounts of the rule's roles, the
 * task's lead when it names an account, and for an overdue item the parent unit's leaders —
 * writes one reminder row (never twice: the row's key is item, stage, due day and recipient)
 * and, when the account has an e-mail or a mobile phone, one outbox message in the same
 * transaction. */
#ifndef CCHC_STORE_REMIND_H
#define CCHC_STORE_REMIND_H

#include <stdint.h>

#include "notify.h"
#include "remind.h"
#include "store.h"
#include "user.h"

#define REMIND_ITEM_MAX  40
#define REMIND_TITLE_MAX 400 /* REFORM_TITLE_MAX: a task's title whole */

struct remind_sweep_stats {
    int items;   /* open items read */
    int reached; /* of them, at a stage today */
    int written; /* reminder rows written now */
    int queued;  /* of them, with an outbox message */
    int no_one;  /* items at a stage whose rule found no account to tell */
};
/* now: local minutes (date.h); its day is "today". */
int store_remind_sweep(struct store *s, const struct remind_rules *rules,
                       const struct calendar *cal, int64_t now, struct remind_sweep_stats *st,
                       struct err *e);

struct reminder {
    int64_t id;
    enum remind_kind kind;
    char item[REMIND_ITEM_MAX]; /* task or commitment id, feedback code */
    enum remind_stage stage;
    int64_t due_day;
    char unit[UNIT_CODE_MAX];
    char title[REMIND_TITLE_MAX];
    char recipient[USERNAME_MAX];
    int escalated;
    int64_t created_at, read_at; /* local minutes; read_at 0: unread */
    int queued;                  /* 1: an outbox message was written */
};
typedef int (*reminder_fn)(const struct reminder *r, void *ctx);
/* The reminders of an account, newest first, at most limit; unread_only: read_at 0. *unread
 * (may be NULL) receives the number unread. */
int store_reminders_of(struct store *s, const char *username, int unread_only, int limit,
                       reminder_fn fn, void *ctx, int64_t *unread, struct err *e);
/* Marks the account's reminder id (0: every one) read at at; *changed gets how many. An id
 * that is not the account's: ERR_NOT_FOUND. */
int store_reminders_read(struct store *s, const char *username, int64_t id, int64_t at,
                         int64_t *changed, struct err *e);

/* A staff account's e-mail and mobile phone for reminders ("" clears one; each normalised as
 * notify_contact_normalize does, and of its kind: field "email" must be an e-mail, "phone" a
 * phone). ERR_NOT_FOUND for an unknown account. */
int store_user_contact_put(struct store *s, const char *username, const char *email,
                           const char *phone, struct err *e);
int store_user_contact_get(struct store *s, const char *username, char *email, char *phone,
                           struct err *e); /* both NOTIFY_CONTACT_MAX bytes */

#endif
