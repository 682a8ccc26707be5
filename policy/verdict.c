/*
 * verdict - exceptions, modes and actions over the rules' violations,
 * and the fate of each recipient's copy (SPEC 5, 5a "Actions").
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "identity.h"
#include "rules.h"
#include "strtab.h"
#include "exc_index.h"
#include "verdict.h"

static const char *const default_replies[RULE_COUNT] = {
    "Official mail may not be sent to private webmail accounts",
    "Official business may not be conducted from private webmail accounts",
    "Official mail may not direct replies to private webmail accounts",
    "Mail claiming an official domain failed SPF and DKIM verification"};

/* verdict_reply - the configured reply text of rule R, or its default. */
const char *verdict_reply(const struct policy *p, enum om_rule r)
{
    if ((unsigned)r >= RULE_COUNT)
        return "Message refused by policy";
    return p->rules[r].message != NULL ? p->rules[r].message : default_replies[r];
}

/* verdict_reason_name - "known-private-address", "display-name", ... */
const char *verdict_reason_name(unsigned r)
{
    switch (r) {
    case REASON_KNOWN_PRIVATE_ADDRESS:
        return "known-private-address";
    case REASON_DISPLAY_NAME:
        return "display-name";
    case REASON_DISPLAY_NAME_OFFICIAL_DOMAIN:
        return "display-name-official-domain";
    case REASON_SUBJECT:
        return "subject";
    case REASON_DNS_ERROR:
        return "dns-error";
    case REASON_UNPARSED_HEADER:
        return "unparsed-header";
    }
    return "unknown";
}

/* verdict_side_match - one side of an exception against address A. */
static int verdict_side_match(const struct exception_match *em, const struct addr *a, int null)
{
    if (em->any)
        return 1;
    if (null || a == NULL)
        return 0;
    if (em->address != NULL)
        return strcmp(em->address, a->norm) == 0;
    return em->domain != NULL && a->domain_ok && domain_is_under(a->domain, em->domain);
}

/* verdict_sender_match - envelope sender, or (not at RCPT) any From. */
static int verdict_sender_match(const struct exception *e, const struct message *m, int at_rcpt)
{
    if (verdict_side_match(&e->sender, &m->sender, m->null_sender))
        return 1;
    for (size_t i = 0; !at_rcpt && i < m->from.n; i++)
        if (verdict_side_match(&e->sender, &m->from.v[i], 0))
            return 1;
    return 0;
}

/* verdict_rcpt_match - the violation's address (official-to-webmail) or any recipient. */
static int verdict_rcpt_match(const struct exception *e, const struct message *m,
                              const struct violation *v)
{
    for (size_t i = 0; i < m->rcpts.n; i++) {
        const struct addr *r = &m->rcpts.v[i];
        if (v->rule == RULE_OFFICIAL_TO_WEBMAIL && strcmp(r->norm, v->address) != 0)
            continue;
        if (verdict_side_match(&e->recipient, r, 0))
            return 1;
    }
    return 0;
}

/* verdict_exception_covers - exception E covers V. */
static int verdict_exception_covers(const struct exception *e, const struct message *m,
                                    const struct violation *v, int at_rcpt, time_t now)
{
    if (e->has_expires && now >= e->expires_end)
        return 0;
    if (!(e->rules & (1u << v->rule)))
        return 0;
    return verdict_sender_match(e, m, at_rcpt) && verdict_rcpt_match(e, m, v);
}

/* Exceptions a sender's candidates are kept for on the stack (one bit each). */
#define VERDICT_EXC_BITS 8192

