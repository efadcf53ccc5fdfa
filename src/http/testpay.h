/* testpay.h — the built-in test payment provider (docs/payment.md): a second, small
 * libmicrohttpd daemon on 127.0.0.1 that speaks the provider protocol of payclient.h, with a
 * Vietnamese page "Cổng thanh toán thử nghiệm" where the payer clicks Pay or Cancel; it then
 * calls cchc's callback (unless asked to lose it) and sends the payer back. Payments live in
 * memory. Enabled only by configuration: `cchc serve --test-pay-port N` or `cchc testpay`. */
#ifndef CCHC_TESTPAY_H
#define CCHC_TESTPAY_H

#include "err.h"

struct testpay;

/* Starts the provider on 127.0.0.1:port (0: any free port) with the shared secret. */
int testpay_start(int port, const char *secret, struct testpay **out, struct err *e);
int testpay_port(const struct testpay *t);
void testpay_stop(struct testpay *t);

#endif
