/*
 * verify - the SPF and DKIM checks of one message, from the first header
 * field to the facts the decision reads.
 *
 * Purpose: the milter and `officialmail test` hand over the header
 * fields as they come; at the end of the headers the policy says what
 * can change the verdict (auth_need.h): nothing (internal, authenticated,
 * no official From: no lookup at all), SPF of an aligned envelope sender,
 * DKIM signatures with an aligned d=. DKIM then gets the fields kept so
 * far and the body as it streams; at the end of the message both run
 * under one deadline (dns_timeout seconds for all the lookups of the
 * message), and the results go into the message's facts, into the
 * record fields (spf, dkim) and into one Authentication-Results line.
 *
 * Input is bounded: past VERIFY_MAX_FIELDS fields or VERIFY_MAX_BYTES of
 * header text the DKIM signatures cannot be checked and count as
 * permerror (no pass); the fact is reported by verify_truncated().
 *
 * Returns: 0 / -1 (out of memory); verify_eoh() 1 body wanted / 0 not / -1;
 * the predicates 1 / 0.
 *
 * Ownership: a struct verify owns its copies, its verifier and the texts
 * and facts it returns (valid until verify_free()).
 * Thread safety: one verify per message, used by one thread at a time;
 * verify_init() once before the threads.
 */
#ifndef OM_VERIFY_H
#define OM_VERIFY_H

#include <stddef.h>

#include "message.h"
#include "policy.h"

#define VERIFY_MAX_FIELDS 1000
#define VERIFY_MAX_BYTES (1024 * 1024)

struct verify;

/* verify_new - checks for a message whose client can be judged; NULL when out of memory. */
struct verify *verify_new(void);

/*
 * verify_header - one field: NAME and VALUE as after the colon when
 * LEADSPC (the MTA kept the leading space), else as the MTA gives it
 * without the one space it removed. 0, or -1 when out of memory.
 */
int verify_header(struct verify *vf, const char *name, const char *value, int leadspc);

/*
 * verify_eoh - decide from the facts F (envelope and the fields the rules
 * read) under P what is checked, and start DKIM. Returns 1 when the body
 * is wanted, 0 when not, -1 when out of memory. ID names the message.
 */
int verify_eoh(struct verify *vf, const struct policy *p, const struct message_facts *f,
               const char *id);

/* verify_eoh_parsed - verify_eoh() on M, which the caller parsed from F (NULL: that failed). */
int verify_eoh_parsed(struct verify *vf, const struct policy *p, const struct message_facts *f,
                      const struct message *m, const char *id);

/* verify_body - one body chunk (CRLF line ends); 1 more wanted, 0 enough. */
int verify_body(struct verify *vf, const char *buf, size_t len);

/*
 * verify_eom - run what verify_eoh() decided, lookups ending within
 * p->dns_timeout seconds, and set F's spf and dkim (F must stay within
 * the lifetime of VF). 0, or -1 when out of memory.
 */
int verify_eom(struct verify *vf, const struct policy *p, struct message_facts *f);

/* verify_judged - 1 when spoofed-official is judged for the message (lookups may run). */
int verify_judged(const struct verify *vf);

/* verify_truncated - 1 when a cap stopped the DKIM check. */
int verify_truncated(const struct verify *vf);

/* verify_spf_text - the record's spf field: a result name, or "" when not checked. */
const char *verify_spf_text(const struct verify *vf);

/* verify_dkim_text - the record's dkim field: "d=jk.gov.in pass, d=nic.in fail", or "". */
const char *verify_dkim_text(const struct verify *vf);

/*
 * verify_results - "gateway; spf=pass smtp.mailfrom=a@jk.gov.in; dkim=pass
 * header.d=jk.gov.in" (RFC 8601 syntax; "gateway; none" when nothing was
 * checked, "gateway" being the policy's gateway_name, the authserv-id):
 * the Authentication-Results line of a judged message.
 */
const char *verify_results(const struct verify *vf);

/* verify_free - NULL ok. */
void verify_free(struct verify *vf);

#endif
