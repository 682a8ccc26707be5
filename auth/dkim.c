/*
 * dkim - libopendkim behind a small API; keys fetched through auth/dns.c.
 *
 * libopendkim 2.11's built-in resolver keeps one res_ninit() state in
 * the DKIM_LIB (dkim_res_init) and queries on it from whatever thread
 * verifies, which glibc does not allow; OpenDKIM itself avoids it by
 * building a libunbound context per message, which is where most of its
 * time goes. Here libopendkim never resolves anything: a key-lookup
 * callback (dkim_set_key_lookup) fetches the TXT record with dns_txt()
 * under the message's deadline, found through the handle's user context,
 * and notes what DNS said for each signature, so that a DNS failure is
 * told apart from a missing key whatever libopendkim makes of it.
 *
 * Line ends: the MTA may hand over folded header fields with bare LFs
 * (Postfix does); they are made CRLF here, before libopendkim sees them.
 * Its own DKIM_LIBFLAGS_FIXCRLF cannot be used: 2.11's dkim_header()
 * lengthens the text but keeps the old length, cutting the end of every
 * field with bare LFs (the b= of a folded DKIM-Signature among them).
 *
 * Library flags: DELAYSIGPROC (keys are fetched at the end of the
 * message, under its deadline, not at the end of the headers), and
 * BADSIGHANDLES (a malformed DKIM-Signature gets a result of its own, a
 * permerror, instead of failing the whole message). A prescreen callback
 * marks the signatures the caller does not want as ignored, so that no
 * key is fetched and no body hash computed for them.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <opendkim/dkim.h>

#include "dkim.h"
#include "dns.h"
#include "domain.h"

/* What DNS said when the key of one signature was fetched. */
struct dkim_lookup {
    DKIM_SIGINFO *sig;
    enum dns_status status;
};

struct dkim_verifier {
    DKIM *dkim;
    char *id; /* libopendkim keeps the pointer */
    int (*want)(void *arg, const char *d);
    void *arg;
    const struct timespec *deadline;
    int broken; /* out of memory, or libopendkim refused: temperror for all */
    char *hbuf; /* "name:value" of the field being handed over */
    size_t hcap;
    struct dkim_lookup lookups[DKIM_MAX_SIGNATURES];
    size_t nlookups;
    struct dkim_fact facts[DKIM_MAX_SIGNATURES];
    char domains[DKIM_MAX_SIGNATURES][DOMAIN_MAX];
    size_t nfacts;
};

static DKIM_LIB *dkim_lib;

/* dkim_name_ok - 1 for a name that may be queried: LDH, '_', '.', labels 1-63. */
static int dkim_name_ok(const char *s)
{
    size_t len = s != NULL ? strlen(s) : 0, label = 0;

    if (len == 0 || len > 253 || s[0] == '.')
        return 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '.') {
            if (label == 0)
                return 0;
            label = 0;
        } else if ((c == '-' || c == '_' || (c >= '0' && c <= '9') ||
                    ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) &&
                   ++label <= 63) {
            continue;
        } else {
            return 0;
        }
    }
    return 1;
}

/* dkim_lookup_slot - where the DNS outcome of SIG's key is noted (NULL past the cap). */
static struct dkim_lookup *dkim_lookup_slot(struct dkim_verifier *v, DKIM_SIGINFO *sig)
{
    for (size_t i = 0; i < v->nlookups; i++)
        if (v->lookups[i].sig == sig)
            return &v->lookups[i];
    if (v->nlookups == DKIM_MAX_SIGNATURES)
        return NULL;
    v->lookups[v->nlookups] = (struct dkim_lookup){sig, DNS_ANSWER};
    return &v->lookups[v->nlookups++];
}

/* dkim_key_lookup - libopendkim's key lookup: selector._domainkey.domain TXT. */
static DKIM_CBSTAT dkim_key_lookup(DKIM *dkim, DKIM_SIGINFO *sig, u_char *buf, size_t buflen)
{
    struct dkim_verifier *v = dkim_get_user_context(dkim);
    const char *d = (const char *)dkim_sig_getdomain(sig);
    const char *s = (const char *)dkim_sig_getselector(sig);
    struct dkim_lookup *l = v != NULL ? dkim_lookup_slot(v, sig) : NULL;
    char qname[DOMAIN_MAX + 64];
    enum dns_status st = DNS_NXDOMAIN; /* a name that may not be asked about has no key */
    int count = 0;

    if (l == NULL)
        return DKIM_CBSTAT_ERROR;
    if (dkim_name_ok(d) && dkim_name_ok(s) &&
        snprintf(qname, sizeof(qname), "%s._domainkey.%s", s, d) < (int)sizeof(qname) &&
        strlen(qname) <= 253)
        st = dns_txt(DNS_KIND_DKIM, qname, v->deadline, (char *)buf, buflen, &count);
    l->status = st;
    if (st == DNS_ANSWER && count == 1)
        return DKIM_CBSTAT_CONTINUE;
    if (st == DNS_TEMPFAIL)
        return DKIM_CBSTAT_TRYAGAIN;
    if (st == DNS_ANSWER)
        l->status = DNS_NODATA; /* several key records, or one too long: unusable */
    return DKIM_CBSTAT_NOTFOUND;
}

