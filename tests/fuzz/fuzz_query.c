/* fuzz_query.c — libFuzzer target: a request target as the server meets it. The input is
 * "PATH?QUERY": the path goes through the route table (route_match, with its parameters), the
 * query is split on '&' and '=' and percent-decoded with libmicrohttpd's own decoder
 * (MHD_http_unescape, as the server's query arguments are), then each value goes through the
 * parser its name selects (status, outcome, channel, period, instant, figure, day). */
#include <microhttpd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "date.h"
#include "dossier.h"
#include "http.h"
#include "stats.h"

static void value(const char *key, const char *v)
{
    struct err e = {0};
    enum dossier_status st;
    enum dossier_outcome out;
    enum dossier_channel ch;
    int64_t a, b;
    int fig;
    struct ymd d;
    if (!strcmp(key, "status")) dossier_status_parse(v, &st, &e);
    if (!strcmp(key, "outcome")) dossier_outcome_parse(v, &out, &e);
    if (!strcmp(key, "channel")) dossier_channel_parse(v, &ch, &e);
    if (!strcmp(key, "period")) stats_period_parse(v, &a, &b, &e);
    if (!strcmp(key, "from")) parse_instant_local(v, &a, "from", &e);
    if (!strcmp(key, "figure")) stats_figure_parse(v, &fig, &e);
    if (!strcmp(key, "as_of")) ymd_parse(v, &d, "as_of", &e);
    if (!strcmp(key, "code")) {
        struct dossier_code dc;
        dossier_code_parse(v, &dc, &e);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s) return 0;
    memcpy(s, data, size);
    s[size] = 0;
    char *q = strchr(s, '?');
    if (q) *q++ = 0;
    struct arena *ar = arena_new();
    const char *names[ROUTE_MAX_PARAMS], *vals[ROUTE_MAX_PARAMS];
    int n = 0, known = 0;
    static const char *const methods[] = {"GET", "POST", "PUT", "DELETE"};
    for (size_t m = 0; ar && m < 4; m++)
        route_match(methods[m], s, names, vals, &n, &known, ar);
    for (char *save = NULL, *kv = q ? strtok_r(q, "&", &save) : NULL; kv;
         kv = strtok_r(NULL, "&", &save)) {
        char *v = strchr(kv, '=');
        if (v) *v++ = 0;
        MHD_http_unescape(kv);
        if (v) MHD_http_unescape(v);
        value(kv, v ? v : "");
    }
    arena_free(ar);
    free(s);
    return 0;
}
