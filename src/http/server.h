/* server.h — the HTTP server of `cchc serve`: libmicrohttpd with an epoll thread pool, one
 * database connection per worker thread, the route table, metrics and graceful shutdown.
 * The CLI starts it, waits for SIGTERM/SIGINT and stops it. */
#ifndef CCHC_SERVER_H
#define CCHC_SERVER_H

#include <stdio.h>

#include "config.h"
#include "err.h"

struct server;

/* Opens the store (cfg->threads connections), loads the calendar and starts listening.
 * Fails with the reason in e (a busy port, a database newer than this program …). */
int server_start(const struct serve_config *cfg, struct server **out, struct err *e);
/* The TCP port actually bound (cfg->port, or the one picked when it was 0). */
int server_port(const struct server *s);
/* Applies a re-read configuration while serving: slow_ms and request_log take effect at
 * once; every other option that differs is named on log as waiting for a restart (sockets,
 * threads, the store and the rate-limit tables are not rebuilt under running requests).
 * Returns the number of options applied. */
int server_reload(struct server *s, const struct serve_config *cfg, FILE *log);
/* Graceful stop: stops accepting, lets in-flight requests finish (at most cfg->shutdown_grace
 * seconds), stops the threads and closes the store. NULL ok. */
void server_stop(struct server *s);
/* Prints the route table as TSV: METHOD PATTERN ROLES CSRF SCOPE SUMMARY (one line per
 * route; ROLES "public" or comma-separated role names; SCOPE "unit" or "-"). */
void server_print_routes(FILE *f);
/* Logs to f, in one line, the years whose deadlines fall back to the statutory holidays for
 * want of a government decision file (health.c; the same text as GET /healthz). */
void server_log_calendar_warning(const struct server *s, FILE *f);

#endif
