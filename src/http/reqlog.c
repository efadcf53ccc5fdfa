/* reqlog.c — one JSON line per answered request (reqlog.h). Method and route come from the
 * route table or are checked to be plain tokens, so the only escaping needed is none; the
 * line is written with one fprintf, whole, so threads do not interleave inside a line. */
#include "reqlog.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

void reqlog_client_net(const char *addr, char *out, size_t n)
{
    unsigned char a[16];
    char text[INET6_ADDRSTRLEN];
    if (n) *out = 0;
    if (inet_pton(AF_INET, addr, a) == 1) {
        a[3] = 0;
        if (inet_ntop(AF_INET, a, text, sizeof text)) snprintf(out, n, "%s/24", text);
    } else if (inet_pton(AF_INET6, addr, a) == 1) {
        memset(a + 6, 0, 10);
        if (inet_ntop(AF_INET6, a, text, sizeof text)) snprintf(out, n, "%s/48", text);
    }
}

/* 1 if s is a plain token safe to print inside a JSON string without escaping. */
static int plain(const char *s)
{
    for (; *s; s++)
        if (*s == '"' || *s == '\\' || (unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
            return 0;
    return 1;
}

void reqlog_line(FILE *f, int64_t unix_ms, const char *method, const char *route, int status,
                 double seconds, size_t bytes, const char *client_addr, int complete)
{
    char when[32], net[64];
    time_t t = (time_t)(unix_ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
    reqlog_client_net(client_addr ? client_addr : "", net, sizeof net);
    if (!method || !plain(method) || strlen(method) > 16) method = "?";
    char rbuf[300];
    if (route && plain(route))
        snprintf(rbuf, sizeof rbuf, "\"%s\"", route);
    else
        snprintf(rbuf, sizeof rbuf, "null");
    fprintf(f,
            "{\"time\":\"%s.%03dZ\",\"method\":\"%s\",\"route\":%s,\"status\":%d,\"ms\":%.3f,"
            "\"bytes\":%zu,\"client\":\"%s\",\"complete\":%s}\n",
            when, (int)(unix_ms % 1000), method, rbuf, status, seconds * 1000.0, bytes, net,
            complete ? "true" : "false");
    fflush(f);
}
