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
#include "rank_index.h"

struct exc_index {
    struct rank_index *addr; /* sender address -> exceptions */
    struct rank_index *dom;  /* sender domain -> exceptions */
    struct rank_list any;    /* sender "*" */
};

/* exc_index_build - the index of the N exceptions E (file order), or NULL. */
struct exc_index *exc_index_build(const struct exception *e, size_t n)
{
    struct exc_index *x = calloc(1, sizeof(*x));
    int rc = 0;

    if (x == NULL || (x->addr = rank_index_new()) == NULL || (x->dom = rank_index_new()) == NULL) {
        exc_index_free(x);
        return NULL;
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        const struct exception_match *s = &e[i].sender;
        if (s->any)
            rc = rank_list_push(&x->any, i);
        else if (s->address != NULL)
            rc = rank_index_add(x->addr, s->address, strlen(s->address), i);
        else if (s->domain != NULL)
            rc = rank_index_add(x->dom, s->domain, strlen(s->domain), i);
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
    rank_index_free(x->addr);
    rank_index_free(x->dom);
    rank_list_free(&x->any);
    free(x);
}

/* exc_mark_list - set the bits of L's exceptions in BITS (L NULL: none). */
static void exc_mark_list(const struct rank_list *l, unsigned char *bits)
{
    for (size_t k = 0; l != NULL && k < l->n; k++)
        bits[l->v[k] / 8] |= (unsigned char)(1u << (l->v[k] % 8));
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
    exc_mark_list(rank_index_get(x->addr, a->norm, strlen(a->norm)), bits);
    if (!a->domain_ok)
        return;
    for (const char *d = a->domain; d != NULL; d = domain_parent(d))
        exc_mark_list(rank_index_get(x->dom, d, strlen(d)), bits);
}
