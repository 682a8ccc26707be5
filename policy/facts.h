/*
 * facts - the one place where a message's facts are gathered, with the
 * one set of limits (SPEC 5b "Limits never hide an address").
 *
 * Purpose: the milter (from its callbacks) and `officialmail test` (from
 * a file) hand the envelope and every header field to a struct facts;
 * it keeps what the rules read and applies the limits, so that both
 * judge the same message the same way:
 *   - recipients past the policy's max_recipients are not taken
 *     (facts_add_rcpt() says so: the milter answers 452 4.5.3, and the
 *     client sends them again in another transaction);
 *   - the fields that matter (From, Sender, Reply-To, Mail-Followup-To,
 *     Subject) past max_header_fields, or one of them longer than
 *     FACTS_MAX_FIELD_BYTES, or all of them together longer than
 *     FACTS_MAX_HEADER_BYTES, make the message one that cannot be judged:
 *     facts_view() carries the reason as `limit`, and verdict_judge()
 *     answers it per on_internal_error, never on the part that was kept.
 * Only the first Content-Type (the top-level type) and Message-ID count.
 *
 * Returns: 0 / -1 (out of memory); facts_over_limit() 1 / 0.
 *
 * Ownership: a struct facts owns copies of everything it keeps (its
 * strings in one arena, freed together by facts_clear()); the view lends
 * them until the next change or facts_clear().
 * Thread safety: one struct facts per message; not shared.
 */
#ifndef OM_FACTS_H
#define OM_FACTS_H

#include <stddef.h>

#include "arena.h"
#include "message.h"
#include "policy.h"

/* One field that matters may be this long, and all of them together this long. */
#define FACTS_MAX_FIELD_BYTES 65536
#define FACTS_MAX_HEADER_BYTES (1024 * 1024)

struct facts {
    size_t max_rcpts;  /* from the policy */
    size_t max_fields; /* from the policy */
    char *mail_from;
    char *smtp_auth_user;
    char **rcpts;
    struct addr *rcpt_ids; /* parallel to rcpts; norm NULL when not known */
    size_t nrcpts, rcap;
    struct header *fields; /* owned copies, in header order */
    size_t nfields, fcap;
    size_t field_bytes;
    int saw_content_type;
    char *message_id;     /* the first Message-ID as received, or NULL */
    char limit[160];      /* the first limit exceeded, "" when none */
    size_t matter_fields; /* fields that matter seen, kept or not */
    struct arena strings; /* every string above */
};

/* facts_init - empty facts under the limits of policy P. */
void facts_init(struct facts *f, const struct policy *p);

/* facts_clear - free what F owns and empty it (its limits stay). */
void facts_clear(struct facts *f);

/* facts_set_sender - the MAIL FROM argument and the SMTP AUTH login (NULL ok). 0 or -1. */
int facts_set_sender(struct facts *f, const char *mail_from, const char *smtp_auth_user);

/*
 * facts_add_rcpt - one RCPT TO argument: 0 taken, 1 over max_recipients
 * (not taken: refuse it with 452 4.5.3), -1 out of memory.
 */
int facts_add_rcpt(struct facts *f, const char *rcpt);

/*
 * facts_add_rcpt_id - facts_add_rcpt() with what identity_fill() made of
 * RCPT already (ID: taken when the recipient is, zeroed in any case;
 * norm NULL: not known).
 */
int facts_add_rcpt_id(struct facts *f, const char *rcpt, struct addr *id);

/*
 * facts_add_header - one header field as received (VALUE without the
 * space after the colon): kept when the rules read it, counted against
 * the limits. 0, or -1 when out of memory.
 */
int facts_add_header(struct facts *f, const char *name, const char *value);

/* facts_over_limit - 1 when a header limit was exceeded (f->limit says which). */
int facts_over_limit(const struct facts *f);

/*
 * facts_view - F as the decision reads it (the envelope, the kept fields
 * and the limit); the client, SPF/DKIM and clock fields of OUT are the
 * caller's to fill.
 */
void facts_view(const struct facts *f, struct message_facts *out);

#endif
