/*
 * rank_index - string keys to ascending lists of ranks.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "rank_index.h"
#include "strtab.h"

struct rank_index {
    struct strtab *keys; /* key -> its list's place in lists[] */
    struct rank_list *lists;
    size_t nlists, cap;
};

/* rank_list_push - append R to L. */
int rank_list_push(struct rank_list *l, size_t r)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 4;
        size_t *nv = realloc(l->v, cap * sizeof(*nv));
        if (nv == NULL)
            return -1;
        l->v = nv;
        l->cap = cap;
    }
    l->v[l->n++] = r;
    return 0;
}

/* rank_list_free - the ranks. */
void rank_list_free(struct rank_list *l)
{
    free(l->v);
    memset(l, 0, sizeof(*l));
}

/* rank_index_new - empty. */
struct rank_index *rank_index_new(void)
{
    struct rank_index *x = calloc(1, sizeof(*x));

    if (x != NULL && (x->keys = strtab_new()) == NULL) {
        free(x);
        return NULL;
    }
    return x;
}

/* rank_index_free - the keys and every list. */
void rank_index_free(struct rank_index *x)
{
    if (x == NULL)
        return;
    strtab_free(x->keys);
    for (size_t i = 0; i < x->nlists; i++)
        rank_list_free(&x->lists[i]);
    free(x->lists);
    free(x);
}

/* rank_index_add - R under KEY, its list made on first use. */
int rank_index_add(struct rank_index *x, const char *key, size_t len, size_t r)
{
    int li;

    if (strtab_get(x->keys, key, len, &li) == NULL) {
        if (x->nlists == x->cap) {
            size_t cap = x->cap ? x->cap * 2 : 16;
            struct rank_list *nl = realloc(x->lists, cap * sizeof(*nl));
            if (nl == NULL)
                return -1;
            x->lists = nl;
            x->cap = cap;
        }
        li = (int)x->nlists;
        if (strtab_put(x->keys, key, len, li) < 0)
            return -1;
        x->lists[x->nlists++] = (struct rank_list){0};
    }
    return rank_list_push(&x->lists[li], r);
}

/* rank_index_get - the list under KEY. */
const struct rank_list *rank_index_get(const struct rank_index *x, const char *key, size_t len)
{
    int li;

    return strtab_get(x->keys, key, len, &li) != NULL ? &x->lists[li] : NULL;
}
