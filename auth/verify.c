/*
 * verify - fields kept until the end of the headers, then DKIM streaming
 * and both checks at the end of the message.
 *
 * Why the fields are kept: whether any lookup is worth making is known
 * only once every From field has been seen, and a DKIM signature may
 * cover fields above it (Received, a From before the DKIM-Signature), so
 * libopendkim gets them all at the end of the headers, or nothing.
 */
#include <config.h>

#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "auth_need.h"
#include "dkim.h"
#include "dns.h"
#include "spf.h"
#include "verify.h"

#define VERIFY_TEXT_MAX (DKIM_MAX_SIGNATURES * (DOMAIN_MAX + 24) + 1024)

struct verify_field {
    char *name;
    char *value;
};

struct verify {
    struct verify_field *fields; /* until the end of the headers */
    struct arena text;           /* the fields' names and values */
    size_t nfields, cap, bytes;
    int truncated;
    int nsigs;  /* DKIM-Signature fields seen */
    int failed; /* out of memory on the way: the message gets an internal error */
    struct auth_need need;
    struct dkim_verifier *dkim;
    enum auth_result spf;
    char spf_id[400];
    int null_sender;
    const struct dkim_fact *facts;
    size_t nfacts;
    /* Made at the end of the message, in one block (dkim_text frees both);
       NULL before. Not arrays: the struct stays small enough for malloc's
       per-thread cache, where 6 kB of text made every one a large-bin
       request that consolidates the heap. */
    char *dkim_text;
    char *results;
};

/* verify_new - empty. */
struct verify *verify_new(void)
{
    struct verify *vf = malloc(sizeof(*vf));

    if (vf != NULL)
        memset(vf, 0, sizeof(*vf));
    return vf;
}

/* verify_drop_fields - the kept fields are not needed past the end of the headers. */
static void verify_drop_fields(struct verify *vf)
{
    arena_clear(&vf->text);
    free(vf->fields);
    vf->fields = NULL;
    vf->nfields = vf->cap = 0;
}

/* verify_free - everything. */
void verify_free(struct verify *vf)
{
    if (vf == NULL)
        return;
    verify_drop_fields(vf);
    dkim_verifier_free(vf->dkim);
    free(vf->dkim_text);
    free(vf);
}

/* verify_header - keep a copy (bounded); count the signatures. */
int verify_header(struct verify *vf, const char *name, const char *value, int leadspc)
{
    size_t len = strlen(name) + strlen(value) + 2;

    if (message_header_is(name, "DKIM-Signature"))
        vf->nsigs++;
    if (vf->nfields >= VERIFY_MAX_FIELDS || vf->bytes + len > VERIFY_MAX_BYTES) {
        vf->truncated = 1;
        return 0;
    }
    if (vf->nfields == vf->cap) {
        size_t ncap = vf->cap ? vf->cap * 2 : 32;
        struct verify_field *nf = realloc(vf->fields, ncap * sizeof(*nf));
        if (nf == NULL)
            goto oom;
        vf->fields = nf;
        vf->cap = ncap;
    }
    /* Without SMFIP_HDR_LEADSPC the MTA removed the one space after the colon:
       the value is copied one byte further, after a space. */
    size_t vl = strlen(value), lead = leadspc ? 0 : 1;
    char *n = arena_strndup(&vf->text, name, strlen(name));
    char *v = n != NULL ? arena_alloc(&vf->text, lead + vl + 1) : NULL;
    if (v == NULL)
        goto oom;
    v[0] = ' ';
    memcpy(v + lead, value, vl + 1);
    vf->fields[vf->nfields++] = (struct verify_field){n, v};
    vf->bytes += len;
    return 0;
oom:
    vf->failed = 1;
    return -1;
}

/* What the prescreen asks about, while the parsed message is alive. */
struct verify_want {
    const struct policy *p;
    const struct message *m;
};

/* verify_want_dkim - a signature is verified when its d= can align. */
static int verify_want_dkim(void *arg, const char *d)
{
    const struct verify_want *w = arg;

    return auth_need_dkim(w->p, w->m, d);
}

/* verify_dkim_start - the verifier, the kept fields, its end of headers. */
static int verify_dkim_start(struct verify *vf, struct verify_want *w, const char *id)
{
    int rc;

    if ((vf->dkim = dkim_verifier_new(id, verify_want_dkim, w)) == NULL)
        return -1;
    for (size_t i = 0; i < vf->nfields; i++)
        if (dkim_verifier_header(vf->dkim, vf->fields[i].name, vf->fields[i].value) < 0)
            return -1;
    rc = dkim_verifier_eoh(vf->dkim);
    if (rc <= 0) { /* nothing to verify (or out of memory): no body, no lookups */
        dkim_verifier_free(vf->dkim);
        vf->dkim = NULL;
    }
    return rc;
}

/* verify_eoh - what is needed; DKIM started when a wanted signature is there. */
int verify_eoh(struct verify *vf, const struct policy *p, const struct message_facts *f,
               const char *id)
{
    struct message m;
    int rc;

    if (vf->failed || message_parse(p, f, &m) < 0)
        return verify_eoh_parsed(vf, p, f, NULL, id);
    rc = verify_eoh_parsed(vf, p, f, &m, id);
    message_clear(&m);
    return rc;
}

