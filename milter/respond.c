/*
 * respond - replies, quarantine, tag headers and violation records.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "quote.h"
#include "record.h"
#include "respond.h"
#include "writer.h"

static struct writer *log_writer;

/* respond_committed - a record's syslog line, once it is committed. */
static void respond_committed(const struct record *r)
{
    char line[8000];
    const char *qid = r->f[RF_QUEUE_ID];

    log_msg(LOG_NOTICE, qid != NULL && qid[0] != '\0' ? qid : NULL, "violation %s",
            record_kv(r, line, sizeof(line)));
}

/* respond_init - the violation log's writer (before threads). */
void respond_init(struct writer *w)
{
    log_writer = w;
    if (w != NULL)
        writer_on_commit(w, respond_committed);
}

/* respond_setreply - smfi_setreply with a logged failure. */
static void respond_setreply(SMFICTX *ctx, const char *code, const char *xcode, const char *text,
                             const char *qid)
{
    char clean[1024];

    /* ASCII, no line break, '%' doubled: smfi_setreply(3) drops a text with a lone '%'. */
    if (smfi_setreply(ctx, (char *)code, (char *)xcode,
                      (char *)quote_smtp(text, 1, clean, sizeof(clean))) != MI_SUCCESS)
        log_msg(LOG_WARNING, qid, "could not set the reply text; the MTA uses its own");
}

/* respond_rcpt_reject - 550 5.7.1 <addr>: text (rule official-to-webmail). */
sfsistat respond_rcpt_reject(SMFICTX *ctx, const struct policy *p, const struct violation *v)
{
    char text[1024];
    const char *parts[] = {
        "<", v->address, ">: ", verdict_reply(p, v->rule), " (rule ", policy_rule_name(v->rule),
        ")"};
    size_t o = 0;

    /* Joined by hand, cut as snprintf would: one refusal per violating message. */
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        size_t n = strlen(parts[i]);
        if (n > sizeof(text) - 1 - o)
            n = sizeof(text) - 1 - o;
        memcpy(text + o, parts[i], n);
        o += n;
    }
    text[o] = '\0';
    respond_setreply(ctx, "550", "5.7.1", text, NULL);
    return SMFIS_REJECT;
}

/* respond_too_many - 452 4.5.3 for a recipient past max_recipients. */
sfsistat respond_too_many(SMFICTX *ctx, const struct policy *p, const char *qid, const char *rcpt)
{
    char clean[512];

    log_msg(LOG_NOTICE, qid, "recipient %s refused 452: more than %zu recipients (max_recipients)",
            quote_smtp(rcpt, 0, clean, sizeof(clean)), p->max_recipients);
    respond_setreply(ctx, "452", "4.5.3", "Too many recipients", qid);
    return SMFIS_TEMPFAIL;
}

/* respond_internal_error - tempfail (or accept) per on_internal_error. */
sfsistat respond_internal_error(SMFICTX *ctx, const struct policy *p, const char *qid,
                                const char *what)
{
    if (p != NULL && p->on_internal_error == ON_ERROR_ACCEPT) {
        log_msg(LOG_ERR, qid, "internal error: %s; accepting (on_internal_error = accept)", what);
        return SMFIS_ACCEPT;
    }
    log_msg(LOG_ERR, qid, "internal error: %s; answering 451 (on_internal_error = tempfail)", what);
    respond_setreply(ctx, "451", "4.3.0", "Temporary internal error, please try again later", qid);
    return SMFIS_TEMPFAIL;
}

/* respond_context - what the records say of the message beyond the verdict. */
static struct record_context respond_context(const struct conn_ctx *c, const struct msg_ctx *m)
{
    struct record_context rc = {.time = time(NULL),
                                .queue_id = m->queue_id,
                                .message_id = m->facts.message_id,
                                .client_ip = c->client_ip,
                                .client_name = c->client_name,
                                .auth_user = m->facts.auth_user,
                                .spf = verify_spf_text(m->verify),
                                .dkim = verify_dkim_text(m->verify),
                                .gateway = m->policy->gateway_name != NULL ? m->policy->gateway_name
                                                                           : policy_host_name(),
                                .subject_logging = m->policy->subject_logging};

    return rc;
}

/*
 * respond_record - the records of the violations of VD (all, or only
 * the RCPT refusals), handed to the log as one batch: committed together
 * or not at all, and each one's syslog line written after the commit
 * (respond_committed). Returns 0 when the log committed them (or there
 * were none), -1 when it did not within its timeout.
 */
static int respond_record(const struct conn_ctx *c, const struct msg_ctx *m,
                          const struct verdict *vd, int rcpt_only, int wait)
{
    struct record_context rc = respond_context(c, m);
    struct record *recs = calloc(vd->nv ? vd->nv : 1, sizeof(*recs));
    size_t n = 0;

    if (recs == NULL)
        return -1;
    for (size_t i = 0; i < vd->nv; i++) {
        if (rcpt_only && !vd->v[i].at_rcpt)
            continue;
        if (record_fill(&recs[n], &rc, vd, &vd->v[i]) < 0) {
            /* Out of memory: none of them, and the message is answered per on_internal_error. */
            for (size_t k = 0; k < n; k++)
                record_clear(&recs[k]);
            free(recs);
            return -1;
        }
        n++;
    }
    if (n == 0) {
        free(recs);
        return 0;
    }
    uint64_t ticket = writer_submit(log_writer, recs, n, wait);
    if (ticket == 0)
        return -1;
    if (wait && writer_wait(log_writer, ticket, m->policy->database_timeout * 1000) < 0) {
        log_msg(LOG_ERR, m->queue_id, "the violation log did not commit within %d s",
                m->policy->database_timeout);
        return -1;
    }
    return 0;
}

