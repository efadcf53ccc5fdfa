/* arena.c — a bump allocator over a list of blocks, plus a list of cleanups run when the
 * arena dies. Big requests get a block of their own, so a 1 MiB body wastes nothing. */
#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_SIZE 8192
#define ALIGN      16

struct block {
    struct block *next;
    size_t used, cap;
    _Alignas(ALIGN) unsigned char data[];
};

struct cleanup {
    struct cleanup *next;
    void (*fn)(void *);
    void *p;
};

struct arena {
    struct block *head;
    struct cleanup *cleanups;
    size_t total;
};

struct arena *arena_new(void)
{
    return calloc(1, sizeof(struct arena));
}

void arena_free(struct arena *a)
{
    if (!a) return;
    for (struct cleanup *c = a->cleanups; c; c = c->next)
        c->fn(c->p);
    /* The cleanup records live in the blocks, so the blocks go last. */
    struct block *b = a->head;
    while (b) {
        struct block *next = b->next;
        free(b);
        b = next;
    }
    free(a);
}

static struct block *block_new(size_t cap)
{
    struct block *b = malloc(sizeof *b + cap);
    if (!b) return NULL;
    b->next = NULL;
    b->used = 0;
    b->cap = cap;
    return b;
}

void *arena_alloc(struct arena *a, size_t n)
{
    void *p = arena_alloc_raw(a, n);
    if (p) memset(p, 0, n);
    return p;
}

void *arena_alloc_raw(struct arena *a, size_t n)
{
    if (n == 0) n = 1;
    if (n > SIZE_MAX - ALIGN) return NULL;
    size_t need = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    struct block *b = a->head;
    if (!b || b->cap - b->used < need) {
        if (need > BLOCK_SIZE / 4) {
            /* A large allocation gets its own block behind the current one, so the current
             * block keeps serving small ones. */
            struct block *big = block_new(need);
            if (!big) return NULL;
            big->used = need;
            if (b) {
                big->next = b->next;
                b->next = big;
            } else {
                a->head = big;
            }
            a->total += need;
            return big->data;
        }
        b = block_new(BLOCK_SIZE);
        if (!b) return NULL;
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += need;
    a->total += need;
    return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *p = arena_alloc_raw(a, n + 1);
    if (!p) return NULL;
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) return NULL;
    char *p = arena_alloc(a, (size_t)n + 1);
    if (!p) return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

int arena_defer(struct arena *a, void (*fn)(void *), void *p)
{
    struct cleanup *c = arena_alloc(a, sizeof *c);
    if (!c) {
        fn(p);
        return -1;
    }
    c->fn = fn;
    c->p = p;
    c->next = a->cleanups;
    a->cleanups = c;
    return 0;
}

size_t arena_used(const struct arena *a)
{
    return a->total;
}
