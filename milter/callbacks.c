/*
 * callbacks - libmilter callbacks of officialmail-milter.
 *
 * Protocol: the DATA and unknown-command steps are never asked for;
 * header and end-of-header steps need no reply. The body is offered by
 * the MTA but read only for DKIM: the first body chunk of a message
 * without a signature to verify is answered SMFIS_SKIP (SMFIP_SKIP), so
 * the MTA sends no more of it. Header values keep the space after the
 * colon (SMFIP_HDR_LEADSPC) so that DKIM sees the field as signed; the
 * rules get them without it, as MTAs that cannot keep it send them. Macros are asked for by name
 * (smfi_setsymlist), so that the MTA's defaults do not matter: {auth_authen} at MAIL FROM, {i} at
 * every step from MAIL FROM to end of message (kept from the first that gives it: sendmail gives
 * it at MAIL FROM, so a message whose recipients were all refused at RCPT is recorded with it),
 * {daemon_port} at connect (Postfix's cleanup server, which handles non_smtpd_milters, gives daemon
 * port 0: that is how mail without SMTP is recognised, and refused whole rather than per recipient,
 * which Postfix would take for a configuration error). The MTA is told by v at connect: sendmail's
 * is its bare version number ("8.17.1.9"), Postfix's "Postfix 3.7.11"; only the wording of the log
 * differs.
 */
#include <config.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "auth_need.h"
#include "callbacks.h"
#include "context.h"
#include "holder.h"
#include "log.h"
#include "metrics.h"
#include "record_out.h"
#include "reply.h"

#define CONN(ctx) ((struct conn_ctx *)smfi_getpriv(ctx))

/* cb_end_message - the message is over: count it out and free it. */
static void cb_end_message(struct conn_ctx *c)
{
    if (c == NULL || c->msg == NULL)
        return;
    msg_ctx_free(c->msg);
    c->msg = NULL;
    holder_message_end();
}

/* cb_negotiate - the actions and protocol steps used, the macros wanted. */
static sfsistat cb_negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1, unsigned long f2,
                             unsigned long f3, unsigned long *pf0, unsigned long *pf1,
                             unsigned long *pf2, unsigned long *pf3)
{
    const unsigned long steps = SMFIP_NOUNKNOWN | SMFIP_NODATA | SMFIP_NR_HDR | SMFIP_NR_EOH |
                                SMFIP_SKIP | SMFIP_HDR_LEADSPC;

    (void)f2;
    (void)f3;
    *pf0 = f0 & (SMFIF_ADDHDRS | SMFIF_QUARANTINE | SMFIF_SETSYMLIST);
    *pf1 = f1 & steps;
    *pf2 = 0;
    *pf3 = 0;
    if (f0 & SMFIF_SETSYMLIST) {
        /* Failures only mean the MTA's default macro lists apply. */
        (void)smfi_setsymlist(ctx, SMFIM_CONNECT, "{daemon_port} {client_addr} {client_name} v");
        (void)smfi_setsymlist(ctx, SMFIM_ENVFROM, "{auth_authen} {i}");
        (void)smfi_setsymlist(ctx, SMFIM_ENVRCPT, "{i}");
        (void)smfi_setsymlist(ctx, SMFIM_EOH, "{i}");
        (void)smfi_setsymlist(ctx, SMFIM_EOM, "{i}");
    }
    struct conn_ctx *c = conn_ctx_new();
    if (c == NULL || smfi_setpriv(ctx, c) != MI_SUCCESS) {
        conn_ctx_free(c);
        log_msg(LOG_ERR, NULL, "out of memory at connection start");
        return SMFIS_TEMPFAIL;
    }
    c->noreply_hdr = (*pf1 & SMFIP_NR_HDR) != 0;
    c->noreply_eoh = (*pf1 & SMFIP_NR_EOH) != 0;
    c->leadspc = (*pf1 & SMFIP_HDR_LEADSPC) != 0;
    c->can_skip = (*pf1 & SMFIP_SKIP) != 0;
    return SMFIS_CONTINUE;
}

