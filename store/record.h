/*
 * record - one violation as the log keeps it (SPEC section 6): its
 * fields, its canonical serialisation and hash, and its one-line
 * key=value form for syslog.
 *
 * Purpose: one list of fields, in one order, that the syslog line, the
 * database, the hash chain and the `officialmail log` formats all walk,
 * so that they cannot disagree. Values in the key=value line are quoted
 * and escaped so that no field - a subject, a display name, an address
 * with a quote - can forge another field or another line.
 *
 * Returns: 0 / -1 (out of memory); record_kv() and record_canonical() the text.
 *
 * Ownership: a struct record owns its field strings (record_clear()); a
 * record from record_fill() holds them in one allocation (block), so none
 * of its fields may be replaced on its own.
 * Thread safety: reentrant.
 */
#ifndef OM_RECORD_H
#define OM_RECORD_H

#include <stddef.h>
#include <time.h>

#include "chain.h"
#include "verdict.h"

enum record_field {
    RF_TIME,
    RF_QUEUE_ID,
    RF_MESSAGE_ID,
    RF_RULE,
    RF_REASONS,
    RF_ACTION,
    RF_INTENDED_ACTION,
    RF_MODE,
    RF_EXCEPTION_TICKET,
    RF_DEPARTMENT,
    RF_ENVELOPE_SENDER,
    RF_HEADER_FROM,
    RF_ADDRESS,
    RF_RECIPIENTS,
    RF_CLIENT_IP,
    RF_CLIENT_NAME,
    RF_AUTH_USER,
    RF_SPF,
    RF_DKIM,
    RF_SUBJECT,
    RF_GATEWAY,
    RF_COUNT
};

#define RECORD_HASH_HEX CHAIN_HASH_HEX /* 64 hex digits and NUL */

/* The recipients field lists this many, then ",+N more". */
#define RECORD_MAX_RCPTS 100

struct record {
    long long id;      /* 0 until stored */
    char *f[RF_COUNT]; /* every field, "" when empty; never NULL once filled */
    char prev_hash[RECORD_HASH_HEX];
    char hash[RECORD_HASH_HEX];
    /* record_fill()'s one allocation that holds every field; NULL when
       each field is a string of its own (a zeroed record, then strdup()). */
    char *block;
};

/* The column names of SPEC section 6, in field order. */
extern const char *const record_field_names[RF_COUNT];

/* What the milter knows of a message beyond its verdict. */
struct record_context {
    time_t time;
    const char *queue_id;
    const char *message_id;
    const char *client_ip;
    const char *client_name;
    const char *auth_user;
    const char *spf;
    const char *dkim;
    const char *gateway;
    enum om_subject_logging subject_logging;
};

/*
 * record_fill - the record of violation V of verdict VD in context C.
 * Returns 0, or -1 when out of memory (R cleared).
 */
int record_fill(struct record *r, const struct record_context *c, const struct verdict *vd,
                const struct violation *v);

/* record_clear - free the fields of R and zero it; safe on a zeroed R. */
void record_clear(struct record *r);

/* record_row - R as a row of the hash chain (chain.h); lends R's fields. */
struct chain_row record_row(const struct record *r);

/*
 * record_link - R becomes the next record after HEAD (chain_link): its
 * id, prev_hash and hash are filled in and HEAD moves to it. 0 or -1.
 */
int record_link(struct chain_head *head, struct record *r);

/*
 * record_canonical - the canonical serialisation of R (chain.h): for the
 * id and then each field in order, "NAME=LENGTH:VALUE\n". Returns a new
 * string, or NULL when out of memory.
 */
char *record_canonical(const struct record *r);

/*
 * record_hash - HEX = the chain's hash of R after the record whose hash
 * is PREV (chain_hash). Returns 0 or -1.
 */
int record_hash(const struct record *r, const char *prev, char hex[RECORD_HASH_HEX]);

/*
 * record_kv - the key=value line of R into BUF (LEN bytes); fields that
 * do not fit are cut at a field boundary and the line ends with
 * "truncated=1". Returns BUF.
 */
char *record_kv(const struct record *r, char *buf, size_t len);

/*
 * record_escape - append VALUE to BUF (at *POS, LEN bytes) as a
 * key=value value: bare when it is a plain token, else in double quotes
 * with \\, \" and control or non-UTF-8 bytes as \xNN. Returns 0, or -1
 * when it does not fit.
 */
int record_escape(char *buf, size_t len, size_t *pos, const char *value);

#endif
