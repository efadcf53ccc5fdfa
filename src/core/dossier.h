/* dossier.h — the one-stop dossier (hồ sơ thủ tục hành chính) as pure logic: the lifecycle
 * state machine, the processing clock (due instant, stops for supplements and pauses, step
 * deadlines), the outcome (early / on time / late; in time / overdue) and the dossier code.
 *
 * Legal sources (articles marked (verify) were not confirmed against the official text):
 *  - Decree 61/2018/NĐ-CP (one-stop and inter-agency one-stop mechanism), as amended by
 *    Decree 107/2021/NĐ-CP: reception Art. 16 (Mẫu 01 receipt, Mẫu 02 supplement request,
 *    Mẫu 03 refusal), transfer Art. 17, processing Art. 18 (supplement during processing,
 *    refusal after appraisal, apology Mẫu 04 for late dossiers), return Art. 19 (verify).
 *  - Circular 01/2018/TT-VPCP: forms Mẫu 01–06 and the dossier code (Art. 19? (verify)).
 *  - Civil Code 2015 Art. 147–148 for counting periods (through calendar.h).
 * The rules themselves are in the transition table of dossier.c and in docs/dossiers.md. */
#ifndef CCHC_DOSSIER_H
#define CCHC_DOSSIER_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "err.h"
#include "procedure.h"

enum dossier_status {
    DS_SUBMITTED = 0,        /* filed (online, by post), awaiting the desk's check */
    DS_RECEIVED,             /* accepted at the desk, receipt Mẫu 01 issued, clock running */
    DS_PROCESSING,           /* at step k of n of the procedure's template */
    DS_RESULT_READY,         /* result produced, waiting at the desk */
    DS_RETURNED,             /* result handed to the applicant (closed) */
    DS_SUPPLEMENT_REQUESTED, /* Mẫu 02 sent: waiting for the applicant, clock stopped */
    DS_PAUSED,               /* processing suspended (e.g. financial obligation), clock stopped */
    DS_REFUSED,              /* Mẫu 03 refusal, at the desk or after appraisal (closed) */
    DS_WITHDRAWN,            /* the applicant withdrew the dossier (closed) */
    DS_CANCELLED,            /* cancelled by the agency (entry error, no supplement) (closed) */
    DS__COUNT
};

/* The dossier actions: one row each, the one table every layer takes them from (core: names,
 * reasons, what the action needs; http: the route's path segment, roles and summary; cli: the
 * command word; store: whether the procedure must be loaded). Columns:
 *   X(enum, name, path, alias, flags, roles, summary)
 * name: in data files, the database, the audit log and the API's history ("request_supplement");
 * path: the URL segment and CLI word ("request-supplement"); alias: one more accepted word;
 * flags: DAF_*; roles: DROLE_* bits of who may do it, after the one-stop mechanism of Decree
 * 61/2018/NĐ-CP, now Decree 118/2025/NĐ-CP: the desk receives, asks for supplements, refuses
 * at reception and returns results (Art. 15–16, 19 of 61/2018), the processing agency's
 * specialist examines and the leader approves (Art. 17–18), the leader signs the apology
 * letter (Art. 18(2)(c), Mẫu 04) (verify). */
/* DAF_REASON: the change's note carries a reason — the documents to supplement (Mẫu 02,
 * Circular 01/2018/TT-VPCP), the grounds of a refusal (Mẫu 03) or of an apology (Mẫu 04), and,
 * cchc's rule for the audit log, why a dossier is paused, withdrawn or cancelled. The CLI
 * (--reason), the API ("note") and dossier_change_check apply it. */