/* cb_ipv4_text - dotted quad of A (network order) at OUT (room for 16). */
static void cb_ipv4_text(const struct in_addr *a, char *out)
{
    const unsigned char *b = (const unsigned char *)&a->s_addr;
    size_t o = 0;

    /* By hand: inet_ntop's generic path costs some 1,700 instructions a
       connection, more than the rest of cb_connect. */
    for (int i = 0; i < 4; i++) {
        unsigned v = b[i];
        if (v >= 100)
            out[o++] = (char)('0' + v / 100);
        if (v >= 10)
            out[o++] = (char)('0' + v / 10 % 10);
        out[o++] = (char)('0' + v % 10);
        out[o++] = i < 3 ? '.' : '\0';
    }
}

/* cb_client_ip - the textual address of SA, or NULL for a local client. */
static char *cb_client_ip(const struct sockaddr *sa)
{
    char buf[INET6_ADDRSTRLEN];

    if (sa != NULL && sa->sa_family == AF_INET) {
        cb_ipv4_text(&((const struct sockaddr_in *)(const void *)sa)->sin_addr, buf);
        return strdup(buf);
    }
    if (sa == NULL || sa->sa_family != AF_INET6 ||
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, buf,
                  sizeof(buf)) == NULL)
        return NULL;
    return strdup(buf);
}

/* cb_connect - who the client is; whether the mail comes without SMTP. */
static sfsistat cb_connect(SMFICTX *ctx, char *hostname, _SOCK_ADDR *hostaddr)
{
    struct conn_ctx *c = CONN(ctx);

    if (c == NULL) { /* an MTA that skipped negotiation */
        if ((c = conn_ctx_new()) == NULL || smfi_setpriv(ctx, c) != MI_SUCCESS) {
            conn_ctx_free(c);
            return SMFIS_TEMPFAIL;
        }
    }
    if (!holder_accepting()) {
        (void)smfi_setreply(ctx, "421", "4.3.2", "Service shutting down, please try again later");
        return SMFIS_TEMPFAIL;
    }
    c->client_ip = cb_client_ip(hostaddr);
    c->client_name = hostname ? strdup(hostname) : NULL;
    /* A lost client address would make the client look local (internal). */
    c->failed = (hostaddr != NULL && c->client_ip == NULL &&
                 (hostaddr->sa_family == AF_INET || hostaddr->sa_family == AF_INET6)) ||
                (hostname != NULL && c->client_name == NULL);
    /* Postfix's cleanup server (non_smtpd_milters) says daemon port "0". */
    const char *port = smfi_getsymval(ctx, "{daemon_port}");
    c->non_smtp = port == NULL || strcmp(port, "0") == 0;
    const char *mta = smfi_getsymval(ctx, "v");
    c->sendmail = mta != NULL && isdigit((unsigned char)mta[0]);
    return SMFIS_CONTINUE;
}

/* cb_helo - the HELO/EHLO name (SPF of the null sender uses it). */
static sfsistat cb_helo(SMFICTX *ctx, char *helo)
{
    struct conn_ctx *c = CONN(ctx);

    if (c != NULL && msg_ctx_set(&c->helo, helo) < 0) {
        log_msg(LOG_ERR, NULL, "out of memory keeping the HELO name");
        c->failed = 1;
    }
    return SMFIS_CONTINUE;
}

/* cb_queue_id - {i} into M when the MTA gives it now (an earlier one kept). 0 or -1. */
static int cb_queue_id(SMFICTX *ctx, struct msg_ctx *m)
{
    if (m->queue_id != NULL)
        return 0; /* a transaction's queue id does not change: no lookup at every step */
    const char *qid = smfi_getsymval(ctx, "{i}");

    return qid == NULL || *qid == '\0' ? 0 : msg_ctx_set(&m->queue_id, qid);
}

