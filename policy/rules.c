/*
 * rules - official-to-webmail, webmail-to-official, reply-to-webmail and
 * spoofed-official, each decided as SPEC sections 4 and 5a say.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "identity.h"
#include "pattern_set.h"
#include "rules.h"

/* rules_push - append one violation with the rule's configured action. */
int rules_push(const struct policy *p, struct verdict *out, enum om_rule rule, const char *address,
               int dept, unsigned reasons)
{
    if (verdict_reserve(out) < 0)
        return -1;
    struct violation *v = &out->v[out->nv];
    memset(v, 0, sizeof(*v));
    v->address = strdup(address);
    if (v->address == NULL)
        return -1;
    v->rule = rule;
    v->dept = dept;
    v->department = identity_department_name(p, dept);
    v->reasons = reasons;
    v->intended = p->rules[rule].action;
    v->action = v->intended;
    out->nv++;
    return 0;
}

/* rules_sender - the sender whose department counts: envelope, From, then auth. */
static const struct addr *rules_sender(const struct message *m)
{
    if (m->sender.cls == ADDR_OFFICIAL)
        return &m->sender;
    for (size_t i = 0; i < m->from.n; i++)
        if (m->from.v[i].cls == ADDR_OFFICIAL)
            return &m->from.v[i];
    return &m->auth;
}

/* rules_unparsed - the reason to add when A came from a field that does not parse. */
static unsigned rules_unparsed(const struct addr *a)
{
    return a != NULL && a->unparsed ? REASON_UNPARSED_HEADER : 0;
}

/* rules_official_identity - the message's official sender identity holds. */
static int rules_official_identity(const struct message *m)
{
    if (m->sender.cls == ADDR_OFFICIAL || m->auth.cls == ADDR_OFFICIAL)
        return 1;
    for (size_t i = 0; i < m->from.n; i++)
        if (m->from.v[i].cls == ADDR_OFFICIAL)
            return 1;
    return 0;
}

/* rules_official_to_webmail - one violation per webmail recipient. */
static int rules_official_to_webmail(const struct policy *p, const struct message_facts *f,
                                     const struct message *m, struct verdict *out)
{
    if (m->is_dsn || !rules_official_identity(m))
        return 0;
    const struct addr *sender = rules_sender(m);
    int at_rcpt = m->sender.cls == ADDR_OFFICIAL && !f->non_smtp;
    for (size_t i = 0; i < m->rcpts.n; i++) {
        if (m->rcpts.v[i].cls != ADDR_WEBMAIL)
            continue;
        if (rules_push(p, out, RULE_OFFICIAL_TO_WEBMAIL, m->rcpts.v[i].norm, sender->dept,
                       rules_unparsed(sender)) < 0)
            return -1;
        out->v[out->nv - 1].at_rcpt = at_rcpt;
    }
    return 0;
}

/*
 * rules_any_marker - 1 when a marker matches UTF-8 text S, 0 when none
 * does, -1 when a marker could not be evaluated (a resource limit): a
 * sender must not get past a marker by making it fail.
 */
static int rules_any_marker(const struct policy *p, const char *s)
{
    return s != NULL ? pattern_set_any_marker(p, s, strlen(s)) : 0;
}

/* rules_word_official - 1 when display-name word W names an official domain. */
static int rules_word_official(const struct policy *p, const char *w, size_t len)
{
    char d[DOMAIN_MAX];

    if (len > 0 && w[len - 1] == '.')
        len--;
    const char *at = memrchr(w, '@', len);
    if (at != NULL) {
        len -= (size_t)(at + 1 - w);
        w = at + 1;
    }
    if (len == 0 || domain_normalize(w, len, d) < 0)
        return 0;
    return identity_classify(p, d) == ADDR_OFFICIAL;
}

/*
 * rules_display_official - 1 when a word of display name S is an official
 * domain, 0 when none is, -1 when the word pattern could not be evaluated.
 */
static int rules_display_official(const struct policy *p, const char *s)
{
    size_t start = 0, len, ws, we;
    int rc;

    if (s == NULL)
        return 0;
    len = strlen(s);
    while (start < len &&
           (rc = policy_pattern_find(&p->display_word, s, len, start, &ws, &we)) != 0) {
        if (rc < 0 || rules_word_official(p, s + ws, we - ws))
            return rc;
        start = we > ws ? we : ws + 1;
    }
    return 0;
}

