/*
 * strtab - a hash table from strings to ints.
 *
 * Purpose: the exact-match lookups of the policy (department addresses,
 * private addresses, domain sets) in constant time.
 *
 * Returns: the lookups 1 found / 0 not found; put 1 added / 0 already present /
 * -1 out of memory; strtab_foreach() 0, or what FN stopped with.
 *
 * Ownership: the table owns copies of its keys; keys it hands back are
 * lent for the table's lifetime.
 * Thread safety: building is single-threaded; lookups are read-only.
 */
#ifndef OM_STRTAB_H
#define OM_STRTAB_H

#include <stddef.h>

struct strtab;

/* strtab_new - an empty table, or NULL when out of memory. */
struct strtab *strtab_new(void);

/* strtab_free - release T; NULL is a no-op. */
void strtab_free(struct strtab *t);

/*
 * strtab_put - add KEY (LEN bytes) with VALUE unless present (the first
 * value wins). 1 added, 0 already present, -1 out of memory.
 */
int strtab_put(struct strtab *t, const char *key, size_t len, int value);

/* strtab_get - the stored key for KEY (LEN bytes) or NULL; *VALUE set. */
const char *strtab_get(const struct strtab *t, const char *key, size_t len, int *value);

/* strtab_del - remove KEY; 1 removed, 0 absent. */
int strtab_del(struct strtab *t, const char *key, size_t len);

/* strtab_count - number of keys. */
size_t strtab_count(const struct strtab *t);

/* strtab_foreach - call FN per key until it returns non-zero. */
int strtab_foreach(const struct strtab *t, int (*fn)(const char *key, int value, void *arg),
                   void *arg);

#endif