#define DAF_REASON    1u        /* must carry a reason */
#define DAF_PROCEDURE 2u        /* needs the procedure's legal time and steps */
#define DAF_OFFICER   4u        /* takes "officer": who holds the new step */
#define DAF_NEW_DUE   8u        /* takes and needs the new appointment (new_due_at) */
#define DAF_RULE      16u       /* takes the supplement rule (resume / restart) */
#define DROLE_DESK    (1u << 1) /* = 1u << UROLE_DESK_OFFICER (user.h) */
#define DROLE_SPEC    (1u << 2) /* UROLE_SPECIALIST */
#define DROLE_LEAD    (1u << 3) /* UROLE_LEADER */
#define DOSSIER_ACTIONS(X)                                                                         \
    X(DA_RECEIVE, "receive", "receive", NULL, DAF_PROCEDURE, DROLE_DESK,                           \
      "accept a submitted dossier")                                                                \
    X(DA_ADVANCE, "advance", "advance", "assign", DAF_PROCEDURE | DAF_OFFICER,                     \
      DROLE_DESK | DROLE_SPEC | DROLE_LEAD, "move to the next step")                               \
    X(DA_REQUEST_SUPPLEMENT, "request_supplement", "request-supplement", NULL, DAF_REASON,         \
      DROLE_DESK | DROLE_SPEC, "ask for missing documents (Mẫu 02)")                               \
    X(DA_SUPPLEMENT_RECEIVED, "supplement_received", "supplement-received", NULL,                  \
      DAF_PROCEDURE | DAF_RULE, DROLE_DESK, "the dossier was completed")                           \
    X(DA_PAUSE, "pause", "pause", NULL, DAF_REASON, DROLE_SPEC | DROLE_LEAD, "suspend processing") \
    X(DA_RESUME, "resume", "resume", NULL, DAF_PROCEDURE, DROLE_SPEC | DROLE_LEAD, "end a pause")  \
    X(DA_REFUSE, "refuse", "refuse", NULL, DAF_REASON, DROLE_DESK | DROLE_SPEC | DROLE_LEAD,       \
      "refuse (Mẫu 03)")                                                                           \
    X(DA_WITHDRAW, "withdraw", "withdraw", NULL, DAF_REASON, DROLE_DESK,                           \
      "the applicant withdraws")                                                                   \
    X(DA_CANCEL, "cancel", "cancel", NULL, DAF_REASON, DROLE_DESK | DROLE_LEAD,                    \
      "cancel (entry error)")                                                                      \
    X(DA_FINISH, "finish", "finish", NULL, 0, DROLE_SPEC | DROLE_LEAD, "result ready")             \
    X(DA_RETURN, "return", "return", NULL, 0, DROLE_DESK, "result handed over")                    \
    X(DA_APOLOGISE, "apologise", "apologise", "apologize", DAF_REASON | DAF_NEW_DUE, DROLE_LEAD,   \
      "apology with a new appointment (Mẫu 04)")

enum dossier_action {
#define DOSSIER_ACTION_ENUM(act, ...) act,
    DOSSIER_ACTIONS(DOSSIER_ACTION_ENUM)
#undef DOSSIER_ACTION_ENUM
        DA__COUNT
};

/* One row of DOSSIER_ACTIONS. */
struct dossier_action_desc {
    enum dossier_action action;
    const char *name, *path, *alias;
    unsigned flags, roles;
    const char *summary;
};
/* The row of action a (NULL for a value outside the enum). */
const struct dossier_action_desc *dossier_action_desc(enum dossier_action a);
/* The action whose name, path or alias is word, or NULL. */
const struct dossier_action_desc *dossier_action_find(const char *word);

/* A legal processing time (procedure.h's enum time_unit):
 *  - TIME_WORKING_DAYS: N working days after the reception day, ending at the close of
 *    office hours of the N-th (0: the close of the reception day, or of the next working
 *    day when received after 15:00, SAME_DAY_CUTOFF);
 *  - TIME_WORKING_HOURS: N hours of office time from reception;
 *  - TIME_CALENDAR_DAYS: N calendar days; a last day that is not a working day moves to the
 *    close of the next working day. */
/* Minute of the day after which a same-day ("0 working days") dossier is due the next
 * working day: 15:00. */
#define SAME_DAY_CUTOFF (15 * 60)

struct legal_time {
    enum time_unit unit;
    int amount; /* >= 0 */
};

/* What happens to the clock when a supplement requested during processing arrives. */
enum supplement_rule {
    /* The time already spent counts; the due instant moves by the stopped working time
     * (Decree 61/2018 Art. 18: time spent before the request is counted in the processing
     * time (verify)). The default. */
    SUPPLEMENT_RESUME = 0,
    /* The full legal time starts again from receipt of the complete dossier, where a
     * sectoral law counts the limit "from receipt of a complete, valid dossier" (verify
     * per procedure). */
    SUPPLEMENT_RESTART,
};

/* Everything the state machine and the clock need to know about one dossier. Instants are
 * minutes since 1970-01-01T00:00 local time (date.h); 0 means "not set". */
