/*
 * pattern_set - the policy's patterns matched as sets, not one by one.
 *
 * Purpose: a message's addresses meet every department pattern, and its
 * display names and subjects every marker. Tried one by one that was the
 * largest cost of a judgement (SPEC 8). Two faster forms, each giving
 * exactly the answers of the one-by-one loop, errors included:
 *   - department patterns are indexed by a literal every match needs:
 *     the characters after a leading "^" ("^it-..."), else those before
 *     a final "$" ("...@it\.jk\.gov\.in$"). An address meets only the
 *     patterns whose literal it has, plus those with none, in file order;
 *   - the markers are combined into one alternation "(?:m1)|(?:m2)|...",
 *     asked first: "no match" from it is "no marker matches"; a match is
 *     "a marker matches"; an error from it (a resource limit) sends the
 *     question to the markers one by one, so that the failing marker is
 *     the one reported (policy_pattern_failure: its file:line), and an
 *     error is never taken for "no match". Markers that could change
 *     meaning inside an alternation (back references, named or numbered
 *     groups referred to, comments, leading verbs) are never combined.
 *
 * Ownership: the set belongs to the policy (policy->sets) and points into
 * its departments and markers, which must outlive it.
 * Thread safety: built once at load; read-only afterwards.
 */
#ifndef OM_PATTERN_SET_H
#define OM_PATTERN_SET_H

#include <stddef.h>

#include "policy.h"

struct pattern_set;

/* pattern_set_build - the sets of P's departments and markers into P->sets. 0, or -1 (OOM). */
int pattern_set_build(struct policy *p);

/* pattern_set_free - free S; NULL ok. */
void pattern_set_free(struct pattern_set *s);

/*
 * pattern_set_department - the first department (file order) with a
 * pattern matching normalised address NORM (LEN bytes): 1 with *DEPT
 * set, 0 when none does, -1 when a pattern could not be evaluated
 * before a match was found (remembered for policy_pattern_failure).
 */
int pattern_set_department(const struct policy *p, const char *norm, size_t len, int *dept);

/*
 * pattern_set_any_marker - 1 when some marker matches UTF-8 text S
 * (LEN bytes), 0 when none does, -1 when none matched and a marker
 * could not be evaluated.
 */
int pattern_set_any_marker(const struct policy *p, const char *s, size_t len);

/* pattern_set_combined - 1 when P's markers are matched as one alternation (for tests). */
int pattern_set_combined(const struct policy *p);

#endif
