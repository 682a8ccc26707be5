/*
 * context - what the milter knows of one SMTP connection and of the
 * message being received on it.
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

#include "message.h"
#include "policy.h"
#include "verdict.h"
#include "verify.h"

/* Caps on what one message may make the milter hold (DESIGN "Input is bounded"). */
#define CTX_MAX_RCPTS 1000
#define CTX_MAX_FIELDS 200        /* kept header fields */
#define CTX_MAX_FIELD_BYTES 65536 /* of one kept field's value */

struct msg_ctx {
    struct policy *policy; /* referenced */
    time_t started;        /* the clock of every decision on this message (exception expiry) */
    char *mail_from;
    char *auth_user;
    char **rcpts;
    size_t nrcpts;
    size_t rcpts_dropped;  /* past CTX_MAX_RCPTS */
    struct header *fields; /* the fields the rules read (owned copies) */
    size_t nfields;
    size_t fields_dropped;
    int fields_cut; /* a kept field was longer than the cap */
    char *message_id;
    char *queue_id;
    struct violation *rcpt_v; /* refused at RCPT, not yet recorded */
    size_t nrcpt_v;
    int failed;            /* a fact of the message was lost: answered per on_internal_error */
    struct verify *verify; /* SPF and DKIM; NULL when the client is never judged */
    int body_wanted;       /* DKIM reads the body */
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

/* msg_ctx_add_rcpt - remember one RCPT argument (past the cap: counted). 0 or -1. */
int msg_ctx_add_rcpt(struct msg_ctx *m, const char *rcpt);

/*
 * msg_ctx_add_field - keep header NAME: VALUE when a rule reads it (From,
 * Reply-To, Mail-Followup-To, Subject, Content-Type) and Message-ID.
 * 0, or -1 when out of memory.
 */
int msg_ctx_add_field(struct msg_ctx *m, const char *name, const char *value);

/* msg_ctx_add_rcpt_violation - keep V (moved) until it is recorded. 0 or -1. */
int msg_ctx_add_rcpt_violation(struct msg_ctx *m, struct violation *v);

/* msg_ctx_set - replace *DST with a copy of SRC (NULL ok). 0 or -1. */
int msg_ctx_set(char **dst, const char *src);

#endif