struct dossier_state {
    enum dossier_status status;
    enum dossier_status resume_to; /* status to return to after a supplement or a pause */
    int step;                      /* current template step, 1..n_steps; 0 before the first */
    int n_steps;                   /* number of template steps (>= 1 once received) */
    int64_t received_at;           /* clock start */
    int64_t due_at;                /* legal due instant, moved only by stops (never by apology) */
    int64_t budget_minutes;        /* working minutes from reception to due_at (step shares) */
    int64_t step_started_at;
    int64_t step_due_at;
    int64_t stopped_at;      /* start of the current supplement/pause, 0 if the clock runs */
    int64_t stopped_minutes; /* working minutes the clock has been stopped in total */
    int supplements;         /* supplement requests so far */
    int pauses;              /* pauses so far */
    int apologies;           /* apology letters so far */
    int64_t apology_due_at;  /* the latest apology's new appointment */
    int64_t result_at;
    int64_t returned_at;
    int64_t closed_at; /* refusal, withdrawal, cancellation */
    int64_t last_at;   /* instant of the latest action: actions may not go back in time */
};

/* The inputs of one action. Only the fields an action needs are read. */
struct action_args {
    int64_t at;                 /* when the action happens (every action) */
    const struct calendar *cal; /* every action that moves the clock */
    /* receive, advance, supplement_received: the legal time and the process template (steps
     * and their shares: percent of the time, or fixed working hours). A template without
     * steps counts as one step holding the whole time. */
    const struct procedure *proc;
    enum supplement_rule supplement_rule; /* supplement_received */
    int64_t new_due_at;                   /* apologise: the new appointment (> due_at) */
};

/* Names used in data files, the database and messages ("processing", "request_supplement").
 * The parse functions accept those names (and "assign" for advance). */
const char *dossier_status_name(enum dossier_status s);
const char *dossier_status_label_vi(enum dossier_status s);
const char *dossier_action_name(enum dossier_action a);
int dossier_status_parse(const char *s, enum dossier_status *out, struct err *e);
int dossier_action_parse(const char *s, enum dossier_action *out, struct err *e);
/* 1 for returned, refused, withdrawn, cancelled. */
int dossier_status_closed(enum dossier_status s);

/* 1 if the table allows action a in status s at all (guards on steps and times aside). */
int dossier_transition_legal(enum dossier_status s, enum dossier_action a);

/* A fresh dossier in status submitted. */
void dossier_init(struct dossier_state *s);

/* Applies action a to cur. On success fills *next (cur is never modified; next may not
 * alias cur) and returns 0. An action the state does not allow returns ERR_CONFLICT with a
 * message naming the state and the action ("cannot 'return' a dossier in state
 * 'processing': the result is not ready"); bad arguments return ERR_INVALID; calendar
 * failures (a date outside the calendar) return its code. */
int dossier_apply(const struct dossier_state *cur, enum dossier_action a,
                  const struct action_args *args, struct dossier_state *next, struct err *e);

/* Due instant of a legal time counted from an instant (see enum time_unit). */
int dossier_due(const struct calendar *cal, int64_t from, struct legal_time lt, int64_t *due,
                struct err *e);
/* Working minutes allotted to step k (1-based) of procedure p when the whole time is
 * budget working minutes: the step's percent of the budget (cumulative, so the steps add up
 * exactly) or its fixed hours. */
int64_t dossier_step_allotment(const struct procedure *p, int64_t budget, int k);

enum dossier_outcome {
    OUT_NONE = 0, /* not counted: submitted, withdrawn, cancelled, refused before reception */
    OUT_EARLY,    /* result on a day before the due day */
    OUT_ON_TIME,  /* result on the due day, at or before the due instant */
    OUT_LATE,     /* result after the due instant (an apology does not change this) */
    OUT_IN_TIME,  /* still open and the clock has not passed the due instant */
    OUT_OVERDUE,  /* still open and the clock has passed the due instant */
};
const char *dossier_outcome_name(enum dossier_outcome o);
int dossier_outcome_parse(const char *s, enum dossier_outcome *out, struct err *e);

/* Outcome of a dossier at instant now (now matters only for open dossiers). "Early" is by
 * day: a result on the due day counts as on time even before the due instant (see
 * docs/dossiers.md for why). While the clock is stopped, the time that counts is the
 * moment it stopped. */
