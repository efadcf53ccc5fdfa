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
    w->buf = arena_alloc_raw(a, w->cap);
    if (!w->buf)
        w->failed = 1, w->cap = 0;
    else
        w->buf[0] = 0;
}

/* Makes room for n more bytes (and the NUL). */
static int reserve(struct jw *w, size_t n)
{
    if (w->failed) return -1;
    if (w->len + n + 1 <= w->cap) return 0;
    size_t cap = w->cap * 2;
    while (cap < w->len + n + 1)
        cap *= 2;
    char *b = arena_alloc_raw(w->a, cap);
    if (!b) {
        w->failed = 1;
        return -1;
    }
    memcpy(b, w->buf, w->len);
    b[w->len] = 0;
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

/* The escape of each byte: 0 for none, the short form's letter, or 'u' for \u00XX. */
static const char esc_of[256] = {
    ['\b'] = 'b', ['\f'] = 'f', ['\n'] = 'n', ['\r'] = 'r', ['\t'] = 't', [0x00] = 'u',
    [0x01] = 'u', [0x02] = 'u', [0x03] = 'u', [0x04] = 'u', [0x05] = 'u', [0x06] = 'u',
    [0x07] = 'u', [0x0b] = 'u', [0x0e] = 'u', [0x0f] = 'u', [0x10] = 'u', [0x11] = 'u',
    [0x12] = 'u', [0x13] = 'u', [0x14] = 'u', [0x15] = 'u', [0x16] = 'u', [0x17] = 'u',
    [0x18] = 'u', [0x19] = 'u', [0x1a] = 'u', [0x1b] = 'u', [0x1c] = 'u', [0x1d] = 'u',
    [0x1e] = 'u', [0x1f] = 'u', ['"'] = '"',  ['\\'] = '\\'};

/* Writes the n bytes at s quoted and escaped, in one pass with room reserved once (an
 * escape takes at most 6 bytes). Returns whether a byte >= 0x80 was seen, so jw_str checks
 * UTF-8 only for the text that needs it. */
static int quoted(struct jw *w, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    /* Eight bytes at a time while none needs escaping: a byte < 0x20, '"' or '\\' shows as
     * a set high bit in the "has less than" / "has zero" tests (exact for bytes < 0x80,
     * and bytes >= 0x80 never match). */
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    if (reserve(w, 6 * n + 2)) return 0;
    char *o = w->buf + w->len;
    uint64_t high = 0;
    size_t i = 0;
    *o++ = '"';
    for (;;) {
        for (; i + 8 <= n; i += 8) {
            uint64_t v, q, b;
            memcpy(&v, s + i, 8);
            q = v ^ (ones * '"');
            b = v ^ (ones * '\\');
            if (((v - ones * 0x20) | (q - ones) | (b - ones)) & ~v & ~q & ~b & highs) break;
            high |= v;
            memcpy(o, &v, 8);
            o += 8;
        }
        /* Byte by byte to the end of the 8 that need care (or of the text). */
        size_t stop = i + 8 < n ? i + 8 : n;
        if (i == stop) break;
        for (; i < stop; i++) {
            unsigned char c = (unsigned char)s[i];
            high |= c;
            char e = esc_of[c];
            if (!e) {
                *o++ = (char)c;
                continue;
            }
            *o++ = '\\';
            if (e != 'u') {
                *o++ = e;
                continue;
            }
            memcpy(o, "u00", 3);
            o[3] = hex[c >> 4];
            o[4] = hex[c & 15];
            o += 5;
        }
    }
    *o++ = '"';
    *o = 0;
    w->len = (size_t)(o - w->buf);
    return (high & highs) != 0;
}

void jw_key(struct jw *w, const char *key)
{
    sep(w);
    quoted(w, key, strlen(key));
    put_c(w, ':');
    w->comma = 0;
}

int jw_reserve_(struct jw *w, size_t n)
{
    return reserve(w, n);
}

void jw_null(struct jw *w)
{
    sep(w);
    put(w, "null", 4);
}

void jw_str(struct jw *w, const char *s)
{
    if (!s) {
        jw_null(w);
        return;
    }
    size_t n = strlen(s), mark = w->len;
    int comma = w->comma;
    sep(w);
    if (quoted(w, s, n) && !vntext_valid_utf8(s)) {
        /* Not UTF-8: null instead, as jansson refuses such a string. */
        w->len = mark;
        if (!w->failed) w->buf[mark] = 0;
        w->comma = comma;
        jw_null(w);
    }
}

void jw_str_prog(struct jw *w, const char *s)
{
    if (!s) {
        jw_null(w);
        return;
    }
    sep(w);
    quoted(w, s, strlen(s));
}

void jw_cached_(struct jw *w, const char *pre, size_t npre, const char *value, const char *post,
                size_t npost)
{
    sep(w);
    put(w, pre, npre);
    quoted(w, value, strlen(value));
    put(w, post, npost);
    w->comma = 1;
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
     * was a tenth of the list's time. Dates are kept by day (jwrite.h). Plain ASCII, so no
     * escaping is needed. */
    int64_t day = instant_day(minutes);
    unsigned k = (unsigned)day & 31u;
    if (!w->date_ok[k] || day != w->date_day[k]) {
        struct ymd d = days_to_ymd(day);
        unsigned y = (unsigned)d.y % 10000u, mo = (unsigned)d.m % 100u, dd = (unsigned)d.d % 100u;
        char *b = w->date[k];
        b[0] = (char)('0' + y / 1000), b[1] = (char)('0' + y / 100 % 10);
        b[2] = (char)('0' + y / 10 % 10), b[3] = (char)('0' + y % 10), b[4] = '-';
        b[5] = (char)('0' + mo / 10), b[6] = (char)('0' + mo % 10), b[7] = '-';
        b[8] = (char)('0' + dd / 10), b[9] = (char)('0' + dd % 10);
        w->date_day[k] = day;
        w->date_ok[k] = 1;
    }
    unsigned mod = (unsigned)(minutes - day * MINUTES_PER_DAY);
    unsigned h = mod / 60u, mi = mod % 60u;
    char b[] = "\"0000-00-00T00:00+07:00\"";
    memcpy(b + 1, w->date[k], 10);
    b[12] = (char)('0' + h / 10), b[13] = (char)('0' + h % 10);
    b[15] = (char)('0' + mi / 10), b[16] = (char)('0' + mi % 10);
    sep(w);
    put(w, b, sizeof b - 1);
}
