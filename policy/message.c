/*
 * message - parse the facts of one message into classified addresses,
 * decoded display names and subjects.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "address.h"
#include "identity.h"
#include "strtab.h"
#include "message.h"
#include "text.h"

static const char *const auth_names[] = {"",        "pass", "fail",      "softfail",
                                         "neutral", "none", "temperror", "permerror"};

/* auth_result_name - the RFC 8601 name of R. */
const char *auth_result_name(enum auth_result r)
{
    return (unsigned)r < sizeof(auth_names) / sizeof(auth_names[0]) ? auth_names[r] : "";
}

/* auth_result_from_name - parse a result name (case-insensitive). */
int auth_result_from_name(const char *name)
{
    for (size_t i = 1; i < sizeof(auth_names) / sizeof(auth_names[0]); i++)
        if (strcasecmp(name, auth_names[i]) == 0)
            return (int)i;
    return -1;
}

/* message_addr_push - append a zeroed slot to V; NULL when out of memory. */
static struct addr *message_addr_push(struct addr_vec *v)
{
    if (v->n == v->cap) {
        size_t ncap = v->cap ? v->cap * 2 : 8;
        struct addr *nv = realloc(v->v, ncap * sizeof(*nv));
        if (nv == NULL)
            return NULL;
        v->v = nv;
        v->cap = ncap;
    }
    return &v->v[v->n++];
}

/* message_addr_vec_clear - free every address of V and V's array. */
static void message_addr_vec_clear(struct addr_vec *v)
{
    for (size_t i = 0; i < v->n; i++)
        identity_addr_clear(&v->v[i]);
    free(v->v);
    memset(v, 0, sizeof(*v));
}

/* message_add_mailbox - classify MB and append it to V. */
static int message_add_mailbox(const struct policy *p, const struct message *m, struct mailbox *mb,
                               struct addr_vec *v)
{
    struct addr *a = message_addr_push(v);

    if (a == NULL)
        return -1;
    if (identity_fill_as(p, mb, a, m->null_sender ? NULL : &m->sender) < 0) {
        v->n--;
        return -1;
    }
    return 0;
}

/* message_add_header - parse header VALUE's mailboxes into V. */
static int message_add_header(const struct policy *p, struct message *m, const char *value,
                              struct addr_vec *v)
{
    struct mailbox_list l = {0};
    int rc = -1;

    size_t room = v->n < MESSAGE_MAX_ADDRS ? MESSAGE_MAX_ADDRS - v->n : 0;
    if (mailbox_list_parse(value, strlen(value), room, &l) < 0)
        goto out;
    if (l.truncated && m->limit == NULL)
        m->limit = "more than " MESSAGE_MAX_ADDRS_TEXT " addresses in the From fields, or in "
                   "the Reply-To and Mail-Followup-To fields";
    for (size_t i = 0; i < l.n; i++) {
        if (message_add_mailbox(p, m, &l.v[i], v) < 0)
            goto out;
        v->v[v->n - 1].unparsed = l.unparsed;
    }
    rc = 0;
out:
    mailbox_list_free(&l);
    return rc;
}

/* message_addr_copy - A as a copy of KNOWN (its strings duplicated): 0 or -1. */
static int message_addr_copy(struct addr *a, const struct addr *known)
{
    *a = *known;
    a->norm = strdup(known->norm);
    a->display = known->display != NULL ? strdup(known->display) : NULL;
    if (a->norm != NULL && known->domain_ok) /* the domain is the end of the copy's norm */
        a->domain = a->norm + (known->domain - known->norm);
    if (a->norm != NULL && (known->display == NULL || a->display != NULL))
        return 0;
    identity_addr_clear(a);
    return -1;
}

/* message_rcpt_identity - recipient I of F into A: known since RCPT, or worked out now. */
static int message_rcpt_identity(const struct policy *p, const struct message_facts *f, size_t i,
                                 struct addr *a)
{
    struct mailbox mb = {0};
    int is_null, rc;

    if (f->rcpt_ids != NULL && f->rcpt_ids[i].norm != NULL)
        return message_addr_copy(a, &f->rcpt_ids[i]);
    if (envelope_parse(f->rcpts[i], &mb, &is_null) < 0)
        return -1;
    rc = identity_fill(p, &mb, a);
    mailbox_clear(&mb);
    return rc;
}

/* Up to this many recipients, those seen are compared one by one: no table to build. */
#define MESSAGE_FEW_RCPTS 16

/* message_rcpt_new - NORM not among M's recipients yet: 1; 0 when it is; -1 out of memory. */
static int message_rcpt_new(struct strtab *seen, const struct message *m, const char *norm)
{
    if (seen != NULL)
        return strtab_put(seen, norm, strlen(norm), 0);
    for (size_t i = 0; i < m->rcpts.n; i++)
        if (strcmp(m->rcpts.v[i].norm, norm) == 0)
            return 0;
    return 1;
}

/*
 * message_add_rcpts - parse the envelope recipients, first position wins.
 * A table of those seen keeps it linear: a message may have ten thousand.
 */
static int message_add_rcpts(const struct policy *p, const struct message_facts *f,
                             struct message *m)
{
    struct strtab *seen = NULL;
    int rc = -1;

    if (f->nrcpts > MESSAGE_FEW_RCPTS && (seen = strtab_new()) == NULL)
        return -1;
    for (size_t i = 0; i < f->nrcpts; i++) {
        struct addr a;

        if (message_rcpt_identity(p, f, i, &a) < 0)
            goto out;
        int added = message_rcpt_new(seen, m, a.norm);
        struct addr *slot = added == 1 ? message_addr_push(&m->rcpts) : NULL;
        if (slot == NULL) {
            identity_addr_clear(&a);
            if (added != 0)
                goto out;
            continue; /* given twice: it counts once, at its first position */
        }
        *slot = a;
    }
    rc = 0;
out:
    strtab_free(seen);
    return rc;
}

