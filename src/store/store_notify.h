/* store_notify.h — the durable notification outbox and the citizen's identity in the store
 * (migration 015, docs/notify.md).
 *
 * The outbox. A message is a row written in the SAME transaction as the event that causes it
 * (outbox_enqueue inside the caller's store_tx), so a committed event always has its message
 * and a rolled-back one never does. Delivery is at least once: a worker claims due rows with
 * a lease (a conditional UPDATE, so two processes never hold one row at once), sends, then
 * marks the row sent; a worker killed between sending and marking leaves a lease that
 * expires, and the row is sent again — the receiver tells the duplicate by its msg_id.
 * States: pending → sent, or failed (retried at next_at, notify_backoff_seconds) → … → dead
 * after NOTIFY_MAX_ATTEMPTS; skipped when there was no recipient or the citizen opted out
 * (reason says which). An operator replays a dead row (store_outbox_replay).
 *
 * The province (migration 048, docs/scale.md step 1): every row carries the province of what
 * it is about, which the caller has in hand and passes (never looked up by the INSERT): a
 * dossier's message its dossier's (a payment confirmation too), a reminder's the reminder's,
 * a survey invitation its round's, a feedback answer the item's; a citizen's own message
 * OUTBOX_NATIONAL. On Citus the outbox is distributed by it, co-located with the dossiers.
 *
 * Identity. A citizen proves a phone or e-mail by a one-time code sent to it (stored salted
 * and hashed, 10 minutes, 5 wrong tries, a few codes per contact per hour); the confirmed
 * contact gets a server-side session (the cookie carries a random token, the row its
 * SHA-256). */
#ifndef CCHC_STORE_NOTIFY_H
#define CCHC_STORE_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

#include "dossier.h"
#include "notify.h"
#include "store.h"

#define OTP_TTL_SECONDS   600 /* a code is valid 10 minutes */
#define OTP_MAX_ATTEMPTS  5   /* wrong codes tried against one code before it is void */
#define CITIZEN_TOKEN_HEX 64  /* the cookie's token: 32 random bytes in hex */

/* The outbox's province of a message that belongs to no province: national, a citizen's own
 * message (the one-time code, the lost dossier codes, anything keyed only by a contact), no
 * province. On Citus one shard holds them, and its transaction with citizen_otp (distributed
 * by contact) spans two shards. */
#define OUTBOX_NATIONAL ""

/* One message to write. recipient NULL or "": the row is kept as 'skipped' with skip_reason
 * (so an operator sees why a dossier's applicant heard nothing). channel NULL: "sms" or
 * "email" from the recipient's form. event_at: the cause's instant (local minutes, date.h),
 * 0 for now. vars: notify_vars_add lines. province: the province of what the message is
 * about (see above), OUTBOX_NATIONAL for none; NULL is refused (ERR_INTERNAL), so a caller
 * cannot forget it. */
struct outbox_msg {
    enum notify_event event;
    const char *channel;
    const char *recipient;
    const char *skip_reason;
    const char *dossier_code;
    const char *vars;
    int64_t event_at;
    const char *province;
};
/* Writes one outbox row; inside the caller's store_tx when there is one (the event's
 * transaction), else in its own. A recipient who opted out (notify_optout) of an optional
 * event gets a 'skipped' row. msg_id (NOTIFY_MSGID_MAX bytes, may be NULL) receives the
 * message's unique id. */
int outbox_enqueue(struct store *s, const struct outbox_msg *m, char *msg_id, struct err *e);

/* The dossier hook: dossiers.c calls it in every dossier transaction after writing, with the
 * record before (NULL at creation) and after and the action's name. It enqueues "received"
 * (into received), "supplement_requested", "result_ready" (into those states) and "apology"
 * (the apologise action, with the new appointment), to the applicant's mobile phone. */
int store_notify_dossier(struct store *s, const struct dossier *old, const struct dossier *nw,
                         const char *action, struct err *e);
/* "payment confirmed" for the payment code (issue 16's payment part) to call inside the
 * transaction that records the payment: enqueues payment_confirmed to the dossier's applicant
 * with the amount as text ("1.500.000 đ") and the receipt number (biên lai). */
int store_notify_payment_confirmed(struct store *s, const char *dossier_code, const char *amount,
                                   const char *receipt_no, struct err *e);
/* "feedback answered": feedback.c calls it in the answering transaction. contact: the
 * item's e-mail, else its phone (either may be ""). province: the item's. */