/* rules_wto_reasons - the reasons that hold, given the private owner. */
static unsigned rules_wto_reasons(const struct policy *p, const struct message *m, int owner,
                                  int *failed)
{
    unsigned r = owner >= 0 ? REASON_KNOWN_PRIVATE_ADDRESS : 0;

    for (size_t i = 0; i < m->from.n; i++) {
        int rc = rules_any_marker(p, m->from.v[i].display);
        if (rc > 0)
            r |= REASON_DISPLAY_NAME;
        *failed |= rc < 0;
        rc = rules_display_official(p, m->from.v[i].display);
        if (rc > 0)
            r |= REASON_DISPLAY_NAME_OFFICIAL_DOMAIN;
        *failed |= rc < 0;
    }
    for (size_t i = 0; i < m->nsubjects; i++) {
        int rc = rules_any_marker(p, m->subjects[i]);
        if (rc > 0)
            r |= REASON_SUBJECT;
        *failed |= rc < 0;
    }
    return r;
}

/* rules_wto_offender - the offending webmail sender and its private owner. */
static const struct addr *rules_wto_offender(const struct policy *p, const struct message *m,
                                             int *owner)
{
    const struct addr *first = NULL;

    *owner = -1;
    /* Candidates: webmail From addresses in header order, then the sender. */
    for (size_t i = 0; i <= m->from.n; i++) {
        const struct addr *a = i < m->from.n ? &m->from.v[i] : &m->sender;
        if (a->cls != ADDR_WEBMAIL)
            continue;
        if (first == NULL)
            first = a;
        int o = identity_private_owner(p, a->norm);
        if (o >= 0) {
            *owner = o;
            return a;
        }
    }
    return first;
}

/* rules_wto_per_dept - one violation per department of the official recipients. */
static int rules_wto_per_dept(const struct policy *p, const struct message *m, const char *offender,
                              unsigned reasons, struct verdict *out)
{
    /* Indexed by department + 1 (0: the default department): linear in the recipients. */
    unsigned char *seen = calloc(p->ndepartments + 1, 1);
    int rc = 0;

    if (seen == NULL)
        return -1;
    for (size_t i = 0; i < m->rcpts.n && rc == 0; i++) {
        const struct addr *r = &m->rcpts.v[i];
        if (r->cls != ADDR_OFFICIAL || seen[r->dept + 1])
            continue;
        seen[r->dept + 1] = 1;
        rc = rules_push(p, out, RULE_WEBMAIL_TO_OFFICIAL, offender, r->dept, reasons);
    }
    free(seen);
    return rc;
}

/* rules_webmail_to_official - webmail sender claiming official business. */
static int rules_webmail_to_official(const struct policy *p, const struct message *m,
                                     struct verdict *out)
{
    int owner, official_rcpt = 0;
    const struct addr *offender = rules_wto_offender(p, m, &owner);

    for (size_t i = 0; i < m->rcpts.n && !official_rcpt; i++)
        official_rcpt = m->rcpts.v[i].cls == ADDR_OFFICIAL;
    if (offender == NULL || !official_rcpt)
        return 0;
    int failed = 0;
    unsigned reasons = rules_wto_reasons(p, m, owner, &failed);
    if (reasons == 0)
        return failed ? -1 : 0; /* undecided: answered per on_internal_error */
    reasons |= rules_unparsed(offender);
    if (owner >= 0)
        return rules_push(p, out, RULE_WEBMAIL_TO_OFFICIAL, offender->norm, owner, reasons);
    return rules_wto_per_dept(p, m, offender->norm, reasons, out);
}

/* rules_first_official_from - the first official From address, or NULL. */
static const struct addr *rules_first_official_from(const struct message *m)
{
    for (size_t i = 0; i < m->from.n; i++)
        if (m->from.v[i].cls == ADDR_OFFICIAL)
            return &m->from.v[i];
    return NULL;
}

/* rules_reply_to_webmail - replies steered to a webmail address. */
static int rules_reply_to_webmail(const struct policy *p, const struct message *m,
                                  struct verdict *out)
{
    const struct addr *from = rules_first_official_from(m);

