/*
 * context - connection and message contexts of the milter.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "context.h"

/* conn_ctx_new - zeroed. */
struct conn_ctx *conn_ctx_new(void)
{
    return calloc(1, sizeof(struct conn_ctx));
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
}

/* msg_ctx_new - a message under policy P (one more reference). */
struct msg_ctx *msg_ctx_new(struct policy *p)
{
    struct msg_ctx *m = calloc(1, sizeof(*m));

    if (m == NULL)
        return NULL;
    m->policy = policy_ref(p);
    m->started = time(NULL);
    return m;
}

/* msg_ctx_free - everything gathered, and the policy reference. */
void msg_ctx_free(struct msg_ctx *m)
{
    if (m == NULL)
        return;
    free(m->mail_from);
    free(m->auth_user);
    for (size_t i = 0; i < m->nrcpts; i++)
        free(m->rcpts[i]);
    free(m->rcpts);
    for (size_t i = 0; i < m->nfields; i++) {
        free((char *)m->fields[i].name);
        free((char *)m->fields[i].value);
    }
    free(m->fields);
    free(m->message_id);
    free(m->queue_id);
    for (size_t i = 0; i < m->nrcpt_v; i++)
        violation_clear(&m->rcpt_v[i]);
    free(m->rcpt_v);
    verify_free(m->verify);
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

/* msg_ctx_add_rcpt - one more envelope recipient. */
int msg_ctx_add_rcpt(struct msg_ctx *m, const char *rcpt)
{
    if (m->nrcpts >= CTX_MAX_RCPTS) {
        m->rcpts_dropped++;
        return 0;
    }
    char **nr = realloc(m->rcpts, (m->nrcpts + 1) * sizeof(*nr));
    if (nr == NULL)
        return -1;
    m->rcpts = nr;
    if ((nr[m->nrcpts] = strdup(rcpt)) == NULL)
        return -1;
    m->nrcpts++;
    return 0;
}

/* msg_ctx_wanted - 1 for the fields the rules read. */
static int msg_ctx_wanted(const char *name)
{
    static const char *const wanted[] = {"From", "Reply-To", "Mail-Followup-To", "Subject",
                                         "Content-Type"};

    for (size_t i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++)
        if (message_header_is(name, wanted[i]))
            return 1;
    return 0;
}

/* msg_ctx_add_field - keep a field the rules read, within the caps. */
int msg_ctx_add_field(struct msg_ctx *m, const char *name, const char *value)
{
    if (message_header_is(name, "Message-ID") && m->message_id == NULL)
        return msg_ctx_set(&m->message_id, value);
    if (!msg_ctx_wanted(name))
        return 0;
    if (m->nfields >= CTX_MAX_FIELDS) {
        m->fields_dropped++;
        return 0;
    }
    size_t len = strlen(value);
    if (len > CTX_MAX_FIELD_BYTES) {
        len = CTX_MAX_FIELD_BYTES; /* judged on what was kept; the fact is logged */
        m->fields_cut = 1;
    }
    struct header *nf = realloc(m->fields, (m->nfields + 1) * sizeof(*nf));
    if (nf == NULL)
        return -1;
    m->fields = nf;
    char *n = strdup(name), *v = strndup(value, len);
    if (n == NULL || v == NULL) {
        free(n);
        free(v);
        return -1;
    }
    nf[m->nfields++] = (struct header){n, v};
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
