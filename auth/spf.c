/*
 * spf - libspf2 behind a small API; its DNS goes through auth/dns.c.
 *
 * libspf2 1.2.10's own resolver layer keeps a res_ninit() state per
 * thread (pthread_key_create in spf_dns_resolv.c), with glibc's default
 * waits (5 s per try, two tries): nothing bounds a whole check. A DNS
 * layer of our own (SPF_server_new_dns) answers its lookups from
 * dns_query() under the deadline of the check the calling thread is
 * running, and turns the answer into libspf2's SPF_dns_rr_t the way its
 * resolver layer does (answer section only, CNAMEs followed by the
 * resolver and skipped here).
 */
#include <config.h>

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>
#include <unistd.h>

#include <spf2/spf.h>

#include "dns.h"
#include "address.h"
#include "domain.h"
#include "spf.h"

/* Longest local part RFC 5321 allows; longer ones are not expanded. */
#define SPF_LOCAL_MAX 64
#define SPF_IDENTITY_MAX (SPF_LOCAL_MAX + 1 + DOMAIN_MAX)

static SPF_server_t *spf_server;
static SPF_dns_server_t *spf_layer; /* ours to free: it has no destructor for libspf2 to call */

/* The deadline of the check running on this thread (thread-local: the server is shared). */
static _Thread_local const struct timespec *spf_deadline;

/* spf_on_error - libspf2 gives up (an assertion): say so where it can be seen, then abort. */
__attribute__((noreturn)) static void spf_on_error(const char *file, int line, const char *msg)
{
    syslog(LOG_MAIL | LOG_CRIT, "libspf2 internal error at %s:%d: %s", file, line, msg);
    fprintf(stderr, "officialmail: libspf2 internal error at %s:%d: %s\n", file, line, msg);
    abort();
}

/* spf_on_note - libspf2's warnings and notes: not ours to report per message. */
static void spf_on_note(const char *file, int line, const char *msg)
{
    (void)file;
    (void)line;
    (void)msg;
}

/* spf_name_ok - 1 when NAME may be queried: LDH, '_' and '.', labels 1-63, 253 at most. */
static int spf_name_ok(const char *name)
{
    size_t len = strlen(name), label = 0;

    if (len == 0 || len > 253)
        return 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c == '.') {
            if (label == 0 && i + 1 != len)
                return 0;
            label = 0;
            continue;
        }
        if (!(c == '-' || c == '_' || (c >= '0' && c <= '9') ||
              ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')))
            return 0;
        if (++label > 63)
            return 0;
    }
    return 1;
}

/* spf_rr_put - copy LEN bytes of DATA as record IDX of RR (NUL-terminated when TEXT). */
static int spf_rr_put(SPF_dns_rr_t *rr, int idx, const void *data, size_t len, int text)
{
    if (SPF_dns_rr_buf_realloc(rr, idx, len + (text ? 1 : 0)) != SPF_E_SUCCESS)
        return -1;
    memcpy(rr->rr[idx], data, len);
    if (text)
        ((char *)rr->rr[idx])[len] = '\0';
    return 0;
}

/* spf_rr_txt - the strings of one TXT/SPF RDATA joined, as record IDX. */
static int spf_rr_txt(SPF_dns_rr_t *rr, int idx, const unsigned char *rd, size_t rdlen)
{
    char *text = malloc(rdlen + 1);
    size_t o = 0;
    int rc;

    if (text == NULL)
        return -1;
    for (size_t i = 0; i < rdlen;) {
        size_t n = rd[i++];
        if (n > rdlen - i)
            n = rdlen - i;
        memcpy(text + o, rd + i, n);
        o += n;
        i += n;
    }
    rc = spf_rr_put(rr, idx, text, o, 1);
    free(text);
    return rc;
}