/* verdict_exception - the first live exception covering V, or NULL. */
static const struct exception *verdict_exception(const struct policy *p, const struct message *m,
                                                 const struct violation *v, int at_rcpt, time_t now)
{
    unsigned char bits[VERDICT_EXC_BITS / 8];

    if (p->exc_index == NULL || p->nexceptions > VERDICT_EXC_BITS) {
        for (size_t i = 0; i < p->nexceptions; i++)
            if (verdict_exception_covers(&p->exceptions[i], m, v, at_rcpt, now))
                return &p->exceptions[i];
        return NULL;
    }
    /* Only those naming the sender (or a From) can cover V: tried in file order. */
    memset(bits, 0, (p->nexceptions + 7) / 8);
    exc_index_mark_any(p->exc_index, bits);
    if (!m->null_sender)
        exc_index_mark(p->exc_index, &m->sender, bits);
    for (size_t i = 0; !at_rcpt && i < m->from.n; i++)
        exc_index_mark(p->exc_index, &m->from.v[i], bits);
    /* A byte at a time: most senders name no exception, and their bytes are zero. */
    for (size_t b = 0; b < (p->nexceptions + 7) / 8; b++) {
        for (unsigned k = 0; bits[b] >> k != 0; k++) {
            size_t i = b * 8 + k;
            if ((bits[b] & (1u << k)) &&
                verdict_exception_covers(&p->exceptions[i], m, v, at_rcpt, now))
                return &p->exceptions[i];
        }
    }
    return NULL;
}

/* verdict_apply - exceptions first, then the violation's mode. */
static void verdict_apply(const struct policy *p, const struct message *m, struct violation *v,
                          time_t now)
{
    v->mode = p->mode;
    if (v->dept >= 0 && p->departments[v->dept].mode != MODE_UNSET)
        v->mode = p->departments[v->dept].mode;
    /* Only a reject decided at RCPT, before the headers, sees the envelope
       sender alone (SPEC 5a); anything else is decided with the From too. */
    int decided_at_rcpt = v->at_rcpt && v->intended == ACTION_REJECT && v->mode == MODE_ENFORCE;
    const struct exception *e = verdict_exception(p, m, v, decided_at_rcpt, now);
    if (e != NULL) {
        v->action = ACTION_EXEMPT;
        v->ticket = e->ticket;
    } else if (v->mode == MODE_MONITOR) {
        v->action = ACTION_LOG;
    } else {
        v->action = v->intended;
    }
    /* Refused at RCPT only when the reject really applies there. */
    v->at_rcpt = v->at_rcpt && v->action == ACTION_REJECT;
}

/* violation_clear - free what V owns. */
void violation_clear(struct violation *v)
{
    free(v->address);
    v->address = NULL;
}

/* verdict_drop - remove violation I from OUT, keeping the order. */
static void verdict_drop(struct verdict *out, size_t i)
{
    violation_clear(&out->v[i]);
    memmove(&out->v[i], &out->v[i + 1], (out->nv - i - 1) * sizeof(out->v[0]));
    out->nv--;
}

/*
 * verdict_dns_errors - settle undecidable spoofed-official violations per
 * on_dns_error; returns 1 when the message must be answered 451.
 */
static int verdict_dns_errors(const struct policy *p, struct verdict *out)
{
    int tempfail = 0;

    for (size_t i = 0; i < out->nv;) {
        struct violation *v = &out->v[i];
        if (!v->undecidable) {
            i++;
            continue;
        }
        if (p->on_dns_error == ON_ERROR_ACCEPT) {
            /* In every mode: no violation, no record (SPEC 5b). */
            out->dns_dropped++;
            verdict_drop(out, i);
            continue;
        }
        /* Exempt and monitored violations are recorded, never answered 451. */
        if (v->action == ACTION_EXEMPT || v->mode == MODE_MONITOR ||
            p->on_dns_error == ON_ERROR_REJECT)
            v->reasons |= REASON_DNS_ERROR;
        else
            tempfail = 1;
        i++;
    }
    return tempfail;
}

