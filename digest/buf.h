/*
 * buf - the digests' text buffer (lib/strbuf.h's builder), and the one
 * place where text from the violation log or the configuration is made
 * safe to show.
 *
 * Purpose: the digest is assembled piece by piece (text part, HTML part,
 * MIME message); checking every append would bury the layout code, so
 * the buffer's error is sticky (struct strbuf's): after the first failure
 * (out of memory) every append does nothing and dbuf_failed() says so,
 * once, at the end.
 *
 * Values from the log and the configuration (department names,
 * subjects, addresses) may hold any byte. dbuf_text() and dbuf_html()
 * append them as valid UTF-8 in which control characters (CR and LF
 * included), C1 controls, line and paragraph separators and the Unicode
 * bidirectional overrides are U+FFFD, so that no value can start a line,
 * a header or a part of its own, or reorder what a reader sees;
 * dbuf_html() also escapes & < > " '.
 *
 * Returns: the appends return nothing (the failure is sticky: dbuf_failed()
 * 1 / 0); the measures return counts.
 *
 * Ownership: a struct dbuf owns its memory (dbuf_free()).
 * Thread safety: reentrant; one buffer per thread.
 */
#ifndef OM_DIGEST_BUF_H
#define OM_DIGEST_BUF_H

#include <stddef.h>

#include "strbuf.h"

struct dbuf {
    struct strbuf sb;
};

/* dbuf_init - an empty buffer (no allocation yet). */
void dbuf_init(struct dbuf *b);

/* dbuf_free - release B's memory; B is empty again. */
void dbuf_free(struct dbuf *b);

/* dbuf_failed - 1 when an append failed since dbuf_init(). */
int dbuf_failed(const struct dbuf *b);

/* dbuf_fail - mark B failed (a part that could not be made). */
void dbuf_fail(struct dbuf *b);

/* dbuf_len - the length of the contents. */
size_t dbuf_len(const struct dbuf *b);

/* dbuf_str - the contents, "" when empty. */
const char *dbuf_str(const struct dbuf *b);

/* dbuf_addn - append N bytes of S as they are. */
void dbuf_addn(struct dbuf *b, const char *s, size_t n);

/* dbuf_add - append string S as it is. */
void dbuf_add(struct dbuf *b, const char *s);

/* dbuf_printf - append formatted text (our own text: formats are literals). */
void dbuf_printf(struct dbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* dbuf_pad - append N spaces. */
void dbuf_pad(struct dbuf *b, size_t n);

/*
 * dbuf_text - append S made safe to show (see above); at most MAX
 * characters, the rest replaced by "…" (0: no limit). Returns the
 * characters appended, for padding.
 */
size_t dbuf_text(struct dbuf *b, const char *s, size_t max);

/* dbuf_html - dbuf_text() and then HTML-escaped, for element text and attribute values. */
void dbuf_html(struct dbuf *b, const char *s, size_t max);

/* dbuf_chars - how many characters dbuf_text(S, 0) would append. */
size_t dbuf_chars(const char *s);

#endif
