/*
 * verdict - the decision: facts about a message in, violations and
 * actions out (SPEC sections 4, 5 and 5a).
 *
 * Purpose: one pure function, verdict_judge(), called unchanged by the
 * milter at end of message and by `officialmail test`; and
 * verdict_rcpt(), the part of the same decision that is known at RCPT
 * time (a per-recipient refusal), which verdict_judge() reuses so both
 * always agree.
 *
 * Returns: 0 / -1 (cannot be decided: out of memory, or a pattern that could
 * not be evaluated).
 *
 * Ownership: a verdict owns its addresses; department names, tickets and
 * reply texts are lent from the policy, which must outlive the verdict.
 * Thread safety: reentrant; the policy is only read.
 */
#ifndef OM_VERDICT_H
#define OM_VERDICT_H

#include "message.h"
#include "policy.h"

/* Reasons of a violation (bits), printed in this order. */
enum om_reason {
    REASON_KNOWN_PRIVATE_ADDRESS = 1u << 0,
    REASON_DISPLAY_NAME = 1u << 1,
    REASON_DISPLAY_NAME_OFFICIAL_DOMAIN = 1u << 2,
    REASON_SUBJECT = 1u << 3,
    REASON_DNS_ERROR = 1u << 4,
    REASON_UNPARSED_HEADER = 1u << 5 /* an address from a field that does not parse */
};
#define REASON_COUNT 6

struct violation {
    enum om_rule rule;
    char *address;          /* normalised offending address (owned) */
    int dept;               /* department index, -1: default_department */
    const char *department; /* its name (lent) */
    unsigned reasons;
    enum om_action intended; /* the rule's configured action */
    enum om_action action;   /* after exceptions and modes */
    enum om_mode mode;       /* the mode that applied */
    const char *ticket;      /* covering exception's ticket, or NULL */
    int at_rcpt;             /* refused at RCPT time */
    int undecidable;         /* spoofed-official blocked by a DNS error */
};

struct rcpt_verdict {
    char *address; /* normalised (owned, or in the verdict's strings) */
    enum om_action action;
};

struct verdict {
    enum om_action action; /* the message's action */
    struct rcpt_verdict *rcpts;
    size_t nrcpts;
    struct violation *v;
    size_t nv;
    size_t cap;
    /* Why the message could not be judged (a limit, a pattern that could
       not be evaluated), or NULL: then action is per on_internal_error. */
    char *error;
    size_t dns_dropped; /* undecidable checks dropped (on_dns_error = accept) */
    /* What the violation records say of the message (owned, or in strings). */
    char *envelope_sender; /* normalised; "" for the null sender */
    char *header_from;     /* first From address, normalised; "" when none */
    char *subject;         /* first Subject, decoded; NULL when none */
    /* A judged message's strings above and its recipients' addresses in
       one allocation, when not NULL (then none of them is freed alone);
       strings_next is where the next recipient's address goes. */
    char *strings;
    char *strings_next;
};

/*
 * verdict_judge - judge the message described by F under P into OUT.
 * Returns 0, or -1 when out of memory. A message that cannot be judged
 * (F->limit set, an address list over its cap, or a pattern that ends
 * in a PCRE2 error) is never judged on what could be read: OUT->error
 * says why, and OUT is what the milter does then, per on_internal_error:
 * every recipient `tempfail` (or `accept`) but those refused at RCPT,
 * which stay `reject` with their violations, the only ones kept.
 */
int verdict_judge(const struct policy *p, const struct message_facts *f, struct verdict *out);

/*
 * verdict_judge_message - verdict_judge() on M, which message_parse()
 * built from the same F under the same P (the milter parses once, at end
 * of header, for SPF and DKIM, and judges that at end of message; the
 * envelope and the fields cannot change in between). M NULL: parsed here.
 */
int verdict_judge_message(const struct policy *p, const struct message_facts *f,
                          const struct message *m, struct verdict *out);

/*
 * verdict_rcpt - the RCPT-time decision for recipient RCPT of a message
 * from envelope sender MAIL_FROM: 1 when it is refused now (OUT filled:
 * an official-to-webmail violation with action reject), 0 when not (OUT
 * untouched), -1 when it cannot be decided (out of memory, or a pattern
 * that could not be evaluated: ERR, ERRLEN bytes, says which). NON_SMTP
 * mail is never refused per recipient.
 */
int verdict_rcpt(const struct policy *p, const char *mail_from, const char *rcpt, time_t now,
                 int non_smtp, struct violation *out, char *err, size_t errlen);

/*
 * The envelope sender as the RCPT-time decision needs it, parsed once a
 * message (at its first RCPT) rather than once a recipient.
 */
struct verdict_sender {
    int parsed;      /* filled by the first verdict_rcpt_sender() */
    int null_sender; /* MAIL FROM:<> */
    struct addr addr;
    /* What identity_fill() made of the last recipient (norm NULL when it
       was not needed): the caller may take it for facts_add_rcpt_id(). */
    struct addr rcpt;
};

/*
 * verdict_rcpt_sender - verdict_rcpt() with the sender's parse kept in
 * S (zeroed at MAIL FROM, cleared with verdict_sender_clear()) from one
 * recipient of the message to the next; the same answers.
 */
int verdict_rcpt_sender(const struct policy *p, struct verdict_sender *s, const char *mail_from,
                        const char *rcpt, time_t now, int non_smtp, struct violation *out,
                        char *err, size_t errlen);

/* verdict_sender_clear - free what S holds and zero it. */
void verdict_sender_clear(struct verdict_sender *s);

/* verdict_reply - reply text for a refusal by rule R (configured or default). */
const char *verdict_reply(const struct policy *p, enum om_rule r);

/* verdict_reason_name - name of the single reason bit R. */
const char *verdict_reason_name(unsigned r);

/* violation_clear - free what V owns. */
void violation_clear(struct violation *v);

/* verdict_reserve - room in OUT->v for one more violation. 0 or -1 (out of memory). */
int verdict_reserve(struct verdict *out);

/* verdict_clear - free what V owns and zero it; safe on a zeroed V. */
void verdict_clear(struct verdict *v);

#endif
