/*
 * dkim - DKIM (RFC 6376) verification of one message, with libopendkim.
 *
 * Purpose: a verifier is fed the message as the MTA hands it over,
 * header field by header field, then body chunk by body chunk, and at
 * the end gives one result per signature with its d= domain. Only the
 * signatures a caller's filter wants are verified (the others cannot
 * change the decision, so no key is fetched for them), at most
 * DKIM_MAX_SIGNATURES per message. Keys are fetched at the end, through
 * auth/dns.c, under the caller's deadline: a key that does not exist
 * (NXDOMAIN, no TXT) or is malformed is a permerror; a DNS failure or a
 * spent deadline is a temperror.
 *
 * This file and auth/spf.c are the only ones that include the
 * libraries' headers; callers see struct dkim_fact only.
 *
 * Returns: 0 / -1; dkim_verifier_eoh() 1 body wanted / 0 not / -1 error;
 * results are enum auth_result values.
 *
 * Ownership: a verifier owns its libopendkim handle and the domains of
 * its results (valid until dkim_verifier_free()).
 * Thread safety: dkim_start() and dkim_stop() run once, before and after
 * the threads; the one DKIM_LIB is then only read. A verifier is used by
 * one thread at a time (the thread of its message).
 */
#ifndef OM_DKIM_H
#define OM_DKIM_H

#include <stddef.h>
#include <time.h>

#include "message.h"

/* Signatures verified per message at most; later ones are not looked at. */
#define DKIM_MAX_SIGNATURES 8

struct dkim_verifier;

/* dkim_start - the process's DKIM_LIB. 0, or -1 with a reason in ERR. */
int dkim_start(char *err, size_t errlen);

/* dkim_stop - close it; safe when dkim_start() failed or was never called. */
void dkim_stop(void);

/*
 * dkim_verifier_new - a verifier for the message with id ID (for
 * libopendkim's messages; copied). WANT(ARG, d) says whether a signature
 * with normalised-or-raw domain d is to be verified; it is called only
 * from dkim_verifier_eoh(). NULL when out of memory.
 */
struct dkim_verifier *dkim_verifier_new(const char *id, int (*want)(void *arg, const char *d),
                                        void *arg);

/*
 * dkim_verifier_header - one header field: NAME, and VALUE exactly as
 * after the colon (leading space and folding included; bare LF and CRLF
 * both accepted). 0, or -1 when the verifier is out of memory (it then
 * reports every signature as temperror).
 */
int dkim_verifier_header(struct dkim_verifier *v, const char *name, const char *value);

/*
 * dkim_verifier_eoh - end of the header section: which signatures are
 * verified is decided here. 1 when the body is needed, 0 when there is
 * nothing to verify (no signature, or none wanted), -1 when out of memory.
 */
int dkim_verifier_eoh(struct dkim_verifier *v);

/* dkim_verifier_body - LEN bytes of body (CRLF line ends). 1 more wanted, 0 enough, -1 error. */
int dkim_verifier_body(struct dkim_verifier *v, const char *buf, size_t len);

/*
 * dkim_verifier_finish - fetch the keys (by DEADLINE) and check the
 * signatures; *FACTS points at *NFACTS results (owned by V), in header
 * order. 0, or -1 when out of memory (every result is then a temperror).
 */
int dkim_verifier_finish(struct dkim_verifier *v, const struct timespec *deadline,
                         const struct dkim_fact **facts, size_t *nfacts);

/* dkim_verifier_free - NULL ok. */
void dkim_verifier_free(struct dkim_verifier *v);

#endif
