/* notify.h — the pure side of notifications and the citizen's identity (issue 16,
 * docs/notify.md): contacts (a phone or an e-mail, normalised so one citizen is one key), the
 * events that send a message, the delivery schedule (retries with exponential backoff), and
 * the message templates (data/notify/templates.tsv, versioned by effective date) with their
 * placeholders. No I/O but reading the template file. */
#ifndef CCHC_NOTIFY_H
#define CCHC_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define NOTIFY_CONTACT_MAX 256 /* an e-mail address is at most 254 bytes (RFC 5321 4.5.3.1) */
#define NOTIFY_MSGID_MAX   40  /* "m-" + 32 hex digits */
#define NOTIFY_OTP_DIGITS  6
#define NOTIFY_VARS_MAX    4096

enum contact_kind { CONTACT_PHONE = 1, CONTACT_EMAIL = 2 };

/* Normalises a contact as typed: a phone ("0912 345 678", "+84 912.345.678", "84912345678")
 * becomes its national form "0912345678" — 0 and 9 digits, a mobile number (first digit after
 * the 0 one of 3, 5, 7, 8, 9: the 10-digit mobile numbering since Decision 798/QĐ-BTTTT of
 * 2018 (verify)), since codes go out by SMS or Zalo; an e-mail address is checked (one '@',
 * a local part of 1-64 bytes of letters, digits and !#$%&'*+/=?^_`{|}~.-, no leading,
 * trailing or double dot; a domain of dot-separated labels of letters, digits and '-' with a
 * dot, at most 254 bytes in all) and lower-cased. ERR_INVALID naming field, never quoting a
 * phone number (personal data stays out of messages and logs). out has n bytes. */
int notify_contact_normalize(const char *in, char *out, size_t n, enum contact_kind *kind,
                             const char *field, struct err *e);
/* "sms" for a phone, "email" for an e-mail: the channel a contact is written to by default
 * (the delivery side may send phone messages by Zalo OA instead, docs/notify.md). */
const char *notify_channel_of(enum contact_kind k);
/* Writes a contact masked for operators' lists: "09******78", "n***@example.vn". */
char *notify_contact_mask(const char *contact, char *buf, size_t n);

/* The events that cause a message. */
#define NOTIFY_EVENTS(X)                                                                           \
    X(NE_RECEIVED, "received", "dossier received (Mẫu 01 issued)")                                 \
    X(NE_SUPPLEMENT, "supplement_requested", "documents requested (Mẫu 02)")                       \
    X(NE_RESULT_READY, "result_ready", "result ready to collect")                                  \
    X(NE_APOLOGY, "apology", "apology with a new appointment (Mẫu 04)")                            \
    X(NE_PAYMENT, "payment_confirmed", "the fee was paid")                                         \
    X(NE_FEEDBACK, "feedback_answered", "feedback or petition answered")                           \
    X(NE_OTP, "otp", "one-time code confirming a contact")                                         \
    X(NE_LOST_CODE, "lost_code", "the dossier codes of a contact, asked again")                    \
    X(NE_SURVEY, "survey_invitation",                                                              \
      "a one-time link to a satisfaction survey (docs/surveys.md)")                                \
    X(NE_REMIND_DUE, "reminder_due", "staff: an item of theirs is due soon (docs/reminders.md)")   \
    X(NE_REMIND_OVERDUE, "reminder_overdue", "staff: an item of theirs is overdue")                \
    X(NE_ESCALATION, "escalation", "staff: an item of a unit below is overdue")

enum notify_event {
#define NOTIFY_EVENT_ENUM(ev, name, text) ev,
    NOTIFY_EVENTS(NOTIFY_EVENT_ENUM)
#undef NOTIFY_EVENT_ENUM
        NE__COUNT
};
const char *notify_event_name(enum notify_event ev);
int notify_event_parse(const char *s, enum notify_event *out);
/* 1 for the events a citizen's opt-out stops (dossier and feedback news; not the codes the
 * citizen asks for). */
int notify_event_optional(enum notify_event ev);

/* Delivery schedule: the delay before attempt n + 1 after n failed attempts (n >= 1): 60 s
 * doubled each time, at most 6 hours. A message is dead after NOTIFY_MAX_ATTEMPTS. */
#define NOTIFY_MAX_ATTEMPTS 8
int64_t notify_backoff_seconds(int attempts);

/* Template variables: "name<TAB>value" lines (the outbox's vars column). notify_vars_add
 * appends one to buf (n bytes), turning tabs and line breaks in value into spaces; ERR_RANGE
 * when it does not fit. notify_vars_get copies a value (or "" when absent) and returns 1 when
 * found. */
int notify_vars_add(char *buf, size_t n, const char *name, const char *value, struct err *e);
int notify_vars_get(const char *vars, const char *name, char *out, size_t n);

/* The message templates: one row per event, channel ("email", "sms", "zalo" or "*") and
 * effective date; subject (e-mail) and body with {name} placeholders. */
struct notify_templates;
/* Reads path (TSV: event, channel, effective_from YYYY-MM-DD, subject, body, source). Every
 * event must have a "*" row in force from its first date; errors name FILE:LINE. */
int notify_templates_load(const char *path, struct notify_templates **out, struct err *e);
void notify_templates_free(struct notify_templates *t);
/* Renders the template of event for channel in force on day (days since the epoch, date.h):
 * the channel's own row if any, else "*". Placeholders take their value from vars; an
 * unknown placeholder is left as written. subject/body receive NUL-terminated text
 * (truncated to their sizes). ERR_NOT_FOUND when no template is in force. */
int notify_render(const struct notify_templates *t, const char *event, const char *channel,
                  int64_t day, const char *vars, char *subject, size_t ns, char *body, size_t nb,
                  struct err *e);

#endif
