/*
 * replay_msg - what `officialmail replay` knows of a stored message: its
 * envelope and SPF/DKIM results as SPEC 12 says to find them, and its
 * judgement through the one facts builder (facts.h) and verdict_judge(),
 * as the milter and `officialmail test` judge a message.
 *
 *   - envelope sender: the first Return-Path; without one, the first From
 *     address (a message taken from a Sent folder has none); without
 *     either, the null sender;
 *   - recipients: every X-Original-To and Delivered-To address; without
 *     any, every To, Cc and Bcc address;
 *   - SPF and DKIM: the results of the first Authentication-Results
 *     field whose authserv-id is the policy's gateway_name (the one
 *     officialmail-milter writes and trusts). Its presence also says the
 *     client was external and unauthenticated (the milter writes it for
 *     no other): the message is judged from a documentation address
 *     (192.0.2.1, else 2001:db8::1, whichever is not internal). Without
 *     it the message is judged as submitted internally, so that
 *     spoofed-official is not judged (counted as such, never guessed).
 *
 * A message is malformed (counted and named, not judged) when it has no
 * header field, when it ends inside its header section (truncated), or
 * when no recipient can be found.
 *
 * Ownership: a struct replay_msg owns its copies; clear it after use.
 * Thread safety: reentrant.
 */
#ifndef OM_REPLAY_MSG_H
#define OM_REPLAY_MSG_H

#include <stddef.h>
#include <time.h>

#include "message.h"
#include "message_file.h"
#include "policy.h"
#include "verdict.h"

#define REPLAY_MAX_DKIM 16

struct replay_msg {
    struct message_file mf; /* the header section's fields */
    char *sender;           /* "<local@domain>" or "<>" */
    char **rcpts;           /* "<local@domain>", field order */
    size_t nrcpts;
    size_t nenvelope;       /* of them from X-Original-To and Delivered-To */
    const char *message_id; /* as written (in MF), or NULL */
    int no_return_path;     /* the sender came from From */
    int trusted;            /* an Authentication-Results of gateway_name was found */
    enum auth_result spf;
    struct dkim_fact dkim[REPLAY_MAX_DKIM];
    char dkim_domain[REPLAY_MAX_DKIM][256];
    size_t ndkim;
    const char *malformed; /* why it cannot be judged (static text), or NULL */
};

/*
 * replay_msg_read - the header section of message DATA (LEN bytes) into
 * RM, its envelope and results found for gateway GATEWAY. 0 (RM->malformed
 * set when it cannot be judged), or -1 when out of memory.
 */
int replay_msg_read(struct replay_msg *rm, const char *data, size_t len, const char *gateway);

/*
 * replay_msg_judge - RM judged under P at time NOW into V, from facts
 * built by facts.c with P's limits. 0, or -1 when out of memory.
 */
int replay_msg_judge(const struct replay_msg *rm, const struct policy *p, time_t now,
                     struct verdict *v);

/* replay_msg_clear - free what RM owns and zero it. */
void replay_msg_clear(struct replay_msg *rm);

#endif