    if (from == NULL)
        return 0;
    for (size_t i = 0; i < m->reply.n; i++) {
        const struct addr *a = &m->reply.v[i];
        int seen = 0;
        if (a->cls != ADDR_WEBMAIL)
            continue;
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(m->reply.v[j].norm, a->norm) == 0;
        if (!seen && rules_push(p, out, RULE_REPLY_TO_WEBMAIL, a->norm, from->dept,
                                rules_unparsed(a) | rules_unparsed(from)) < 0)
            return -1;
    }
    return 0;
}

/* rules_spoof_applies - an official From, from an external client without SMTP AUTH. */
int rules_spoof_applies(const struct message *m)
{
    if (m->smtp_auth || m->internal)
        return 0;
    for (size_t i = 0; i < m->from.n; i++)
        if (m->from.v[i].cls == ADDR_OFFICIAL)
            return 1;
    return 0;
}

/* rules_spf_identity - the envelope sender's domain, or the HELO name's for the null sender. */
const char *rules_spf_identity(const struct message_facts *f, const struct message *m,
                               char helo[DOMAIN_MAX])
{
    if (!m->null_sender && m->sender.domain_ok)
        return m->sender.domain;
    if (m->null_sender && f->helo != NULL && domain_normalize(f->helo, strlen(f->helo), helo) == 0)
        return helo;
    return NULL;
}

/* rules_identity_aligned - normalised D under the official_domains entry of an official From. */
int rules_identity_aligned(const struct policy *p, const struct message *m, const char *d)
{
    for (size_t i = 0; i < m->from.n; i++)
        if (m->from.v[i].cls == ADDR_OFFICIAL && identity_same_official(p, d, m->from.v[i].domain))
            return 1;
    return 0;
}

/*
 * rules_alignment - for official From domain D: 1 aligned pass, 0 none,
 * 2 no pass but an aligned identity's result is temperror.
 */
static int rules_alignment(const struct policy *p, const struct message_facts *f,
                           const struct message *m, const char *d)
{
    int temperror = 0;
    char helo[DOMAIN_MAX];
    const char *spf_domain = rules_spf_identity(f, m, helo);

    if (spf_domain != NULL && identity_same_official(p, spf_domain, d)) {
        if (f->spf == AUTH_PASS)
            return 1;
        temperror |= f->spf == AUTH_TEMPERROR;
    }
    for (size_t i = 0; i < f->ndkim; i++) {
        char sd[DOMAIN_MAX];
        const struct dkim_fact *k = &f->dkim[i];
        if (k->domain == NULL || domain_normalize(k->domain, strlen(k->domain), sd) < 0 ||
            !identity_same_official(p, sd, d))
            continue;
        if (k->result == AUTH_PASS)
            return 1;
        temperror |= k->result == AUTH_TEMPERROR;
    }
    return temperror ? 2 : 0;
}

/* rules_spoofed_official - official From without an aligned SPF/DKIM pass. */
static int rules_spoofed_official(const struct policy *p, const struct message_facts *f,
                                  const struct message *m, struct verdict *out)
{
    if (!rules_spoof_applies(m))
        return 0;
    for (size_t i = 0; i < m->from.n; i++) {
        const struct addr *a = &m->from.v[i];
        int seen = 0;
        if (a->cls != ADDR_OFFICIAL)
            continue;
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(m->from.v[j].norm, a->norm) == 0;
        int align = seen ? 1 : rules_alignment(p, f, m, a->domain);
        if (align == 1)
            continue;
        if (rules_push(p, out, RULE_SPOOFED_OFFICIAL, a->norm, a->dept, rules_unparsed(a)) < 0)
            return -1;
        out->v[out->nv - 1].undecidable = align == 2;
    }
    return 0;
}

/* rules_evaluate - all four rules, in SPEC order. */
int rules_evaluate(const struct policy *p, const struct message_facts *f, const struct message *m,
                   struct verdict *out)
{
    if (rules_official_to_webmail(p, f, m, out) < 0 || rules_webmail_to_official(p, m, out) < 0 ||
        rules_reply_to_webmail(p, m, out) < 0 || rules_spoofed_official(p, f, m, out) < 0)
        return -1;
    return 0;
}