enum dossier_outcome dossier_outcome_at(const struct dossier_state *s, int64_t now);
/* Outcome of the current step: was the step (finished at `done`, or still running at
 * `done`) within its step deadline? Returns OUT_ON_TIME/OUT_LATE/OUT_NONE (no step). */
enum dossier_outcome dossier_step_outcome(const struct dossier_state *s, int64_t done);

/* How the dossier reached the desk. */
enum dossier_channel {
    CHANNEL_DIRECT = 0, /* trực tiếp at the desk */
    CHANNEL_ONLINE,     /* trực tuyến through the public-service portal */
    CHANNEL_POSTAL,     /* qua bưu chính công ích */
    CHANNEL__COUNT
};
const char *dossier_channel_name(enum dossier_channel c); /* "direct", "online", "postal" */
const char *dossier_channel_label_vi(enum dossier_channel c);
int dossier_channel_parse(const char *s, enum dossier_channel *out, struct err *e);

/* The applicant as written on the receipt. idno and phone are personal data: they are never
 * put in logs or error messages, and displays mask them (applicant_mask). */
#define APPLICANT_NAME_MAX    200
#define APPLICANT_IDNO_MAX    16
#define APPLICANT_PHONE_MAX   16
#define APPLICANT_ADDRESS_MAX 300
struct applicant {
    char name[APPLICANT_NAME_MAX];       /* NFC */
    char idno[APPLICANT_IDNO_MAX];       /* citizen ID: 12 digits (CCCD) or 9 (old CMND); "" */
    char phone[APPLICANT_PHONE_MAX];     /* 0 + 9 digits, or +84 + 9 digits; "" */
    char address[APPLICANT_ADDRESS_MAX]; /* "" allowed */
};
/* Checks the applicant (name present and valid UTF-8, ID and phone syntax) without ever
 * quoting the ID number or the phone in the message. */
int applicant_check(const struct applicant *a, struct err *e);
/* Drops, in place, the spaces, dots, hyphens and brackets people write in a phone number
 * ("0912 345 678", "0912.345.678", "(+84) 912-345-678"), so the number is checked and stored
 * as its digits (and a leading +). Anything else is left for applicant_check to refuse. */
void applicant_phone_normalize(char *phone);
/* A dossier code as typed, written as stored: surrounding spaces dropped, letters in upper
 * case (codes carry the unit's letters, "…H20-…"; a code typed in lower case is the same
 * code). buf receives at most n - 1 bytes. */
void dossier_code_normalize(const char *s, char *buf, size_t n);
/* Writes s with every character but the last 3 replaced by '*' ("*********123"). */
char *applicant_mask(const char *s, char *buf, size_t n);

/* Dossier code (Circular 01/2018/TT-VPCP (verify article)): UNIT-YYMMDD-XXXX where UNIT is
 * the receiving unit's identifier code per Circular 10/2016/TT-BTTTT, V1V2V3.Z1Z2.Y1Y2.MX1X2
 * (e.g. 000.00.12.H29: three groups of digits and a level-1 code of one letter and two
 * digits), YYMMDD the reception date and XXXX the sequence 0001..9999 within unit and day. */
#define DOSSIER_CODE_LEN 26 /* 13 + 1 + 6 + 1 + 4, plus NUL */
struct dossier_code {
    char unit[14];
    struct ymd date;
    int seq;
};
/* 1 if s is a well-formed unit identifier code V1V2V3.Z1Z2.Y1Y2.MX1X2. */
int unit_code_valid(const char *s);
int dossier_code_build(const char *unit_code, int64_t day, int seq, char *buf, size_t n,
                       struct err *e);
int dossier_code_parse(const char *s, struct dossier_code *out, struct err *e);

/* ---- the dossier record and its changes ---- */
/* What a dossier is as a whole (the domain record every backend stores, and the audit hash is
 * taken over, src/store/audit.c), one change to it, and the records a change writes beside it. */

#include "unit.h"

#define DOSSIER_ACTOR_MAX 64
#define DOSSIER_NOTE_MAX  400

struct dossier {
    int64_t id;
    char code[DOSSIER_CODE_LEN];
    char unit[UNIT_CODE_MAX];      /* receiving unit */
    char procedure[PROC_CODE_MAX]; /* national procedure code */
    enum dossier_channel channel;
    struct applicant applicant;
    int64_t submitted_at;
    struct dossier_state st;
    char officer[DOSSIER_ACTOR_MAX]; /* who holds the current step, "" if none */
    int fee_paid_online;             /* fee paid online (0/1) */
    int digitised;                   /* dossier digitised at reception (0/1) */
    int n_events;
};