/* verdict_push_rcpt - append recipient ADDRESS with ACTION. */
static int verdict_push_rcpt(struct verdict *out, const char *address, enum om_action action)
{
    struct rcpt_verdict *r = &out->rcpts[out->nrcpts];

    if (out->strings != NULL) { /* room made by verdict_summary() */
        size_t n = strlen(address) + 1;
        r->address = memcpy(out->strings_next, address, n);
        out->strings_next += n;
    } else if ((r->address = strdup(address)) == NULL) {
        return -1;
    }
    r->action = action;
    out->nrcpts++;
    return 0;
}

/* Up to this many RCPT refusals they are compared one by one: no table to build. */
#define VERDICT_FEW_REFUSED 16

/* The addresses refused at RCPT: a message may have thousands of them. */
struct verdict_refused {
    const struct verdict *out;
    struct strtab *t; /* NULL while they are few */
};

/* verdict_refused_set - R over OUT's RCPT refusals: 0, or -1 when out of memory. */
static int verdict_refused_set(struct verdict_refused *r, const struct verdict *out)
{
    size_t n = 0;

    r->out = out;
    r->t = NULL;
    for (size_t i = 0; i < out->nv; i++)
        n += out->v[i].at_rcpt != 0;
    if (n <= VERDICT_FEW_REFUSED)
        return 0;
    if ((r->t = strtab_new()) == NULL)
        return -1;
    for (size_t i = 0; i < out->nv; i++) {
        const char *a = out->v[i].address;
        if (out->v[i].at_rcpt && strtab_put(r->t, a, strlen(a), 0) < 0) {
            strtab_free(r->t);
            return -1;
        }
    }
    return 0;
}

/* verdict_refused_at_rcpt - 1 when recipient NORM is in R. */
static int verdict_refused_at_rcpt(const struct verdict_refused *r, const char *norm)
{
    int ignored;

    if (r->t != NULL)
        return strtab_get(r->t, norm, strlen(norm), &ignored) != NULL;
    for (size_t i = 0; i < r->out->nv; i++)
        if (r->out->v[i].at_rcpt && strcmp(r->out->v[i].address, norm) == 0)
            return 1;
    return 0;
}

/* verdict_tempfail - keep only the RCPT refusals; everyone else retries. */
static int verdict_tempfail(const struct message *m, struct verdict *out)
{
    struct verdict_refused refused;
    int rc = 0;

    for (size_t i = 0; i < out->nv;) {
        if (out->v[i].at_rcpt)
            i++;
        else
            verdict_drop(out, i);
    }
    out->action = ACTION_TEMPFAIL;
    if (verdict_refused_set(&refused, out) < 0)
        return -1;
    for (size_t i = 0; i < m->rcpts.n && rc == 0; i++) {
        const char *a = m->rcpts.v[i].norm;
        rc = verdict_push_rcpt(
            out, a, verdict_refused_at_rcpt(&refused, a) ? ACTION_REJECT : ACTION_TEMPFAIL);
    }
    strtab_free(refused.t);
    return rc;
}

/* verdict_actions - the message's action and each recipient's. */
static int verdict_actions(const struct message *m, struct verdict *out)
{
    enum om_action message = ACTION_ACCEPT, copies = ACTION_ACCEPT;
    int whole_reject = 0, rc = 0;
    struct verdict_refused refused;

    for (size_t i = 0; i < out->nv; i++) {
        const struct violation *v = &out->v[i];
        if (v->action == ACTION_EXEMPT)
            continue;
        if (v->action > message)
            message = v->action;
        if (v->at_rcpt)
            continue;
        if (v->action > copies)
            copies = v->action;
        whole_reject |= v->action == ACTION_REJECT;
    }
    out->action = message;
    if (copies == ACTION_LOG)
        copies = ACTION_ACCEPT;
    if (verdict_refused_set(&refused, out) < 0)
        return -1;
    for (size_t i = 0; i < m->rcpts.n && rc == 0; i++) {
        const char *a = m->rcpts.v[i].norm;
        enum om_action act = copies;
        if (whole_reject || verdict_refused_at_rcpt(&refused, a))
            act = ACTION_REJECT;
        rc = verdict_push_rcpt(out, a, act);
    }
    strtab_free(refused.t);
    return rc;
}

