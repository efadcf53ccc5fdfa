/* reqlog.h — the request log: one JSON object per line (journald keeps stdout line by line),
 * naming the route pattern, never the URL, and the client's network, never its address, so
 * the log holds no personal data (no names, codes, ID numbers or full addresses). */
#ifndef CCHC_REQLOG_H
#define CCHC_REQLOG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The client's network as text: an IPv4 address cut to its /24 ("203.0.113.0/24"), IPv6 to
 * its /48; "" for an empty or unreadable address. */
void reqlog_client_net(const char *addr, char *out, size_t n);
/* Writes one line: {"time","method","route","status","ms","bytes","client","complete"}.
 * unix_ms is the wall-clock time of the answer; route NULL for no route (logged as null). */
void reqlog_line(FILE *f, int64_t unix_ms, const char *method, const char *route, int status,
                 double seconds, size_t bytes, const char *client_addr, int complete);

#endif
