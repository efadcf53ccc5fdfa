/* preport.h — the periodic CCHC report (báo cáo định kỳ công tác cải cách hành chính: quý I,
 * 6 tháng, quý III, năm) as pure logic: its states and actions (one transition table,
 * preport.c, checked pair by pair by tests/data/preport-transitions.tsv), the four narrative
 * sections a unit writes, and the checks on them. The figures of a report are assembled by
 * src/report/preport_build.c and frozen into the report as a JSON snapshot; this file decides
 * when they may change (only in a draft) and who acts next.
 *
 * Frame: Decree 09/2019/NĐ-CP (reporting regime), Circular 07/2021/TT-BNV and the Ministry of
 * Home Affairs' guidance 581/BNV-CCHC (verify): a unit reports to the unit above it, which
 * consolidates. The states are cchc's working rule; no legal text prescribes them. */
#ifndef CCHC_PREPORT_H
#define CCHC_PREPORT_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

enum preport_status {
    PR_DRAFT = 0, /* the unit writes it; figures may be refreshed */
    PR_SUBMITTED, /* sent to the parent unit: frozen */
    PR_ACCEPTED,  /* the parent accepted it (final) */
    PR_RETURNED,  /* the parent sent it back with a reason */
    PR__COUNT
};

#define PRF_REASON 1u /* needs a note (the reason) */
#define PRF_PARENT 2u /* done by the parent unit (else by the reporting unit) */
#define PREPORT_ACTIONS(X)                                                                         \
    X(PA_REFRESH, "refresh", 0u, "assemble the figures again from the data (draft only)")          \
    X(PA_EDIT, "edit", 0u, "write the narrative sections (draft only)")                            \
    X(PA_SUBMIT, "submit", 0u, "send the report to the parent unit: figures and text freeze")      \
    X(PA_ACCEPT, "accept", PRF_PARENT, "the parent unit accepts the report")                       \
    X(PA_RETURN, "return", PRF_REASON | PRF_PARENT, "the parent unit returns it, with the reason") \
    X(PA_REOPEN, "reopen", 0u, "a returned report becomes a draft again")

enum preport_action {
#define PREPORT_ACTION_ENUM(act, ...) act,
    PREPORT_ACTIONS(PREPORT_ACTION_ENUM)
#undef PREPORT_ACTION_ENUM
        PA__COUNT
};

struct preport_action_desc {
    enum preport_action action;
    const char *name;
    unsigned flags;
    const char *summary;
};
const struct preport_action_desc *preport_action_desc(enum preport_action a);
const char *preport_status_name(enum preport_status s);  /* "draft" …; NULL outside the enum */
const char *preport_status_label(enum preport_status s); /* "Dự thảo" … */
int preport_status_parse(const char *s, enum preport_status *out, const char *field, struct err *e);
int preport_action_parse(const char *s, enum preport_action *out, const char *field, struct err *e);

/* The next state of action a on a report (id for messages) in state from, or ERR_CONFLICT
 * naming the state and the action; ERR_INVALID (field "note") when the action needs a reason
 * and note is empty. *next is written only on success. */
int preport_apply(int64_t id, enum preport_status from, enum preport_action a, const char *note,
                  enum preport_status *next, struct err *e);

/* Parses a report's period "YYYY-CCHC-Q1" (-6M, -Q3, -Y; report_period.h) into its year and
 * code ("Q1" …, static storage). ERR_INVALID naming field and the accepted forms. */
int preport_period_parse(const char *s, const char *field, int *year, const char **code,
                         struct err *e);

/* The narrative sections, in the order of the report. */
enum preport_section {
    PS_RESULTS = 0,  /* kết quả đạt được */
    PS_SHORTCOMINGS, /* tồn tại, hạn chế */
    PS_CAUSES,       /* nguyên nhân */
    PS_NEXT,         /* nhiệm vụ trọng tâm thời gian tới */
    PS__COUNT
};
#define PREPORT_SECTION_MAX 20000 /* bytes of one section */
#define PREPORT_NOTE_MAX    1000
const char *preport_section_key(enum preport_section s);   /* "results" … (API, CLI) */
const char *preport_section_title(enum preport_section s); /* "Kết quả đạt được" … */
int preport_section_parse(const char *s, enum preport_section *out, struct err *e);
/* A section's text: valid UTF-8, at most PREPORT_SECTION_MAX - 1 bytes, no control characters
 * but newline and tab. The field named in errors is the section's key. */
int preport_section_check(enum preport_section s, const char *text, struct err *e);

#endif
