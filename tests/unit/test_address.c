/*
 * test_address - RFC 5322 address lists, RFC 5321 paths and address
 * normalisation (policy/address.c).
 *
 * Table-driven tests, plus a golden-file test in the manner of Postfix's
 * tok822_parse.in/.ref: GOLDEN_DIR/address.in holds header values, one
 * record per "%%" line (the rest of that line names the case; the lines
 * of a record are joined with CRLF, so a record of several lines is a
 * folded header; "\xHH" stands for the byte HH), and address.ref what
 * each must parse to. OM_GOLDEN_UPDATE=1 rewrites address.ref from the
 * code: review the diff by hand before committing it.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"

#ifndef GOLDEN_DIR
#define GOLDEN_DIR "tests/golden"
#endif
#define GOLDEN_MAX 20 /* mailboxes kept per golden record */

#define NROWS(t) ((int)(sizeof(t) / sizeof((t)[0])))

/* A growing string for rendering results. */
struct sb {
    char *p;
    size_t n;
    size_t cap;
};

/* sb_put - append N bytes of S (aborts the test when out of memory). */
static void sb_put(struct sb *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = (b->n + n + 1) * 2;
        char *p = realloc(b->p, cap);
        ck_assert_ptr_nonnull(p);
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

/* sb_str - append NUL-terminated S. */
static void sb_str(struct sb *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

/* sb_quoted - append S in double quotes, C-escaped, or NULL unquoted. */
static void sb_quoted(struct sb *b, const char *s)
{
    char hex[8];

    if (s == NULL) {
        sb_str(b, "NULL");
        return;
    }
    sb_str(b, "\"");
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            snprintf(hex, sizeof hex, "\\%c", c);
            sb_str(b, hex);
        } else if (c == '\r' || c == '\n' || c == '\t') {
            sb_str(b, c == '\r' ? "\\r" : c == '\n' ? "\\n" : "\\t");
        } else if (c < 0x20 || c == 0x7F) {
            snprintf(hex, sizeof hex, "\\x%02X", c);
            sb_str(b, hex);
        } else {
            sb_put(b, (const char *)&c, 1);
        }
    }
    sb_str(b, "\"");
}

/* render - the list L as "local|domain|display" lines, NULL as "~". */
static char *render(const struct mailbox_list *l)
{
    struct sb b = {0};
    size_t i;

    sb_str(&b, "");
    for (i = 0; i < l->n; i++) {
        if (i > 0)
            sb_str(&b, "\n");
        sb_str(&b, l->v[i].local ? l->v[i].local : "~");
        sb_str(&b, "|");
        sb_str(&b, l->v[i].domain ? l->v[i].domain : "~");
        sb_str(&b, "|");
        sb_str(&b, l->v[i].display ? l->v[i].display : "~");
    }
    return b.p;
}

struct parse_row {
    const char *in;
    const char *want; /* render() of the result */
    size_t len;       /* of IN when it holds a NUL, else 0 */
};

static const struct parse_row parse_rows[] = {
    {"x@gmail.com", "x|gmail.com|~"},
    {"John Smith <x@gmail.com>", "x|gmail.com|John Smith"},
    {"\"Smith, John\" <x@gmail.com>", "x|gmail.com|Smith, John"},
    {"x@gmail.com (Secretary IT)", "x|gmail.com|Secretary IT"},
    {"<x@gmail.com> (Secretary IT)", "x|gmail.com|Secretary IT"},
    {"Boss <x@gmail.com> (Secretary IT)", "x|gmail.com|Boss"},
    {"\"\" <x@gmail.com> (Secretary IT)", "x|gmail.com|Secretary IT"},
    {"\"\" <x@gmail.com>", "x|gmail.com|~"},
    {"\"x@jk.gov.in\"@gmail.com", "\"x@jk.gov.in\"|gmail.com|~"},
    {"Team: a@x.com, b@y.com;", "a|x.com|~\nb|y.com|~"},
    {"a@x.com, b@y.com", "a|x.com|~\nb|y.com|~"},
    {"<@a,@b:x@y>", "x|y|~"},
    {"Foo <@a.example,@b.example:x@y>", "x|y|Foo"},
    {"=?UTF-8?B?U2VjcmV0YXJ5?= <x@gmail.com>", "x|gmail.com|Secretary"},
    {"\"=?UTF-8?B?U2VjcmV0YXJ5?=\" <x@gmail.com>", "x|gmail.com|Secretary"},
    {"=?utf-8?q?Secretary_IT?= <x@y>", "x|y|Secretary IT"},
    {"undisclosed-recipients:;", ""},
    {"<>", ""},
    {"", ""},
    {" \t ", ""},
    {",,,;;", ""},
    {"John\r\n Smith\r\n\t<x@y>", "x|y|John Smith"},
    {"x(c)@(d)gmail(e).com", "x|gmail.com|c d e"},
    {"a@b@gmail.com", "a@b|gmail.com|~"},
    {"\"unterminated <x@gmail.com>", "\"unterminated <x@gmail.com>|~|~"},
    {"Foo <x@gmail.com", "x|gmail.com|Foo"},
    {"Foo <x@gmail.com, b@y", "x|gmail.com|Foo\nb|y|~"},
    {"postmaster", "postmaster|~|~"},
    {"Secretary IT x@gmail.com", "x|gmail.com|Secretary IT"},
    {"x@gmail.com Secretary", "x|gmail.com|Secretary"},
    {"a@x.com <b@y.com>", "b|y.com|a@x.com"},
    {"<a@x.com> <b@y.com>", "a|x.com|~\nb|y.com|~"},
    {"Team: (comment) ;", ""},
    {"\"a\\\"b\" <x@y>", "x|y|a\"b"},
    {"John \xFF <x@y>", "x|y|John \xEF\xBF\xBD"},
    {"<x@y>, Team: a@b;, c@d", "x|y|~\na|b|~\nc|d|~"},
    {"a@b:c@d", "a@b:c|d|~"},
    {"@", ""},
    {"@x.com", "|x.com|~"},
    {"x@", "x||~"},
    {"x @ gmail . com", "x|gmail.com|~"},
    {"[External] John <x@y>", "x|y|[External] John"},
    {"x@[1.2.3.4]", "x|[1.2.3.4]|~"},
    {"Group: <a@b>;(comment) c@d", "a|b|~\nc|d|comment"},
    {"  John   \"Q.  Public\"  <x@y>", "x|y|John Q. Public"},
    {"(nested (comment) here) x@y", "x|y|nested (comment) here"},
    {"x@y (a\\)b)", "x|y|a)b"},
    {"a\0b@x", "a b|x|~", 5},
};

START_TEST(test_parse)
{
    const struct parse_row *r = &parse_rows[_i];
    struct mailbox_list l = {0};
    char *got;

    ck_assert_int_eq(mailbox_list_parse(r->in, r->len ? r->len : strlen(r->in), 100, &l), 0);
    got = render(&l);
    ck_assert_msg(strcmp(got, r->want) == 0, "parse(\"%s\"):\ngot  \"%s\"\nwant \"%s\"", r->in,
                  got, r->want);
    ck_assert_int_eq(l.truncated, 0);
    free(got);
    mailbox_list_free(&l);
}
END_TEST
