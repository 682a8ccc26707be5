/*
 * identity - who an address is under the policy: official, webmail or
 * external, and which department it belongs to (SPEC 3 "Matching").
 *
 * Returns: 0 / -1 (a pattern that could not be evaluated); the lookups
 * 1 found / 0 not / -1 error; identity_classify() an enum addr_class.
 *
 * Thread safety: read-only on the policy; reentrant.
 */
#ifndef OM_IDENTITY_H
#define OM_IDENTITY_H

#include "message.h"
#include "policy.h"

/* identity_classify - the class of normalised domain D (official wins). */
enum addr_class identity_classify(const struct policy *p, const char *d);

/*
 * identity_department - into *DEPT the department index of official
 * normalised address NORM with normalised domain D: an exact "addresses"
 * entry, else the first department with a matching pattern, else the
 * longest matching "domains" entry; -1 for default_department. Returns
 * 0, or -1 when a pattern could not be evaluated (policy_pattern_failure
 * says which): the address must not be attributed by the patterns after it.
 */
int identity_department(const struct policy *p, const char *norm, const char *d, int *dept);

/* identity_department_name - name of department index I (-1: default). */
const char *identity_department_name(const struct policy *p, int i);

/*
 * identity_same_official - 1 when normalised domains A and B are both
 * under one entry of official_domains.
 */
int identity_same_official(const struct policy *p, const char *a, const char *b);

/* identity_private_owner - department listing NORM as private, or -1. */
int identity_private_owner(const struct policy *p, const char *norm);

/*
 * identity_fill - normalise mailbox MB into A (display moved from MB),
 * classify it and, when official, resolve its department. 0, or -1 when
 * out of memory or a department pattern could not be evaluated.
 */
struct mailbox;
int identity_fill(const struct policy *p, struct mailbox *mb, struct addr *a);

/*
 * identity_fill_as - identity_fill(), but when the normalised address is
 * KNOWN's (NULL: none) its class and department are KNOWN's, not looked
 * up again (a From that is the envelope sender, say).
 */
int identity_fill_as(const struct policy *p, struct mailbox *mb, struct addr *a,
                     const struct addr *known);

/* identity_addr_clear - free what A owns. */
void identity_addr_clear(struct addr *a);

#endif
