/* feedback.h — feedback and petitions (phản ánh, kiến nghị) as pure logic: the kinds, the
 * handling state machine, the handling deadlines in working days (rules as data versioned by
 * effective date, data/feedback/deadlines.tsv), the on-time judgement and the key that links
 * duplicates.
 *
 * Legal sources (articles marked (verify) were not confirmed against the official text):
 *  - Decree 20/2008/NĐ-CP on receiving and handling feedback and petitions of individuals and
 *    organisations on administrative regulations, amended by Decree 48/2013/NĐ-CP and Decree
 *    92/2017/NĐ-CP; Circular 02/2017/TT-VPCP (guidance on controlling administrative
 *    procedures, including the handling of feedback) — kind FK_REGULATION.
 *  - Feedback on the handling of a dossier or on an officer's conduct at the one-stop desk:
 *    Decree 61/2018/NĐ-CP, now Decree 118/2025/NĐ-CP (the desk receives and answers it
 *    (verify article)) — kind FK_HANDLING.
 *  - Suggestions: no national deadline; cchc applies the unit's own rule (the data file's
 *    default) — kind FK_SUGGESTION.
 * The rules are in the transition table of feedback.c, in data/feedback/deadlines.tsv and in
 * docs/feedback.md. */
#ifndef CCHC_FEEDBACK_H
#define CCHC_FEEDBACK_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "err.h"

enum feedback_kind {
    FK_REGULATION = 0, /* about an administrative regulation (Decree 20/2008/NĐ-CP) */
    FK_HANDLING,       /* about the handling of a dossier or an officer's conduct */
    FK_SUGGESTION,     /* a suggestion (góp ý, đề xuất) */
    FK__COUNT
};
const char *feedback_kind_name(enum feedback_kind k); /* "regulation", "handling", "suggestion" */
const char *feedback_kind_label_vi(enum feedback_kind k);
int feedback_kind_parse(const char *s, enum feedback_kind *out, struct err *e);

enum feedback_status {
    FS_RECEIVED = 0, /* reached the unit; waiting for its decision to accept, refuse or forward */
    FS_ACCEPTED,     /* the unit is responsible and takes it (handling deadline set) */
    FS_REFUSED,      /* not accepted, with the reason told to the citizen (closed) */
    FS_FORWARDED,    /* sent on to the responsible unit, with the reason; that unit decides */
    FS_IN_PROGRESS,  /* being handled */
    FS_ANSWERED,     /* the answer is given to the citizen (handling ends here) */
    FS_PUBLISHED,    /* the answer is in the public list, personal data masked (closed) */
    FS__COUNT
};

/* The actions, one table for every layer. X(enum, name, flags, roles, summary)
 * flags: FAF_*; roles: DROLE_* bits (dossier.h) of the officers who may act. */
#define FAF_REASON  1u /* must carry a reason (refuse, forward) */
#define FAF_UNIT    2u /* names the unit it goes to (forward) */
#define FAF_ANSWER  4u /* carries the answer's text (answer) */
#define FAF_CONSENT 8u /* needs the citizen's consent to publish (publish) */
#define FROLE_DESK  (1u << 1)
#define FROLE_SPEC  (1u << 2)
#define FROLE_LEAD  (1u << 3)
#define FEEDBACK_ACTIONS(X)                                                                        \
    X(FA_ACCEPT, "accept", 0, FROLE_DESK | FROLE_SPEC | FROLE_LEAD, "the unit takes it")           \
    X(FA_REFUSE, "refuse", FAF_REASON, FROLE_DESK | FROLE_LEAD, "refuse it, saying why")           \
    X(FA_FORWARD, "forward", FAF_REASON | FAF_UNIT, FROLE_DESK | FROLE_LEAD,                       \
      "send it to the responsible unit, saying why")                                               \
    X(FA_START, "start", 0, FROLE_DESK | FROLE_SPEC | FROLE_LEAD, "start handling it")             \
    X(FA_ANSWER, "answer", FAF_ANSWER, FROLE_SPEC | FROLE_LEAD, "give the answer")                 \
    X(FA_PUBLISH, "publish", FAF_CONSENT, FROLE_LEAD, "publish the answer, personal data masked")

