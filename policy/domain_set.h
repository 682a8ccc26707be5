/*
 * domain_set - a set of normalised domains with "is under" lookups.
 *
 * Purpose: answer "which listed domain is D under, if any" in time
 * proportional to the number of labels of D, not the size of the set
 * (thousands of webmail domains). Each entry carries an int value chosen
 * by the caller (a department index, a line number...).
 *
 * Returns: 0 / -1; the lookups 1 found / 0 not found (/ -1 error); add 1
 * added / 0 already present / -1 out of memory.
 *
 * Ownership: the set owns copies of the domains added to it; strings it
 * returns are lent and live as long as the set.
 * Thread safety: building is single-threaded; once built, lookups from
 * many threads at once are safe (they do not modify the set).
 */
#ifndef OM_DOMAIN_SET_H
#define OM_DOMAIN_SET_H

#include <stddef.h>

struct domain_set;

/* domain_set_new - an empty set, or NULL when out of memory. */
struct domain_set *domain_set_new(void);

/* domain_set_free - release the set; NULL is a no-op. */
void domain_set_free(struct domain_set *set);

/*
 * domain_set_add - add normalised domain D with VALUE. When D is already
 * present the first value is kept and 0 returned. Returns 1 when added,
 * 0 when already present, -1 when out of memory.
 */
int domain_set_add(struct domain_set *set, const char *d, int value);

/* domain_set_remove - remove exact domain D; 1 when removed, 0 if absent. */
int domain_set_remove(struct domain_set *set, const char *d);

/*
 * domain_set_contains - exact membership of normalised domain D; stores
 * its value in *VALUE when VALUE is not NULL. 1 found, 0 not found.
 */
int domain_set_contains(const struct domain_set *set, const char *d, int *value);

/*
 * domain_set_match - the longest entry that normalised domain D is under
 * (D itself, or a parent on a label boundary), or NULL. Stores the
 * entry's value in *VALUE when VALUE is not NULL.
 */
const char *domain_set_match(const struct domain_set *set, const char *d, int *value);

/* domain_set_count - number of entries. */
size_t domain_set_count(const struct domain_set *set);

/*
 * domain_set_foreach - call FN for each entry (order unspecified) until
 * it returns non-zero; returns that value or 0.
 */
int domain_set_foreach(const struct domain_set *set, int (*fn)(const char *d, int value, void *arg),
                       void *arg);

#endif
