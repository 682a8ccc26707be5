/*
 * auth_need - rules.c's spoofed-official tests, asked before the lookups.
 */
#include <config.h>

#include <string.h>

#include "auth_need.h"
#include "rules.h"

/* auth_need_client - external (not in internal_networks, not local) and without SMTP AUTH. */
int auth_need_client(const struct policy *p, const char *client_ip, const char *smtp_auth_user)
{
    if (smtp_auth_user != NULL && smtp_auth_user[0] != '\0')
        return 0;
    return !message_internal(p, client_ip);
}

/* auth_need_find - judged at all; SPF identity aligned; DKIM worth a look. */
void auth_need_find(const struct policy *p, const struct message_facts *f, const struct message *m,
                    struct auth_need *n)
{
    char helo[DOMAIN_MAX];
    const char *spf;

    memset(n, 0, sizeof(*n));
    if (!(n->judged = rules_spoof_applies(m)))
        return;
    n->dkim = 1;
    spf = rules_spf_identity(f, m, helo);
    n->spf = spf != NULL && rules_identity_aligned(p, m, spf);
}

/* auth_need_dkim - D normalised, then the same test. */
int auth_need_dkim(const struct policy *p, const struct message *m, const char *d)
{
    char nd[DOMAIN_MAX];

    if (d == NULL || domain_normalize(d, strlen(d), nd) < 0)
        return 0;
    return rules_identity_aligned(p, m, nd);
}
