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

static const char *const HANDLERS[] = {"src/http/efile.c", "src/http/notify.c",
                                       "src/http/payment.c"};
/* the store's and the core's errors these handlers pass on (reply_err) */
static const char *const STORE[] = {"src/store/efile_store.c", "src/store/notify_store.c",
                                    "src/store/payment.c",     "src/core/efile.c",
                                    "src/core/payment.c",      "src/core/notify.c"};

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

/* Checks one error site: code, field ("" or NULL: none named), the handler's format. */
static int check_site(const char *file, const char *code, const char *field, const char *fmt)
{
    char detail[800];
    sample(fmt, detail, sizeof detail);
    const char *f = field && field[0] ? field : NULL;
    struct msg_found vi, en;
    msg_lookup(code, f, detail, MSG_LANG_VI, &vi);
    msg_lookup(code, f, detail, MSG_LANG_EN, &en);
    if (!general(vi.rule) && strcmp(vi.text, en.text)) return 0;
    print_message("%s: %s / %s / \"%s\" gets the general \"%s\"\n", file, code, f ? f : "(any)",
                  detail, vi.rule);
    return 1;
}

static void skip_sep(const char **s)
{
    while (**s == ',' || **s == ' ' || **s == '\n' || **s == '\t')
        (*s)++;
}

/* The sites of call (reply_error( or err_set() in file under the source tree: code from the
 * second argument (a literal, or ERR_* mapped as reply_err maps it), then field and format. */
static void scan(const char *rel, const char *call, int *sites, int *missing)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/../%s", getenv("CCHC_DATA"), rel);
    char *src = slurp(path);
    assert_non_null(src);
    for (const char *p = src; (p = strstr(p, call)); p++) {
        const char *s = strchr(p, ',');
        if (!s) break;
        s++;
        char code[64], field[64], fmt[600];
        if (!strcmp(call, "err_set(")) {
            skip_sep(&s);
            static const char *const map[][2] = {{"ERR_INVALID,", "invalid"},
                                                 {"ERR_RANGE,", "invalid"},
                                                 {"ERR_NOT_FOUND,", "not_found"},
                                                 {"ERR_CONFLICT,", "conflict"}};
            const char *c = NULL;
            for (size_t i = 0; i < sizeof map / sizeof *map; i++)
                if (!strncmp(s, map[i][0], strlen(map[i][0]))) {
                    c = map[i][1];
                    s += strlen(map[i][0]);
                }
            if (!c) continue; /* an internal error: the general "server" wording is it */
            snprintf(code, sizeof code, "%s", c);
        } else {
            if (!(s = strchr(s, ','))) break;
            s++;                                           /* past "r, status," */
            if (!literal(&s, code, sizeof code)) continue; /* a declaration or a forwarder */
        }
        skip_sep(&s);
        if (!literal(&s, field, sizeof field)) {
            field[0] = 0;
            if (!(s = strchr(s, ','))) break;
        }
        skip_sep(&s);
        if (!literal(&s, fmt, sizeof fmt)) continue;
        if (!strcmp(code, "internal")) continue; /* "the server ran into an error" is it */
        /* a message made elsewhere (the core's or the store's text) is checked where made */
        if (!strcmp(fmt, "%s")) continue;
        /* the templates file is read at start: its errors go to the operator's log */
        if (!strcmp(field, "templates")) continue;
        ++*sites;
        *missing += check_site(rel, code, field, fmt);
    }
    free(src);
}

static void every_error_has_an_entry(void **state)
{
    (void)state;
    assert_non_null(getenv("CCHC_DATA"));
    int sites = 0, missing = 0;
    for (size_t i = 0; i < sizeof HANDLERS / sizeof *HANDLERS; i++)
        scan(HANDLERS[i], "reply_error(", &sites, &missing);
    for (size_t i = 0; i < sizeof STORE / sizeof *STORE; i++)
        scan(STORE[i], "err_set(", &sites, &missing);
    print_message("%d error sites checked\n", sites);
    assert_true(sites > 40);
    assert_int_equal(missing, 0);
}

/* A few as the citizen reads them: the values in place, Vietnamese names for statuses. */
static void worded_with_their_values(void **state)
{
    (void)state;
    struct msg_found f;
    msg_lookup("invalid", "code", "code: wrong code (2 more tries for this code)", MSG_LANG_VI, &f);
    assert_string_equal(f.rule, "otp.wrong");
    assert_string_equal(f.text, "Mã xác nhận không đúng (còn 2 lần thử với mã này).");
    msg_lookup("invalid", "contact",
               "contact: a phone number must be 0 and 9 digits (or +84 and 9 digits); this one has "
               "8 digits",
               MSG_LANG_VI, &f);
    assert_string_equal(f.rule, "contact.digits");
    assert_non_null(strstr(f.text, "có 8 chữ số"));
    msg_lookup("conflict", "code", "dossier 000.00.31.H20-261206-0001 is refused: nothing to pay",
               MSG_LANG_VI, &f);
    assert_string_equal(f.rule, "payment.closed");
    assert_null(strstr(f.text, "refused"));
    msg_lookup("unauthorized", "cchc_citizen",
               "confirm your phone or e-mail first (POST /api/public/otp, then "
               "/api/public/otp/verify)",
               MSG_LANG_EN, &f);
    assert_string_equal(f.text,
                        "Please confirm your phone number or e-mail with a one-time code first.");
    msg_lookup("not_found", "doc", "document '9': a position from 1 to 30", MSG_LANG_VI, &f);
    assert_string_equal(f.text, "Không có giấy tờ số 9: thủ tục có các giấy tờ số 1 đến 30.");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_error_has_an_entry),
        cmocka_unit_test(worded_with_their_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
