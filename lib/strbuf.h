/*
 * strbuf - a growable NUL-terminated string for building text.
 *
 * Purpose: the one string builder of the tree (address and header text
 * parsing, the digests); an allocation failure is remembered, so that a
 * builder can append without checking each step and check once at the
 * end (strbuf_finish returns NULL, strbuf_failed says so).
 *
 * Returns: strbuf_finish() the text or NULL; the appends return nothing
 * (the failure is sticky).
 *
 * Ownership: the buffer owns its text until strbuf_finish() gives it away.
 * Thread safety: a strbuf is used by one thread.
 */
#ifndef OM_STRBUF_H
#define OM_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

struct strbuf {
    char *p;
    size_t n;
    size_t cap;
    int oom;
};

/*
 * strbuf_reserve - make room for N more bytes and the NUL now (a builder
 * that knows its size allocates once); a failure is remembered.
 */
void strbuf_reserve(struct strbuf *b, size_t n);

/* strbuf_grow - room for N more bytes and the NUL: 0, or -1 (remembered). */
int strbuf_grow(struct strbuf *b, size_t n);

/*
 * strbuf_put - append N bytes of S (NUL-terminated after them), unless an
 * earlier step ran out of memory. Inline: the parsers append a few bytes
 * at a time, dozens of times per message.
 */
static inline void strbuf_put(struct strbuf *b, const char *s, size_t n)
{
    if (b->oom || (b->cap - b->n <= n && strbuf_grow(b, n) < 0))
        return;
    if (n > 0)
        memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

/* strbuf_vprintf - append formatted text (our own text: formats are literals), never cut. */
void strbuf_vprintf(struct strbuf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* strbuf_failed - 1 when an append ran out of memory. */
int strbuf_failed(const struct strbuf *b);

/* strbuf_free - release B's text; B is empty again. */
void strbuf_free(struct strbuf *b);

/* strbuf_finish - the text, given away (never NULL unless out of memory, then freed). */
char *strbuf_finish(struct strbuf *b);

#endif
