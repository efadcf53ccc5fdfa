/* inspection.h — CCHC inspections (kiểm tra công tác cải cách hành chính) as pure logic: the
 * state machine of one inspection of one unit, the findings' kinds, when an inspection may
 * close (its remedies — tasks of the inspected unit, reform.h — all closed), and the share of
 * units inspected in a year that PAR criteria sets score ("tỷ lệ cơ quan, đơn vị được kiểm tra
 * công tác CCHC trong năm" (verify the wording and the threshold per set)).
 *
 * Frame: Resolution 76/NQ-CP (2021) has agencies inspect CCHC work yearly; the yearly
 * inspection plan is part of the CCHC plan. The states below are cchc's working rule: no legal
 * text prescribes them. */
#ifndef CCHC_INSPECTION_H
#define CCHC_INSPECTION_H

#include <stdint.h>

#include "err.h"

enum insp_status {
    IS_PLANNED = 0, /* in the year's inspection plan: unit, dates, team */
    IS_IN_PROGRESS, /* the team is at the unit (checklist being filled) */
    IS_CONCLUDED, /* conclusion issued (kết luận kiểm tra): findings recorded, remedies open */
    IS_CLOSED,    /* every remedy closed (closed) */
    IS_CANCELLED, /* dropped from the plan, with a reason (closed) */
    IS__COUNT
};

#define IAF_REASON 1u /* needs a note */
#define INSPECTION_ACTIONS(X)                                                                      \
    X(IA_START, "start", 0u, "the team begins at the unit")                                        \
    X(IA_CONCLUDE, "conclude", 0u, "issue the conclusion: findings recorded, remedies assigned")   \
    X(IA_CLOSE, "close", 0u, "close: every remedy is closed")                                      \
    X(IA_REOPEN, "reopen", IAF_REASON, "reopen a closed inspection (a remedy was reopened)")       \
    X(IA_CANCEL, "cancel", IAF_REASON, "drop the inspection from the plan, with the reason")

enum insp_action {
#define INSP_ACTION_ENUM(act, ...) act,
    INSPECTION_ACTIONS(INSP_ACTION_ENUM)
#undef INSP_ACTION_ENUM
        IA__COUNT
};

struct insp_action_desc {
    enum insp_action action;
    const char *name;
    unsigned flags;
    const char *summary;
};
const struct insp_action_desc *insp_action_desc(enum insp_action a);
const char *insp_status_name(enum insp_status s); /* "planned" …; NULL outside the enum */
int insp_status_parse(const char *s, enum insp_status *out, const char *field, struct err *e);
int insp_action_parse(const char *s, enum insp_action *out, const char *field, struct err *e);

/* What the state machine needs to know beyond the state. */
struct insp_facts {
    int64_t id;
    enum insp_status status;
    int nfindings;     /* findings recorded (strengths and shortcomings) */
    int open_remedies; /* remedy tasks not done or cancelled */
};

/* The next state of action a, or ERR_CONFLICT naming the state and the action; the guards:
 * conclude needs at least one finding; close needs no open remedy (it names how many are
 * open); reopen and cancel need a note. */
int insp_apply(const struct insp_facts *f, enum insp_action a, const char *note,
               enum insp_status *next, struct err *e);
/* 1 when a concluded inspection should close on its own: its last remedy just closed. */
int insp_should_close(const struct insp_facts *f);

/* Findings: a strength (ưu điểm) or a shortcoming (tồn tại, hạn chế); only shortcomings take
 * remedies. */
enum finding_kind { FK_STRENGTH = 0, FK_SHORTCOMING, FINDING__COUNT };
const char *finding_kind_name(enum finding_kind k); /* "strength", "shortcoming" */
int finding_kind_parse(const char *s, enum finding_kind *out, const char *field, struct err *e);

/* The share of units inspected in a year: of the n units that must be inspected (codes),
 * those with an inspection concluded or closed in the year (inspected, m codes; repeats
 * count once). Value in thousandths of a percent, as PAR metrics; den 0 gives INT64_MIN. */
struct insp_share {
    int64_t num, den, value;
};
void insp_share(const char *const *units, int n, const char *const *inspected, int m,
                struct insp_share *out);

#endif
