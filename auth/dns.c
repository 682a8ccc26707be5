/*
 * dns - pooled glibc resolver states, queries bounded by a deadline.
 *
 * Why a pool of res_ninit() states: glibc's res_nquery() keeps sockets
 * and counters in the state it is given, so two threads must never use
 * one state at once (libopendkim 2.11 does exactly that with its one
 * resolver per DKIM_LIB); one state per query would read
 * /etc/resolv.conf for every lookup (what libopendkim does when it
 * builds a state per query). A state is initialised once, lent to one
 * query at a time, and kept for the next.
 *
 * How the deadline bounds a query: glibc waits RES_TIMEOUT (5 s) per
 * try and server, RES_DFLRETRY (2) times. Before each query the state
 * borrowed is set to one try, with a per-server wait that fits in what
 * is left of the deadline (whole seconds, at least one, as glibc
 * counts), and a query after the deadline is not sent at all.
 */
#include <config.h>

#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <resolv.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"

struct dns_state {
    struct __res_state res;
    unsigned gen; /* dns_gen when initialised */
    struct dns_state *next;
};

static pthread_mutex_t dns_lock = PTHREAD_MUTEX_INITIALIZER;
static struct dns_state *dns_pool; /* free states; guarded by dns_lock */
static unsigned dns_gen;           /* bumped by dns_reload; guarded by dns_lock */

/* dns_get - a state for this thread alone: from the pool, else a new one. */
static struct dns_state *dns_get(void)
{
    struct dns_state *s;
    unsigned gen;

    pthread_mutex_lock(&dns_lock);
    s = dns_pool;
    if (s != NULL)
        dns_pool = s->next;
    gen = dns_gen;
    pthread_mutex_unlock(&dns_lock);
    if (s != NULL)
        return s;
    if ((s = calloc(1, sizeof(*s))) == NULL)
        return NULL;
    if (res_ninit(&s->res) != 0) {
        free(s);
        return NULL;
    }
    /* Bigger UDP answers (DKIM keys) without a TCP retry; no search list. */
    s->res.options |= RES_USE_EDNS0;
    s->res.options &= ~(unsigned long)(RES_DNSRCH | RES_DEFNAMES);
    s->gen = gen;
    return s;
}

/* dns_close - release one state. */
static void dns_close(struct dns_state *s)
{
    res_nclose(&s->res);
    free(s);
}

/* dns_put - back to the pool, unless a reload made it stale. */
static void dns_put(struct dns_state *s)
{
    pthread_mutex_lock(&dns_lock);
    if (s->gen == dns_gen) {
        s->next = dns_pool;
        dns_pool = s;
        s = NULL;
    }
    pthread_mutex_unlock(&dns_lock);
    if (s != NULL)
        dns_close(s);
}

/* dns_start - nothing to build ahead: states are made on first use. */
int dns_start(void)
{
    return 0;
}

/* dns_reload - forget the pooled states; lent ones are dropped when returned. */
void dns_reload(void)
{
    struct dns_state *list;

    pthread_mutex_lock(&dns_lock);
    dns_gen++;
    list = dns_pool;
    dns_pool = NULL;
    pthread_mutex_unlock(&dns_lock);
    while (list != NULL) {
        struct dns_state *next = list->next;
        dns_close(list);
        list = next;
    }
}

/* dns_stop - as a reload, at exit. */
void dns_stop(void)
{
    dns_reload();
}

/* dns_deadline - now + SECONDS on the monotonic clock. */
void dns_deadline(struct timespec *deadline, int seconds)
{
    if (clock_gettime(CLOCK_MONOTONIC, deadline) != 0) {
        /* Cannot happen (the monotonic clock always exists): a budget already spent. */
        deadline->tv_sec = 0;
        deadline->tv_nsec = 0;
        return;
    }
    deadline->tv_sec += seconds;
}

/* dns_left_ms - milliseconds until DEADLINE (negative when past). */
static long dns_left_ms(const struct timespec *deadline)
{
    struct timespec now;

    if (clock_gettime(CLOCK_MONOTONIC, &now) != 0)
        return -1;
    return (long)(deadline->tv_sec - now.tv_sec) * 1000 +
           (deadline->tv_nsec - now.tv_nsec) / 1000000;
}

/* dns_expired - nothing left of DEADLINE. */
int dns_expired(const struct timespec *deadline)
{
    return dns_left_ms(deadline) <= 0;
}

/* dns_fit - one try per server, each waiting its share of what is left (s). */
static void dns_fit(struct __res_state *res, long left_ms)
{
    int servers = res->nscount > 0 ? res->nscount : 1;
    long per = left_ms / 1000 / servers;

    res->retrans = per < 1 ? 1 : (int)per;
    res->retry = 1;
}