/* dkim_prescreen - ignore the signatures the caller does not want, and those past the cap. */
static DKIM_CBSTAT dkim_prescreen(DKIM *dkim, DKIM_SIGINFO **sigs, int nsigs)
{
    struct dkim_verifier *v = dkim_get_user_context(dkim);
    int kept = 0;

    for (int i = 0; i < nsigs; i++) {
        const char *d = (const char *)dkim_sig_getdomain(sigs[i]);
        if (v == NULL || d == NULL || kept >= DKIM_MAX_SIGNATURES ||
            (v->want != NULL && !v->want(v->arg, d)))
            dkim_sig_ignore(sigs[i]);
        else
            kept++;
    }
    return DKIM_CBSTAT_CONTINUE;
}

/* dkim_start - one DKIM_LIB with our flags and callbacks. */
int dkim_start(char *err, size_t errlen)
{
    unsigned int flags = DKIM_LIBFLAGS_DELAYSIGPROC | DKIM_LIBFLAGS_BADSIGHANDLES;

    if ((dkim_lib = dkim_init(NULL, NULL)) == NULL) {
        snprintf(err, errlen, "libopendkim could not start (out of memory)");
        return -1;
    }
    if (dkim_options(dkim_lib, DKIM_OP_SETOPT, DKIM_OPTS_FLAGS, &flags, sizeof(flags)) !=
            DKIM_STAT_OK ||
        dkim_set_key_lookup(dkim_lib, dkim_key_lookup) != DKIM_STAT_OK ||
        dkim_set_prescreen(dkim_lib, dkim_prescreen) != DKIM_STAT_OK) {
        snprintf(err, errlen, "libopendkim refused its options");
        dkim_stop();
        return -1;
    }
    return 0;
}

/* dkim_stop - close the library. */
void dkim_stop(void)
{
    if (dkim_lib != NULL)
        dkim_close(dkim_lib);
    dkim_lib = NULL;
}

/* dkim_verifier_new - a libopendkim verifying handle with V as its context. */
struct dkim_verifier *dkim_verifier_new(const char *id, int (*want)(void *arg, const char *d),
                                        void *arg)
{
    struct dkim_verifier *v = calloc(1, sizeof(*v));
    DKIM_STAT st = DKIM_STAT_INTERNAL;

    if (v == NULL || dkim_lib == NULL || (v->id = strdup(id != NULL ? id : "")) == NULL)
        goto fail;
    v->want = want;
    v->arg = arg;
    v->dkim = dkim_verify(dkim_lib, (const unsigned char *)v->id, NULL, &st);
    if (v->dkim == NULL || st != DKIM_STAT_OK || dkim_set_user_context(v->dkim, v) != DKIM_STAT_OK)
        goto fail;
    return v;
fail:
    dkim_verifier_free(v);
    return NULL;
}

/* dkim_verifier_free - the handle, the buffer, the verifier. */
void dkim_verifier_free(struct dkim_verifier *v)
{
    if (v == NULL)
        return;
    if (v->dkim != NULL)
        (void)dkim_free(v->dkim);
    free(v->id);
    free(v->hbuf);
    free(v);
}

/* dkim_crlf - VALUE into OUT with every bare LF made CRLF; the length written. */
static size_t dkim_crlf(char *out, const char *value)
{
    size_t o = 0;

    for (size_t i = 0; value[i] != '\0'; i++) {
        if (value[i] == '\n' && (i == 0 || value[i - 1] != '\r'))
            out[o++] = '\r';
        out[o++] = value[i];
    }
    return o;
}

