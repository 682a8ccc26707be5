/*
 * dns - the one stub resolver of SPF and DKIM: queries with a deadline.
 *
 * Purpose: libspf2 and libopendkim are both given this resolver instead
 * of their own (auth/spf.c installs it as a libspf2 DNS layer, auth/dkim.c
 * as libopendkim's key lookup), so that one deadline bounds every lookup
 * a message causes, and so that no resolver state is shared between
 * threads. States (glibc's struct __res_state, initialised once from
 * /etc/resolv.conf) are kept in a pool: a query borrows one, uses it
 * alone, and gives it back; nothing is set up per message.
 *
 * Results are classified the way SPF (RFC 7208 2.6) and DKIM (RFC 6376
 * 3.6.2.2) need: an answer, NXDOMAIN, no data, or a failure (SERVFAIL,
 * REFUSED, timeout, no server reachable, time budget spent), which is a
 * temperror.
 *
 * Returns: 0 / -1; dns_expired() 1 / 0; lookups an enum dns_status.
 *
 * Ownership: callers own their buffers; the pool belongs to this module.
 * Thread safety: dns_query() and dns_txt() are safe from any thread (the
 * pool's free list is guarded by a mutex); dns_start() and dns_stop()
 * run while no query is in flight (start, exit); dns_reload() may run
 * at any time.
 */
#ifndef OM_DNS_H
#define OM_DNS_H

#include <stddef.h>
#include <time.h>

enum dns_status {
    DNS_ANSWER,   /* an answer of the type asked for */
    DNS_NXDOMAIN, /* the name does not exist */
    DNS_NODATA,   /* the name exists, without records of that type */
    DNS_TEMPFAIL  /* no answer: SERVFAIL, refused, timeout, deadline passed */
};

/* Largest answer kept (TCP answers may be larger; they are cut). */
#define DNS_ANSWER_MAX 16384

/* dns_start - prepare the pool (before threads). 0, or -1 when out of memory. */
int dns_start(void);

/* dns_stop - close and free every pooled state (no query may be in flight). */
void dns_stop(void);

/*
 * dns_reload - states in the pool are dropped, and states in use are
 * dropped when given back, so that the next queries read
 * /etc/resolv.conf again (SIGHUP).
 */
void dns_reload(void);

/* dns_deadline - DEADLINE set SECONDS from now (CLOCK_MONOTONIC). */
void dns_deadline(struct timespec *deadline, int seconds);

/* dns_expired - 1 when DEADLINE has passed. */
int dns_expired(const struct timespec *deadline);

/*
 * dns_query - ask for records of TYPE (ns_t_txt...) of NAME, waiting no
 * later than DEADLINE (NULL: glibc's own timeouts). On DNS_ANSWER the
 * answer message is in ANS (LEN bytes, at most ANSLEN).
 */
enum dns_status dns_query(const char *name, int type, const struct timespec *deadline,
                          unsigned char *ans, size_t anslen, size_t *len);

/*
 * dns_txt - the one TXT record of NAME, its strings joined, in OUT
 * (OUTLEN bytes, NUL-terminated). *COUNT is the number of TXT records
 * found: a caller that needs exactly one checks it. DNS_ANSWER only
 * when at least one record was found (none is DNS_NODATA).
 */
enum dns_status dns_txt(const char *name, const struct timespec *deadline, char *out, size_t outlen,
                        int *count);

/* dns_status_name - "answer", "nxdomain", "nodata" or "tempfail". */
const char *dns_status_name(enum dns_status s);

#endif
