/* jwrite.c — the streaming JSON writer (jwrite.h): a growing buffer in the request's arena,
 * commas placed by the writer, strings checked for UTF-8 and escaped exactly as jansson
 * escapes them (", \, and control characters; \b \f \n \r \t in their short forms), so an
 * answer written here reads the same as one dumped by jansson. */
#include "jwrite.h"

#include <string.h>

#include "arena.h"
#include "date.h"
#include "vntext.h"

void jw_init(struct jw *w, struct arena *a, size_t hint)
{
    memset(w, 0, sizeof *w);
    w->a = a;
    w->cap = hint < 256 ? 256 : hint;
    w->buf = arena_alloc(a, w->cap);
    if (!w->buf) w->failed = 1, w->cap = 0;
}

/* Makes room for n more bytes (and the NUL). */
static int reserve(struct jw *w, size_t n)
{
    if (w->failed) return -1;
    if (w->len + n + 1 <= w->cap) return 0;
    size_t cap = w->cap * 2;
    while (cap < w->len + n + 1)
        cap *= 2;
    char *b = arena_alloc(w->a, cap);
    if (!b) {
        w->failed = 1;
        return -1;
    }
    memcpy(b, w->buf, w->len);
    w->buf = b;
    w->cap = cap;
    return 0;
}

/* put and put_c run for every piece of every value (about 150 times per listed dossier):
 * inline, with room checked once. */
static inline void put(struct jw *w, const char *s, size_t n)
{
    if (reserve(w, n)) return;
    memcpy(w->buf + w->len, s, n);
    w->len += n;
    w->buf[w->len] = 0;
}

static inline void put_c(struct jw *w, char c)
{
    if (w->len + 2 <= w->cap) {
        w->buf[w->len++] = c;
        w->buf[w->len] = 0;
        return;
    }
    put(w, &c, 1);
}

/* The separator before a value or a member. */
static void sep(struct jw *w)
{
    if (w->comma) put_c(w, ',');
    w->comma = 1;
}

void jw_obj_begin(struct jw *w)
{
    sep(w);
    put_c(w, '{');
    w->comma = 0;
}

void jw_obj_end(struct jw *w)
{
    put_c(w, '}');
    w->comma = 1;
}

void jw_arr_begin(struct jw *w)
{
    sep(w);
    put_c(w, '[');
    w->comma = 0;
}

void jw_arr_end(struct jw *w)
{
    put_c(w, ']');
    w->comma = 1;
}

/* Writes s (valid UTF-8) quoted and escaped. */
static void quoted(struct jw *w, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    put_c(w, '"');
    const char *run = s;
    for (const char *p = s;; p++) {
        unsigned char c = (unsigned char)*p;
        if (c && c != '"' && c != '\\' && c >= 0x20) continue;
        put(w, run, (size_t)(p - run));
        if (!c) break;
        char esc[6] = {'\\', 0, 0, 0, 0, 0};
        size_t n = 2;
        switch (c) {
        case '"':
        case '\\':
            esc[1] = (char)c;
            break;
        case '\b':
            esc[1] = 'b';
            break;
        case '\f':
            esc[1] = 'f';
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        default:
            memcpy(esc + 1, "u00", 3);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            n = 6;
        }
        put(w, esc, n);
        run = p + 1;
    }
    put_c(w, '"');
}

void jw_key(struct jw *w, const char *key)
{
    sep(w);
    quoted(w, key);
    put_c(w, ':');
    w->comma = 0;
}

void jw_null(struct jw *w)
{
    sep(w);
    put(w, "null", 4);
}

/* Whether s is plain ASCII, which is valid UTF-8 (most values: codes, names of states,
 * instants), so utf8proc need not walk it. */
static int ascii(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p >= 0x80) return 0;
    return 1;
}

void jw_str(struct jw *w, const char *s)
{
    if (!s || (!ascii(s) && !vntext_valid_utf8(s))) {
        jw_null(w);
        return;
    }
    sep(w);
    quoted(w, s);
}

void jw_str_or_null(struct jw *w, const char *s)
{
    if (s && *s)
        jw_str(w, s);
    else
        jw_null(w);
}

void jw_int(struct jw *w, int64_t v)
{
    char buf[24], *p = buf + sizeof buf;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) *--p = '-';
    sep(w);
    put(w, p, (size_t)(buf + sizeof buf - p));
}

void jw_bool(struct jw *w, int v)
{
    sep(w);
    if (v)
        put(w, "true", 4);
    else
        put(w, "false", 5);
}

void jw_instant(struct jw *w, int64_t minutes)
{
    if (!minutes) {
        jw_null(w);
        return;
    }
    /* instant_format's "%04u-%02u-%02uT%02u:%02u" plus the zone, digit by digit: snprintf
     * was a tenth of the list's time. Plain ASCII, so no escaping is needed. */
    struct ymd d = days_to_ymd(instant_day(minutes));
    unsigned mod = (unsigned)instant_minute_of_day(minutes) % MINUTES_PER_DAY;
    unsigned y = (unsigned)d.y % 10000u, mo = (unsigned)d.m % 100u, dd = (unsigned)d.d % 100u;
    unsigned h = mod / 60u, mi = mod % 60u;
    char b[] = "\"0000-00-00T00:00+07:00\"";
    b[1] = (char)('0' + y / 1000), b[2] = (char)('0' + y / 100 % 10);
    b[3] = (char)('0' + y / 10 % 10), b[4] = (char)('0' + y % 10);
    b[6] = (char)('0' + mo / 10), b[7] = (char)('0' + mo % 10);
    b[9] = (char)('0' + dd / 10), b[10] = (char)('0' + dd % 10);
    b[12] = (char)('0' + h / 10), b[13] = (char)('0' + h % 10);
    b[15] = (char)('0' + mi / 10), b[16] = (char)('0' + mi % 10);
    sep(w);
    put(w, b, sizeof b - 1);
}