enum feedback_action {
#define FEEDBACK_ACTION_ENUM(act, ...) act,
    FEEDBACK_ACTIONS(FEEDBACK_ACTION_ENUM)
#undef FEEDBACK_ACTION_ENUM
        FA__COUNT
};
struct feedback_action_desc {
    enum feedback_action action;
    const char *name;
    unsigned flags, roles;
    const char *summary;
};
const struct feedback_action_desc *feedback_action_desc(enum feedback_action a);
const struct feedback_action_desc *feedback_action_find(const char *word);

const char *feedback_status_name(enum feedback_status s);
const char *feedback_status_label_vi(enum feedback_status s);
int feedback_status_parse(const char *s, enum feedback_status *out, struct err *e);
const char *feedback_action_name(enum feedback_action a);
int feedback_action_parse(const char *s, enum feedback_action *out, struct err *e);
/* 1 for refused and published; answered is closed for the clock but may still be published. */
int feedback_status_closed(enum feedback_status s);
/* 1 if the table allows action a in status s (guards aside). */
int feedback_transition_legal(enum feedback_status s, enum feedback_action a);

/* ---- deadline rules (data/feedback/deadlines.tsv) ---- */
/* One rule: from effective day on, feedback of kind must be decided (accepted, refused or
 * forwarded) within decide_days working days of reception and answered within answer_days
 * working days of acceptance. */
struct feedback_rule {
    int64_t effective; /* day number (date.h) */
    enum feedback_kind kind;
    int decide_days, answer_days;
    char source[240]; /* the legal citation, "(verify)" where unconfirmed */
};
#define FEEDBACK_RULES_MAX 64
struct feedback_rules {
    int n;
    struct feedback_rule r[FEEDBACK_RULES_MAX]; /* sorted by kind, then effective */
};
/* Loads dir/feedback/deadlines.tsv. A malformed line fails with "FILE:LINE: problem". */
int feedback_rules_load(const char *dir, struct feedback_rules *out, struct err *e);
/* Parses the file's text (for tests and the loader). name is used in messages. */
int feedback_rules_parse(const char *text, const char *name, struct feedback_rules *out,
                         struct err *e);
/* The rule in force on day for kind, or NULL (ERR_NOT_FOUND in e) when none is. */
const struct feedback_rule *feedback_rule_at(const struct feedback_rules *rs,
                                             enum feedback_kind kind, int64_t day, struct err *e);

/* ---- one piece of feedback's clock ---- */
/* Instants are minutes since 1970-01-01T00:00 local time (date.h); 0 means "not set". */
struct feedback_state {
    enum feedback_status status;
    enum feedback_kind kind;
    int64_t received_at; /* at the unit holding it (a forward restarts it for the new unit) */
    int64_t decide_due_at;
    int64_t accepted_at;
    int64_t answer_due_at;
    int64_t answered_at;
    int64_t closed_at; /* refused or published */
    int64_t last_at;   /* actions may not go back in time */
    int forwards;      /* times forwarded so far */
};

struct feedback_args {
    int64_t at;
    const struct calendar *cal;
    const struct feedback_rules *rules;
    int consent; /* publish: the citizen agreed to publication */
};

/* A fresh item of kind received at `at`, its decision deadline from the rules. */
int feedback_init(struct feedback_state *s, enum feedback_kind kind, int64_t at,
                  const struct calendar *cal, const struct feedback_rules *rules, struct err *e);
/* Applies a to cur into *next (cur untouched). Illegal pairs return ERR_CONFLICT naming the
 * state and the action; publish without consent returns ERR_CONFLICT; a time before the last
 * action returns ERR_INVALID. Forward restarts the clock: received_at = at, status
 * forwarded, a new decision deadline (the receiving unit decides anew). */
int feedback_apply(const struct feedback_state *cur, enum feedback_action a,
                   const struct feedback_args *args, struct feedback_state *next, struct err *e);

