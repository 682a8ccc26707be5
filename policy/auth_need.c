/*
 * auth_need - the alignment test of rules.c, asked before the lookups.
 */
#include <config.h>

#include <string.h>

#include "auth_need.h"
#include "identity.h"

/* auth_need_client - external (not in internal_networks, not local) and not authenticated. */
int auth_need_client(const struct policy *p, const char *client_ip, const char *auth_user)
{
    if (auth_user != NULL && auth_user[0] != '\0')
        return 0;
    if (client_ip == NULL || client_ip[0] == '\0')
        return 0;
    return cidr_list_match(p->internal, client_ip) != 1;
}

/* auth_need_aligned - 1 when normalised domain D is under the entry of an official From. */
static int auth_need_aligned(const struct policy *p, const struct message *m, const char *d)
{
    for (size_t i = 0; i < m->from.n; i++)
        if (m->from.v[i].cls == ADDR_OFFICIAL && identity_same_official(p, d, m->from.v[i].domain))
            return 1;
    return 0;
}

/* auth_need_find - judged at all; SPF identity aligned; DKIM worth a look. */
void auth_need_find(const struct policy *p, const struct message_facts *f, const struct message *m,
                    struct auth_need *n)
{
    char helo[DOMAIN_MAX];

    memset(n, 0, sizeof(*n));
    if (m->has_auth || m->internal)
        return;
    for (size_t i = 0; i < m->from.n && !n->judged; i++)
        n->judged = m->from.v[i].cls == ADDR_OFFICIAL;
    if (!n->judged)
        return;
    n->dkim = 1;
    if (!m->null_sender && m->sender.domain_ok)
        n->spf = auth_need_aligned(p, m, m->sender.domain);
    else if (m->null_sender && f->helo != NULL &&
             domain_normalize(f->helo, strlen(f->helo), helo) == 0)
        n->spf = auth_need_aligned(p, m, helo);
}

/* auth_need_dkim - D normalised, then the same test. */
int auth_need_dkim(const struct policy *p, const struct message *m, const char *d)
{
    char nd[DOMAIN_MAX];

    if (d == NULL || domain_normalize(d, strlen(d), nd) < 0)
        return 0;
    return auth_need_aligned(p, m, nd);
}