/* spf_rr_one - record IDX of RR from answer record R of message M; 1 added, 0 skipped, -1. */
static int spf_rr_one(SPF_dns_rr_t *rr, int idx, ns_msg *m, ns_rr *r)
{
    char name[NS_MAXDNAME];
    const unsigned char *rd = ns_rr_rdata(*r);
    size_t rdlen = ns_rr_rdlen(*r);
    int type = ns_rr_type(*r);

    if (type != (int)rr->rr_type)
        return 0; /* CNAMEs on the way, or stray records */
    switch (type) {
    case ns_t_a:
        return rdlen == 4 ? (spf_rr_put(rr, idx, rd, 4, 0) < 0 ? -1 : 1) : 0;
    case ns_t_aaaa:
        return rdlen == 16 ? (spf_rr_put(rr, idx, rd, 16, 0) < 0 ? -1 : 1) : 0;
    case ns_t_txt:
    case ns_t_spf:
        return spf_rr_txt(rr, idx, rd, rdlen) < 0 ? -1 : 1;
    case ns_t_mx:
        if (rdlen < 3 ||
            ns_name_uncompress(ns_msg_base(*m), ns_msg_end(*m), rd + 2, name, sizeof(name)) < 0)
            return 0;
        return spf_rr_put(rr, idx, name, strlen(name), 1) < 0 ? -1 : 1;
    case ns_t_ptr:
        if (ns_name_uncompress(ns_msg_base(*m), ns_msg_end(*m), rd, name, sizeof(name)) < 0)
            return 0;
        return spf_rr_put(rr, idx, name, strlen(name), 1) < 0 ? -1 : 1;
    }
    return 0;
}

/* spf_rr_fill - the answer section of ANS into RR; its herrno NO_DATA when nothing fit. */
static void spf_rr_fill(SPF_dns_rr_t *rr, const unsigned char *ans, size_t len)
{
    ns_msg m;
    int n = 0;

    if (ns_initparse(ans, (int)len, &m) < 0) {
        rr->herrno = TRY_AGAIN; /* a corrupt answer is a failed lookup */
        return;
    }
    for (int i = 0; i < ns_msg_count(m, ns_s_an); i++) {
        ns_rr r;
        int added;
        if (ns_parserr(&m, ns_s_an, i, &r) < 0 || (added = spf_rr_one(rr, n, &m, &r)) < 0) {
            rr->herrno = TRY_AGAIN;
            break;
        }
        n += added;
    }
    rr->num_rr = n;
    if (n == 0 && rr->herrno == NETDB_SUCCESS)
        rr->herrno = NO_DATA;
}

/* spf_dns_lookup - the DNS layer's lookup: dns_query() under the thread's deadline. */
static SPF_dns_rr_t *spf_dns_lookup(SPF_dns_server_t *srv, const char *domain, ns_type type,
                                    int should_cache)
{
    unsigned char *ans = NULL;
    SPF_dns_rr_t *rr;
    size_t len = 0;
    enum dns_status st = DNS_NXDOMAIN; /* a name that may not be asked about has no records */

    (void)should_cache;
    if (spf_name_ok(domain) && (ans = malloc(DNS_ANSWER_MAX)) != NULL)
        st = dns_query(DNS_KIND_SPF, domain, type, spf_deadline, ans, DNS_ANSWER_MAX, &len);
    else if (spf_name_ok(domain))
        st = DNS_TEMPFAIL; /* out of memory */
    rr = SPF_dns_rr_new_init(srv, domain, type, 0,
                             st == DNS_ANSWER     ? NETDB_SUCCESS
                             : st == DNS_NXDOMAIN ? HOST_NOT_FOUND
                             : st == DNS_NODATA   ? NO_DATA
                                                  : TRY_AGAIN);
    if (rr != NULL && st == DNS_ANSWER)
        spf_rr_fill(rr, ans, len);
    free(ans);
    return rr;
}

