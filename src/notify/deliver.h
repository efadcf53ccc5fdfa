/* deliver.h — sending the outbox (store_notify.h): claim due messages with a lease, render
 * each with its template (notify.h), hand it to its channel, record sent / failed / dead.
 * Channels: e-mail by SMTP (libcurl), SMS and Zalo OA by JSON POST to configured HTTP
 * gateways (libcurl), and a loopback sink (one JSON line per message appended to a file) for
 * the demo and tests, which when set takes every message. At least once: a message is marked
 * sent only after its channel accepted it, so a crash in between sends it again; receivers
 * tell duplicates by msg_id (the e-mail's Message-ID and X-Cchc-Message-Id, the gateways'
 * "msg_id", the sink's "msg_id"). */
#ifndef CCHC_NOTIFY_DELIVER_H
#define CCHC_NOTIFY_DELIVER_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct store;
struct notify_templates;

#define NOTIFY_CFG_STR 1024

struct notify_channels {
    char sink[NOTIFY_CFG_STR];     /* loopback file; "" = off */
    char smtp_url[NOTIFY_CFG_STR]; /* smtp://host:port or smtps://…; "" = no e-mail */
    char smtp_from[256];           /* envelope and From: address */
    char smtp_user[256], smtp_password[256];
    char sms_url[NOTIFY_CFG_STR];  /* SMS gateway: POST JSON {msg_id, to, text} */
    char sms_token[256];           /* sent as Authorization: Bearer */
    char zalo_url[NOTIFY_CFG_STR]; /* Zalo OA gateway, the same shape */
    char zalo_token[256];
    char public_url[NOTIFY_CFG_STR]; /* base of {link} and {unsubscribe}; "" = http://127.0.0.1:8080
                                      */
    int timeout_s;                   /* per delivery */
};

struct notify_run_stats {
    int claimed, sent, failed, dead;
};

/* One pass: claims up to max due messages for owner (lease lease_s seconds), delivers each and
 * records the result. Errors of single messages are recorded on them; the return is non-zero
 * only when the store fails. */
int notify_run_once(struct store *s, const struct notify_templates *t,
                    const struct notify_channels *c, const char *owner, int max, int lease_s,
                    struct notify_run_stats *st, struct err *e);
/* A worker id for leases: "host:pid:random". */
void notify_owner_id(char *buf, size_t n);

#endif