/* verify_eoh_parsed - verify_eoh() on M, parsed from F by the caller (NULL: it failed). */
int verify_eoh_parsed(struct verify *vf, const struct policy *p, const struct message_facts *f,
                      const struct message *m, const char *id)
{
    int rc = 0;

    if (vf->failed || m == NULL) {
        verify_drop_fields(vf);
        vf->failed = 1; /* answered at the end of the message, never judged without results */
        return -1;
    }
    auth_need_find(p, f, m, &vf->need);
    if (vf->need.dkim && vf->nsigs > 0 && !vf->truncated) {
        struct verify_want w = {p, m};
        rc = verify_dkim_start(vf, &w, id);
    }
    verify_drop_fields(vf);
    if (rc < 0)
        vf->failed = 1;
    return rc;
}

/* verify_body - to DKIM while it wants more. */
int verify_body(struct verify *vf, const char *buf, size_t len)
{
    int rc;

    if (vf->dkim == NULL)
        return 0;
    rc = dkim_verifier_body(vf->dkim, buf, len);
    if (rc < 0)
        vf->failed = 1;
    return rc > 0;
}

/* verify_null - 1 for the null envelope sender. */
static int verify_null(const char *mail_from)
{
    return mail_from == NULL || mail_from[0] == '\0' || strcmp(mail_from, "<>") == 0;
}

/*
 * verify_texts - the record fields and the results line, for authserv-id
 * ID: written here, then kept in one block of their size. 0, or -1 when
 * out of memory.
 */
static int verify_texts(struct verify *vf, const char *id)
{
    char dkim_text[VERIFY_TEXT_MAX], results[VERIFY_TEXT_MAX];
    size_t o = 0, r;
    const char *at = strchr(vf->spf_id, '@');

    dkim_text[0] = '\0';
    r = (size_t)snprintf(results, sizeof(results), "%s", id);
    if (vf->spf != AUTH_UNKNOWN)
        r += (size_t)snprintf(results + r, sizeof(results) - r, "; spf=%s %s=%s",
                              auth_result_name(vf->spf),
                              vf->null_sender ? "smtp.helo" : "smtp.mailfrom",
                              vf->null_sender && at != NULL ? at + 1 : vf->spf_id);
    for (size_t i = 0; i < vf->nfacts && r < sizeof(results) && o < sizeof(dkim_text); i++) {
        const struct dkim_fact *k = &vf->facts[i];
        const char *d = k->domain[0] != '\0' ? k->domain : "(invalid)";
        o += (size_t)snprintf(dkim_text + o, sizeof(dkim_text) - o, "%sd=%s %s", i ? ", " : "", d,
                              auth_result_name(k->result));
        r += (size_t)snprintf(results + r, sizeof(results) - r, "; dkim=%s header.d=%s",
                              auth_result_name(k->result), d);
    }
    if (vf->spf == AUTH_UNKNOWN && vf->nfacts == 0 && r < sizeof(results))
        snprintf(results + r, sizeof(results) - r, "; none");
    size_t dl = strlen(dkim_text) + 1, rl = strlen(results) + 1;
    char *block = malloc(dl + rl);
    if (block == NULL)
        return -1;
    memcpy(block, dkim_text, dl);
    memcpy(block + dl, results, rl);
    free(vf->dkim_text);
    vf->dkim_text = block;
    vf->results = block + dl;
    return 0;
}

/* verify_eom - SPF and DKIM under one deadline; the facts set. */
int verify_eom(struct verify *vf, const struct policy *p, struct message_facts *f)
{
    struct timespec deadline;
    char why[512];

    vf->spf = AUTH_UNKNOWN;
    vf->null_sender = verify_null(f->mail_from);
    if (vf->need.judged) {
        dns_deadline(&deadline, p->dns_timeout);
        if (vf->need.spf) {
            if (spf_identity(f->helo, f->mail_from, vf->spf_id, sizeof(vf->spf_id)) < 0)
                snprintf(vf->spf_id, sizeof(vf->spf_id), "none");
            vf->spf = spf_check(f->client_ip, f->helo, f->mail_from, &deadline, why, sizeof(why));
        }
        if (vf->dkim != NULL &&
            dkim_verifier_finish(vf->dkim, &deadline, &vf->facts, &vf->nfacts) < 0)
            vf->failed = 1;
    }
    f->spf = vf->spf;
    f->dkim = vf->facts;
    f->ndkim = vf->nfacts;
    if (verify_texts(vf, p->gateway_name != NULL ? p->gateway_name : policy_host_name()) < 0)
        vf->failed = 1;
    return vf->failed ? -1 : 0;
}

/* verify_judged - spoofed-official is judged for this message. */
int verify_judged(const struct verify *vf)
{
    return vf != NULL && vf->need.judged;
}

/* verify_truncated - a cap kept DKIM from checking. */
int verify_truncated(const struct verify *vf)
{
    return vf != NULL && vf->truncated && vf->nsigs > 0;
}

/* verify_spf_text - "" when SPF was not checked. */
const char *verify_spf_text(const struct verify *vf)
{
    return vf != NULL ? auth_result_name(vf->spf) : "";
}

/* verify_dkim_text - "" when no signature was checked. */
const char *verify_dkim_text(const struct verify *vf)
{
    return vf != NULL && vf->dkim_text != NULL ? vf->dkim_text : "";
}

/* verify_results - the Authentication-Results line. */
const char *verify_results(const struct verify *vf)
{
    return vf != NULL && vf->results != NULL ? vf->results : "";
}
