/* remind_worker.h — the reminder sweep as `cchc serve` runs it (docs/reminders.md): a thread
 * with its own database connection that calls store_remind_sweep at start and every
 * remind_interval seconds, with the rules and calendar of the configuration's data directory.
 * Several servers on one database may all run it: a reminder row is written once, whoever
 * sweeps first. */
#ifndef CCHC_REMIND_WORKER_H
#define CCHC_REMIND_WORKER_H

#include "config.h"
#include "err.h"

struct remind_worker;
/* Starts the thread (nothing, *out NULL, when remind_worker is off, or when the rules or the
 * calendar cannot be read: then a warning goes to stderr and the server runs without). */
int remind_worker_start(const struct serve_config *cfg, struct remind_worker **out, struct err *e);
/* Stops it after its current pass; NULL is fine. */
void remind_worker_stop(struct remind_worker *w);

#endif
