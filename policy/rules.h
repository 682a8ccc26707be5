/*
 * rules - the four rules of SPEC section 4 over a parsed message.
 *
 * Purpose: find the violations (rule, offending address, department,
 * reasons) in the order SPEC 5a gives; actions are applied afterwards by
 * verdict.c. Each rule is one function.
 *
 * The parts of spoofed-official that auth_need.c asks before the SPF and
 * DKIM lookups (whether the rule can fire, which identities can align)
 * are exported from here, so that the two cannot disagree.
 *
 * Returns: 0 / -1 (out of memory); the predicates 1 / 0.
 * Thread safety: reentrant; the policy is only read.
 */
#ifndef OM_RULES_H
#define OM_RULES_H

#include "message.h"
#include "verdict.h"

/*
 * rules_evaluate - append to OUT->v the violations of M (facts F) under
 * P, with rule, address, dept, reasons, intended action, at_rcpt and
 * undecidable set. Returns 0 or -1 when out of memory.
 */
int rules_evaluate(const struct policy *p, const struct message_facts *f, const struct message *m,
                   struct verdict *out);

/* rules_push - append a violation for RULE/ADDRESS/DEPT to OUT; 0 or -1. */
int rules_push(const struct policy *p, struct verdict *out, enum om_rule rule, const char *address,
               int dept, unsigned reasons);

/*
 * rules_spoof_applies - 1 when spoofed-official may fire on M: an official
 * From, and a client that is neither internal nor authenticated by SMTP AUTH.
 */
int rules_spoof_applies(const struct message *m);

/*
 * rules_spf_identity - the domain SPF checks for M: the envelope sender's,
 * or the HELO name's (normalised into HELO) for the null sender; NULL when
 * there is none.
 */
const char *rules_spf_identity(const struct message_facts *f, const struct message *m,
                               char helo[DOMAIN_MAX]);

/*
 * rules_identity_aligned - 1 when normalised domain D is under the
 * official_domains entry of an official From of M (SPF and DKIM alignment).
 */
int rules_identity_aligned(const struct policy *p, const struct message *m, const char *d);

#endif
