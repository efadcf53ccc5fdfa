/* jwrite.h — a streaming JSON writer for the answers that are hot (the dossier list, one
 * dossier): text appended to a buffer in the request's arena, with no tree of jansson nodes
 * and no allocation per value. Text only goes out through jw_str, which escapes it, and
 * keys go through the same escaper, so JSON cannot be written by hand by accident. The
 * output equals jansson's JSON_COMPACT dump of the same values (tests/unit/test_http.c
 * checks the dossier both ways). Internal to src/http. */
#ifndef CCHC_HTTP_JWRITE_H
#define CCHC_HTTP_JWRITE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct arena;

struct jw {
    struct arena *a;
    char *buf; /* NUL-terminated while len < cap */
    size_t len, cap;
    int failed;            /* out of memory: the text is incomplete */
    int comma;             /* the next member or element needs a ',' first */
    size_t mark_a, mark_b; /* dossier_write: where the outcome's value begins and ends */
    /* jw_instant's dates by day (direct-mapped: a page's dossiers share a few dozen days):
     * date[k] holds "YYYY-MM-DD" of day date_day[k] when date_ok[k]. */
    unsigned char date_ok[32];
    int64_t date_day[32];
    char date[32][10];
};

/* Starts an empty text with room for about hint bytes. */
void jw_init(struct jw *w, struct arena *a, size_t hint);
void jw_obj_begin(struct jw *w);
void jw_obj_end(struct jw *w);
void jw_arr_begin(struct jw *w);
void jw_arr_end(struct jw *w);
/* A member's name: the next value written is its value. */
void jw_key(struct jw *w, const char *key);
/* The same for a name written in the program: lit must be a string literal (the macro
 * pastes it between quotes at compile time, so it cannot carry data) and needs no escaping
 * (test_http.c compares every dossier member with jansson's rendering). */
#define jw_key_lit(w, lit) jw_key_text_((w), "\"" lit "\":", sizeof("\"" lit "\":") - 1)
/* Makes room for n more bytes and a NUL; -1 (and w->failed) when out of memory. */
int jw_reserve_(struct jw *w, size_t n);
/* Inline, so that with the literal's constant length the copy is a few moves. */
static inline void jw_key_text_(struct jw *w, const char *quoted_key, size_t n)
{
    if (w->len + n + 2 > w->cap && jw_reserve_(w, n + 1)) return;
    char *o = w->buf + w->len;
    if (w->comma) *o++ = ',';
    memcpy(o, quoted_key, n);
    o += n;
    *o = 0;
    w->len = (size_t)(o - w->buf);
    w->comma = 0;
}
/* A string value, or null when s is NULL or not valid UTF-8 (as jstr). */
void jw_str(struct jw *w, const char *s);
/* A string value from the program's own tables (status names and labels …): valid UTF-8 by
 * construction, so not checked again (test_http.c compares every such text with jansson). */
void jw_str_prog(struct jw *w, const char *s);
/* A string value, or null when s is NULL or "" (as jstr_or_null). */
void jw_str_or_null(struct jw *w, const char *s);
void jw_int(struct jw *w, int64_t v);
void jw_bool(struct jw *w, int v);
void jw_null(struct jw *w);
/* "YYYY-MM-DDTHH:MM+07:00" for local minutes, null for 0 (as jinstant). */
void jw_instant(struct jw *w, int64_t minutes);

/* An object this writer wrote before, kept as the text before and after one string value
 * (listcache.h): written back with value (program text, as jw_str_prog) in between. */
void jw_cached_(struct jw *w, const char *pre, size_t npre, const char *value, const char *post,
                size_t npost);

/* --- dossiers.c --- */

struct dossier;
struct listcache;
/* The members of a dossier (personal data masked unless full) between jw_obj_begin and
 * jw_obj_end, as jansson's compact dump would write them (tests/unit/test_http.c renders
 * the same dossier with jansson and compares). */
void dossier_write(struct jw *w, const struct dossier *d, int full, int64_t now);
/* One dossier of a list page (masked, as dossier_write with full = 0) as a whole object.
 * dossier_list_cached writes it from c and returns 1 when c holds the dossier's current
 * rendering (only the outcome is written anew), else writes nothing and returns 0;
 * dossier_list_render writes it from d and keeps it in c. c may be NULL. */
int dossier_list_cached(struct jw *w, struct listcache *c, const struct dossier *d, int64_t now);
void dossier_list_render(struct jw *w, struct listcache *c, const struct dossier *d, int64_t now);

#endif
