/*
 * rules - the four rules of SPEC section 4 over a parsed message.
 *
 * Purpose: find the violations (rule, offending address, department,
 * reasons) in the order SPEC 5a gives; actions are applied afterwards by
 * verdict.c. Each rule is one function.
 *
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

#endif
