/*
 * strbuf - a growable NUL-terminated string for building text.
 *
 * Purpose: the one string builder of the policy library (address and
 * header text parsing); an allocation failure is remembered, so that a
 * builder can append without checking each step and check once at the
 * end (strbuf_finish returns NULL).
 *
 * Ownership: the buffer owns its text until strbuf_finish() gives it away.
 * Thread safety: a strbuf is used by one thread.
 */
#ifndef OM_STRBUF_H
#define OM_STRBUF_H

#include <stddef.h>

struct strbuf {
    char *p;
    size_t n;
    size_t cap;
    int oom;
};

/* strbuf_put - append N bytes of S (NUL-terminated after them). */
void strbuf_put(struct strbuf *b, const char *s, size_t n);

/* strbuf_finish - the text, given away (never NULL unless out of memory, then freed). */
char *strbuf_finish(struct strbuf *b);

#endif
