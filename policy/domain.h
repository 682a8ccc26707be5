/*
 * domain - normalisation and comparison of DNS domain names.
 *
 * Purpose: turn a domain as received (any case, trailing dot, U-labels)
 * into the form every list lookup uses: lowercase A-labels, no trailing
 * dot (SPEC 3, 5a "IDNA"). A domain that cannot be converted or is
 * syntactically invalid is reported as such, never guessed at.
 *
 * Returns: 0 / -1 (not a valid domain); domain_is_under() 1 / 0.
 *
 * Ownership: callers provide the output buffer.
 * Thread safety: all functions are reentrant.
 */
#ifndef OM_DOMAIN_H
#define OM_DOMAIN_H

#include <stddef.h>

/* Longest normalised domain we accept (RFC 1035: 253 octets) plus NUL. */
#define DOMAIN_MAX 254

/*
 * domain_normalize - write the normalised form of IN (LEN bytes, not
 * necessarily NUL-terminated) to OUT (at least DOMAIN_MAX bytes).
 * Returns 0 on success, -1 when the domain is invalid (empty label, two
 * trailing dots, IDNA failure, too long, characters no domain may hold).
 */
int domain_normalize(const char *in, size_t len, char *out);

/*
 * domain_is_under - 1 when normalised domain D equals normalised domain
 * PARENT or ends with "." PARENT (label boundary), else 0.
 */
int domain_is_under(const char *d, const char *parent);

/*
 * domain_parent - the next shorter suffix of normalised domain D (the
 * part after its first dot), or NULL when D has a single label.
 */
const char *domain_parent(const char *d);

#endif
