/* test_online_messages.c — every error the online loop's handlers send (src/http/efile.c,
 * notify.c, payment.c: each reply_error call, read from the source itself) has its own entry
 * in the message catalogue (src/http/messages.c), in Vietnamese and English, rather than its
 * code's general wording: a new reply_error without an entry fails here. The format's
 * conversions (%s, %d, %.40s …) are filled with sample values before the lookup. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "messages.h"

static const char *const FILES[] = {"efile.c", "notify.c", "payment.c"};

/* One C string literal (or several, concatenated) at *p into out; 0 when *p is not one. */
static int literal(const char **p, char *out, size_t n)
{
    const char *s = *p;
    size_t k = 0;
    int got = 0;
    for (;;) {
        while (*s == ' ' || *s == '\n' || *s == '\t')
            s++;
        if (*s != '"') break;
        got = 1;
        for (s++; *s && *s != '"'; s++) {
            char c = *s;
            if (c == '\\') {
                s++;
                c = *s == 'n' ? '\n' : *s;
            }
            if (k + 1 < n) out[k++] = c;
        }
        if (*s) s++;
    }
    out[k] = 0;
    if (got) *p = s;
    return got;
}

/* The format with each conversion replaced by a sample value. */
static void sample(const char *fmt, char *out, size_t n)
{
    size_t k = 0;
    for (const char *s = fmt; *s && k + 16 < n; s++) {
        if (*s != '%') {
            out[k++] = *s;
            continue;
        }
        s++;
        if (*s == '%') {
            out[k++] = '%';
            continue;
        }
        while (*s && strchr("-+ #0123456789.*lhzjt", *s))
            s++;
        const char *v = strchr("diuxX", *s) ? "7" : "X1";
        k += (size_t)snprintf(out + k, n - k, "%s", v);
    }
    out[k] = 0;
}

/* The wordings shared by every part of the API: what a message falls back to when the
 * catalogue has no entry of its own for it. */
static int general(const char *rule)
{
    static const char *const shared[] = {"error",          "invalid",        "not_found",
                                         "conflict",       "auth.required",  "field.type",
                                         "field.required", "body.too_large", "body.media_type"};
    for (size_t i = 0; i < sizeof shared / sizeof *shared; i++)
        if (!strcmp(rule, shared[i])) return 1;
    return 0;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) n = 0;
    if (b) b[n] = 0;
    fclose(f);
    return b;
}

static void every_error_has_an_entry(void **state)
{
    (void)state;
    const char *data = getenv("CCHC_DATA");
    assert_non_null(data);
    int sites = 0, missing = 0;
    for (size_t i = 0; i < sizeof FILES / sizeof *FILES; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/../src/http/%s", data, FILES[i]);
        char *src = slurp(path);
        assert_non_null(src);
        for (const char *p = src; (p = strstr(p, "reply_error(")); p++) {
            const char *s = strchr(p, ',');
            if (!s || !(s = strchr(s + 1, ','))) break;
            s++; /* past "r, status," */
            char code[64], field[64], fmt[600], detail[800];
            if (!literal(&s, code, sizeof code)) continue; /* a declaration or a forwarder */
            while (*s == ',' || *s == ' ' || *s == '\n')
                s++;
            int named = literal(&s, field, sizeof field);
            if (!named) {
                field[0] = 0;
                s = strchr(s, ',');
                if (!s) break;
            }
            while (*s == ',' || *s == ' ' || *s == '\n')
                s++;
            if (!literal(&s, fmt, sizeof fmt)) continue;
            if (!strcmp(code, "internal")) continue; /* "the server ran into an error" is it */
            /* a message made elsewhere (the core's or the store's text) is checked where made */
            if (!strcmp(fmt, "%s")) continue;
            sample(fmt, detail, sizeof detail);
            sites++;
            struct msg_found vi, en;
            msg_lookup(code, named ? field : NULL, detail, MSG_LANG_VI, &vi);
            msg_lookup(code, named ? field : NULL, detail, MSG_LANG_EN, &en);
            if (general(vi.rule) || !strcmp(vi.text, en.text)) {
                missing++;
                print_message("%s: %s / %s / \"%s\" gets the general \"%s\"\n", FILES[i], code,
                              named ? field : "(any)", detail, vi.rule);
            }
        }
        free(src);
    }
    assert_true(sites > 20);
    assert_int_equal(missing, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_error_has_an_entry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
