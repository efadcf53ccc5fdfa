/* arena.h — the per-request arena: every allocation a request makes (strings, the body,
 * JSON trees through arena_defer) dies with the request in one arena_free, so handlers
 * never keep free() bookkeeping of their own (the habit of h2o's memory pools). */
#ifndef CCHC_ARENA_H
#define CCHC_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

/* A new, empty arena; NULL when memory is exhausted. */
struct arena *arena_new(void);
/* Runs the deferred cleanups (last registered first) and frees every block. NULL ok. */
void arena_free(struct arena *a);
/* n bytes aligned for any type, zeroed; NULL when memory is exhausted. */
void *arena_alloc(struct arena *a, size_t n);
/* The same, not zeroed: for buffers about to be written over (text, copies). */
void *arena_alloc_raw(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Calls fn(p) when the arena is freed (e.g. json_decref on a JSON tree). Returns 0, or -1
 * when memory is exhausted, in which case fn(p) has already been called. */
int arena_defer(struct arena *a, void (*fn)(void *), void *p);
/* Bytes handed out so far (for tests and the slow log). */
size_t arena_used(const struct arena *a);

#endif