/* verdict_put - S and its NUL at *AT; the copy. */
static char *verdict_put(char **at, const char *s, size_t n)
{
    char *copy = memcpy(*at, s, n);

    *at += n;
    return copy;
}

/*
 * verdict_summary - the sender, first From and first Subject for records,
 * in one allocation with room for every recipient's address after them:
 * a dozen small allocations a message fewer.
 */
static int verdict_summary(const struct message *m, struct verdict *out)
{
    const char *from = m->from.n > 0 ? m->from.v[0].norm : "";
    size_t ls = strlen(m->sender.norm) + 1, lf = strlen(from) + 1;
    size_t lj = m->nsubjects > 0 ? strlen(m->subjects[0]) + 1 : 0, total = ls + lf + lj;

    for (size_t i = 0; i < m->rcpts.n; i++)
        total += strlen(m->rcpts.v[i].norm) + 1;
    if ((out->strings = malloc(total)) == NULL)
        return -1;
    char *at = out->strings;
    out->envelope_sender = verdict_put(&at, m->sender.norm, ls);
    out->header_from = verdict_put(&at, from, lf);
    if (lj > 0)
        out->subject = verdict_put(&at, m->subjects[0], lj);
    out->strings_next = at;
    return 0;
}

/*
 * verdict_judge_parsed - the decision once the facts are parsed into M:
 * 0, -1 when out of memory or a pattern failed.
 */
static int verdict_judge_parsed(const struct policy *p, const struct message_facts *f,
                                const struct message *m, struct verdict *out)
{
    if (verdict_summary(m, out) < 0)
        return -1;
    out->rcpts = calloc(m->rcpts.n ? m->rcpts.n : 1, sizeof(*out->rcpts));
    if (out->rcpts == NULL || rules_evaluate(p, f, m, out) < 0)
        return -1;
    for (size_t i = 0; i < out->nv; i++)
        verdict_apply(p, m, &out->v[i], f->now);
    if (verdict_dns_errors(p, out))
        return verdict_tempfail(m, out);
    return verdict_actions(m, out);
}

/*
 * verdict_core - judge F into OUT: 0; 1 when the message cannot be judged
 * (WHY says why); -1 when out of memory. OUT is cleared unless 0.
 */
static int verdict_core(const struct policy *p, const struct message_facts *f,
                        const struct message *parsed, struct verdict *out, char *why, size_t whylen)
{
    struct message own;
    const struct message *m = parsed != NULL ? parsed : &own;
    int rc = 0;

    memset(out, 0, sizeof(*out));
    if (f->limit != NULL) {
        snprintf(why, whylen, "%s", f->limit);
        return 1;
    }
    policy_pattern_failure_reset();
    if (parsed == NULL)
        rc = message_parse(p, f, &own);
    if (rc == 0) {
        if (m->limit != NULL) {
            snprintf(why, whylen, "%s", m->limit);
            rc = 1;
        } else {
            rc = verdict_judge_parsed(p, f, m, out);
        }
        if (parsed == NULL)
            message_clear(&own);
    }
    if (rc < 0 && policy_pattern_failure(why, whylen))
        rc = 1; /* not out of memory: a pattern that could not be evaluated */
    if (rc != 0)
        verdict_clear(out);
    return rc;
}

/* verdict_reserve - grow OUT->v by doubling when it is full. */
int verdict_reserve(struct verdict *out)
{
    if (out->nv == out->cap) {
        size_t ncap = out->cap ? out->cap * 2 : 8;
        struct violation *nv = realloc(out->v, ncap * sizeof(*nv));
        if (nv == NULL)
            return -1;
        out->v = nv;
        out->cap = ncap;
    }
    return 0;
}

/* verdict_push_violation - append V to OUT (moved). */
static int verdict_push_violation(struct verdict *out, struct violation *v)
{
    if (verdict_reserve(out) < 0)
        return -1;
    out->v[out->nv++] = *v;
    memset(v, 0, sizeof(*v));
    return 0;
}

