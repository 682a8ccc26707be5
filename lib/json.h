/*
 * json - the few JSON primitives the command prints.
 *
 * Purpose: strings escaped so that the output is always valid JSON and
 * valid UTF-8 whatever bytes an address or subject holds (invalid UTF-8
 * becomes U+FFFD, control characters \u escapes).
 *
 * Returns: nothing (stdio's error indicator on FP says whether it was written).
 *
 * Thread safety: reentrant.
 */
#ifndef OM_JSON_H
#define OM_JSON_H

#include <stdio.h>

/* json_string - write S as a JSON string literal ("null" for NULL). */
void json_string(FILE *fp, const char *s);

/* json_key - write "KEY": with a leading ", " unless FIRST. */
void json_key(FILE *fp, const char *key, int first);

#endif
