/*
 * address - RFC 5321 envelope paths and RFC 5322 address lists.
 *
 * Purpose: find, in what a client sent, each mailbox's local part,
 * domain and display name, as SPEC 3 and 5a define them: the domain is
 * what follows the last '@' outside quotes and comments; a comment after
 * an address with no phrase is its display name; a group's name is not a
 * display name; RFC 2047 encoded words in display names are decoded to
 * UTF-8, inside quoted strings too. Parsing never fails on bad syntax: a
 * malformed header is still judged on what can be read from it, and a
 * field that does not parse at all gives its local@domain tokens.
 *
 * Returns: 0 / -1 (out of memory, or for envelope_parse an argument that
 * does not parse).
 *
 * Ownership: a struct mailbox owns its strings; a struct mailbox_list
 * owns its mailboxes. Free with mailbox_clear() / mailbox_list_free().
 * Thread safety: reentrant.
 */
#ifndef OM_ADDRESS_H
#define OM_ADDRESS_H

#include <stddef.h>

#include "domain.h"

struct mailbox {
    char *local;   /* local part as received: quotes kept, CFWS removed */
    char *domain;  /* domain as received, CFWS removed; NULL when no '@' */
    char *display; /* decoded UTF-8 display name, or NULL when none */
};

struct mailbox_list {
    struct mailbox *v;
    size_t n;
    size_t cap;
    int truncated; /* 1 when more than the cap were present */
    int unparsed;  /* 1 when a value did not parse (unclosed quote or comment) */
};

/*
 * mailbox_list_parse - append to OUT the mailboxes of header value VALUE
 * (LEN bytes, folded or not): display names, comments, quoted strings,
 * groups (flattened), several addresses, encoded words. At most MAX
 * mailboxes are kept, counting those already in OUT (OUT->truncated is
 * set past that), so one cap bounds several fields. Entries with
 * neither local part nor domain are skipped. A value with an unclosed
 * quoted string, comment or domain literal does not parse: what it
 * parses into is kept, every local@domain token in it is a mailbox too
 * (no display name), and OUT->unparsed is set (SPEC 5b). Returns 0, or -1 when out of memory.
 */
int mailbox_list_parse(const char *value, size_t len, size_t max, struct mailbox_list *out);

/* mailbox_list_free - free the entries and array of L (not L); NULL ok. */
void mailbox_list_free(struct mailbox_list *l);

/*
 * envelope_parse - parse RFC 5321 path ARG ("<a@b>", "a@b", "<@r1,@r2:a@b>",
 * "<>", "") into OUT. *IS_NULL is set to 1 for the null sender ("<>" or
 * empty). Returns 0, or -1 when out of memory.
 */
int envelope_parse(const char *arg, struct mailbox *out, int *is_null);

/* mailbox_clear - free the strings of M and zero it; NULL ok. */
void mailbox_clear(struct mailbox *m);

/*
 * addr_normalize - the normalised address of M (SPEC 5a): the local part
 * (surrounding quotes removed where RFC 5321 does not need them)
 * lowercased, "@", the normalised domain. *DOMAIN_OK is set to 1 when
 * the domain is valid, and then DOMAIN (DOMAIN_MAX bytes, may be NULL)
 * receives the normalised domain; else 0 and the result is the address
 * as received ("local@domain", no angle brackets). Returns a new string,
 * or NULL when out of memory.
 */
char *addr_normalize(const struct mailbox *m, int *domain_ok, char *domain);

/*
 * addr_normalize_text - addr_normalize() of a plain "local@domain" text
 * as written in the configuration (exact addresses, exceptions).
 * Returns a new string or NULL when TEXT is not an address or out of
 * memory.
 */
char *addr_normalize_text(const char *text);

#endif
