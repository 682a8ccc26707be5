/*
 * identity - classification and department resolution of addresses.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "identity.h"
#include "pattern_set.h"

/* identity_classify - official, webmail or external (SPEC 3, 5a). */
enum addr_class identity_classify(const struct policy *p, const char *d)
{
    if (domain_set_match(p->official, d, NULL) != NULL)
        return ADDR_OFFICIAL;
    if (domain_set_match(p->webmail, d, NULL) != NULL &&
        domain_set_match(p->not_webmail, d, NULL) == NULL)
        return ADDR_WEBMAIL;
    return ADDR_EXTERNAL;
}

/* identity_department - exact address, first pattern, longest domain. */
int identity_department(const struct policy *p, const char *norm, const char *d, int *dept)
{
    size_t len = strlen(norm);

    if (strtab_get(p->dept_addresses, norm, len, dept) != NULL)
        return 0;
    /* Only the patterns whose required literal the address has (pattern_set.h). */
    int rc = pattern_set_department(p, norm, len, dept);
    if (rc != 0)
        return rc < 0 ? -1 : 0;
    if (domain_set_match(p->dept_domains, d, dept) == NULL)
        *dept = -1;
    return 0;
}

/* identity_department_name - the name, default_department for -1. */
const char *identity_department_name(const struct policy *p, int i)
{
    if (i < 0 || (size_t)i >= p->ndepartments)
        return p->default_department;
    return p->departments[i].name;
}

/* identity_same_official - A and B share an official_domains entry. */
int identity_same_official(const struct policy *p, const char *a, const char *b)
{
    /* Entries may nest (jk.gov.in and it.jk.gov.in): try every one A is under. */
    for (const char *s = a; s != NULL; s = domain_parent(s))
        if (domain_set_contains(p->official, s, NULL) && domain_is_under(b, s))
            return 1;
    return 0;
}

/* identity_private_owner - the department that lists NORM as private. */
int identity_private_owner(const struct policy *p, const char *norm)
{
    int dept;

    if (strtab_get(p->private_owner, norm, strlen(norm), &dept) != NULL)
        return dept;
    return -1;
}

/* identity_fill - normalise, classify and attribute mailbox MB. */
int identity_fill(const struct policy *p, struct mailbox *mb, struct addr *a)
{
    return identity_fill_as(p, mb, a, NULL);
}

/* identity_fill_as - identity_fill(), the lookups skipped when the address is KNOWN's. */
int identity_fill_as(const struct policy *p, struct mailbox *mb, struct addr *a,
                     const struct addr *known)
{
    memset(a, 0, sizeof(*a));
    a->dept = -1;
    a->domain = "";
    a->norm = addr_normalize(mb, &a->domain_ok, NULL);
    if (a->norm == NULL)
        return -1;
    if (a->domain_ok) /* "local@domain": the domain follows the last '@' */
        a->domain = strrchr(a->norm, '@') + 1;
    a->display = mb->display;
    mb->display = NULL;
    if (known != NULL && known->norm != NULL && a->domain_ok && known->domain_ok &&
        strcmp(a->norm, known->norm) == 0) {
        a->cls = known->cls; /* the same address: what the policy says of it is the same */
        a->dept = known->dept;
        return 0;
    }
    a->cls = a->domain_ok ? identity_classify(p, a->domain) : ADDR_EXTERNAL;
    if (a->cls == ADDR_OFFICIAL && identity_department(p, a->norm, a->domain, &a->dept) < 0) {
        identity_addr_clear(a);
        return -1;
    }
    return 0;
}

/* identity_addr_clear - free what A owns. */
void identity_addr_clear(struct addr *a)
{
    free(a->norm);
    free(a->display);
    a->norm = NULL;
    a->display = NULL;
    a->domain = ""; /* it pointed into norm */
}