/* verdict_rcpt_norm - the normalised address of RCPT TO argument RCPT, or NULL. */
static char *verdict_rcpt_norm(const char *rcpt)
{
    struct mailbox mb = {0};
    int is_null, ok;
    char *norm = NULL;

    if (envelope_parse(rcpt, &mb, &is_null) == 0)
        norm = addr_normalize(&mb, &ok, NULL);
    mailbox_clear(&mb);
    return norm;
}

/*
 * verdict_fail_rcpt - recipient RCPT of a message that cannot be judged:
 * refused if RCPT refused it, else per on_internal_error.
 */
static int verdict_fail_rcpt(const struct policy *p, const struct message_facts *f,
                             const char *rcpt, struct strtab *seen, struct verdict *out)
{
    struct violation v = {0};
    char ignored[8]; /* RCPT answered that failure per on_internal_error already */
    enum om_action act = p->on_internal_error == ON_ERROR_ACCEPT ? ACTION_ACCEPT : ACTION_TEMPFAIL;
    int refused =
        verdict_rcpt(p, f->mail_from, rcpt, f->now, f->non_smtp, &v, ignored, sizeof(ignored)) == 1;
    char *norm = refused ? v.address : verdict_rcpt_norm(rcpt);
    int rc = -1, added;

    if (norm == NULL)
        goto out;
    added = strtab_put(seen, norm, strlen(norm), 0);
    if (added < 0 ||
        (added == 1 && verdict_push_rcpt(out, norm, refused ? ACTION_REJECT : act) < 0))
        goto out;
    if (added == 1 && refused && verdict_push_violation(out, &v) < 0)
        goto out;
    rc = 0;
out:
    if (!refused)
        free(norm);
    violation_clear(&v);
    return rc;
}

/*
 * verdict_fail - the decision for a message that cannot be judged (WHY):
 * per on_internal_error, with the RCPT refusals as RCPT made them.
 */
static int verdict_fail(const struct policy *p, const struct message_facts *f, const char *why,
                        struct verdict *out)
{
    struct strtab *seen = strtab_new();
    int rc = -1;

    memset(out, 0, sizeof(*out));
    out->action = p->on_internal_error == ON_ERROR_ACCEPT ? ACTION_ACCEPT : ACTION_TEMPFAIL;
    out->rcpts = calloc(f->nrcpts ? f->nrcpts : 1, sizeof(*out->rcpts));
    out->error = strdup(why);
    out->envelope_sender = strdup("");
    out->header_from = strdup("");
    if (seen == NULL || out->rcpts == NULL || out->error == NULL || out->envelope_sender == NULL ||
        out->header_from == NULL)
        goto out;
    for (size_t i = 0; i < f->nrcpts; i++)
        if (verdict_fail_rcpt(p, f, f->rcpts[i], seen, out) < 0)
            goto out;
    rc = 0;
out:
    strtab_free(seen);
    if (rc < 0)
        verdict_clear(out);
    return rc;
}

/* verdict_judge - the whole decision for one message. */
int verdict_judge(const struct policy *p, const struct message_facts *f, struct verdict *out)
{
    return verdict_judge_message(p, f, NULL, out);
}

/* verdict_judge_message - the same, on M when the caller parsed F already. */
int verdict_judge_message(const struct policy *p, const struct message_facts *f,
                          const struct message *m, struct verdict *out)
{
    char why[512];
    int rc = verdict_core(p, f, m, out, why, sizeof(why));

    return rc > 0 ? verdict_fail(p, f, why, out) : rc;
}

/* verdict_rcpt - the official-to-webmail refusal known at RCPT time. */
int verdict_rcpt(const struct policy *p, const char *mail_from, const char *rcpt, time_t now,
                 int non_smtp, struct violation *out, char *err, size_t errlen)
{
    struct verdict_sender s = {0};
    int rc = verdict_rcpt_sender(p, &s, mail_from, rcpt, now, non_smtp, out, err, errlen);

    verdict_sender_clear(&s);
    return rc;
}

