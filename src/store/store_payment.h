/* store_payment.h — online payment in the store (migration 016, docs/payment.md), part of
 * store.h's contract (errors, transactions and iteration as defined there). The state machine
 * is src/core/payment.c's; settling a payment, numbering its receipt (per unit and year, no
 * gaps) and setting the dossier's fee_paid_online (one hash-chained event, the statistics
 * moved) happen in one transaction. Both backends run the same SQL (src/store/payment.c). */
#ifndef CCHC_STORE_PAYMENT_H
#define CCHC_STORE_PAYMENT_H

#include <stddef.h>
#include <stdint.h>

#include "dossier.h"
#include "payment.h"
#include "store.h"

#define PAYMENT_REF_LEN     33 /* 32 hex digits + NUL */
#define PAYMENT_PROVREF_MAX 128
#define PAYMENT_URL_MAX     512

struct payment_row {
    int64_t id;
    char ref[PAYMENT_REF_LEN];
    char dossier[DOSSIER_CODE_LEN];
    char unit[UNIT_CODE_MAX];
    int64_t amount, paid_amount; /* VND; paid_amount 0 until reported */
    enum payment_status status;
    char provider_ref[PAYMENT_PROVREF_MAX];
    char pay_url[PAYMENT_URL_MAX];
    int64_t created_at, created_day, settled_at, checked_at; /* minutes / day; 0 = not set */
    char settled_by[12];                                     /* "callback", "query" or "" */
    int64_t receipt_year, receipt_no;                        /* 0 until paid */
};
typedef int (*payment_fn)(const struct payment_row *p, void *ctx);

/* Where the amount to collect comes from. */
enum payment_due_source { DUE_NONE = 0, DUE_CATALOGUE, DUE_OFFICER };
struct payment_due {
    int64_t amount; /* 0 with DUE_NONE */
    enum payment_due_source source;
    int paid;    /* the dossier's fee is paid (fee_paid_online, or a paid payment) */
    int payable; /* the dossier's state allows paying (not refused, withdrawn or cancelled) */
};
/* The fee a dossier owes: the amount an officer set (payment_dues), else the procedure's fixed
 * fee_vnd from the catalogue; DUE_NONE when neither. ERR_NOT_FOUND: no such dossier. */
int store_payment_due(struct store *s, const char *code, struct payment_due *out, struct err *e);
/* Sets the amount of a fee the province sets (the procedure's catalogue fee is not a fixed
 * positive amount); ERR_CONFLICT when the catalogue fixes it or the fee is paid. */
int store_payment_due_set(struct store *s, const char *code, int64_t amount, const char *by,
                          int64_t at, struct err *e);

/* Inserts a pending payment of the dossier's due amount (p->ref, p->provider_ref, p->pay_url,
 * p->amount, p->created_at given; the rest filled). ERR_CONFLICT when the dossier cannot be
 * paid (already paid, closed, no amount) or the amount no longer equals the due. */
int store_payment_insert(struct store *s, struct payment_row *p, struct err *e);
/* The newest pending payment of a dossier created at or after since (ERR_NOT_FOUND if none). */
int store_payment_pending_of(struct store *s, const char *code, int64_t since,
                             struct payment_row *out, struct err *e);
int store_payment_get(struct store *s, const char *ref, struct payment_row *out, struct err *e);

/* Filters of store_payment_list; empty / 0 fields do not filter. */
struct payment_filter {
    const char *dossier;    /* one dossier's */
    int64_t day;            /* created on this day (day number), 0: any */
    int status;             /* enum payment_status + 1, 0: any */
    int64_t created_before; /* minutes, 0: any */
};
/* Payments matching f, oldest first (by id). */
int store_payment_list(struct store *s, const struct payment_filter *f, payment_fn fn, void *ctx,
                       struct err *e);

/* What settling did. */
struct payment_settle_out {
    int changed;          /* 0: the report changed nothing (replay, late, unknown) */
    struct payment_row p; /* the payment after */
};
/* Applies a provider's report (payment_next) to payment ref: on a change writes the state and
 * the reported amount; on paid also numbers the receipt (unit, year of at) and sets the
 * dossier's fee_paid_online with an event 'pay' by 'payment' (statistics moved) — all in one
 * transaction. source: "callback" or "query". A status query's visit is recorded (checked_at)
 * even when nothing changes. ERR_NOT_FOUND: no such payment. */
int store_payment_settle(struct store *s, const char *ref, enum payment_report rep, int64_t amount,
                         const char *provider_ref, const char *source, int64_t at,
                         struct payment_settle_out *out, struct err *e);

#endif
