/*
 * spf - SPF (RFC 7208) of the envelope sender, with libspf2.
 *
 * Purpose: one call gives the result of one message: the envelope
 * sender's, or the HELO name's for the null sender, for the client
 * address. Every input is checked here before it reaches libspf2
 * (CVE-2021-20314; libspf2 aborts the process on some bad input): an
 * address without a valid domain, a domain that is not a multi-label
 * name, an address literal as HELO give "none" without a lookup; a local
 * part that is not a plain dot-atom of at most 64 characters is replaced
 * by "postmaster" (as RFC 7208 4.3 does for a missing one), so that only
 * checked text is ever expanded into a query. libspf2's report of a DNS
 * failure (SPF_RESULT_INVALID with SPF_E_DNS_ERROR) is a temperror.
 *
 * This file and auth/dkim.c are the only ones that include the
 * libraries' headers; callers see enum auth_result only.
 *
 * Returns: 0 / -1; spf_check() an enum auth_result.
 *
 * Thread safety: spf_start() and spf_stop() run once, before and after
 * the threads; spf_check() is safe from any thread. The one SPF_server_t
 * is shared: libspf2 only reads it while checking (its configuration,
 * its compiled default explanation), and its DNS layer here keeps no
 * state but the calling thread's deadline (thread-local).
 */
#ifndef OM_SPF_H
#define OM_SPF_H

#include <stddef.h>
#include <time.h>

#include "message.h"

/* spf_start - create the process's SPF server. 0, or -1 with a reason in ERR. */
int spf_start(char *err, size_t errlen);

/* spf_stop - free it; safe when spf_start() failed or was never called. */
void spf_stop(void);

/*
 * spf_identity - the identity SPF checks for MAIL_FROM ("<a@b>", "a@b",
 * "<>", "", a source route) or, for the null sender, HELO:
 * "local@domain" with the domain normalised (lowercase A-labels), in OUT
 * (at least 320 bytes). Returns 0, or -1 when there is none to check
 * (the result is then "none").
 */
int spf_identity(const char *helo, const char *mail_from, char *out, size_t outlen);

/*
 * spf_check - the SPF result of the message from CLIENT_IP (textual
 * IPv4 or IPv6), its lookups ending by DEADLINE (NULL: glibc's own
 * timeouts). WHY (WHYLEN bytes) gets a short explanation for the log.
 * Never AUTH_UNKNOWN; AUTH_TEMPERROR when the answer is not known now.
 */
enum auth_result spf_check(const char *client_ip, const char *helo, const char *mail_from,
                           const struct timespec *deadline, char *why, size_t whylen);

#endif