/* One action on an existing dossier. */
struct dossier_change {
    const char *code;
    enum dossier_action action;
    int64_t at;
    const char *actor;   /* who does it */
    const char *note;    /* reason: documents to supplement, grounds of refusal… (no
                          * personal data; it goes into the audit log) */
    const char *officer; /* advance: who takes the new step (default: actor) */
    int64_t new_due_at;  /* apologise */
    enum supplement_rule supplement_rule;
    const struct procedure *proc; /* optional: the dossier's procedure already loaded */
    /* When the change is recorded (the server's clock; 0: the store reads the clock), and
     * whether the entry judged `at` earlier than the backdating tolerance (backdate.h). A
     * backdated change takes effect on the dossier's clock at recorded_at: the state, the
     * step, stop and finish instants, hence outcome and statistics, use it; the claimed `at`
     * is kept in the event (docs/statistics.md, "Backdated actions"). */
    int64_t recorded_at;
    int backdated;
};

/* The records around a dossier, in order. */
struct dossier_step_rec {
    int seq;
    char officer[DOSSIER_ACTOR_MAX];
    int64_t started_at, due_at, finished_at; /* finished_at 0 while running */
    enum dossier_outcome outcome;            /* OUT_ON_TIME / OUT_LATE, OUT_NONE if open */
};
struct dossier_stop_rec {
    int seq;
    int pause; /* 1 pause, 0 supplement request */
    int64_t started_at, ended_at, working_minutes;
    char reason[DOSSIER_NOTE_MAX];
};
struct dossier_apology_rec {
    int seq;
    int64_t issued_at, old_due_at, new_due_at;
    char reason[DOSSIER_NOTE_MAX];
};

/* What a change writes beside the dossier's row and its event: the store only carries these
 * out (src/store/dossiers.c), so which action ends, starts or judges a step is decided here. */
enum dossier_effect_kind {
    FX_STEP_START,  /* step: a new step record (seq, officer, started_at, due_at) */
    FX_STEP_FINISH, /* step: seq finished at finished_at, judged outcome (OUT_NONE: not judged) */
    FX_STEP_DUE,    /* step: seq's deadline moved to due_at (the clock was stopped) */
    FX_STOP_START,  /* stop: a new supplement request or pause (seq, pause, started_at, reason) */
    FX_STOP_END,    /* stop: seq ended at ended_at after working_minutes */
    FX_APOLOGY,     /* apology: a new apology letter */
};
struct dossier_effect {
    enum dossier_effect_kind kind;
    struct dossier_step_rec step;
    struct dossier_stop_rec stop;
    struct dossier_apology_rec apology;
};
#define DOSSIER_EFFECTS_MAX 2
struct dossier_effects {
    int n;
    struct dossier_effect fx[DOSSIER_EFFECTS_MAX];
};

/* Checks a change's own fields (actor present, sizes, UTF-8 of the note) and that it carries
 * what its action needs (a reason, the new appointment). */
int dossier_change_check(const struct dossier_change *c, struct err *e);
/* Applies change c to the dossier cur (a backdated change: checked at its claimed time, then
 * applied at its recorded time, see struct dossier_change): proc is the dossier's procedure (needed
 * when the action's row has DAF_PROCEDURE, else may be NULL), cal the calendar. Fills *next (the
 * new record: state, officer of a new step, one more event) and *fx (the records to write), or
 * returns the state machine's error and leaves both undefined. */
int dossier_change_apply(const struct dossier *cur, const struct dossier_change *c,
                         const struct calendar *cal, const struct procedure *proc,
                         struct dossier *next, struct dossier_effects *fx, struct err *e);

/* A new dossier record before it is stored: numbered seq on the unit's day of `at`, with the
 * unit's identifier code (Circular 10/2016/TT-BTTTT), applicant in NFC, state submitted.
 * Checks that the unit has an identifier code and exists on that day. */
int dossier_new(const struct unit *u, const char *procedure, enum dossier_channel channel,
                const struct applicant *a, int64_t at, int seq, int fee_paid_online, int digitised,
                struct dossier *out, struct err *e);

#endif
