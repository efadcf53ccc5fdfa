/* conns.h — the open connections of the server and their request deadline. libmicrohttpd's
 * connection timeout restarts with every byte, so a client trickling one byte a second keeps
 * a connection forever, and a thousand of them lock everyone out. Here each connection has a
 * deadline for sending a whole request (headers and body), set when it opens and again when
 * an answer has been sent; a watchdog thread shuts down the socket of a connection past its
 * deadline (microhttpd then closes it), whatever it trickled. While more than three quarters
 * of the connection limit are in use, a connection that has sent no whole request within
 * CONNS_SHED_MS is shut down too, so that new clients find room. (The per-address cap is
 * microhttpd's MHD_OPTION_PER_IP_CONNECTION_LIMIT.) Thread-safe. */
#ifndef CCHC_HTTP_CONNS_H
#define CCHC_HTTP_CONNS_H

#include <stdint.h>

#define CONNS_SHED_MS 2000

struct conns;

/* timeout_ms: time to send one request; limit: the server's connection limit. NULL if out of
 * memory or the thread cannot start. */
struct conns *conns_new(int64_t timeout_ms, unsigned limit);
/* Stops the watchdog and frees; NULL ok. Call after the connections are closed. */
void conns_free(struct conns *cs);
/* A connection on socket fd opened: *ctx receives its handle (NULL if out of memory). */
void conns_opened(struct conns *cs, int fd, void **ctx);
/* The connection ctx is closing (before its socket is closed); *ctx is cleared. */
void conns_closed(struct conns *cs, void **ctx);
/* The request on ctx has been read whole (no deadline while it is handled and answered). */
void conns_request_read(struct conns *cs, void *ctx);
/* The answer on ctx has been sent: the next request has timeout_ms from now. */
void conns_request_done(struct conns *cs, void *ctx);
/* Connections shut down so far for passing their deadline, and while shedding. */
void conns_counts(struct conns *cs, int64_t *open, int64_t *timed_out, int64_t *shed);

#endif