/* cb_envfrom - a new message under the policy in force now. */
static sfsistat cb_envfrom(SMFICTX *ctx, char **argv)
{
    struct conn_ctx *c = CONN(ctx);
    struct policy *p = holder_get();
    sfsistat rc = SMFIS_CONTINUE;

    if (c == NULL) {
        rc = reply_internal_error(ctx, p, NULL, METRICS_ERR_MEMORY, "no connection context");
        policy_unref(p);
        return rc;
    }
    cb_end_message(c);
    if (!holder_accepting()) {
        policy_unref(p);
        (void)smfi_setreply(ctx, "421", "4.3.2", "Service shutting down, please try again later");
        return SMFIS_TEMPFAIL;
    }
    c->msg = msg_ctx_new(p);
    if (c->msg != NULL)
        holder_message_begin();
    if (c->msg == NULL ||
        facts_set_sender(&c->msg->facts, argv[0], smfi_getsymval(ctx, "{auth_authen}")) < 0 ||
        cb_queue_id(ctx, c->msg) < 0)
        rc = reply_internal_error(ctx, p, NULL, METRICS_ERR_MEMORY, "out of memory at MAIL FROM");
    /* Only mail that can be judged as spoofing keeps its fields for DKIM. */
    else if (auth_need_client(p, c->client_ip, c->msg->facts.smtp_auth_user) &&
             (c->msg->verify = verify_new()) == NULL)
        rc = reply_internal_error(ctx, p, NULL, METRICS_ERR_MEMORY, "out of memory at MAIL FROM");
    policy_unref(p);
    return rc;
}

/*
 * cb_envrcpt - refuse the recipient now when the policy says so, keep it
 * unless it is one too many (452: the client sends it again later).
 */
static sfsistat cb_envrcpt(SMFICTX *ctx, char **argv)
{
    struct conn_ctx *c = CONN(ctx);
    struct msg_ctx *m = c ? c->msg : NULL;
    struct violation v;
    char err[512];

    if (m == NULL)
        return SMFIS_CONTINUE; /* RCPT without MAIL FROM: the MTA refuses it */
    if (cb_queue_id(ctx, m) < 0)
        log_msg(LOG_ERR, NULL, "out of memory keeping the queue id");
    if (m->facts.nrcpts >= m->facts.max_rcpts)
        return reply_too_many(ctx, m->policy, m->queue_id, argv[0]);
    int rc = verdict_rcpt_sender(m->policy, &m->sender, m->facts.mail_from, argv[0], m->started,
                                 c->non_smtp, &v, err, sizeof(err));
    if (rc < 0)
        return reply_internal_error(ctx, m->policy, m->queue_id, METRICS_ERR_VERDICT, err);
    /* Refused ones too: the records list every envelope recipient. */
    if (facts_add_rcpt_id(&m->facts, argv[0], &m->sender.rcpt) < 0) {
        if (rc == 1)
            violation_clear(&v);
        return reply_internal_error(ctx, m->policy, m->queue_id, METRICS_ERR_MEMORY,
                                    "out of memory at RCPT");
    }
    if (rc == 0)
        return SMFIS_CONTINUE;
    sfsistat st = reply_rcpt_reject(ctx, m->policy, &v);
    if (msg_ctx_add_rcpt_violation(m, &v) < 0) {
        violation_clear(&v);
        return reply_internal_error(ctx, m->policy, m->queue_id, METRICS_ERR_MEMORY,
                                    "out of memory at RCPT");
    }
    return st;
}

