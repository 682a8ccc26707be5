/*
 * message - the facts about one message, as handed to the decision, and
 * their parsed form.
 *
 * Purpose: the milter (from its callbacks) and `officialmail test` (from
 * a file and options) fill the same struct message_facts; message_parse()
 * turns it into classified addresses, decoded display names and
 * subjects, which the rules read. The facts are lent; the parsed message
 * owns its strings.
 *
 * Returns: 0 / -1 (out of memory); the predicates 1 / 0; the name lookups the
 * value, or -1 when unknown.
 *
 * Thread safety: reentrant; the policy is only read.
 */
#ifndef OM_MESSAGE_H
#define OM_MESSAGE_H

#include <stddef.h>
#include <strings.h>
#include <time.h>

#include "domain.h"
#include "policy.h"

/* SPF and DKIM results (RFC 7208 / RFC 8601 names). */
enum auth_result {
    AUTH_UNKNOWN, /* not checked */
    AUTH_PASS,
    AUTH_FAIL,
    AUTH_SOFTFAIL,
    AUTH_NEUTRAL,
    AUTH_NONE,
    AUTH_TEMPERROR,
    AUTH_PERMERROR
};

/* One header field as received: value possibly folded. */
struct header {
    const char *name;
    const char *value;
};

/* One verified (or failed) DKIM signature. */
struct dkim_fact {
    const char *domain; /* the signature's d= */
    enum auth_result result;
};

struct addr;

struct message_facts {
    const char *mail_from;    /* MAIL FROM argument: "<a@b>", "<>", "a@b" */
    const char *const *rcpts; /* RCPT TO arguments, envelope order */
    size_t nrcpts;
    /* NULL, or per recipient what identity_fill() made of it at RCPT
       time (norm NULL: not known), so it is not worked out twice. */
    const struct addr *rcpt_ids;
    /* NULL, or what identity_fill() made of a non-null MAIL FROM already. */
    const struct addr *sender_id;
    const char *client_ip;      /* textual; NULL: locally submitted */
    const char *helo;           /* may be NULL */
    const char *smtp_auth_user; /* SMTP AUTH login; NULL or "" when none */
    const struct header *headers;
    size_t nheaders;
    enum auth_result spf; /* envelope sender's, or HELO's for <> */
    const struct dkim_fact *dkim;
    size_t ndkim;
    time_t now;   /* clock for exception expiry */
    int non_smtp; /* no per-recipient refusal possible */
    /* An inspection limit the message exceeded (facts.h), or NULL: then
       it cannot be judged, and is answered per on_internal_error. */
    const char *limit;
};

enum addr_class { ADDR_EXTERNAL, ADDR_OFFICIAL, ADDR_WEBMAIL };

/* An address with what the policy says of it. */
struct addr {
    char *norm;    /* normalised address (or as received) */
    char *display; /* decoded display name or NULL */
    /* The normalised domain when domain_ok: the end of norm, not a copy
       (a copy of the address points it into its own norm); else "". */
    const char *domain;
    int domain_ok;
    enum addr_class cls;
    int dept;     /* department index, -1: default_department */
    int unparsed; /* found in a field that does not parse (SPEC 5b) */
};

struct addr_vec {
    struct addr *v;
    size_t n;
    size_t cap;
};

/*
 * Addresses kept from the From fields, and from the Reply-To and
 * Mail-Followup-To fields: more cannot be judged, and the message is
 * answered per on_internal_error (the envelope's limit is facts.h's).
 */
#define MESSAGE_MAX_ADDRS 1000
#define MESSAGE_MAX_ADDRS_TEXT "1000"

struct message {
    int null_sender;
    struct addr sender;    /* envelope sender (norm "" when null) */
    struct addr_vec rcpts; /* distinct, envelope order */
    struct addr_vec from;  /* every From field, header order */
    struct addr_vec reply; /* Reply-To and Mail-Followup-To, header order */
    char **subjects;       /* every Subject, decoded UTF-8 */
    size_t nsubjects;
    struct addr auth;  /* SMTP AUTH login when it is an address */
    int smtp_auth;     /* the client authenticated with SMTP AUTH */
    int internal;      /* client in internal_networks (or local) */
    int is_dsn;        /* a delivery status notification */
    const char *limit; /* a limit that was reached (static text), or NULL */
};

/*
 * message_parse - build M from facts F under policy P. Returns 0 (with
 * M->limit set when an address list was longer than MESSAGE_MAX_ADDRS),
 * or -1 when out of memory or a department pattern could not be
 * evaluated (M is then cleared).
 */
int message_parse(const struct policy *p, const struct message_facts *f, struct message *m);

/* message_clear - free what M owns; safe on a zeroed or cleared M. */
void message_clear(struct message *m);

/* auth_result_name - "pass", "fail", ... ("" for AUTH_UNKNOWN). */
const char *auth_result_name(enum auth_result r);

/* auth_result_from_name - the result called NAME, or -1. */
int auth_result_from_name(const char *name);

/*
 * message_header_is - 1 when header name NAME is FIELD (ASCII
 * case-insensitive). Inline: it is asked several times of every header
 * field of every message, and most names differ in the first letter.
 */
static inline int message_header_is(const char *name, const char *field)
{
    return (name[0] | 0x20) == (field[0] | 0x20) && strcasecmp(name, field) == 0;
}

/*
 * message_internal - 1 when a client at CLIENT_IP is internal: in
 * internal_networks, or local (NULL or "": submitted on this host).
 */
int message_internal(const struct policy *p, const char *client_ip);

#endif