/* spf_start - our DNS layer, the server over it, quiet log handlers. */
int spf_start(char *err, size_t errlen)
{
    SPF_dns_server_t *layer = spf_layer = calloc(1, sizeof(*layer));

    SPF_error_handler = spf_on_error;
    SPF_warning_handler = spf_on_note;
    SPF_info_handler = spf_on_note;
    SPF_debug_handler = spf_on_note;
    if (layer == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    /* No destroy: SPF_dns_free() then leaves the layer to us (spf_stop). */
    layer->lookup = spf_dns_lookup;
    layer->name = "officialmail";
    spf_server = SPF_server_new_dns(layer, 0);
    if (spf_server == NULL) {
        free(layer);
        spf_layer = NULL;
        snprintf(err, errlen, "libspf2 could not create its server (out of memory)");
        return -1;
    }
    return 0;
}

/* spf_stop - the server and its DNS layer. */
void spf_stop(void)
{
    if (spf_server != NULL)
        SPF_server_free(spf_server);
    free(spf_layer);
    spf_server = NULL;
    spf_layer = NULL;
}

/* spf_atext - 1 for an RFC 5322 atext character. */
static int spf_atext(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != 0 && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/* spf_local_ok - 1 for a dot-atom local part of LEN (1-64) bytes. */
static int spf_local_ok(const char *s, size_t len)
{
    if (len == 0 || len > SPF_LOCAL_MAX || s[0] == '.' || s[len - 1] == '.')
        return 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '.' ? s[i + 1] == '.' : !spf_atext((unsigned char)s[i]))
            return 0;
    }
    return 1;
}

/* spf_domain - normalise the domain of LEN bytes at S into OUT; -1 unless multi-label. */
static int spf_domain(const char *s, size_t len, char *out)
{
    if (len == 0 || len >= DOMAIN_MAX || s[0] == '[' || domain_normalize(s, len, out) < 0)
        return -1;
    return strchr(out, '.') != NULL && spf_name_ok(out) ? 0 : -1;
}

/*
 * spf_identity - "local@domain" checked for MAIL_FROM, or postmaster@HELO
 * for <>. The address is taken apart by the policy's own envelope parser,
 * so that SPF checks exactly the domain the policy aligns with the From
 * (a second parser could be made to disagree: "<u@jk.gov.in>@evil.example>").
 */
int spf_identity(const char *helo, const char *mail_from, char *out, size_t outlen)
{
    char domain[DOMAIN_MAX];
    struct mailbox mb = {0};
    int is_null, rc = -1;

    if (envelope_parse(mail_from != NULL ? mail_from : "", &mb, &is_null) < 0)
        return -1;
    if (is_null) { /* the null sender: HELO's identity */
        if (helo != NULL && spf_domain(helo, strlen(helo), domain) == 0)
            rc = snprintf(out, outlen, "postmaster@%s", domain) < (int)outlen ? 0 : -1;
        goto out;
    }
    if (mb.domain == NULL || spf_domain(mb.domain, strlen(mb.domain), domain) < 0)
        goto out;
    if (mb.local == NULL || !spf_local_ok(mb.local, strlen(mb.local)))
        rc = snprintf(out, outlen, "postmaster@%s", domain) < (int)outlen ? 0 : -1;
    else
        rc = snprintf(out, outlen, "%s@%s", mb.local, domain) < (int)outlen ? 0 : -1;
out:
    mailbox_clear(&mb);
    return rc;
}

/* spf_set_client - the client address into REQ (IPv4-mapped IPv6 as IPv4); -1 when invalid. */
static int spf_set_client(SPF_request_t *req, const char *ip)
{
    struct in_addr a4;
    struct in6_addr a6;

    if (ip != NULL && inet_pton(AF_INET, ip, &a4) == 1)
        return SPF_request_set_ipv4(req, a4) == SPF_E_SUCCESS ? 0 : -1;
    if (ip == NULL || inet_pton(AF_INET6, ip, &a6) != 1)
        return -1;
    if (IN6_IS_ADDR_V4MAPPED(&a6)) {
        memcpy(&a4, &a6.s6_addr[12], 4);
        return SPF_request_set_ipv4(req, a4) == SPF_E_SUCCESS ? 0 : -1;
    }
    return SPF_request_set_ipv6(req, a6) == SPF_E_SUCCESS ? 0 : -1;
}