/* verdict_parse_sender - MAIL_FROM into S: 0, or -1 with ERR (a pattern, or out of memory). */
static int verdict_parse_sender(const struct policy *p, struct verdict_sender *s,
                                const char *mail_from, char *err, size_t errlen)
{
    struct mailbox mb = {0};
    int rc = -1;

    policy_pattern_failure_reset();
    if (envelope_parse(mail_from ? mail_from : "", &mb, &s->null_sender) == 0)
        rc = s->null_sender ? 0 : identity_fill(p, &mb, &s->addr);
    mailbox_clear(&mb);
    if (rc < 0 && !policy_pattern_failure(err, errlen))
        snprintf(err, errlen, "out of memory");
    s->parsed = rc == 0;
    return rc;
}

/*
 * verdict_rcpt_sender - only an official envelope sender's webmail
 * recipient can be refused at RCPT (rules.c's official-to-webmail with
 * at_rcpt): that violation, then its exceptions and mode, as
 * verdict_judge() decides them for the envelope alone.
 */
int verdict_rcpt_sender(const struct policy *p, struct verdict_sender *s, const char *mail_from,
                        const char *rcpt, time_t now, int non_smtp, struct violation *out,
                        char *err, size_t errlen)
{
    struct mailbox mb = {0};
    struct addr r = {.dept = -1};
    struct verdict v = {0};
    int is_null, rc = 0;

    identity_addr_clear(&s->rcpt);
    if (non_smtp)
        return 0;
    if (!s->parsed && verdict_parse_sender(p, s, mail_from, err, errlen) < 0)
        return -1;
    if (s->null_sender || s->addr.cls != ADDR_OFFICIAL)
        return 0;
    /* The recipient as verdict_judge() sees it: an official one's department
       pattern that fails is answered here, as at end of message. */
    policy_pattern_failure_reset();
    if (envelope_parse(rcpt, &mb, &is_null) < 0 || identity_fill(p, &mb, &r) < 0) {
        mailbox_clear(&mb);
        if (!policy_pattern_failure(err, errlen))
            snprintf(err, errlen, "out of memory");
        return -1;
    }
    mailbox_clear(&mb);
    if (r.cls != ADDR_WEBMAIL)
        goto out;
    struct message m = {.sender = s->addr, .rcpts = {&r, 1, 1}};
    if (rules_push(p, &v, RULE_OFFICIAL_TO_WEBMAIL, r.norm, s->addr.dept, 0) < 0) {
        snprintf(err, errlen, "out of memory");
        rc = -1;
        goto out;
    }
    v.v[0].at_rcpt = 1;
    verdict_apply(p, &m, &v.v[0], now);
    if (v.v[0].at_rcpt) {
        *out = v.v[0];
        v.v[0].address = NULL; /* ownership moves to OUT */
        rc = 1;
    }
out:
    verdict_clear(&v);
    s->rcpt = r; /* kept for the end of message: it is the same recipient then */
    return rc;
}

/* verdict_sender_clear - free the kept sender. */
void verdict_sender_clear(struct verdict_sender *s)
{
    identity_addr_clear(&s->addr);
    identity_addr_clear(&s->rcpt);
    memset(s, 0, sizeof(*s));
}

/* verdict_clear - free the verdict's addresses and arrays. */
void verdict_clear(struct verdict *v)
{
    for (size_t i = 0; i < v->nv; i++)
        violation_clear(&v->v[i]);
    free(v->v);
    if (v->strings != NULL) {
        free(v->strings);
    } else {
        for (size_t i = 0; i < v->nrcpts; i++)
            free(v->rcpts[i].address);
        free(v->envelope_sender);
        free(v->header_from);
        free(v->subject);
    }
    free(v->rcpts);
    free(v->error);
    memset(v, 0, sizeof(*v));
}
