/*
 * context - what the milter knows of one SMTP connection and of the
 * message being received on it.
 *
 * Returns: constructors a new context or NULL; the rest 0 / -1 (out of memory).
 *
 * Ownership: a connection context lives from connect to close and owns
 * its strings and its message context; the message context lives from
 * MAIL FROM to end of message or abort (reset on every MAIL FROM) and
 * owns everything gathered for the message, plus a reference to the
 * policy it is judged under (taken at MAIL FROM, so that a reload in the
 * middle of a message never mixes two policies).
 * Thread safety: libmilter calls one connection's callbacks from one
 * thread at a time; contexts are not shared.
 */
#ifndef OM_CONTEXT_H
#define OM_CONTEXT_H

#include <stddef.h>
#include <time.h>

#include "facts.h"
#include "message.h"
#include "policy.h"
#include "verdict.h"
#include "verify.h"

struct msg_ctx {
    struct policy *policy; /* referenced */
    time_t started;        /* the clock of every decision on this message (exception expiry) */
    struct facts facts;    /* the envelope and the fields the rules read, within the limits */
    char *queue_id;
    struct violation *rcpt_v; /* refused at RCPT, not yet recorded */
    size_t nrcpt_v;
    int failed;            /* a fact of the message was lost: answered per on_internal_error */
    struct verify *verify; /* SPF and DKIM; NULL when the client is never judged */
    int body_wanted;       /* DKIM reads the body */
    struct verdict_sender sender; /* the envelope sender parsed once for every RCPT */
    /* The message as the rules read it, parsed at end of header for SPF
       and DKIM and judged at end of message (nothing it reads changes in
       between); valid when have_parsed. */
    struct message parsed;
    int have_parsed;
};

struct conn_ctx {
    char *client_ip; /* NULL: no network client */
    char *client_name;
    char *helo;
    int non_smtp;    /* Postfix's non_smtpd_milters: no SMTP client */
    int sendmail;    /* the MTA is sendmail (macro v): its log wording */
    int failed;      /* a fact of the connection was lost (out of memory) */
    int noreply_hdr; /* negotiated: header steps get no reply */
    int noreply_eoh; /* negotiated: end of header gets no reply */
    int leadspc;     /* negotiated: header values keep the space after the colon */
    int can_skip;    /* negotiated: the MTA understands SMFIS_SKIP */
    struct msg_ctx *msg;
};

/* conn_ctx_new - an empty connection context, or NULL. */
struct conn_ctx *conn_ctx_new(void);

/* conn_ctx_free - free C and its message; NULL ok. */
void conn_ctx_free(struct conn_ctx *c);

/* msg_ctx_new - a message context holding a reference to P, or NULL. */
struct msg_ctx *msg_ctx_new(struct policy *p);

/* msg_ctx_free - drop the policy reference and free M; NULL ok. */
void msg_ctx_free(struct msg_ctx *m);

/* msg_ctx_add_rcpt_violation - keep V (moved) until it is recorded. 0 or -1. */
int msg_ctx_add_rcpt_violation(struct msg_ctx *m, struct violation *v);

/* msg_ctx_set - replace *DST with a copy of SRC (NULL ok). 0 or -1. */
int msg_ctx_set(char **dst, const char *src);

#endif
