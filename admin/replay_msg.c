/*
 * replay_msg - a stored message's envelope, results and judgement.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "address.h"
#include "facts.h"
#include "mailsource.h"
#include "replay_msg.h"

/* rm_skip_cfws - past blanks and (nested) comments. */
static const char *rm_skip_cfws(const char *s)
{
    for (;;) {
        s += strspn(s, " \t\r\n");
        if (*s != '(')
            return s;
        int depth = 0;
        for (; *s != '\0'; s++) {
            if (*s == '\\' && s[1] != '\0')
                s++;
            else if (*s == '(')
                depth++;
            else if (*s == ')' && --depth == 0) {
                s++;
                break;
            }
        }
    }
}

/* rm_push_rcpt - append "<local@domain>" of MB when it has a domain. 0 or -1. */
static int rm_push_mailbox(char ***v, size_t *n, const struct mailbox *mb)
{
    if (mb->local == NULL || mb->domain == NULL)
        return 0;
    size_t len = strlen(mb->local) + strlen(mb->domain) + 4;
    char *s = malloc(len), **nv = realloc(*v, (*n + 1) * sizeof(*nv));
    if (nv != NULL)
        *v = nv;
    if (s == NULL || nv == NULL) {
        free(s);
        return -1;
    }
    snprintf(s, len, "<%s@%s>", mb->local, mb->domain);
    (*v)[(*n)++] = s;
    return 0;
}

/* rm_addresses - the mailboxes of field VALUE appended to V (as envelope arguments). */
static int rm_addresses(const char *value, char ***v, size_t *n)
{
    struct mailbox_list l = {0};
    int rc = -1;

    if (mailbox_list_parse(value, strlen(value), 10000, &l) < 0)
        goto out;
    for (size_t i = 0; i < l.n; i++)
        if (rm_push_mailbox(v, n, &l.v[i]) < 0)
            goto out;
    rc = 0;
out:
    mailbox_list_free(&l);
    return rc;
}

/* rm_return_path - "<...>" of a Return-Path value (the null sender for "<>"). */
static char *rm_return_path(const char *value)
{
    const char *s = rm_skip_cfws(value), *lt = strchr(s, '<'), *gt;

    if (lt != NULL && (gt = strchr(lt, '>')) != NULL)
        return strndup(lt, (size_t)(gt - lt + 1));
    size_t n = strcspn(s, " \t\r\n(");
    char *out = malloc(n + 3);
    if (out != NULL) {
        out[0] = '<';
        memcpy(out + 1, s, n);
        memcpy(out + 1 + n, ">", 2);
    }
    return out;
}

/* rm_token - the token at S (up to blank, ';', '(' or end) into OUT (LEN). Returns past it. */
static const char *rm_token(const char *s, char *out, size_t len)
{
    size_t n = strcspn(s, " \t\r\n;()");

    if (n >= len)
        n = len - 1;
    memcpy(out, s, n);
    out[n] = '\0';
    return s + strcspn(s, " \t\r\n;()");
}

/* rm_resinfo - one "method=result props" of an Authentication-Results field, N bytes at S. */
static void rm_resinfo(struct replay_msg *rm, const char *s, size_t n)
{
    char buf[1024], method[32], result[32];
    const char *p;

    if (n >= sizeof(buf))
        n = sizeof(buf) - 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    p = rm_skip_cfws(buf);
    const char *eq = strchr(p, '=');
    if (eq == NULL || (size_t)(eq - p) >= sizeof(method))
        return;
    memcpy(method, p, (size_t)(eq - p));
    method[eq - p] = '\0';
    rm_token(rm_skip_cfws(eq + 1), result, sizeof(result));
    int r = auth_result_from_name(result);
    if (r < 0)
        return; /* a result this version does not know is no result */
    if (strcasecmp(method, "spf") == 0 && rm->spf == AUTH_UNKNOWN) {
        rm->spf = (enum auth_result)r;
    } else if (strcasecmp(method, "dkim") == 0 && rm->ndkim < REPLAY_MAX_DKIM) {
        const char *d = strstr(buf, "header.d=");
        if (d == NULL)
            return;
        rm_token(d + 9, rm->dkim_domain[rm->ndkim], sizeof(rm->dkim_domain[0]));
        rm->dkim[rm->ndkim] = (struct dkim_fact){rm->dkim_domain[rm->ndkim], (enum auth_result)r};
        rm->ndkim++;
    }
}

/* rm_auth_results - an Authentication-Results VALUE: used when its authserv-id is GATEWAY. */
static void rm_auth_results(struct replay_msg *rm, const char *value, const char *gateway)
{
    char id[256];
    const char *s = rm_token(rm_skip_cfws(value), id, sizeof(id));

    if (rm->trusted || strcasecmp(id, gateway) != 0)
        return; /* another server's results prove nothing here */
    rm->trusted = 1;
    while ((s = strchr(s, ';')) != NULL) {
        s++;
        rm_resinfo(rm, s, strcspn(s, ";"));
    }
}

/* rm_is - 1 when field name N is one of the NUL-separated NAMES. */
static int rm_is(const char *n, const char *names)
{
    for (; *names != '\0'; names += strlen(names) + 1)
        if (strcasecmp(n, names) == 0)
            return 1;
    return 0;
}