/* dkim_verifier_header - "NAME:VALUE" (CRLF folding) handed to libopendkim as one field. */
int dkim_verifier_header(struct dkim_verifier *v, const char *name, const char *value)
{
    size_t nlen = strlen(name), vlen = strlen(value), need = nlen + 2 * vlen + 2;
    DKIM_STAT st;

    if (v->broken)
        return -1;
    if (nlen == 0)
        return 0; /* not a field: nothing libopendkim could sign */
    if (need > v->hcap) {
        char *nb = realloc(v->hbuf, need);
        if (nb == NULL) {
            v->broken = 1;
            return -1;
        }
        v->hbuf = nb;
        v->hcap = need;
    }
    memcpy(v->hbuf, name, nlen);
    v->hbuf[nlen] = ':';
    vlen = dkim_crlf(v->hbuf + nlen + 1, value);
    st = dkim_header(v->dkim, (u_char *)v->hbuf, nlen + 1 + vlen);
    /* A field libopendkim finds malformed is its own business (that signature fails). */
    if (st == DKIM_STAT_NORESOURCE || st == DKIM_STAT_INVALID || st == DKIM_STAT_INTERNAL) {
        v->broken = 1;
        return -1;
    }
    return 0;
}

/* dkim_verifier_eoh - libopendkim's end of headers (the prescreen runs here). */
int dkim_verifier_eoh(struct dkim_verifier *v)
{
    DKIM_STAT st;

    if (v->broken)
        return -1;
    st = dkim_eoh(v->dkim);
    if (st == DKIM_STAT_OK)
        return 1;
    if (st == DKIM_STAT_NORESOURCE || st == DKIM_STAT_INTERNAL) {
        v->broken = 1;
        return -1;
    }
    return 0; /* no signature wanted, or none usable: nothing to verify */
}

/* dkim_verifier_body - one chunk; 0 once no signature needs more body (l= tags). */
int dkim_verifier_body(struct dkim_verifier *v, const char *buf, size_t len)
{
    if (v->broken)
        return -1;
    if (len == 0)
        return 1;
    if (dkim_body(v->dkim, (u_char *)buf, len) != DKIM_STAT_OK) {
        v->broken = 1;
        return -1;
    }
    return dkim_minbody(v->dkim) > 0 ? 1 : 0;
}

/* dkim_sig_result - one signature's result, DNS failures first. */
static enum auth_result dkim_sig_result(struct dkim_verifier *v, DKIM_SIGINFO *sig)
{
    unsigned int flags = dkim_sig_getflags(sig);
    int bh = dkim_sig_getbh(sig), err = dkim_sig_geterror(sig);

    for (size_t i = 0; i < v->nlookups; i++)
        if (v->lookups[i].sig == sig && v->lookups[i].status == DNS_TEMPFAIL)
            return AUTH_TEMPERROR;
    if (v->broken || err == DKIM_SIGERROR_KEYFAIL)
        return AUTH_TEMPERROR;
    if ((flags & DKIM_SIGFLAG_PASSED) && bh == DKIM_SIGBH_MATCH &&
        (err == DKIM_SIGERROR_OK || err == DKIM_SIGERROR_UNKNOWN))
        return AUTH_PASS;
    if (err == DKIM_SIGERROR_BADSIG || bh == DKIM_SIGBH_MISMATCH ||
        ((flags & DKIM_SIGFLAG_PROCESSED) && err == DKIM_SIGERROR_OK))
        return AUTH_FAIL;
    return AUTH_PERMERROR; /* no key, a malformed key or signature, an expired one */
}

/* dkim_verifier_finish - keys fetched and signatures checked in dkim_eom(); results kept. */
int dkim_verifier_finish(struct dkim_verifier *v, const struct timespec *deadline,
                         const struct dkim_fact **facts, size_t *nfacts)
{
    DKIM_SIGINFO **sigs = NULL;
    int nsigs = 0;

    v->deadline = deadline;
    v->nfacts = 0;
    if (!v->broken) {
        /* The verdict is read per signature below; the overall status adds nothing. */
        DKIM_STAT st = dkim_eom(v->dkim, NULL);
        if (st == DKIM_STAT_NORESOURCE || st == DKIM_STAT_INTERNAL)
            v->broken = 1;
    }
    if (dkim_getsiglist(v->dkim, &sigs, &nsigs) != DKIM_STAT_OK)
        nsigs = 0;
    for (int i = 0; i < nsigs && v->nfacts < DKIM_MAX_SIGNATURES; i++) {
        const char *d = (const char *)dkim_sig_getdomain(sigs[i]);
        char *out = v->domains[v->nfacts];
        if (dkim_sig_getflags(sigs[i]) & DKIM_SIGFLAG_IGNORE)
            continue;
        /* A d= that is no domain is kept as "" (no rule matches it), never logged raw. */
        if (!dkim_name_ok(d) || domain_normalize(d, strlen(d), out) < 0)
            out[0] = '\0';
        v->facts[v->nfacts++] = (struct dkim_fact){out, dkim_sig_result(v, sigs[i])};
    }
    v->deadline = NULL;
    *facts = v->facts;
    *nfacts = v->nfacts;
    return v->broken ? -1 : 0;
}
