/*
 * context - connection and message contexts of the milter.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "metrics.h"

/*
 * conn_ctx_new - zeroed; one session more. malloc() and memset() rather
 * than calloc(): glibc's calloc() bypasses the per-thread cache, and costs
 * several times more for one context per connection and per message.
 */
struct conn_ctx *conn_ctx_new(void)
{
    struct conn_ctx *c = malloc(sizeof(struct conn_ctx));

    if (c == NULL)
        return NULL;
    memset(c, 0, sizeof(*c));
    metrics_session(+1);
    return c;
}

/* conn_ctx_free - the connection's strings and its message. */
void conn_ctx_free(struct conn_ctx *c)
{
    if (c == NULL)
        return;
    msg_ctx_free(c->msg);
    free(c->client_ip);
    free(c->client_name);
    free(c->helo);
    free(c);
    metrics_session(-1);
}

/* msg_ctx_new - a message under policy P (one more reference). */
struct msg_ctx *msg_ctx_new(struct policy *p)
{
    struct msg_ctx *m = malloc(sizeof(*m)); /* not calloc(): see conn_ctx_new() */

    if (m == NULL)
        return NULL;
    memset(m, 0, sizeof(*m));
    m->policy = policy_ref(p);
    m->started = time(NULL);
    facts_init(&m->facts, p);
    return m;
}

/* msg_ctx_free - everything gathered, and the policy reference. */
void msg_ctx_free(struct msg_ctx *m)
{
    if (m == NULL)
        return;
    verdict_sender_clear(&m->sender);
    facts_clear(&m->facts);
    free(m->queue_id);
    for (size_t i = 0; i < m->nrcpt_v; i++)
        violation_clear(&m->rcpt_v[i]);
    free(m->rcpt_v);
    verify_free(m->verify);
    if (m->have_parsed)
        message_clear(&m->parsed);
    policy_unref(m->policy);
    free(m);
}

/* msg_ctx_set - copy SRC into *DST. */
int msg_ctx_set(char **dst, const char *src)
{
    char *copy = NULL;

    if (src != NULL && (copy = strdup(src)) == NULL)
        return -1;
    free(*dst);
    *dst = copy;
    return 0;
}

/* msg_ctx_add_rcpt_violation - keep a RCPT-time violation for recording. */
int msg_ctx_add_rcpt_violation(struct msg_ctx *m, struct violation *v)
{
    struct violation *nv = realloc(m->rcpt_v, (m->nrcpt_v + 1) * sizeof(*nv));

    if (nv == NULL)
        return -1;
    m->rcpt_v = nv;
    nv[m->nrcpt_v++] = *v;
    memset(v, 0, sizeof(*v));
    return 0;
}