/*
 * rm_fallbacks - what the envelope lacks, from the header: the sender
 * from the first From, the recipients from To, Cc and Bcc (parsed only
 * then: most stored mail has Return-Path and X-Original-To). 0 or -1.
 */
static int rm_fallbacks(struct replay_msg *rm)
{
    char **from = NULL;
    size_t nfrom = 0;
    int rc = 0;

    for (size_t i = 0; i < rm->mf.nfields && rc == 0; i++) {
        const char *n = rm->mf.fields[i].name, *v = rm->mf.fields[i].value;
        if (rm->sender == NULL && nfrom == 0 && strcasecmp(n, "From") == 0)
            rc = rm_addresses(v, &from, &nfrom);
        else if (rm->nenvelope == 0 && rm_is(n, "To\0Cc\0Bcc\0"))
            rc = rm_addresses(v, &rm->rcpts, &rm->nrcpts);
    }
    if (rc == 0 && rm->sender == NULL) {
        rm->no_return_path = 1;
        if ((rm->sender = strdup(nfrom > 0 ? from[0] : "<>")) == NULL)
            rc = -1;
    }
    for (size_t i = 0; i < nfrom; i++)
        free(from[i]);
    free(from);
    return rc;
}

/* rm_fields - the envelope and results from the header fields. 0 or -1. */
static int rm_fields(struct replay_msg *rm, const char *gateway)
{
    for (size_t i = 0; i < rm->mf.nfields; i++) {
        const char *n = rm->mf.fields[i].name, *v = rm->mf.fields[i].value;
        int r = 0;
        if (rm->sender == NULL && strcasecmp(n, "Return-Path") == 0)
            r = (rm->sender = rm_return_path(v)) == NULL ? -1 : 0;
        else if (rm_is(n, "X-Original-To\0Delivered-To\0"))
            r = rm_addresses(v, &rm->rcpts, &rm->nrcpts);
        else if (rm->message_id == NULL && strcasecmp(n, "Message-ID") == 0)
            rm->message_id = v + strspn(v, " \t");
        else if (strcasecmp(n, "Authentication-Results") == 0)
            rm_auth_results(rm, v, gateway);
        if (r < 0)
            return -1;
    }
    rm->nenvelope = rm->nrcpts;
    return rm->sender == NULL || rm->nenvelope == 0 ? rm_fallbacks(rm) : 0;
}

/* replay_msg_read - the header section, the envelope, the results. */
int replay_msg_read(struct replay_msg *rm, const char *data, size_t len, const char *gateway)
{
    int ended;
    size_t hlen = mailsource_header_len(data, len, &ended);

    memset(rm, 0, sizeof(*rm));
    /* Only the header section decides: the body is never copied. */
    if (message_file_parse(data, hlen, &rm->mf) < 0 || rm_fields(rm, gateway) < 0) {
        replay_msg_clear(rm);
        return -1;
    }
    if (rm->mf.nfields == 0)
        rm->malformed = "no header fields";
    else if (!ended)
        rm->malformed = "truncated: it ends inside its header section";
    else if (rm->nrcpts == 0)
        rm->malformed = "no recipient (no X-Original-To, Delivered-To, To, Cc or Bcc address)";
    return 0;
}

/* rm_client - an external client address for a message with trusted results, or NULL. */
static const char *rm_client(const struct policy *p)
{
    if (cidr_list_match(p->internal, "192.0.2.1") != 1)
        return "192.0.2.1";
    if (cidr_list_match(p->internal, "2001:db8::1") != 1)
        return "2001:db8::1";
    return NULL;
}

/* replay_msg_judge - the facts with P's limits, then the decision. */
int replay_msg_judge(const struct replay_msg *rm, const struct policy *p, time_t now,
                     struct verdict *v)
{
    struct facts facts;
    struct message_facts f = {.spf = rm->spf, .dkim = rm->dkim, .ndkim = rm->ndkim, .now = now};
    int rc = -1;

    facts_init(&facts, p);
    if (facts_set_sender(&facts, rm->sender, NULL) < 0)
        goto out;
    for (size_t i = 0; i < rm->nrcpts; i++)
        if (facts_add_rcpt(&facts, rm->rcpts[i]) < 0) /* 1: past max_recipients, as the milter */
            goto out;
    for (size_t i = 0; i < rm->mf.nfields; i++) {
        const char *value = rm->mf.fields[i].value;
        if (facts_add_header(&facts, rm->mf.fields[i].name, value[0] == ' ' ? value + 1 : value) <
            0)
            goto out;
    }
    facts_view(&facts, &f);
    f.client_ip = rm->trusted ? rm_client(p) : NULL;
    rc = verdict_judge(p, &f, v);
out:
    facts_clear(&facts);
    return rc;
}

/* replay_msg_clear - free the fields and the envelope. */
void replay_msg_clear(struct replay_msg *rm)
{
    message_file_free(&rm->mf);
    free(rm->sender);
    for (size_t i = 0; i < rm->nrcpts; i++)
        free(rm->rcpts[i]);
    free(rm->rcpts);
    memset(rm, 0, sizeof(*rm));
}
