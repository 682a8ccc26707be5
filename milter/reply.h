/*
 * reply - a verdict made into what the MTA sees: SMTP replies,
 * quarantine with a reason, X-Officialmail-Violation headers. Recording
 * the violations is record_out's; a verdict is answered only after its
 * records are committed.
 *
 * Returns: the sfsistat to answer libmilter with.
 * Thread safety: reentrant; called from libmilter's session threads.
 */
#ifndef OM_REPLY_H
#define OM_REPLY_H

#include <libmilter/mfapi.h>

#include "context.h"
#include "verdict.h"

/* reply_rcpt_reject - the 550 of a recipient refused at RCPT. */
sfsistat reply_rcpt_reject(SMFICTX *ctx, const struct policy *p, const struct violation *v);

/* reply_eom - apply V at end of message, its records committed; returns the sfsistat to answer. */
sfsistat reply_eom(SMFICTX *ctx, const struct conn_ctx *c, const struct msg_ctx *m,
                   const struct verdict *v);

/* reply_too_many - the 452 4.5.3 of recipient RCPT past max_recipients. */
sfsistat reply_too_many(SMFICTX *ctx, const struct policy *p, const char *qid, const char *rcpt);

/* reply_internal_error - the reply per on_internal_error (WHAT for the log). */
sfsistat reply_internal_error(SMFICTX *ctx, const struct policy *p, const char *qid,
                              const char *what);

#endif
