/* payment.h — online payment of a dossier's fees (phí, lệ phí; docs/payment.md): the states
 * of a payment and what a provider's report (callback or status query) does to each, as one
 * transition table with its source per row (checked exhaustively by
 * tests/data/payment-transitions.tsv), and the receipt number's printed form. Pure: no I/O. */
#ifndef CCHC_PAYMENT_H
#define CCHC_PAYMENT_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

enum payment_status {
    PAY_PENDING = 0, /* created, the payer sent to the provider; nothing reported yet */
    PAY_PAID,        /* the provider confirmed the amount asked: settled, receipt numbered */
    PAY_FAILED,      /* the provider reported a failure */
    PAY_CANCELLED,   /* the payer cancelled on the provider's page */
    PAY_MISMATCHED,  /* the provider confirmed a payment of another amount: for the officer */
    PAY__COUNT
};

/* What a provider reports about a payment. */
enum payment_report {
    PR_PENDING = 0, /* not decided yet (status query only) */
    PR_PAID,
    PR_FAILED,
    PR_CANCELLED,
    PR__COUNT
};

const char *payment_status_name(enum payment_status s);
/* Vietnamese label for pages ("Đã thanh toán"). */
const char *payment_status_label_vi(enum payment_status s);
/* -1 when the name is not a status / report. */
int payment_status_parse(const char *name);
int payment_report_parse(const char *name);
const char *payment_report_name(enum payment_report r);

/* The state a report moves a payment to. amount_ok says whether the reported amount equals
 * the amount asked (only read for PR_PAID). Returns 1 when the state changes (then *to is
 * the new state), 0 when the report changes nothing (a replayed or late report, or a report
 * about a payment already settled: idempotent). */
int payment_next(enum payment_status from, enum payment_report rep, int amount_ok,
                 enum payment_status *to);
/* The source of the row of (from, rep, amount_ok), for the documentation and the test. */
const char *payment_rule_source(enum payment_status from, enum payment_report rep, int amount_ok);

/* 1 if a state is final (paid, mismatched); failed and cancelled may still turn paid when the
 * provider later confirms the money was taken. */
int payment_settled(enum payment_status s);

/* The receipt's printed number: "BL-2026-0000042" style, the unit-and-year sequence padded to
 * 7 digits (Circular 78/2021/TT-BTC: receipt numbers of up to 7 digits (verify)). */
void payment_receipt_format(int64_t year, int64_t no, char *out, size_t n);

/* Checks an amount in VND: 1 .. 1e12 (ERR_INVALID naming field). */
int payment_amount_check(int64_t amount, const char *field, struct err *e);

#endif
