/*
 * exc_index - which exceptions can cover a sender, without trying each.
 *
 * An exception's sender side is "*", an exact address or a domain (and
 * its subdomains). The index keeps, per address and per domain, the
 * exceptions that name it, in file order; a sender's candidates are those
 * of its address, of each of its domain's parents and the "*" ones. The
 * verdict still checks every candidate in full, so the index only has to
 * be a superset of the true matches.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "exc_index.h"
#include "strtab.h"

/* Exception numbers naming one key, ascending. */
struct exc_list {
    size_t *v;
    size_t n, cap;
};

struct exc_index {
    size_t nexceptions;
    struct strtab *addr; /* address -> list number */
    struct strtab *dom;  /* domain -> list number */
    struct exc_list *lists;
    size_t nlists, lcap;
    struct exc_list any;
};

/* exc_list_push - append I to L: 0 or -1. */
static int exc_list_push(struct exc_list *l, size_t i)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 4;
        size_t *nv = realloc(l->v, cap * sizeof(*nv));
        if (nv == NULL)
            return -1;
        l->v = nv;
        l->cap = cap;
    }
    l->v[l->n++] = i;
    return 0;
}

/* exc_index_add - exception I under KEY in table T: 0 or -1. */
static int exc_index_add(struct exc_index *x, struct strtab *t, const char *key, size_t i)
{
    int slot = (int)x->nlists;

    if (strtab_get(t, key, strlen(key), &slot) == NULL) {
        if (x->nlists == x->lcap) {
            size_t cap = x->lcap ? x->lcap * 2 : 16;
            struct exc_list *nl = realloc(x->lists, cap * sizeof(*nl));
            if (nl == NULL)
                return -1;
            x->lists = nl;
            x->lcap = cap;
        }
        if (strtab_put(t, key, strlen(key), slot) < 0)
            return -1;
        x->lists[x->nlists++] = (struct exc_list){0};
    }
    return exc_list_push(&x->lists[slot], i);
}

/* exc_index_build - the index of the N exceptions E (file order), or NULL. */
struct exc_index *exc_index_build(const struct exception *e, size_t n)
{
    struct exc_index *x = calloc(1, sizeof(*x));
    int rc = 0;

    if (x == NULL || (x->addr = strtab_new()) == NULL || (x->dom = strtab_new()) == NULL) {
        exc_index_free(x);
        return NULL;
    }
    x->nexceptions = n;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const struct exception_match *s = &e[i].sender;
        if (s->any)
            rc = exc_list_push(&x->any, i);
        else if (s->address != NULL)
            rc = exc_index_add(x, x->addr, s->address, i);
        else if (s->domain != NULL)
            rc = exc_index_add(x, x->dom, s->domain, i);
        /* a sender side of none of these matches nothing: not indexed */
    }
    if (rc < 0) {
        exc_index_free(x);
        return NULL;
    }
    return x;
}

/* exc_index_free - release X; NULL ok. */
void exc_index_free(struct exc_index *x)
{
    if (x == NULL)
        return;
    strtab_free(x->addr);
    strtab_free(x->dom);
    for (size_t i = 0; i < x->nlists; i++)
        free(x->lists[i].v);
    free(x->lists);
    free(x->any.v);
    free(x);
}

/* exc_mark_list - set the bits of L's exceptions in BITS. */
static void exc_mark_list(const struct exc_list *l, unsigned char *bits)
{
    for (size_t k = 0; k < l->n; k++)
        bits[l->v[k] / 8] |= (unsigned char)(1u << (l->v[k] % 8));
}

/* exc_mark_key - the exceptions under KEY in T. */
static void exc_mark_key(const struct exc_index *x, const struct strtab *t, const char *key,
                         unsigned char *bits)
{
    int slot;

    if (strtab_get(t, key, strlen(key), &slot) != NULL)
        exc_mark_list(&x->lists[slot], bits);
}

/* exc_index_mark_any - the "*" exceptions. */
void exc_index_mark_any(const struct exc_index *x, unsigned char *bits)
{
    exc_mark_list(&x->any, bits);
}

/* exc_index_mark - the exceptions whose sender side names address A or one of its domains. */
void exc_index_mark(const struct exc_index *x, const struct addr *a, unsigned char *bits)
{
    if (a == NULL || a->norm == NULL)
        return;
    exc_mark_key(x, x->addr, a->norm, bits);
    if (!a->domain_ok)
        return;
    for (const char *d = a->domain; d != NULL; d = domain_parent(d))
        exc_mark_key(x, x->dom, d, bits);
}