/* respond_quarantine_reason - "officialmail: rule (department), ..." */
static const char *respond_quarantine_reason(const struct verdict *v, char *out, size_t len)
{
    size_t p = (size_t)snprintf(out, len, "officialmail:");
    char name[512];

    for (size_t i = 0; i < v->nv && p < len; i++) {
        if (v->v[i].action != ACTION_QUARANTINE)
            continue;
        p += (size_t)snprintf(out + p, len - p, "%s %s (%s)", p > 13 ? "," : "",
                              policy_rule_name(v->v[i].rule),
                              quote_reason_name(v->v[i].department, name, sizeof(name)));
    }
    return out;
}

/* respond_tag - one X-Officialmail-Violation header per tag violation. */
static void respond_tag(SMFICTX *ctx, const struct conn_ctx *c, const struct msg_ctx *m,
                        const struct verdict *v)
{
    char value[4096];

    for (size_t i = 0; i < v->nv; i++) {
        const struct violation *x = &v->v[i];
        if (x->action != ACTION_TAG)
            continue;
        /* With SMFIP_HDR_LEADSPC the MTA adds no space after the colon: it is ours to write. */
        value[0] = ' ';
        if (quote_tag(policy_rule_name(x->rule), x->department, x->address,
                      value + (c->leadspc ? 1 : 0), sizeof(value) - 1) < 0 ||
            smfi_addheader(ctx, "X-Officialmail-Violation", value) != MI_SUCCESS)
            log_msg(LOG_ERR, m->queue_id, "could not add the X-Officialmail-Violation header");
    }
}

/* respond_whole_reject - the first violation that refuses the whole message. */
static const struct violation *respond_whole_reject(const struct verdict *v)
{
    for (size_t i = 0; i < v->nv; i++)
        if (v->v[i].action == ACTION_REJECT && !v->v[i].at_rcpt)
            return &v->v[i];
    return NULL;
}

/* respond_eom - record every violation, then answer per the verdict. */
sfsistat respond_eom(SMFICTX *ctx, const struct conn_ctx *c, const struct msg_ctx *m,
                     const struct verdict *v)
{
    const struct violation *whole = respond_whole_reject(v);
    char text[1024];

    /* Nothing is answered before its records are committed (SPEC 6). */
    if (respond_record(c, m, v, 0, 1) < 0)
        return respond_internal_error(ctx, m->policy, m->queue_id,
                                      "the violation records were not committed");
    if (v->dns_dropped > 0)
        log_msg(LOG_NOTICE, m->queue_id,
                "spoofed-official not checked for %zu From address%s: DNS error "
                "(on_dns_error = accept)",
                v->dns_dropped, v->dns_dropped > 1 ? "es" : "");
    if (v->error != NULL) /* the RCPT refusals are recorded; the rest retries (or passes) */
        return respond_internal_error(ctx, m->policy, m->queue_id, v->error);
    if (v->action == ACTION_TEMPFAIL) {
        log_msg(LOG_INFO, m->queue_id,
                "tempfail: the sender's official domain could not be "
                "verified (on_dns_error = tempfail)");
        respond_setreply(ctx, "451", "4.7.1",
                         "Cannot verify the sender's official domain now, please try again later",
                         m->queue_id);
        return SMFIS_TEMPFAIL;
    }
    if (whole != NULL) {
        snprintf(text, sizeof(text), "%s (rule %s)", verdict_reply(m->policy, whole->rule),
                 policy_rule_name(whole->rule));
        log_msg(LOG_INFO, m->queue_id, "reject: %s", text);
        respond_setreply(ctx, "550", "5.7.1", text, m->queue_id);
        return SMFIS_REJECT;
    }
    respond_tag(ctx, c, m, v);
    for (size_t i = 0; i < v->nrcpts; i++) {
        if (v->rcpts[i].action != ACTION_QUARANTINE)
            continue;
        respond_quarantine_reason(v, text, sizeof(text));
        if (smfi_quarantine(ctx, text) != MI_SUCCESS) {
            log_msg(LOG_ERR, m->queue_id, "could not quarantine: %s", text);
            return respond_internal_error(ctx, m->policy, m->queue_id, "quarantine failed");
        }
        /* Postfix does not log a milter's quarantine reason: say it here, in the MTA's words. */
        log_msg(LOG_INFO, m->queue_id, "%s: %s", c->sendmail ? "quarantined" : "hold", text);
        break;
    }
    return SMFIS_ACCEPT;
}

/* respond_record_pending - RCPT refusals of a message that never ended. */
void respond_record_pending(const struct conn_ctx *c, struct msg_ctx *m)
{
    struct message_facts f = {
        .client_ip = c->client_ip, .helo = c->helo, .now = m->started, .non_smtp = c->non_smtp};
    struct verdict v;

    if (m->nrcpt_v == 0)
        return;
    facts_view(&m->facts, &f);
    f.headers = NULL; /* judged again on the envelope alone: the same RCPT decisions */
    f.nheaders = 0;
    f.limit = NULL;
    if (verdict_judge(m->policy, &f, &v) < 0) {
        for (size_t i = 0; i < m->nrcpt_v; i++)
            log_msg(LOG_ERR, m->queue_id,
                    "out of memory: violation official-to-webmail "
                    "address=%s refused at RCPT not recorded in full",
                    m->rcpt_v[i].address);
    } else {
        /* No reply waits on these: they are queued, and committed with the next batch. */
        (void)respond_record(c, m, &v, 1, 0);
        verdict_clear(&v);
    }
    for (size_t i = 0; i < m->nrcpt_v; i++)
        violation_clear(&m->rcpt_v[i]);
    m->nrcpt_v = 0;
}
