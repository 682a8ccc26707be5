/*
 * record - one violation as the log keeps it (SPEC section 6), and its
 * one-line key=value form for syslog.
 *
 * Purpose: the fields of a violation record, filled from a verdict and
 * the facts of the message, in one place that the syslog line (now) and
 * the database store (its own module) both read. Values in the key=value
 * line are quoted and escaped so that no field - a subject, a display
 * name, an address with a quote - can forge another field or another
 * line.
 *
 * Ownership: a record lends every string (from the verdict, the policy
 * and the milter's message context); it owns nothing.
 * Thread safety: reentrant.
 */
#ifndef OM_RECORD_H
#define OM_RECORD_H

#include <stddef.h>
#include <time.h>

#include "verdict.h"

struct record {
    time_t time;
    const char *queue_id;
    const char *message_id;
    const struct violation *v;
    const char *envelope_sender;
    const char *header_from;
    const struct rcpt_verdict *rcpts; /* every envelope recipient */
    size_t nrcpts;
    const char *client_ip;
    const char *client_name;
    const char *auth_user;
    const char *spf;
    const char *dkim;    /* "d=domain result" pairs, or "" */
    const char *subject; /* already per subject_logging */
    const char *gateway; /* this host's name */
};

/*
 * record_subject - SUBJECT as subject_logging wants it, written into OUT
 * (OUTLEN bytes): the text, its SHA-256 in lowercase hex, or "".
 */
const char *record_subject(enum om_subject_logging how, const char *subject, char *out,
                           size_t outlen);

/*
 * record_kv - the key=value line of R into BUF (LEN bytes). A line that
 * would not fit is cut at a field boundary and ends with "truncated=1".
 * Returns BUF.
 */
char *record_kv(const struct record *r, char *buf, size_t len);

/*
 * record_escape - append VALUE to BUF (at *POS, LEN bytes) as a
 * key=value value: bare when it is a plain token, else in double quotes
 * with \\, \" and control or non-UTF-8 bytes as \xNN. Returns 0, or -1
 * when it does not fit (BUF then unchanged past *POS).
 */
int record_escape(char *buf, size_t len, size_t *pos, const char *value);

#endif
