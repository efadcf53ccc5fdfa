/* remind.h — reminders before a due date and escalation after it (issues 14 and 15), the
 * pure part: the rules (data/reminders/rules.tsv, versioned by effective date) and which
 * stage an open item has reached on a day, counted in working days on cchc's calendar.
 *
 * Three kinds of items are followed: plan tasks (inspection remedies are tasks too),
 * feedback and petitions, and the commitments made at citizen dialogues. Two stages: due_soon
 * (at most N working days before the due day, the due day included) reminds the responsible
 * unit; overdue (at least N working days after the due day) reminds it again and escalates to
 * its parent unit's leaders (issue 14: "an overdue item escalates to the parent unit's
 * leader"). The store (store_remind.h) records each reminder once per item, stage, due date
 * and recipient, so a sweep repeated every hour sends nothing twice, and a due date moved
 * later starts the reminders again. */
#ifndef CCHC_REMIND_H
#define CCHC_REMIND_H

#include <stdint.h>

#include "err.h"

struct calendar;

enum remind_kind { RK_TASK, RK_FEEDBACK, RK_COMMITMENT, RK__COUNT };
enum remind_stage { RS_DUE_SOON, RS_OVERDUE, RS__COUNT };

const char *remind_kind_name(enum remind_kind k);
int remind_kind_parse(const char *s, enum remind_kind *out, struct err *e);
const char *remind_stage_name(enum remind_stage s);
int remind_stage_parse(const char *s, enum remind_stage *out, struct err *e);

#define REMIND_RULES_MAX  64
#define REMIND_SOURCE_MAX 256
#define REMIND_MAX_DAYS   60 /* working days before or after a due day a rule may name */

struct remind_rule {
    int64_t effective; /* days since the epoch */
    enum remind_kind kind;
    enum remind_stage stage;
    int workdays;          /* due_soon: at most this many before; overdue: at least after */
    unsigned unit_roles;   /* 1u << enum user_role of the responsible unit's accounts */
    unsigned parent_roles; /* … of its parent unit's accounts (escalation) */
    char source[REMIND_SOURCE_MAX];
};
struct remind_rules {
    int n;
    struct remind_rule r[REMIND_RULES_MAX];
};

/* Parses the rules' TSV (effective, kind, stage, workdays, notify, source); errors name
 * NAME:LINE and the column. notify: "unit:ROLE,ROLE;parent:ROLE" (user.h's role names). */
int remind_rules_parse(const char *text, const char *name, struct remind_rules *out, struct err *e);
/* Reads DIR/reminders/rules.tsv. */
int remind_rules_load(const char *dir, struct remind_rules *out, struct err *e);
/* The rule of kind and stage in force on day, or NULL. */
const struct remind_rule *remind_rule_at(const struct remind_rules *rs, enum remind_kind k,
                                         enum remind_stage st, int64_t day);

/* The stage an item of kind due on due_day (open: not done, answered or closed) has reached
 * on today, with its rule: RS_OVERDUE when today is at least the overdue rule's workdays
 * working days after due_day (0: the day after due_day), else RS_DUE_SOON when today is not
 * after due_day and at most the due_soon rule's workdays working days before it; -1 for
 * neither. Days outside the calendar: ERR_RANGE. */
int remind_stage_on(const struct remind_rules *rs, const struct calendar *cal, enum remind_kind k,
                    int64_t due_day, int64_t today, const struct remind_rule **rule, struct err *e);

#endif
