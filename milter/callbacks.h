/*
 * callbacks - the libmilter callbacks: each gathers the facts of its
 * protocol step into the connection and message contexts and hands them
 * to the policy (verdict_rcpt at RCPT, verdict_judge at end of message);
 * record_out.c records the verdict and reply.c turns it into replies and
 * changes.
 *
 * Returns: callbacks_desc() the filter description (static, not to be freed).
 */
#ifndef OM_CALLBACKS_H
#define OM_CALLBACKS_H

#include <libmilter/mfapi.h>

/* callbacks_desc - the filter description handed to smfi_register(). */
struct smfiDesc *callbacks_desc(void);

#endif
