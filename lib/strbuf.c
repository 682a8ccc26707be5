/*
 * strbuf - growable strings.
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

/* strbuf_grow - room for N more bytes and the NUL; 0 or -1 (remembered). */
int strbuf_grow(struct strbuf *b, size_t n)
{
    size_t cap = b->cap ? b->cap : 64;

    while (cap - b->n <= n) {
        if (cap > SIZE_MAX / 2) {
            b->oom = 1;
            return -1;
        }
        cap *= 2;
    }
    char *p = realloc(b->p, cap);
    if (p == NULL) {
        b->oom = 1;
        return -1;
    }
    b->p = p;
    b->cap = cap;
    return 0;
}

/* strbuf_reserve - room for N more bytes at once, so that the appends do not reallocate. */
void strbuf_reserve(struct strbuf *b, size_t n)
{
    if (!b->oom && b->cap - b->n <= n)
        (void)strbuf_grow(b, n);
}

/* strbuf_finish - give the text away, "" for an empty builder. */
char *strbuf_finish(struct strbuf *b)
{
    strbuf_put(b, "", 0);
    if (b->oom) {
        free(b->p);
        b->p = NULL;
    }
    return b->p;
}

/* strbuf_vprintf - measured first, then written in place. */
void strbuf_vprintf(struct strbuf *b, const char *fmt, va_list ap)
{
    va_list again;
    int n;

    va_copy(again, ap);
    n = vsnprintf(NULL, 0, fmt, ap);
    if (n < 0)
        b->oom = 1;
    else if (!b->oom && (b->cap - b->n > (size_t)n || strbuf_grow(b, (size_t)n) == 0) &&
             vsnprintf(b->p + b->n, (size_t)n + 1, fmt, again) == n)
        b->n += (size_t)n;
    else
        b->oom = 1;
    va_end(again);
}

/* strbuf_failed - the sticky failure. */
int strbuf_failed(const struct strbuf *b)
{
    return b->oom;
}

/* strbuf_free - free and zero. */
void strbuf_free(struct strbuf *b)
{
    free(b->p);
    memset(b, 0, sizeof(*b));
}