int store_notify_feedback_answered(struct store *s, const char *followup_code,
                                   const char *unit_code, const char *province, const char *email,
                                   const char *phone, int64_t at, struct err *e);

/* --- the citizen's identity --- */

/* Creates a one-time code for contact (normalised) and enqueues it (event otp) in one
 * transaction. *limited = 1 (and nothing written) when max codes were created for contact
 * in the last window_s seconds. */
int store_otp_create(struct store *s, const char *contact, int64_t now, int max, int window_s,
                     int *limited, struct err *e);
/* Checks code against contact's latest live code. On success marks it used, opens a citizen
 * session of session_s seconds and writes its token (CITIZEN_TOKEN_HEX + 1 bytes). A wrong
 * code counts a try (kept even though the call fails): ERR_INVALID "code". No live code
 * (none, expired, used or tried too often): ERR_INVALID "code". */
int store_otp_verify(struct store *s, const char *contact, const char *code, int64_t now,
                     int64_t session_s, char *token, struct err *e);
/* The contact of a live citizen session by its token: 0, or ERR_NOT_FOUND. */
int store_citizen_session(struct store *s, const char *token, int64_t now, char *contact, size_t n,
                          struct err *e);

/* --- opt-out and the lost code --- */

/* Records that contact wants no more optional messages (via "session" or "token"). */
int store_notify_optout(struct store *s, const char *contact, const char *via, int64_t now,
                        struct err *e);
/* The same for the recipient of the message whose unsubscribe token is token; contact (n
 * bytes, may be NULL) receives it. ERR_NOT_FOUND for an unknown token. */
int store_notify_optout_token(struct store *s, const char *token, int64_t now, char *contact,
                              size_t n, struct err *e);
/* 1 when contact opted out. */
int store_notify_opted_out(struct store *s, const char *contact, int *out, struct err *e);
/* Enqueues (event lost_code, to contact only) the codes of the dossiers whose applicant
 * contact is contact, newest 20. *found: how many (0: nothing sent). *limited = 1 when max
 * such messages went to contact in the last window_s seconds (then nothing is sent). */
int store_lost_code(struct store *s, const char *contact, int64_t now, int max, int window_s,
                    int *found, int *limited, struct err *e);

/* --- delivery --- */

struct outbox_row {
    int64_t id;
    char msg_id[NOTIFY_MSGID_MAX];
    char event[32], channel[8], state[10];
    char recipient[NOTIFY_CONTACT_MAX];
    char dossier_code[64];
    char province[UNIT_CODE_MAX];
    char vars[NOTIFY_VARS_MAX];
    char reason[256];
    char unsub[40];
    int attempts;
    int64_t event_at, next_at, created_at, sent_at, lease_until;
};
/* Claims up to max due rows (pending or failed, next_at <= now, no live lease) for owner
 * until now + lease_s, counting an attempt on each. rows receives *n of them. */
int store_outbox_claim(struct store *s, const char *owner, int64_t now, int lease_s, int max,
                       struct outbox_row *rows, int *n, struct err *e);
/* Records the attempt of the claimed row id of province (the claim's row's: one shard on
 * Citus): ok → sent (an otp's code is wiped from vars); else
 * failed with error and the next try after notify_backoff_seconds(attempts), or dead when
 * permanent or the attempts are used up. Only the lease's owner may do it (a row whose lease
 * was taken over is left alone and ERR_CONFLICT returned). */
int store_outbox_result(struct store *s, int64_t id, const char *province, const char *owner,
                        int ok, int permanent, const char *error, int64_t now, struct err *e);
typedef int (*outbox_fn)(const struct outbox_row *r, void *ctx);
/* Rows newest first, of one state (NULL: all), at most limit. */
int store_outbox_list(struct store *s, const char *state, int limit, outbox_fn fn, void *ctx,
                      struct err *e);
/* Counts per state: counts[0..4] pending, sent, failed, dead, skipped. */
int store_outbox_counts(struct store *s, int64_t counts[5], struct err *e);
/* Puts a dead row back to pending, due now, attempts from zero. ERR_NOT_FOUND, or
 * ERR_CONFLICT when the row is not dead. By id alone: an operator's rare act, which fans out
 * to every shard on Citus. */
int store_outbox_replay(struct store *s, int64_t id, int64_t now, struct err *e);

#endif
