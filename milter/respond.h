/*
 * respond - a verdict made into what the MTA sees: SMTP replies,
 * quarantine with a reason, X-Officialmail-Violation headers; and every
 * violation recorded (one key=value line in syslog for now).
 *
 * Thread safety: reentrant; called from libmilter's session threads.
 */
#ifndef OM_RESPOND_H
#define OM_RESPOND_H

#include <libmilter/mfapi.h>

#include "context.h"
#include "metrics.h"
#include "verdict.h"

/* respond_rcpt_reject - the 550 of a recipient refused at RCPT. */
sfsistat respond_rcpt_reject(SMFICTX *ctx, const struct policy *p, const struct violation *v);

/* respond_eom - apply V at end of message; returns the sfsistat to answer. */
sfsistat respond_eom(SMFICTX *ctx, const struct conn_ctx *c, const struct msg_ctx *m,
                     const struct verdict *v);

/* respond_too_many - the 452 4.5.3 of recipient RCPT past max_recipients. */
sfsistat respond_too_many(SMFICTX *ctx, const struct policy *p, const char *qid, const char *rcpt);

/* respond_internal_error - the reply per on_internal_error (KIND counted, WHAT for the log). */
sfsistat respond_internal_error(SMFICTX *ctx, const struct policy *p, const char *qid,
                                enum metrics_error kind, const char *what);

struct writer;

/* respond_init - the violation log's writer (NULL: syslog only). */
void respond_init(struct writer *w);

/*
 * respond_record_pending - record the RCPT-time violations of M that no
 * end of message recorded (the client quit, or every recipient was
 * refused).
 */
void respond_record_pending(const struct conn_ctx *c, struct msg_ctx *m);

#endif
