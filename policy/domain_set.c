/*
 * domain_set - normalised domains with longest-suffix lookup.
 *
 * A strtab of the exact entries; "is under" walks the suffixes of the
 * queried domain on label boundaries, longest first, so a lookup costs
 * one hash probe per label whatever the size of the set.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "domain.h"
#include "domain_set.h"
#include "strtab.h"

struct domain_set {
    struct strtab *tab;
};

/* domain_set_new - an empty set. */
struct domain_set *domain_set_new(void)
{
    struct domain_set *set = malloc(sizeof(*set));

    if (set == NULL)
        return NULL;
    set->tab = strtab_new();
    if (set->tab == NULL) {
        free(set);
        return NULL;
    }
    return set;
}

/* domain_set_free - release SET. */
void domain_set_free(struct domain_set *set)
{
    if (set == NULL)
        return;
    strtab_free(set->tab);
    free(set);
}

/* domain_set_add - add D unless present. */
int domain_set_add(struct domain_set *set, const char *d, int value)
{
    return strtab_put(set->tab, d, strlen(d), value);
}

/* domain_set_remove - remove exact entry D. */
int domain_set_remove(struct domain_set *set, const char *d)
{
    return strtab_del(set->tab, d, strlen(d));
}

/* domain_set_contains - exact membership. */
int domain_set_contains(const struct domain_set *set, const char *d, int *value)
{
    return strtab_get(set->tab, d, strlen(d), value) != NULL;
}

/* domain_set_match - the longest entry D is under. */
const char *domain_set_match(const struct domain_set *set, const char *d, int *value)
{
    for (const char *s = d; s != NULL; s = domain_parent(s)) {
        const char *hit = strtab_get(set->tab, s, strlen(s), value);
        if (hit != NULL)
            return hit;
    }
    return NULL;
}

/* domain_set_count - number of entries. */
size_t domain_set_count(const struct domain_set *set)
{
    return strtab_count(set->tab);
}

/* domain_set_foreach - visit every entry. */
int domain_set_foreach(const struct domain_set *set, int (*fn)(const char *d, int value, void *arg),
                       void *arg)
{
    return strtab_foreach(set->tab, fn, arg);
}
