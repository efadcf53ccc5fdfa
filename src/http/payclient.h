/* payclient.h — the payment-provider adapter (docs/payment.md): the messages cchc and a
 * provider exchange over HTTP, each body signed with HMAC-SHA256 under the shared secret
 * (header X-Signature: lowercase hex), and the two calls cchc makes — create a payment and
 * query its status — through libcurl. The provider's callback comes the other way and is
 * checked with pay_verify. Used by payment.c (the routes), payment_sync.c (the reconciler)
 * and testpay.c (the built-in test provider, which speaks the same protocol). */
#ifndef CCHC_PAYCLIENT_H
#define CCHC_PAYCLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define PAY_SIG_HEX 65 /* 64 hex digits + NUL */

/* hex HMAC-SHA256(secret, body[0..n)) into out. */
void pay_sign(const char *secret, const void *body, size_t n, char out[PAY_SIG_HEX]);
/* 1 if sig (hex, any case) is the body's signature; constant time. */
int pay_verify(const char *secret, const void *body, size_t n, const char *sig);

/* What a provider says about a payment (callback body, or status query answer). */
struct pay_status_msg {
    char ref[40];           /* our reference */
    char provider_ref[128]; /* the provider's */
    char status[16];        /* pending | paid | failed | cancelled | unknown */
    int64_t amount;         /* VND */
};
/* Parses a callback or status body (JSON {ref, provider_ref, status, amount_vnd}); ERR_INVALID
 * naming the field. */
int pay_status_parse(const char *body, size_t n, struct pay_status_msg *out, struct err *e);

/* Creates a payment at the provider (POST {base}/api/payments): on success fills provider_ref
 * and pay_url (where to send the payer). ERR_IO when the provider cannot be reached or
 * refuses, naming why. */
int pay_create(const char *base, const char *secret, const char *ref, int64_t amount,
               const char *description, const char *return_url, const char *callback_url,
               char *provider_ref, size_t prn, char *pay_url, size_t pun, struct err *e);
/* Queries a payment's status (GET {base}/api/payments/{ref}); the answer's signature is
 * checked (ERR_IO if it does not match). A payment the provider does not know reads as
 * status "unknown". */
int pay_query(const char *base, const char *secret, const char *ref, struct pay_status_msg *out,
              struct err *e);

/* POSTs a signed JSON body to url (the test provider's callback); *status gets the HTTP
 * status, 0 when the server could not be reached. */
int pay_post_signed(const char *url, const char *secret, const char *body, long *status,
                    struct err *e);

#endif
