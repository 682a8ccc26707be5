/*
 * text - header text helpers: unfolding, RFC 2047 decoding, UTF-8 repair.
 *
 * Purpose: turn a header value as received into the UTF-8 text that
 * markers are matched against (SPEC 5a: an encoded Subject must not
 * bypass a marker; invalid UTF-8 bytes become U+FFFD).
 *
 * Returns: new strings, or NULL when out of memory.
 *
 * Ownership: every function returns a new string the caller frees, or
 * NULL when out of memory.
 * Thread safety: reentrant (iconv descriptors are per call).
 */
#ifndef OM_TEXT_H
#define OM_TEXT_H

#include <stddef.h>

/* text_unfold - remove every CR and LF (RFC 5322 2.2.3 unfolding). */
char *text_unfold(const char *s, size_t len);

/* text_utf8_repair - copy S, each invalid UTF-8 sequence as U+FFFD. */
char *text_utf8_repair(const char *s, size_t len);

/*
 * text_decode_unstructured - unfold S and decode its RFC 2047 encoded
 * words (B and Q, any charset iconv knows; adjacent encoded words
 * separated only by white space are joined) to UTF-8, repairing invalid
 * UTF-8. An encoded word that cannot be decoded is kept as written.
 */
char *text_decode_unstructured(const char *s, size_t len);

#endif
