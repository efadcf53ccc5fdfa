/* catalog.h — the published catalogue of procedures (công bố, công khai TTHC): the rules by
 * effective date that say when a procedure is published and posted in time
 * (data/catalog/publicity.tsv, each rule with its legal source), and the evaluation of one
 * procedure against them, which feeds the publicity indicators of Decision 766 (group 1:
 * 1.1 published on time, 1.2 updated on the national database on time, 1.3 complete). Pure:
 * reads only its own data file. */
#ifndef CCHC_CATALOG_H
#define CCHC_CATALOG_H

#include <stdint.h>

#include "calendar.h"
#include "err.h"
#include "procedure.h"
#include "unit.h"

enum pub_rule {
    PUB_PUBLISH_LEAD = 0, /* the decision at least N working days before the basis takes effect */
    PUB_PORTAL_WITHIN,    /* on the national database within N working days of the decision */
    PUB_DESK_WITHIN,      /* posted at the desk within N working days of the decision */
    PUB_RULE_COUNT
};

#define PUB_MAX 16

struct pub_rule_row {
    enum pub_rule rule;
    int64_t from_day, to_day; /* validity, inclusive day numbers */
    int days;                 /* working days */
    char source[400];
    int verify;
};

struct publicity_rules {
    int n;
    struct pub_rule_row rows[PUB_MAX];
};

const char *pub_rule_name(enum pub_rule r); /* "publish_lead" … */

/* Loads DIR/catalog/publicity.tsv (or the file path itself when it ends in ".tsv"). Errors
 * name "FILE:LINE: problem"; two periods of one rule may not overlap. */
int publicity_rules_load(const char *data_dir, struct publicity_rules *out, struct err *e);
/* The rule in force on day, or NULL. */
const struct pub_rule_row *publicity_rule(const struct publicity_rules *r, enum pub_rule rule,
                                          int64_t day);

/* One procedure against the rules. A flag is -1 when it cannot be judged (a date missing, or
 * no rule for the decision's day), else 0/1. */
struct publicity_eval {
    int64_t decision_day; /* -1: no decision */
    int64_t portal_day, desk_day;
    int published_on_time; /* 1.1 */
    int portal_on_time;    /* 1.2 */
    int desk_on_time;      /* niêm yết at the desk in time (shown; not a 766 indicator) */
    int complete;          /* 1.3: every part the catalogue models is there */
    char missing[200];     /* the parts missing, comma-separated (complete = 0) */
};
/* Evaluates p; cal counts working days (its range must cover the dates, else the flag that
 * needs them is -1). Never fails. */
void procedure_publicity(const struct procedure *p, const struct publicity_rules *rules,
                         const struct calendar *cal, struct publicity_eval *out);

/* The procedure level a unit's desk publishes and posts: communes, wards, towns and special
 * zones the commune level; districts the district level; every other kind the province. */
enum proc_level unit_kind_catalog_level(enum unit_kind k);

/* Figures of the publicity group for one level and period [from, to] (day numbers). */
struct publicity_counts {
    int64_t published, published_on_time; /* decisions in the period, judged */
    int64_t to_update, updated_on_time;   /* decisions in the period, portal judged */
    int64_t on_portal, complete;          /* on the national database by the period's end */
};
/* Adds p's evaluation to c when p is of the counted period. */
void publicity_count(struct publicity_counts *c, const struct publicity_eval *ev, int64_t from,
                     int64_t to);

/* Receiving regardless of residence (Decree 118/2025/NĐ-CP, verify the article): may the desk
 * of unit `recv` (in province recv_prov) receive a dossier of p that unit `decider` (in
 * province decider_prov) decides? Always when decider is NULL, "" or recv; otherwise only for
 * a procedure on the province's list (p->receive province: both in one province; nation:
 * anywhere). ERR_INVALID naming field "decider", the value and the rule. */
int receive_check(const struct procedure *p, const char *recv, const char *recv_prov,
                  const char *decider, const char *decider_prov, struct err *e);

#endif