/* cb_header - keep the fields the rules read (bounded), and all of them for DKIM. */
static sfsistat cb_header(SMFICTX *ctx, char *name, char *value)
{
    struct conn_ctx *c = CONN(ctx);
    struct msg_ctx *m = c ? c->msg : NULL;

    if (m == NULL)
        return c != NULL && c->noreply_hdr ? SMFIS_NOREPLY : SMFIS_CONTINUE;
    /* The rules read values as an MTA without SMFIP_HDR_LEADSPC gives them. */
    if (facts_add_header(&m->facts, name, c->leadspc && value[0] == ' ' ? value + 1 : value) < 0) {
        log_msg(LOG_ERR, m->queue_id, "out of memory keeping header %s", name);
        m->failed = 1; /* judged without it, a From could slip past the rules */
    }
    /* A failure is remembered by the verifier and answered at end of message. */
    if (m->verify != NULL)
        (void)verify_header(m->verify, name, value, c->leadspc);
    return c->noreply_hdr ? SMFIS_NOREPLY : SMFIS_CONTINUE;
}

/* cb_facts - the facts of the message for the decision. */
static struct message_facts cb_facts(const struct conn_ctx *c, const struct msg_ctx *m)
{
    struct message_facts f = {.client_ip = c->client_ip,
                              .helo = c->helo,
                              .spf = AUTH_UNKNOWN,
                              .now = m->started,
                              .non_smtp = c->non_smtp};

    facts_view(&m->facts, &f);
    if (m->sender.parsed && !m->sender.null_sender)
        f.sender_id = &m->sender.addr; /* parsed at the first RCPT */
    return f;
}

/* cb_eoh - decide what SPF and DKIM need; nothing is answered before the end. */
static sfsistat cb_eoh(SMFICTX *ctx)
{
    struct conn_ctx *c = CONN(ctx);
    struct msg_ctx *m = c ? c->msg : NULL;

    if (m != NULL && cb_queue_id(ctx, m) < 0)
        log_msg(LOG_ERR, NULL, "out of memory keeping the queue id");
    if (m != NULL && m->verify != NULL) {
        struct message_facts f = cb_facts(c, m);
        /* Over a limit nothing is parsed: the verdict answers the limit. */
        m->have_parsed =
            f.limit == NULL && !m->failed && message_parse(m->policy, &f, &m->parsed) == 0;
        int rc = verify_eoh_parsed(m->verify, m->policy, &f, m->have_parsed ? &m->parsed : NULL,
                                   m->queue_id ? m->queue_id : "");
        m->body_wanted = rc > 0;
        if (rc < 0)
            log_msg(LOG_ERR, m->queue_id,
                    "out of memory preparing DKIM; answered at end of message");
    }
    return c != NULL && c->noreply_eoh ? SMFIS_NOREPLY : SMFIS_CONTINUE;
}

/* cb_body - body chunks go to DKIM while it wants them; otherwise the rest is skipped. */
static sfsistat cb_body(SMFICTX *ctx, unsigned char *buf, size_t len)
{
    struct conn_ctx *c = CONN(ctx);
    struct msg_ctx *m = c ? c->msg : NULL;

    if (m != NULL && m->body_wanted)
        m->body_wanted = verify_body(m->verify, (const char *)buf, len);
    if (m != NULL && m->body_wanted)
        return SMFIS_CONTINUE;
    return c != NULL && c->can_skip ? SMFIS_SKIP : SMFIS_CONTINUE;
}

/* cb_verify - SPF and DKIM into F, and the results line; -1 when out of memory. */
static int cb_verify(struct msg_ctx *m, struct message_facts *f)
{
    int rc;

    if (m->verify == NULL)
        return 0;
    rc = verify_eom(m->verify, m->policy, f);
    if (verify_truncated(m->verify))
        log_msg(LOG_WARNING, m->queue_id,
                "header larger than %d fields or %d bytes: "
                "its DKIM signatures were not checked",
                VERIFY_MAX_FIELDS, VERIFY_MAX_BYTES);
    if (rc == 0 && verify_judged(m->verify))
        log_msg(LOG_INFO, m->queue_id, "Authentication-Results: %s", verify_results(m->verify));
    return rc;
}

/*
 * cb_outcome - the message's action as `officialmail test --json` prints
 * it (SPEC 10): the verdict's (a message with recipients refused at RCPT
 * is "reject", its other copies delivered), tempfail when it was answered
 * 451, accept when it could not be judged and on_internal_error accepts.
 */
