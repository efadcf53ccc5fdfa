/* proxy.h — the client address behind a reverse proxy. A request's TCP peer is the client,
 * unless the peer is one of the configured trusted proxies (option trusted_proxies): then the
 * client is read from the forwarding header the operator named (proxy_header), walking its
 * hops from the right and taking the right-most one that is not itself a trusted proxy. A
 * header from any other peer is never read, so a client cannot choose its own address. */
#ifndef CCHC_PROXY_H
#define CCHC_PROXY_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define PROXY_NETS_MAX 32
#define PROXY_ADDR_MAX 64 /* room for an IPv6 address in text (INET6_ADDRSTRLEN is 46) */

/* One trusted network: an IPv4 or IPv6 address and a prefix length. */
struct proxy_net {
    int family; /* AF_INET or AF_INET6 */
    unsigned char addr[16];
    int prefix;
};

struct proxy_list {
    int n;
    struct proxy_net nets[PROXY_NETS_MAX];
};

enum proxy_header { PROXY_XFF, PROXY_FORWARDED };

/* Parses "127.0.0.1, 10.0.0.0/8 ::1" (commas or spaces between entries; a bare address is a
 * /32 or /128) into out. An empty text is an empty list (no proxy trusted). A bad entry fails
 * with the entry and the rule in e, field "trusted_proxies". */
int proxy_list_parse(const char *text, struct proxy_list *out, struct err *e);
/* Parses "x-forwarded-for" or "forwarded" (any case); fails naming field "proxy_header". */
int proxy_header_parse(const char *text, enum proxy_header *out, struct err *e);
/* 1 if addr (text, IPv4 or IPv6; IPv4-mapped IPv6 counts as IPv4) is in the list. */
int proxy_list_contains(const struct proxy_list *l, const char *addr);
/* Writes the client address of a request into out (n bytes) in canonical text form: peer
 * when the peer is not trusted or the header is absent; else the right-most hop of header
 * (the X-Forwarded-For or Forwarded value, several lines joined by commas) that is not a
 * trusted proxy; if every hop is trusted, the left-most; a hop that is not an address (e.g.
 * "unknown") ends the walk at the last address read. Returns 1 if the address came from the
 * header, 0 if it is the peer. */
int proxy_client_addr(const struct proxy_list *l, enum proxy_header kind, const char *peer,
                      const char *header, char *out, size_t n);

#endif
