/*
 * exc_index - the exceptions indexed by their sender side, so that a
 * violation is checked against the few that name its sender (by address,
 * by domain or parent domain, or "*") rather than against every one.
 *
 * Returns: exc_index_build() the index or NULL (out of memory).
 *
 * Ownership: the index keeps numbers into the exception array it was
 * built from (the policy's), and copies of the keys; the policy owns it.
 * Thread safety: built at load; read-only afterwards.
 */
#ifndef OM_EXC_INDEX_H
#define OM_EXC_INDEX_H

#include <stddef.h>

#include "message.h"
#include "policy.h"

struct exc_index;

/* exc_index_build - the index of the N exceptions E (file order), or NULL. */
struct exc_index *exc_index_build(const struct exception *e, size_t n);

/* exc_index_free - release X; NULL ok. */
void exc_index_free(struct exc_index *x);

/*
 * exc_index_mark - set in BITS (one bit per exception, file order) those
 * whose sender side names A's address, its domain or a parent of it.
 * A superset of the exceptions whose sender side matches A (the "*" ones
 * are exc_index_mark_any()'s).
 */
void exc_index_mark(const struct exc_index *x, const struct addr *a, unsigned char *bits);

/* exc_index_mark_any - set in BITS the exceptions whose sender side is "*". */
void exc_index_mark_any(const struct exc_index *x, unsigned char *bits);

#endif
