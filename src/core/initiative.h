/* initiative.h — CCHC initiatives and models (sáng kiến, mô hình mới trong cải cách hành chính)
 * as pure logic: the state machine of one initiative from its proposal by a unit, through the
 * evaluation by the council of a unit above it and the recognition decision, to the units that
 * apply it; the recognition levels; the checks of a proposal; and the count of recognised
 * initiatives that PAR criteria sets score ("Sáng kiến, mô hình mới về CCHC").
 *
 * Legal frame: Decree 13/2012/NĐ-CP (2/3/2012) issuing the Regulation on initiatives (Điều lệ
 * sáng kiến) — an initiative is a technical, management or working solution recognised by the
 * unit when it is new within the unit, has been applied or applied on trial there with a real
 * benefit, and is not excluded (Art. 3 (verify the article)); the unit's initiative council
 * evaluates it before recognition (verify the article); guided by Circular 18/2013/TT-BKHCN
 * (1/8/2013). The scope of an initiative's effect (cơ sở, tỉnh, toàn quốc) feeds emulation
 * titles under the Law on Emulation and Commendation 2022 and Decree 98/2023/NĐ-CP (31/12/2023)
 * (verify the article). The states below are cchc's working rule: no legal text prescribes
 * them. */
#ifndef CCHC_INITIATIVE_H
#define CCHC_INITIATIVE_H

#include <stdint.h>

#include "err.h"

enum init_status {
    INS_PROPOSED = 0, /* registered by the proposing unit (đơn yêu cầu công nhận) */
    INS_ACCEPTED,     /* the council evaluated it and proposes recognition, with a score */
    INS_RECOGNIZED,   /* a decision recognises it (quyết định công nhận sáng kiến) */
    INS_REJECTED,     /* the council or the deciding authority refused it, with the reason */
    INS_WITHDRAWN,    /* the proposing unit withdrew it (closed) */
    INS__COUNT
};

/* The level whose authority recognised it: the unit itself (cấp cơ sở), a district (cấp
 * huyện, before the 1/7/2025 reorganisation abolished the level), the province (cấp tỉnh). */
enum init_level { INL_UNIT = 0, INL_DISTRICT, INL_PROVINCE, INL__COUNT };

#define INAF_SCORE    1u /* takes the council's score (0..100) and opinion */
#define INAF_REASON   2u /* needs a note */
#define INAF_DECISION 4u /* needs the decision's number, day and level */
#define INITIATIVE_ACTIONS(X)                                                                      \
    X(INA_ACCEPT, "accept", INAF_SCORE, "the council accepts it, with its score and opinion")      \
    X(INA_REJECT, "reject", INAF_REASON, "the council (or the authority) rejects it, with why")    \
    X(INA_RECOGNIZE, "recognize", INAF_DECISION, "the recognition decision: number, day, level")   \
    X(INA_APPLY, "apply", 0u, "a unit applies it (on trial before recognition)")                   \
    X(INA_WITHDRAW, "withdraw", INAF_REASON, "the proposing unit withdraws it, with why")          \
    X(INA_RESUBMIT, "resubmit", INAF_REASON, "propose a rejected initiative again, with changes")

enum init_action {
#define INIT_ACTION_ENUM(act, ...) act,
    INITIATIVE_ACTIONS(INIT_ACTION_ENUM)
#undef INIT_ACTION_ENUM
        INA__COUNT
};

struct init_action_desc {
    enum init_action action;
    const char *name;
    unsigned flags;
    const char *summary;
};
const struct init_action_desc *init_action_desc(enum init_action a);
const char *init_status_name(enum init_status s); /* "proposed" …; NULL outside the enum */
int init_status_parse(const char *s, enum init_status *out, const char *field, struct err *e);
int init_action_parse(const char *s, enum init_action *out, const char *field, struct err *e);
const char *init_level_name(enum init_level l); /* "unit", "district", "province" */
int init_level_parse(const char *s, enum init_level *out, const char *field, struct err *e);

#define INIT_TITLE_MAX    400
#define INIT_TEXT_MAX     4000 /* description, expected effect, opinion, reason, result */
#define INIT_AUTHORS_MAX  400
#define INIT_DECISION_MAX 64
#define INIT_SCORE_MAX    100

/* What an action carries; fields an action does not take are ignored. */
struct init_args {
    int score;               /* accept: 0..INIT_SCORE_MAX; -1 when not given */
    const char *note;        /* opinion (accept), reason (reject, withdraw, resubmit) */
    const char *decision_no; /* recognize */
    int64_t decision_day;    /* recognize: a day (days since the epoch) */
    int level;               /* recognize: enum init_level, -1 when not given */
    int64_t day;             /* accept, reject: the council's day; 0: the day of the act */
};

/* What the state machine needs to know beyond the state. */
struct init_facts {
    int64_t id;
    enum init_status status;
    int64_t proposed_day;  /* the decision cannot precede the proposal */
    int64_t evaluated_day; /* 0 until accepted; the decision cannot precede it */
};

/* The next state of action a, or ERR_CONFLICT naming the state and the action; then the
 * guards: accept needs a score 0..100; reject, withdraw and resubmit a note; the council's
 * day (accept, reject) is not before the proposal; recognize needs a decision number, a level
 * and a decision day not before the proposal or the evaluation.
 * *next is written only on success. */
int init_apply(const struct init_facts *f, enum init_action a, const struct init_args *args,
               enum init_status *next, struct err *e);

/* A proposal's fields, checked before anything is written. */
struct init_proposal {
    const char *title, *area, *description, *authors, *effect;
    int64_t proposed_day;
};
int init_proposal_check(const struct init_proposal *p, struct err *e);

/* The PAR metric initiatives_count of a unit over a period [from, to] (days): of its
 * initiatives (the unit's own and those of units merged into it), den counts those proposed
 * or recognised in the period (the drill-down list), num those recognised in it (decision
 * day in the period). value: num in thousandths (PAR_SCALE), so a set's rule reads counts
 * (">=1:1;else:0"). */
struct init_fact {
    enum init_status status;
    int64_t proposed_day, decision_day; /* decision_day 0: none */
};
/* 1 when the initiative is in the metric's list for [from, to]; *in_num 1 when it counts. */
int init_counted(const struct init_fact *f, int64_t from, int64_t to, int *in_num);

#endif
