/*
 * facts - gather a message's facts within the limits.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "facts.h"
#include "identity.h"

/* The fields whose count and size are limited: every one can name an address or a marker. */
static const char *const matter[] = {"From", "Sender", "Reply-To", "Mail-Followup-To", "Subject"};

/* facts_init - empty, with P's limits. */
void facts_init(struct facts *f, const struct policy *p)
{
    memset(f, 0, sizeof(*f));
    f->max_rcpts = p->max_recipients;
    f->max_fields = p->max_header_fields;
}

/* facts_clear - free everything kept; the limits stay. */
void facts_clear(struct facts *f)
{
    size_t max_rcpts = f->max_rcpts, max_fields = f->max_fields;

    for (size_t i = 0; i < f->nrcpts; i++)
        identity_addr_clear(&f->rcpt_ids[i]);
    free(f->rcpts);
    free(f->rcpt_ids);
    free(f->fields);
    arena_clear(&f->strings); /* the envelope, the kept fields and the Message-ID */
    memset(f, 0, sizeof(*f));
    f->max_rcpts = max_rcpts;
    f->max_fields = max_fields;
}

/* facts_dup - replace *DST with a copy of SRC (NULL ok) in F's strings. */
static int facts_dup(struct facts *f, char **dst, const char *src)
{
    char *copy = NULL;

    if (src != NULL && (copy = arena_strndup(&f->strings, src, strlen(src))) == NULL)
        return -1;
    *dst = copy; /* a replaced one stays in the arena until facts_clear() */
    return 0;
}

/* facts_set_sender - MAIL FROM and the AUTH login. */
int facts_set_sender(struct facts *f, const char *mail_from, const char *smtp_auth_user)
{
    if (facts_dup(f, &f->mail_from, mail_from) < 0 ||
        facts_dup(f, &f->smtp_auth_user, smtp_auth_user) < 0)
        return -1;
    return 0;
}

/* facts_add_rcpt - one more recipient, unless it is one too many. */
int facts_add_rcpt(struct facts *f, const char *rcpt)
{
    struct addr unknown = {.dept = -1};

    return facts_add_rcpt_id(f, rcpt, &unknown);
}

/* facts_rcpt_room - room for one more recipient: 0 or -1. */
static int facts_rcpt_room(struct facts *f)
{
    if (f->nrcpts < f->rcap)
        return 0;
    size_t cap = f->rcap ? f->rcap * 2 : 8;
    char **nr = realloc(f->rcpts, cap * sizeof(*nr));
    if (nr == NULL)
        return -1;
    f->rcpts = nr;
    struct addr *ni = realloc(f->rcpt_ids, cap * sizeof(*ni));
    if (ni == NULL)
        return -1; /* rcap unchanged: the bigger rcpts array is simply kept */
    f->rcpt_ids = ni;
    f->rcap = cap;
    return 0;
}

/* facts_add_rcpt_id - one more recipient with its identity, unless it is one too many. */
int facts_add_rcpt_id(struct facts *f, const char *rcpt, struct addr *id)
{
    int rc = 1;

    if (f->nrcpts < f->max_rcpts) {
        rc = -1;
        if (facts_rcpt_room(f) == 0 &&
            (f->rcpts[f->nrcpts] = arena_strndup(&f->strings, rcpt, strlen(rcpt))) != NULL) {
            f->rcpt_ids[f->nrcpts++] = *id;
            memset(id, 0, sizeof(*id));
            return 0;
        }
    }
    identity_addr_clear(id);
    return rc;
}

/* facts_matters - 1 for the fields whose count and size are limited (matter[]). */
static int facts_matters(const char *name)
{
    switch (name[0] | 0x20) { /* by the first letter: one comparison, two for 's' */
    case 'f':
        return strcasecmp(name, matter[0]) == 0;
    case 's':
        return strcasecmp(name, matter[1]) == 0 || strcasecmp(name, matter[4]) == 0;
    case 'r':
        return strcasecmp(name, matter[2]) == 0;
    case 'm':
        return strcasecmp(name, matter[3]) == 0;
    default:
        return 0;
    }
}

/* facts_keep - append NAME: VALUE to the kept fields. */
static int facts_keep(struct facts *f, const char *name, const char *value)
{
    if (f->nfields == f->fcap) {
        size_t cap = f->fcap ? f->fcap * 2 : 8;
        struct header *nf = realloc(f->fields, cap * sizeof(*nf));
        if (nf == NULL)
            return -1;
        f->fields = nf;
        f->fcap = cap;
    }
    char *n = arena_strndup(&f->strings, name, strlen(name));
    char *v = n != NULL ? arena_strndup(&f->strings, value, strlen(value)) : NULL;
    if (v == NULL)
        return -1;
    f->fields[f->nfields++] = (struct header){n, v};
    return 0;
}

/* facts_exceed - remember the first limit exceeded (later fields are not kept). */
static void facts_exceed(struct facts *f, const char *name, size_t len)
{
    if (f->limit[0] != '\0')
        return;
    if (f->matter_fields > f->max_fields)
        snprintf(f->limit, sizeof(f->limit),
                 "more than %zu From, Sender, Reply-To, Mail-Followup-To and Subject fields",
                 f->max_fields);
    else if (len > FACTS_MAX_FIELD_BYTES)
        snprintf(f->limit, sizeof(f->limit), "a %s field of %zu bytes (the limit is %d)", name, len,
                 FACTS_MAX_FIELD_BYTES);
    else
        snprintf(f->limit, sizeof(f->limit),
                 "From, Sender, Reply-To, Mail-Followup-To and Subject fields of more than %d "
                 "bytes in all",
                 FACTS_MAX_HEADER_BYTES);
}

/* facts_add_header - keep what the rules read; count what is limited. */
int facts_add_header(struct facts *f, const char *name, const char *value)
{
    if (message_header_is(name, "Message-ID"))
        return f->message_id == NULL ? facts_dup(f, &f->message_id, value) : 0;
    if (message_header_is(name, "Content-Type")) {
        if (f->saw_content_type) /* only the top-level type says what the message is */
            return 0;
        f->saw_content_type = 1;
        return facts_keep(f, name, value);
    }
    if (!facts_matters(name))
        return 0;
    size_t len = strlen(value);
    f->matter_fields++;
    f->field_bytes += len;
    if (f->matter_fields > f->max_fields || len > FACTS_MAX_FIELD_BYTES ||
        f->field_bytes > FACTS_MAX_HEADER_BYTES) {
        facts_exceed(f, name, len);
        return 0;
    }
    return f->limit[0] != '\0' ? 0 : facts_keep(f, name, value);
}

/* facts_over_limit - a header limit was exceeded. */
int facts_over_limit(const struct facts *f)
{
    return f->limit[0] != '\0';
}

/* facts_view - the decision's view of F. */
void facts_view(const struct facts *f, struct message_facts *out)
{
    out->mail_from = f->mail_from;
    out->smtp_auth_user = f->smtp_auth_user;
    out->rcpts = (const char *const *)f->rcpts;
    out->nrcpts = f->nrcpts;
    out->rcpt_ids = f->rcpt_ids;
    out->headers = f->fields;
    out->nheaders = f->nfields;
    out->limit = f->limit[0] != '\0' ? f->limit : NULL;
}
