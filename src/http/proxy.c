/* proxy.c — the client address behind trusted reverse proxies (proxy.h): the list of trusted
 * networks, and the walk over X-Forwarded-For or Forwarded (RFC 7239) hops from the right.
 * Pure text and address arithmetic: no sockets, so the unit tests drive it directly. */
#include "proxy.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

/* Parses an address in text into family and 16 bytes (IPv4 in the first 4); an IPv4-mapped
 * IPv6 address becomes IPv4. Returns 0 on success. */
static int addr_parse(const char *s, int *family, unsigned char a[16])
{
    memset(a, 0, 16);
    if (inet_pton(AF_INET, s, a) == 1) {
        *family = AF_INET;
        return 0;
    }
    if (inet_pton(AF_INET6, s, a) != 1) return -1;
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (!memcmp(a, mapped, 12)) {
        memmove(a, a + 12, 4);
        memset(a + 4, 0, 12);
        *family = AF_INET;
        return 0;
    }
    *family = AF_INET6;
    return 0;
}

static int entry_parse(const char *tok, struct proxy_net *net, struct err *e)
{
    char buf[PROXY_ADDR_MAX + 8];
    if (strlen(tok) >= sizeof buf)
        return err_set(e, ERR_INVALID, "trusted_proxies",
                       "trusted_proxies entry '%.60s': too long for an address/prefix", tok);
    snprintf(buf, sizeof buf, "%s", tok);
    char *slash = strchr(buf, '/');
    if (slash) *slash = 0;
    if (addr_parse(buf, &net->family, net->addr))
        return err_set(e, ERR_INVALID, "trusted_proxies",
                       "trusted_proxies entry '%.60s': must be an IPv4 or IPv6 address, "
                       "optionally /PREFIX",
                       tok);
    int maxp = net->family == AF_INET ? 32 : 128;
    net->prefix = maxp;
    if (slash) {
        char *end;
        long p = strtol(slash + 1, &end, 10);
        if (!slash[1] || *end || p < 0 || p > maxp)
            return err_set(e, ERR_INVALID, "trusted_proxies",
                           "trusted_proxies entry '%.60s': the prefix must be a whole number "
                           "from 0 to %d",
                           tok, maxp);
        net->prefix = (int)p;
    }
    return 0;
}

int proxy_list_parse(const char *text, struct proxy_list *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    const char *p = text ? text : "";
    while (*p) {
        while (*p == ',' || isspace((unsigned char)*p))
            p++;
        if (!*p) break;
        size_t len = strcspn(p, ", \t\r\n");
        char tok[PROXY_ADDR_MAX + 16];
        snprintf(tok, sizeof tok, "%.*s", (int)(len < sizeof tok - 1 ? len : sizeof tok - 1), p);
        if (len >= sizeof tok - 1) tok[sizeof tok - 2] = 0;
        if (out->n == PROXY_NETS_MAX)
            return err_set(e, ERR_INVALID, "trusted_proxies",
                           "trusted_proxies: more than %d entries (use network prefixes)",
                           PROXY_NETS_MAX);
        int rc = entry_parse(tok, &out->nets[out->n], e);
        if (rc) return rc;
        out->n++;
        p += len;
    }
    return 0;
}

int proxy_header_parse(const char *text, enum proxy_header *out, struct err *e)
{
    if (!strcasecmp(text, "x-forwarded-for")) return *out = PROXY_XFF, 0;
    if (!strcasecmp(text, "forwarded")) return *out = PROXY_FORWARDED, 0;
    return err_set(e, ERR_INVALID, "proxy_header",
                   "proxy_header '%.60s': must be x-forwarded-for or forwarded", text);
}

static int net_contains(const struct proxy_net *net, int family, const unsigned char a[16])
{
    if (net->family != family) return 0;
    int full = net->prefix / 8, rest = net->prefix % 8;
    if (memcmp(net->addr, a, (size_t)full)) return 0;
    if (!rest) return 1;
    unsigned char mask = (unsigned char)(0xff << (8 - rest));
    return (net->addr[full] & mask) == (a[full] & mask);
}

static int list_contains(const struct proxy_list *l, int family, const unsigned char a[16])
{
    for (int i = 0; l && i < l->n; i++)
        if (net_contains(&l->nets[i], family, a)) return 1;
    return 0;
}

int proxy_list_contains(const struct proxy_list *l, const char *addr)
{
    int family;
    unsigned char a[16];
    if (addr_parse(addr, &family, a)) return 0;
    return list_contains(l, family, a);
}

/* Reads one hop ("1.2.3.4", "1.2.3.4:80", "2001:db8::1", "[2001:db8::1]:80"; spaces and
 * quotes already removed). Returns 0 on success. */
static int hop_parse(char *s, int *family, unsigned char a[16])
{
    if (*s == '[') {
        char *close = strchr(s, ']');
        if (!close || (close[1] && close[1] != ':')) return -1;
        *close = 0;
        int rc = addr_parse(s + 1, family, a);
        return rc || *family != AF_INET6 ? -1 : 0;
    }
    if (!addr_parse(s, family, a)) return 0;
    char *colon = strchr(s, ':');
    if (colon && !strchr(colon + 1, ':')) {
        *colon = 0;
        if (!addr_parse(s, family, a) && *family == AF_INET) return 0;
    }
    return -1;
}

/* The address text of one list item: for X-Forwarded-For the item itself; for Forwarded the
 * value of its for= parameter (unquoted). Trims in place; returns NULL when there is none. */
static char *hop_text(char *item, enum proxy_header kind)
{
    if (kind == PROXY_FORWARDED) {
        char *found = NULL, *save = NULL;
        for (char *pair = strtok_r(item, ";", &save); pair; pair = strtok_r(NULL, ";", &save)) {
            while (isspace((unsigned char)*pair))
                pair++;
            if (!strncasecmp(pair, "for=", 4)) found = pair + 4;
        }
        if (!found) return NULL;
        item = found;
    }
    while (isspace((unsigned char)*item))
        item++;
    size_t n = strlen(item);
    while (n && isspace((unsigned char)item[n - 1]))
        item[--n] = 0;
    if (n >= 2 && item[0] == '"' && item[n - 1] == '"') {
        item[n - 1] = 0;
        item++;
    }
    return item;
}

static void addr_text(int family, const unsigned char a[16], char *out, size_t n)
{
    if (!inet_ntop(family, a, out, (socklen_t)n) && n) *out = 0;
}

int proxy_client_addr(const struct proxy_list *l, enum proxy_header kind, const char *peer,
                      const char *header, char *out, size_t n)
{
    snprintf(out, n, "%s", peer);
    if (!header || !*header || !proxy_list_contains(l, peer)) return 0;
    char *copy = strdup(header);
    if (!copy) return 0;
    /* Items are separated by commas outside quotes; walk them from the right. */
    int taken = 0, inq = 0;
    size_t end = strlen(copy);
    for (size_t i = end + 1; i-- > 0;) {
        if (i > 0 && copy[i - 1] == '"') inq = !inq;
        if (i > 0 && (copy[i - 1] != ',' || inq)) continue;
        copy[end] = 0;
        end = i > 0 ? i - 1 : 0;
        char *h = hop_text(copy + i, kind);
        int family;
        unsigned char a[16];
        if (!h || hop_parse(h, &family, a)) break; /* "unknown", "_hidden", garbage: stop */
        addr_text(family, a, out, n);
        taken = 1;
        if (!list_contains(l, family, a)) break;
    }
    free(copy);
    return taken;
}
