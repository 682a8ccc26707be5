/*
 * json - the few JSON primitives the command prints.
 *
 * Purpose: strings escaped so that the output is always valid JSON and
 * valid UTF-8 whatever bytes an address or subject holds (invalid UTF-8
 * becomes U+FFFD, control characters \u escapes).
 *
 * Thread safety: reentrant.
 */
#ifndef OM_JSON_H
#define OM_JSON_H

#include <stddef.h>
#include <stdio.h>

/* json_string - write S as a JSON string literal ("null" for NULL). */
void json_string(FILE *fp, const char *s);

/* json_key - write "KEY": with a leading ", " unless FIRST. */
void json_key(FILE *fp, const char *key, int first);

/*
 * json_utf8_len - the length of the valid UTF-8 sequence at S (1 to 4),
 * or 0 when S does not start one (overlong forms, surrogates and values
 * past U+10FFFF are invalid).
 */
size_t json_utf8_len(const unsigned char *s);

#endif