static enum om_action cb_outcome(sfsistat rc, const struct verdict *v)
{
    if (rc == SMFIS_TEMPFAIL)
        return ACTION_TEMPFAIL;
    if (v->error != NULL)
        return ACTION_ACCEPT;
    return v->action;
}

/* cb_eom - judge the whole message and act on the verdict. */
static sfsistat cb_eom(SMFICTX *ctx)
{
    struct conn_ctx *c = CONN(ctx);
    struct msg_ctx *m = c ? c->msg : NULL;
    struct verdict v;
    sfsistat rc;

    if (m == NULL)
        return SMFIS_CONTINUE;
    if (cb_queue_id(ctx, m) < 0)
        log_msg(LOG_ERR, NULL, "out of memory keeping the queue id");
    struct message_facts f = cb_facts(c, m);
    /* Over a limit there is nothing to verify: the verdict answers the limit. */
    if (c->failed || m->failed || (f.limit == NULL && cb_verify(m, &f) < 0) ||
        verdict_judge_message(m->policy, &f, m->have_parsed ? &m->parsed : NULL, &v) < 0) {
        record_out_pending(c, m);
        rc = reply_internal_error(ctx, m->policy, m->queue_id, METRICS_ERR_MEMORY,
                                  "a fact of the message was lost, or it could not be judged");
        metrics_message(rc == SMFIS_ACCEPT ? ACTION_ACCEPT : ACTION_TEMPFAIL);
    } else {
        /* The verdict holds the RCPT refusals again: they are recorded with it. */
        for (size_t i = 0; i < m->nrcpt_v; i++)
            violation_clear(&m->rcpt_v[i]);
        m->nrcpt_v = 0;
        /* Nothing is answered before its records are committed (SPEC 6),
           unless database_commit = background and the log keeps up. */
        rc = record_out_message(c, m, &v) < 0
                 ? reply_internal_error(ctx, m->policy, m->queue_id, METRICS_ERR_LOG,
                                        "the violation records were not committed")
                 : reply_eom(ctx, c, m, &v);
        metrics_message(cb_outcome(rc, &v));
        verdict_clear(&v);
    }
    cb_end_message(c);
    return rc;
}

/* cb_abort - the message ended early: record what RCPT refused. */
static sfsistat cb_abort(SMFICTX *ctx)
{
    struct conn_ctx *c = CONN(ctx);

    if (c != NULL && c->msg != NULL) {
        record_out_pending(c, c->msg);
        cb_end_message(c);
    }
    return SMFIS_CONTINUE;
}

/* cb_close - the connection is gone. */
static sfsistat cb_close(SMFICTX *ctx)
{
    struct conn_ctx *c = CONN(ctx);

    if (c == NULL)
        return SMFIS_CONTINUE;
    if (c->msg != NULL) {
        record_out_pending(c, c->msg);
        cb_end_message(c);
    }
    conn_ctx_free(c);
    (void)smfi_setpriv(ctx, NULL);
    return SMFIS_CONTINUE;
}

static struct smfiDesc desc = {
    .xxfi_name = "officialmail",
    .xxfi_version = SMFI_VERSION,
    .xxfi_flags = SMFIF_ADDHDRS | SMFIF_QUARANTINE | SMFIF_SETSYMLIST,
    .xxfi_connect = cb_connect,
    .xxfi_helo = cb_helo,
    .xxfi_envfrom = cb_envfrom,
    .xxfi_envrcpt = cb_envrcpt,
    .xxfi_header = cb_header,
    .xxfi_eoh = cb_eoh,
    .xxfi_body = cb_body,
    .xxfi_eom = cb_eom,
    .xxfi_abort = cb_abort,
    .xxfi_close = cb_close,
    .xxfi_negotiate = cb_negotiate,
};

/* callbacks_desc - for smfi_register(). */
struct smfiDesc *callbacks_desc(void)
{
    return &desc;
}
