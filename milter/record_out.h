/*
 * record_out - a verdict made into violation records: every violation of
 * a message handed to the log's writer as one batch, committed together
 * or not at all, and each record's key=value line written to syslog
 * after the commit (writer_on_commit), never before.
 *
 * Returns: 0 / -1.
 * Thread safety: record_out_init() before the session threads; the rest
 * is reentrant, called from libmilter's session threads.
 */
#ifndef OM_RECORD_OUT_H
#define OM_RECORD_OUT_H

#include "context.h"
#include "verdict.h"

struct writer;

/* record_out_init - the violation log's writer (NULL: syslog only). */
void record_out_init(struct writer *w);

/*
 * record_out_message - the records of every violation of VD, waited for
 * (at most database_timeout) unless the policy's database_commit is
 * background. 0 when the log committed them (or there were none, or they
 * are queued for the writer thread), -1 when it did not.
 */
int record_out_message(const struct conn_ctx *c, const struct msg_ctx *m, const struct verdict *vd);

/*
 * record_out_pending - record the RCPT-time violations of M that no end
 * of message recorded (the client quit, or every recipient was refused);
 * queued, not waited for.
 */
void record_out_pending(const struct conn_ctx *c, struct msg_ctx *m);

#endif
