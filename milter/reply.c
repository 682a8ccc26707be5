/*
 * reply - replies, quarantine and tag headers: a verdict as the MTA sees it.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "log.h"
#include "quote.h"
#include "reply.h"

/* reply_setreply - smfi_setreply with a logged failure. */
static void reply_setreply(SMFICTX *ctx, const char *code, const char *xcode, const char *text,
                           const char *qid)
{
    char clean[1024];

    /* ASCII, no line break, '%' doubled: smfi_setreply(3) drops a text with a lone '%'. */
    if (smfi_setreply(ctx, (char *)code, (char *)xcode,
                      (char *)quote_smtp(text, 1, clean, sizeof(clean))) != MI_SUCCESS)
        log_msg(LOG_WARNING, qid, "could not set the reply text; the MTA uses its own");
}

/* reply_rcpt_reject - 550 5.7.1 <addr>: text (rule official-to-webmail). */
sfsistat reply_rcpt_reject(SMFICTX *ctx, const struct policy *p, const struct violation *v)
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
    reply_setreply(ctx, "550", "5.7.1", text, NULL);
    return SMFIS_REJECT;
}

/* reply_too_many - 452 4.5.3 for a recipient past max_recipients. */
sfsistat reply_too_many(SMFICTX *ctx, const struct policy *p, const char *qid, const char *rcpt)
{
    char clean[512];

    log_msg(LOG_NOTICE, qid, "recipient %s refused 452: more than %zu recipients (max_recipients)",
            quote_smtp(rcpt, 0, clean, sizeof(clean)), p->max_recipients);
    reply_setreply(ctx, "452", "4.5.3", "Too many recipients", qid);
    return SMFIS_TEMPFAIL;
}

/* reply_internal_error - tempfail (or accept) per on_internal_error. */
sfsistat reply_internal_error(SMFICTX *ctx, const struct policy *p, const char *qid,
                              const char *what)
{
    if (p != NULL && p->on_internal_error == ON_ERROR_ACCEPT) {
        log_msg(LOG_ERR, qid, "internal error: %s; accepting (on_internal_error = accept)", what);
        return SMFIS_ACCEPT;
    }
    log_msg(LOG_ERR, qid, "internal error: %s; answering 451 (on_internal_error = tempfail)", what);
    reply_setreply(ctx, "451", "4.3.0", "Temporary internal error, please try again later", qid);
    return SMFIS_TEMPFAIL;
}

/* reply_quarantine_reason - "officialmail: rule (department), ..." */
static const char *reply_quarantine_reason(const struct verdict *v, char *out, size_t len)
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

/* reply_tag - one X-Officialmail-Violation header per tag violation. */
static void reply_tag(SMFICTX *ctx, const struct conn_ctx *c, const struct msg_ctx *m,
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

/* reply_whole_reject - the first violation that refuses the whole message. */
static const struct violation *reply_whole_reject(const struct verdict *v)
{
    for (size_t i = 0; i < v->nv; i++)
        if (v->v[i].action == ACTION_REJECT && !v->v[i].at_rcpt)
            return &v->v[i];
    return NULL;
}

/* reply_eom - answer per the verdict (its records are committed). */
sfsistat reply_eom(SMFICTX *ctx, const struct conn_ctx *c, const struct msg_ctx *m,
                   const struct verdict *v)
{
    const struct violation *whole = reply_whole_reject(v);
    char text[1024];

    if (v->dns_dropped > 0)
        log_msg(LOG_NOTICE, m->queue_id,
                "spoofed-official not checked for %zu From address%s: DNS error "
                "(on_dns_error = accept)",
                v->dns_dropped, v->dns_dropped > 1 ? "es" : "");
    if (v->error != NULL) /* the RCPT refusals are recorded; the rest retries (or passes) */
        return reply_internal_error(ctx, m->policy, m->queue_id, v->error);
    if (v->action == ACTION_TEMPFAIL) {
        log_msg(LOG_INFO, m->queue_id,
                "tempfail: the sender's official domain could not be "
                "verified (on_dns_error = tempfail)");
        reply_setreply(ctx, "451", "4.7.1",
                       "Cannot verify the sender's official domain now, please try again later",
                       m->queue_id);
        return SMFIS_TEMPFAIL;
    }
    if (whole != NULL) {
        snprintf(text, sizeof(text), "%s (rule %s)", verdict_reply(m->policy, whole->rule),
                 policy_rule_name(whole->rule));
        log_msg(LOG_INFO, m->queue_id, "reject: %s", text);
        reply_setreply(ctx, "550", "5.7.1", text, m->queue_id);
        return SMFIS_REJECT;
    }
    reply_tag(ctx, c, m, v);
    for (size_t i = 0; i < v->nrcpts; i++) {
        if (v->rcpts[i].action != ACTION_QUARANTINE)
            continue;
        reply_quarantine_reason(v, text, sizeof(text));
        if (smfi_quarantine(ctx, text) != MI_SUCCESS) {
            log_msg(LOG_ERR, m->queue_id, "could not quarantine: %s", text);
            return reply_internal_error(ctx, m->policy, m->queue_id, "quarantine failed");
        }
        /* Postfix does not log a milter's quarantine reason: say it here, in the MTA's words. */
        log_msg(LOG_INFO, m->queue_id, "%s: %s", c->sendmail ? "quarantined" : "hold", text);
        break;
    }
    return SMFIS_ACCEPT;
}