/* dns_run - one query on a borrowed state; the answer classified. */
static enum dns_status dns_run(const char *name, int type, const struct timespec *deadline,
                               unsigned char *ans, size_t anslen, size_t *len)
{
    long left = deadline != NULL ? dns_left_ms(deadline) : 0;
    struct dns_state *s;
    int n, herr;

    *len = 0;
    if ((deadline != NULL && left <= 0) || anslen > 65535)
        return DNS_TEMPFAIL;
    if ((s = dns_get()) == NULL)
        return DNS_TEMPFAIL; /* out of memory: retried later, never a pass */
    if (deadline != NULL)
        dns_fit(&s->res, left);
    n = res_nquery(&s->res, name, ns_c_in, type, ans, (int)anslen);
    herr = s->res.res_h_errno;
    dns_put(s);
    if (n >= 0 && (size_t)n <= anslen) {
        *len = (size_t)n;
        return DNS_ANSWER;
    }
    if (n >= 0)
        return DNS_TEMPFAIL; /* larger than we keep: not trusted in part */
    if (herr == HOST_NOT_FOUND)
        return DNS_NXDOMAIN;
    if (herr == NO_DATA)
        return DNS_NODATA;
    return DNS_TEMPFAIL;
}

static dns_observer_fn dns_observer;

/* dns_set_observer - before threads. */
void dns_set_observer(dns_observer_fn fn)
{
    dns_observer = fn;
}

/* dns_kind_name - the metrics label. */
const char *dns_kind_name(enum dns_kind k)
{
    return k == DNS_KIND_SPF ? "spf" : "dkim";
}

/* dns_query - dns_run, timed and told to the observer. */
enum dns_status dns_query(enum dns_kind kind, const char *name, int type,
                          const struct timespec *deadline, unsigned char *ans, size_t anslen,
                          size_t *len)
{
    struct timespec t0, t1;

    if (dns_observer == NULL)
        return dns_run(name, type, deadline, ans, anslen, len);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    enum dns_status st = dns_run(name, type, deadline, ans, anslen, len);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    dns_observer(kind, st,
                 (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    return st;
}

/* dns_txt_join - the character-strings of one TXT RDATA into OUT; -1 when too long. */
static int dns_txt_join(const unsigned char *rd, size_t rdlen, char *out, size_t outlen)
{
    size_t o = 0;

    for (size_t i = 0; i < rdlen;) {
        size_t n = rd[i++];
        if (n > rdlen - i)
            n = rdlen - i; /* a string running past its RDATA: keep what is there */
        if (o + n >= outlen)
            return -1;
        memcpy(out + o, rd + i, n);
        o += n;
        i += n;
    }
    out[o] = '\0';
    return 0;
}

/* dns_txt - query TXT, count the records, keep the first one's text. */
enum dns_status dns_txt(enum dns_kind kind, const char *name, const struct timespec *deadline,
                        char *out, size_t outlen, int *count)
{
    unsigned char *ans = malloc(DNS_ANSWER_MAX);
    enum dns_status st = DNS_TEMPFAIL;
    size_t len;
    ns_msg msg;

    *count = 0;
    if (outlen > 0)
        out[0] = '\0';
    if (ans == NULL || outlen == 0)
        goto out;
    st = dns_query(kind, name, ns_t_txt, deadline, ans, DNS_ANSWER_MAX, &len);
    if (st != DNS_ANSWER)
        goto out;
    if (ns_initparse(ans, (int)len, &msg) < 0) {
        st = DNS_TEMPFAIL; /* a corrupt answer is a failed lookup */
        goto out;
    }
    for (int i = 0; i < ns_msg_count(msg, ns_s_an); i++) {
        ns_rr rr;
        if (ns_parserr(&msg, ns_s_an, i, &rr) < 0) {
            st = DNS_TEMPFAIL;
            goto out;
        }
        if (ns_rr_type(rr) != ns_t_txt)
            continue; /* the CNAMEs on the way */
        if (++*count == 1 && dns_txt_join(ns_rr_rdata(rr), ns_rr_rdlen(rr), out, outlen) < 0)
            *count = -1000; /* too long to hold: never "exactly one record" */
    }
    st = *count == 0 ? DNS_NODATA : DNS_ANSWER;
out:
    free(ans);
    return st;
}

/* dns_status_name - for logs. */
const char *dns_status_name(enum dns_status s)
{
    static const char *const names[] = {"answer", "nxdomain", "nodata", "tempfail"};

    return names[s];
}
