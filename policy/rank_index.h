/*
 * rank_index - string keys to ascending lists of ranks (positions in a
 * list of the configuration, file order).
 *
 * Purpose: the indexes that spare the decision trying every entry of a
 * list in turn: the department patterns by a literal every match needs
 * (pattern_set.c), the exceptions by their sender (exc_index.c). A key
 * gives the ranks of the entries that name it, in the order added.
 *
 * Returns: rank_index_new() the index or NULL; adds 0 / -1 (out of
 * memory); rank_index_get() the list or NULL when the key is absent.
 *
 * Ownership: the index owns its keys and lists; lists it hands back are
 * lent for its lifetime.
 * Thread safety: built at load; read-only afterwards.
 */
#ifndef OM_RANK_INDEX_H
#define OM_RANK_INDEX_H

#include <stddef.h>

/* Ranks, ascending when added so. */
struct rank_list {
    size_t *v;
    size_t n, cap;
};

/* rank_list_push - append R to L: 0 or -1. */
int rank_list_push(struct rank_list *l, size_t r);

/* rank_list_free - what L owns (L itself stays, emptied). */
void rank_list_free(struct rank_list *l);

struct rank_index;

/* rank_index_new - an empty index, or NULL when out of memory. */
struct rank_index *rank_index_new(void);

/* rank_index_free - release X; NULL ok. */
void rank_index_free(struct rank_index *x);

/* rank_index_add - rank R under KEY (LEN bytes): 0 or -1. */
int rank_index_add(struct rank_index *x, const char *key, size_t len, size_t r);

/* rank_index_get - the ranks under KEY (LEN bytes), or NULL. */
const struct rank_list *rank_index_get(const struct rank_index *x, const char *key, size_t len);

#endif