/* message_sender - the envelope sender; the null sender has no domain. */
static int message_sender(const struct policy *p, const struct message_facts *f, struct message *m)
{
    struct mailbox mb = {0};
    int rc;

    if (f->sender_id != NULL && f->sender_id->norm != NULL) { /* known since RCPT */
        m->null_sender = 0;
        return message_addr_copy(&m->sender, f->sender_id);
    }
    if (envelope_parse(f->mail_from ? f->mail_from : "", &mb, &m->null_sender) < 0)
        return -1;
    if (m->null_sender) {
        mailbox_clear(&mb);
        memset(&m->sender, 0, sizeof(m->sender));
        m->sender.dept = -1;
        m->sender.domain = "";
        m->sender.norm = strdup("");
        return m->sender.norm ? 0 : -1;
    }
    rc = identity_fill(p, &mb, &m->sender);
    mailbox_clear(&mb);
    return rc;
}

/* message_auth - the SMTP AUTH login, an identity when it is an address. */
static int message_auth(const struct policy *p, const struct message_facts *f, struct message *m)
{
    struct mailbox mb = {0};
    int is_null, rc;

    m->auth.dept = -1;
    m->smtp_auth = f->smtp_auth_user != NULL && f->smtp_auth_user[0] != '\0';
    if (!m->smtp_auth || strchr(f->smtp_auth_user, '@') == NULL)
        return 0;
    if (envelope_parse(f->smtp_auth_user, &mb, &is_null) < 0)
        return -1;
    rc = identity_fill(p, &mb, &m->auth);
    mailbox_clear(&mb);
    return rc;
}

/* message_local_is - 1 when the local part of NORM is LOCAL. */
static int message_local_is(const char *norm, const char *local)
{
    const char *at = strrchr(norm, '@');
    size_t n = at ? (size_t)(at - norm) : strlen(norm);

    return n == strlen(local) && strncmp(norm, local, n) == 0;
}

/* message_is_report - 1 when Content-Type VALUE is multipart/report. */
static int message_is_report(const char *value)
{
    static const char want[] = "multipart/report";
    size_t n = sizeof(want) - 1;

    value += strspn(value, " \t\r\n");
    if (strncasecmp(value, want, n) != 0)
        return 0;
    return value[n] == '\0' || value[n] == ';' || strchr(" \t\r\n(", value[n]) != NULL;
}

/* message_add_subject - decode one Subject and keep it. */
static int message_add_subject(struct message *m, const char *value)
{
    char **nv = realloc(m->subjects, (m->nsubjects + 1) * sizeof(*nv));

    if (nv == NULL)
        return -1;
    m->subjects = nv;
    nv[m->nsubjects] = text_decode_unstructured(value, strlen(value));
    if (nv[m->nsubjects] == NULL)
        return -1;
    m->nsubjects++;
    return 0;
}

/* message_headers - From, Reply-To, Mail-Followup-To, Subject, Content-Type. */
static int message_headers(const struct policy *p, const struct message_facts *f, struct message *m)
{
    int saw_content_type = 0, report = 0;

    for (size_t i = 0; i < f->nheaders; i++) {
        const struct header *h = &f->headers[i];
        int rc = 0;

        if (message_header_is(h->name, "From"))
            rc = message_add_header(p, m, h->value, &m->from);
        else if (message_header_is(h->name, "Reply-To") ||
                 message_header_is(h->name, "Mail-Followup-To"))
            rc = message_add_header(p, m, h->value, &m->reply);
        else if (message_header_is(h->name, "Subject"))
            rc = message_add_subject(m, h->value);
        else if (message_header_is(h->name, "Content-Type") && !saw_content_type) {
            saw_content_type = 1; /* the top-level type is the first one */
            report = message_is_report(h->value);
        }
        if (rc < 0)
            return -1;
    }
    if (m->null_sender) {
        m->is_dsn = report;
        for (size_t i = 0; i < m->from.n && !m->is_dsn; i++)
            m->is_dsn = message_local_is(m->from.v[i].norm, "mailer-daemon") ||
                        message_local_is(m->from.v[i].norm, "postmaster");
    }
    return 0;
}

/* message_parse - everything the rules need, from the facts. */
int message_parse(const struct policy *p, const struct message_facts *f, struct message *m)
{
    memset(m, 0, sizeof(*m));
    m->sender.dept = -1;
    m->sender.domain = "";
    m->auth.dept = -1;
    m->auth.domain = "";
    if (message_sender(p, f, m) < 0 || message_add_rcpts(p, f, m) < 0 ||
        message_auth(p, f, m) < 0 || message_headers(p, f, m) < 0) {
        message_clear(m);
        return -1;
    }
    m->internal = message_internal(p, f->client_ip);
    return 0;
}

/* message_internal - local, or in internal_networks. */
int message_internal(const struct policy *p, const char *client_ip)
{
    /* No client address: submitted on this host (sendmail command). */
    return client_ip == NULL || client_ip[0] == '\0' ||
           cidr_list_match(p->internal, client_ip) == 1;
}

/* message_clear - free everything M owns. */
void message_clear(struct message *m)
{
    identity_addr_clear(&m->sender);
    identity_addr_clear(&m->auth);
    message_addr_vec_clear(&m->rcpts);
    message_addr_vec_clear(&m->from);
    message_addr_vec_clear(&m->reply);
    for (size_t i = 0; i < m->nsubjects; i++)
        free(m->subjects[i]);
    free(m->subjects);
    m->subjects = NULL;
    m->nsubjects = 0;
}