/* spf_syntax_error - 1 when the response holds an error other than "no SPF record" or DNS. */
static int spf_syntax_error(SPF_response_t *resp)
{
    for (int i = 0; i < SPF_response_messages(resp); i++) {
        SPF_error_t *e = SPF_response_message(resp, i);
        SPF_errcode_t code = e != NULL ? SPF_error_code(e) : SPF_E_SUCCESS;
        if (e != NULL && SPF_error_errorp(e) && code != SPF_E_NOT_SPF && code != SPF_E_DNS_ERROR)
            return 1;
    }
    return 0;
}

/* spf_map - libspf2's answer as a result; its "invalid" made precise. */
static enum auth_result spf_map(SPF_response_t *resp, SPF_errcode_t err)
{
    switch (SPF_response_result(resp)) {
    case SPF_RESULT_PASS:
        return AUTH_PASS;
    case SPF_RESULT_FAIL:
        return AUTH_FAIL;
    case SPF_RESULT_SOFTFAIL:
        return AUTH_SOFTFAIL;
    case SPF_RESULT_NEUTRAL:
        return AUTH_NEUTRAL;
    case SPF_RESULT_NONE:
        return AUTH_NONE;
    case SPF_RESULT_TEMPERROR:
        return AUTH_TEMPERROR;
    case SPF_RESULT_PERMERROR:
        return AUTH_PERMERROR;
    case SPF_RESULT_INVALID:
        break;
    }
    /* 1.2.10 returns a DNS failure of the first lookup as "invalid" (not temperror). */
    if (err == SPF_E_DNS_ERROR || err == SPF_E_NO_MEMORY || err == SPF_E_INTERNAL_ERROR)
        return AUTH_TEMPERROR;
    return spf_syntax_error(resp) ? AUTH_PERMERROR : AUTH_NONE;
}

/* spf_query - run the request for IDENTITY under DEADLINE. */
static enum auth_result spf_query(SPF_request_t *req, const char *identity,
                                  const struct timespec *deadline, char *why, size_t whylen)
{
    SPF_response_t *resp = NULL;
    SPF_errcode_t err;
    enum auth_result r;

    if (SPF_request_set_env_from(req, identity) != 0) {
        snprintf(why, whylen, "out of memory");
        return AUTH_TEMPERROR;
    }
    spf_deadline = deadline;
    err = SPF_request_query_mailfrom(req, &resp);
    spf_deadline = NULL;
    if (resp == NULL) {
        snprintf(why, whylen, "out of memory");
        return AUTH_TEMPERROR;
    }
    r = spf_map(resp, err);
    snprintf(why, whylen, "%s%s%s", identity, err != SPF_E_SUCCESS ? ": " : "",
             err != SPF_E_SUCCESS ? SPF_strerror(err) : "");
    SPF_response_free(resp);
    return r;
}

/* spf_check - checked inputs, one request, the result mapped. */
enum auth_result spf_check(const char *client_ip, const char *helo, const char *mail_from,
                           const struct timespec *deadline, char *why, size_t whylen)
{
    char identity[SPF_IDENTITY_MAX], helo_dom[DOMAIN_MAX];
    SPF_request_t *req = NULL;
    enum auth_result r = AUTH_TEMPERROR;

    if (spf_identity(helo, mail_from, identity, sizeof(identity)) < 0) {
        snprintf(why, whylen, "no valid domain to check");
        return AUTH_NONE;
    }
    if (spf_server == NULL || (req = SPF_request_new(spf_server)) == NULL) {
        snprintf(why, whylen, spf_server == NULL ? "SPF not started" : "out of memory");
        return AUTH_TEMPERROR;
    }
    if (spf_set_client(req, client_ip) < 0) {
        snprintf(why, whylen, "no valid client address");
        r = AUTH_NONE;
        goto out;
    }
    /* %{h} expands to the HELO name: only a checked one, else a placeholder. */
    if (SPF_request_set_helo_dom(req, helo != NULL && spf_domain(helo, strlen(helo), helo_dom) == 0
                                          ? helo_dom
                                          : "unknown") != SPF_E_SUCCESS) {
        snprintf(why, whylen, "out of memory");
        goto out;
    }
    r = spf_query(req, identity, deadline, why, whylen);
out:
    SPF_request_free(req);
    return r;
}
