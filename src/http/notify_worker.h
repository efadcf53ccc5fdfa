/* notify_worker.h — the outbox's delivery as `cchc serve` runs it (a thread with its own
 * database connection, a pass every notify_interval seconds) and as `cchc notify run` does,
 * both configured from the serve options (config.h: notify_sink, smtp_*, sms_*, zalo_*,
 * public_url). */
#ifndef CCHC_NOTIFY_WORKER_H
#define CCHC_NOTIFY_WORKER_H

#include "config.h"
#include "deliver.h"
#include "err.h"

struct notify_templates;
struct notify_worker;

/* The channels of the configuration. */
void notify_channels_of(const struct serve_config *cfg, struct notify_channels *c);
/* Reads data/notify/templates.tsv of the configuration's data directory. */
int notify_templates_of(const struct serve_config *cfg, struct notify_templates **out,
                        struct err *e);
/* Starts the delivery thread (nothing, *out NULL, when notify_worker is off, or when the
 * templates cannot be read: then a warning goes to stderr and the server runs without). */
int notify_worker_start(const struct serve_config *cfg, struct notify_worker **out, struct err *e);
/* Stops it after its current pass; NULL is fine. */
void notify_worker_stop(struct notify_worker *w);

#endif
