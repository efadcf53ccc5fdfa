/* payment_http.h — online payment in the HTTP layer (docs/payment.md): the runtime the server
 * starts (the built-in test provider when configured, the reconciler thread), the sync that
 * settles pending payments by status query (also `cchc payment sync`), and the one place
 * that hears of a settled payment (payment_on_settled). */
#ifndef CCHC_PAYMENT_HTTP_H
#define CCHC_PAYMENT_HTTP_H

#include <stdint.h>

#include "config.h"
#include "err.h"

struct server;
struct store;
struct payment_row;

/* The provider's base URL in force: pay_provider_url, else the built-in test provider's
 * address when it runs (test_port > 0), else "" (online payment off). */
void payment_provider_base(const struct serve_config *cfg, int test_port, char *out, size_t n);

struct payment_sync_counts {
    int queried, paid, failed, cancelled, mismatched, unchanged, errors;
};
/* Queries the provider about every payment still pending that was created before
 * created_before (minutes) and settles it by the answer ("query"). Errors of one payment are
 * counted and the rest go on. */
int payment_sync(struct store *s, const char *base, const char *secret, int64_t created_before,
                 struct payment_sync_counts *c, struct err *e);

/* Called once per payment whose state a callback or status query changed, after the commit.
 * The notification of "payment confirmed" to the citizen is wired here to the notification
 * outbox (issue 16's notify part) at merge; today it only logs the event without personal
 * data. */
void payment_on_settled(const struct payment_row *p);

/* Server lifecycle (server.c): starts the test provider (test_pay_port) and the reconciler
 * (pay_sync_seconds); stops them. */
int payment_http_open(struct server *srv, struct err *e);
void payment_http_close(struct server *srv);

#endif
