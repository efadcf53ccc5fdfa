/* vntext.c — NFC normalisation and diacritic/case folding of Vietnamese UTF-8 text
 * (see vntext.h). utf8proc does the Unicode work: decomposition strips the tone and vowel
 * marks, case folding lowercases; đ/Đ (U+0111/U+0110) have no decomposition, so they are
 * mapped to 'd' by hand. */
#include "vntext.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "err.h"

int vntext_valid_utf8(const char *s)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t len = (utf8proc_ssize_t)strlen(s);
    while (len > 0) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(p, len, &c);
        if (k <= 0) return 0;
        p += k;
        len -= k;
    }
    return 1;
}

long vntext_control_at(const char *s, int allow_breaks)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (allow_breaks && (*p == '\n' || *p == '\r')) continue;
        if (*p < 0x20 || *p == 0x7F || (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F))
            return (long)(p - (const unsigned char *)s);
    }
    return -1;
}

/* Copies src into out (n bytes) or fails with ERR_RANGE leaving out empty. */
static int copy_out(const char *src, char *out, size_t n)
{
    size_t len = strlen(src);
    if (len + 1 > n) {
        if (n) out[0] = '\0';
        return ERR_RANGE;
    }
    memcpy(out, src, len + 1);
    return 0;
}

int vntext_nfc(const char *in, char *out, size_t n)
{
    if (n) out[0] = '\0';
    if (!vntext_valid_utf8(in)) return ERR_INVALID;
    utf8proc_uint8_t *nfc = utf8proc_NFC((const utf8proc_uint8_t *)in);
    if (!nfc) return ERR_NOMEM;
    int rc = copy_out((const char *)nfc, out, n);
    free(nfc);
    return rc;
}

/* Maps đ/Đ to d, and white space to ' ' (collapsed later); leaves other code points. */
static utf8proc_int32_t fold_custom(utf8proc_int32_t c, void *data)
{
    (void)data;
    if (c == 0x0111 || c == 0x0110) return 'd';
    if (c == '\t' || c == '\n' || c == '\r' || c == 0x00A0) return ' ';
    return c;
}

int vntext_fold(const char *in, char *out, size_t n)
{
    if (n) out[0] = '\0';
    if (!vntext_valid_utf8(in)) return ERR_INVALID;
    utf8proc_uint8_t *m = NULL;
    utf8proc_option_t opt = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_STRIPMARK |
                            UTF8PROC_CASEFOLD | UTF8PROC_IGNORE;
    utf8proc_ssize_t r = utf8proc_map_custom((const utf8proc_uint8_t *)in, 0, &m,
                                             opt | UTF8PROC_NULLTERM, fold_custom, NULL);
    if (r < 0) return r == UTF8PROC_ERROR_NOMEM ? ERR_NOMEM : ERR_INVALID;
    /* Collapse runs of spaces and trim, in place. */
    char *s = (char *)m, *w = s;
    for (const char *p = s; *p; p++) {
        if (*p == ' ' && (w == s || w[-1] == ' ')) continue;
        *w++ = *p;
    }
    if (w > s && w[-1] == ' ') w--;
    *w = '\0';
    int rc = copy_out(s, out, n);
    free(m);
    return rc;
}

void vntext_number_vi(const char *in, char *out, size_t n)
{
    if (!n) return;
    const char *p = in;
    if (*p == '+' || *p == '-') p++;
    size_t nint = strspn(p, "0123456789");
    const char *frac = p + nint;
    size_t nfrac = *frac == '.' ? strspn(frac + 1, "0123456789") : 0;
    int plain =
        nint > 0 && (*frac == '\0' || (*frac == '.' && nfrac > 0 && frac[1 + nfrac] == '\0'));
    if (!plain) {
        snprintf(out, n, "%s", in);
        return;
    }
    size_t k = 0;
#define PUT(c)                                                                                     \
    do {                                                                                           \
        if (k + 1 < n) out[k++] = (c);                                                             \
    } while (0)
    if (p != in) PUT(in[0]);
    for (size_t i = 0; i < nint; i++) {
        if (i && (nint - i) % 3 == 0) PUT('.');
        PUT(p[i]);
    }
    if (nfrac) {
        PUT(',');
        for (size_t i = 0; i < nfrac; i++)
            PUT(frac[1 + i]);
    }
#undef PUT
    out[k] = '\0';
}

/* 1 if s[i..] starts the word "verify" (any case) with no letter or digit on either side. */
static int verify_at(const char *s, size_t i, size_t end)
{
    static const char w[] = "verify";
    if (end - i < 6) return 0;
    for (size_t k = 0; k < 6; k++)
        if ((s[i + k] | 0x20) != w[k]) return 0;
    unsigned char before = i ? (unsigned char)s[i - 1] : ' ';
    unsigned char after = i + 6 < end ? (unsigned char)s[i + 6] : ' ';
    return !isalnum(before) && !isalnum(after);
}

void vntext_user(const char *in, char *out, size_t n)
{
    if (!n) return;
    size_t o = 0;
    for (size_t i = 0; in[i];) {
        size_t close = 0, v = 0;
        if (in[i] == '(') {
            for (size_t j = i + 1; in[j] && in[j] != '(' && !close; j++)
                if (in[j] == ')') close = j;
            for (size_t j = i + 1; close && j < close && !v; j++)
                if (verify_at(in, j, close)) v = j;
        }
        if (!v) {
            if (o + 1 < n) out[o++] = in[i];
            i++;
            continue;
        }
        /* what comes before the note, without a separating comma or semicolon */
        size_t a = i + 1, b = v;
        while (b > a && isspace((unsigned char)in[b - 1]))
            b--;
        if (b > a && (in[b - 1] == ',' || in[b - 1] == ';')) b--;
        while (b > a && isspace((unsigned char)in[b - 1]))
            b--;
        while (a < b && isspace((unsigned char)in[a]))
            a++;
        if (a < b) {
            if (o + 1 < n) out[o++] = '(';
            for (size_t k = a; k < b && o + 1 < n; k++)
                out[o++] = in[k];
            if (o + 1 < n) out[o++] = ')';
        } else
            while (o && isspace((unsigned char)out[o - 1]))
                o--;
        i = close + 1;
    }
    out[o] = '\0';
}
