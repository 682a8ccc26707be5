/*
 * auth_need - which SPF and DKIM results can change a message's verdict.
 *
 * Purpose: lookups cost time and DNS traffic, so the milter and
 * `officialmail test` ask before making them. Only spoofed-official reads
 * SPF and DKIM results (SPEC 4), and only for an external,
 * unauthenticated client with an official From; then only an identity
 * under the same official_domains entry as such a From can align
 * (rules.c's rules_spoof_applies, rules_spf_identity and
 * rules_identity_aligned, which spoofed-official itself uses): SPF is needed when the envelope
 * sender's domain (the HELO name's for the null sender) is one, and a
 * DKIM signature only when its d= is one.
 *
 * Returns: predicates 1 / 0; auth_need_find() fills a struct.
 *
 * Thread safety: reentrant; the policy and the message are only read.
 */
#ifndef OM_AUTH_NEED_H
#define OM_AUTH_NEED_H

#include "message.h"
#include "policy.h"

struct auth_need {
    int judged; /* spoofed-official may fire: an official From from outside */
    int spf;    /* the SPF result can align */
    int dkim;   /* a signature can align (its d= is then checked by auth_need_dkim) */
};

/*
 * auth_need_client - 1 when a client at CLIENT_IP (NULL: local) with
 * SMTP AUTH login SMTP_AUTH_USER (NULL or "": none) can be judged at all, as
 * message_parse() decides "internal" and "authenticated".
 */
int auth_need_client(const struct policy *p, const char *client_ip, const char *smtp_auth_user);

/* auth_need_find - what M (parsed from facts F under P) needs. */
void auth_need_find(const struct policy *p, const struct message_facts *f, const struct message *m,
                    struct auth_need *n);

/*
 * auth_need_dkim - 1 when a signature with d=D (as written) is under the
 * official_domains entry of an official From of M.
 */
int auth_need_dkim(const struct policy *p, const struct message *m, const char *d);

#endif
