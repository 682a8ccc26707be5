/*
 * utf8 - the one UTF-8 decoder (and encoder) of the tree.
 *
 * Well-formed means Unicode's table 3-7: no overlong forms, no
 * surrogates, nothing past U+10FFFF, no NUL. An ill-formed sequence is
 * reported with the length of its maximal subpart (Unicode's
 * "substitution of maximal subparts"); a caller that replaces byte by
 * byte steps over one byte instead.
 *
 * Returns: utf8_decode() a code point, or -1 when ill-formed.
 * Thread safety: reentrant.
 */
#ifndef OM_UTF8_H
#define OM_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* A NUL ends any sequence: a NUL-terminated string may pass this as LEN. */
#define UTF8_NUL_TERMINATED SIZE_MAX

/*
 * utf8_decode - the code point of the character at S (LEN bytes left)
 * and its length in *N; -1 when it is ill-formed (or LEN is 0), *N then
 * the length of the maximal ill-formed subpart (1 at least, 0 for LEN 0).
 */
long utf8_decode(const char *s, size_t len, size_t *n);

/* utf8_len - bytes of the well-formed character at S (LEN bytes left), or 0. */
size_t utf8_len(const char *s, size_t len);

/* utf8_encode - CP (at most U+10FFFF) as UTF-8 into OUT; its length, 1 to 4. */
size_t utf8_encode(uint32_t cp, char out[4]);

#endif