enum feedback_outcome {
    FO_NONE = 0, /* not counted: refused, forwarded away, or not yet accepted */
    FO_ON_TIME,  /* answered at or before the answer deadline */
    FO_LATE,     /* answered after it */
    FO_IN_TIME,  /* accepted, not answered, deadline not passed */
    FO_OVERDUE,  /* accepted, not answered, deadline passed */
};
const char *feedback_outcome_name(enum feedback_outcome o);
/* The outcome at instant now; a received or forwarded item past its decision deadline is
 * FO_OVERDUE too (it waits on the unit). */
enum feedback_outcome feedback_outcome_at(const struct feedback_state *s, int64_t now);

/* ---- duplicates ---- */
/* The key that links duplicates: a 16-hex-digit hash of the normalised contact (phone digits,
 * e-mail lower case) and the folded text (vntext_fold: case, diacritics and spacing ignored).
 * Two items with the same key received within FEEDBACK_DUP_WINDOW minutes of each other are
 * one: the later is linked to the first and not counted. Without a contact there is no key
 * (key[0] = 0): different citizens may write the same words. */
#define FEEDBACK_DUP_WINDOW (24 * 60)
#define FEEDBACK_KEY_LEN    17
int feedback_dup_key(const char *contact, const char *text, char key[FEEDBACK_KEY_LEN],
                     struct err *e);
/* 1 if an item received at b duplicates one received at a with the same key. */
int feedback_is_duplicate(const char *key_a, int64_t a, const char *key_b, int64_t b);

/* ---- the follow-up code ---- */
/* "PA-YYMMDD-XXXXXX": reception date and 6 characters from an alphabet without look-alikes
 * (no 0/O, 1/I/L), taken from the caller's random bytes (the store reads them from the OS). */
#define FEEDBACK_CODE_LEN 17
int feedback_code_build(int64_t day, const unsigned char rnd[6], char out[FEEDBACK_CODE_LEN],
                        struct err *e);
/* 1 if s has the shape of a follow-up code (after upper-casing). */
int feedback_code_valid(const char *s);

/* ---- masking for publication ---- */
/* Copies text into out (n bytes) with phone numbers (runs of 9+ digits, spaces/dots allowed
 * inside), e-mail addresses and 9- or 12-digit ID numbers replaced by "***". */
void feedback_mask_personal(const char *text, char *out, size_t n);

/* ---- a new item as it comes in ---- */
/* How it reached the unit: the public web form, the lookup page of a dossier, or the desk
 * for a phone call, a letter or a visit. */
enum feedback_channel { FC_WEB = 0, FC_DOSSIER, FC_PHONE, FC_LETTER, FC_VISIT, FC__COUNT };
const char *feedback_channel_name(enum feedback_channel c); /* "web", "dossier", "phone" … */
int feedback_channel_parse(const char *s, enum feedback_channel *out, struct err *e);

#define FEEDBACK_BODY_MAX    4000 /* bytes of the text, and of the answer */
#define FEEDBACK_NAME_MAX    200
#define FEEDBACK_PHONE_MAX   16
#define FEEDBACK_EMAIL_MAX   120
#define FEEDBACK_NOTE_MAX    400
#define FEEDBACK_ACTOR_MAX   64
#define FEEDBACK_OFFICER_MAX 64
/* The sender's contact: all optional, but an answer needs a phone or an e-mail. Personal
 * data: never in logs or error messages. */
struct feedback_contact {
    char name[FEEDBACK_NAME_MAX];
    char phone[FEEDBACK_PHONE_MAX]; /* 0 + 9 digits or +84 + 9 digits, "" */
    char email[FEEDBACK_EMAIL_MAX]; /* "" */
};
/* Checks a new item's text (present, valid UTF-8, no control characters but line breaks,
 * at most FEEDBACK_BODY_MAX bytes) and contact (phone and e-mail syntax, without quoting
 * them). */
int feedback_input_check(const char *body, const struct feedback_contact *c, struct err *e);

#endif
