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

/* sb_quoted_n - append S (N bytes) in double quotes, C-escaped, bytes over 0x7F too with HIGH. */
static void sb_quoted_n(struct sb *b, const char *s, size_t n, int high)
{
    char hex[8];
    size_t i;

    sb_str(b, "\"");
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            snprintf(hex, sizeof hex, "\\%c", c);
            sb_str(b, hex);
        } else if (c == '\r' || c == '\n' || c == '\t') {
            sb_str(b, c == '\r' ? "\\r" : c == '\n' ? "\\n" : "\\t");
        } else if (c < 0x20 || c == 0x7F || (high && c > 0x7F)) {
            snprintf(hex, sizeof hex, "\\x%02X", c);
            sb_str(b, hex);
        } else {
            sb_put(b, (const char *)&c, 1);
        }
    }
    sb_str(b, "\"");
}

/* sb_quoted - append S quoted as sb_quoted_n() does, or NULL unquoted. */
static void sb_quoted(struct sb *b, const char *s)
{
    if (s == NULL)
        sb_str(b, "NULL");
    else
        sb_quoted_n(b, s, strlen(s), 0);
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
    {"x@gmail.com", "x|gmail.com|~", 0},
    {"John Smith <x@gmail.com>", "x|gmail.com|John Smith", 0},
    {"\"Smith, John\" <x@gmail.com>", "x|gmail.com|Smith, John", 0},
    {"x@gmail.com (Secretary IT)", "x|gmail.com|Secretary IT", 0},
    {"<x@gmail.com> (Secretary IT)", "x|gmail.com|Secretary IT", 0},
    {"Boss <x@gmail.com> (Secretary IT)", "x|gmail.com|Boss", 0},
    {"\"\" <x@gmail.com> (Secretary IT)", "x|gmail.com|Secretary IT", 0},
    {"\"\" <x@gmail.com>", "x|gmail.com|~", 0},
    {"\"x@jk.gov.in\"@gmail.com", "\"x@jk.gov.in\"|gmail.com|~", 0},
    {"Team: a@x.com, b@y.com;", "a|x.com|~\nb|y.com|~", 0},
    {"a@x.com, b@y.com", "a|x.com|~\nb|y.com|~", 0},
    {"<@a,@b:x@y>", "x|y|~", 0},
    {"Foo <@a.example,@b.example:x@y>", "x|y|Foo", 0},
    {"=?UTF-8?B?U2VjcmV0YXJ5?= <x@gmail.com>", "x|gmail.com|Secretary", 0},
    {"\"=?UTF-8?B?U2VjcmV0YXJ5?=\" <x@gmail.com>", "x|gmail.com|Secretary", 0},
    {"=?utf-8?q?Secretary_IT?= <x@y>", "x|y|Secretary IT", 0},
    {"undisclosed-recipients:;", "", 0},
    {"<>", "", 0},
    {"", "", 0},
    {" \t ", "", 0},
    {",,,;;", "", 0},
    {"John\r\n Smith\r\n\t<x@y>", "x|y|John Smith", 0},
    {"x(c)@(d)gmail(e).com", "x|gmail.com|c d e", 0},
    {"a@b@gmail.com", "a@b|gmail.com|~", 0},
    /* Does not parse: what it parses into, and its local@domain tokens (SPEC 5b). */
    {"\"unterminated <x@gmail.com>", "\"unterminated <x@gmail.com>|~|~\nx|gmail.com|~", 0},
    {"x( <officer@it.jk.gov.in>", "x|~|<officer@it.jk.gov.in>\nofficer|it.jk.gov.in|~", 0},
    {"Sec (IT <a@gmail.com>, b@yahoo.com",
     "Sec|~|IT <a@gmail.com>, b@yahoo.com\na|gmail.com|~\nb|yahoo.com|~", 0},
    {"Foo <x@gmail.com", "x|gmail.com|Foo", 0},
    {"Foo <x@gmail.com, b@y", "x|gmail.com|Foo\nb|y|~", 0},
    {"postmaster", "postmaster|~|~", 0},
    {"Secretary IT x@gmail.com", "x|gmail.com|Secretary IT", 0},
    {"x@gmail.com Secretary", "x|gmail.com|Secretary", 0},
    {"a@x.com <b@y.com>", "b|y.com|a@x.com", 0},
    {"<a@x.com> <b@y.com>", "a|x.com|~\nb|y.com|~", 0},
    {"Team: (comment) ;", "", 0},
    {"\"a\\\"b\" <x@y>", "x|y|a\"b", 0},
    {"John \xFF <x@y>", "x|y|John \xEF\xBF\xBD", 0},
    {"<x@y>, Team: a@b;, c@d", "x|y|~\na|b|~\nc|d|~", 0},
    {"a@b:c@d", "a@b:c|d|~", 0},
    {"@", "", 0},
    {"@x.com", "|x.com|~", 0},
    {"x@", "x||~", 0},
    {"x @ gmail . com", "x|gmail.com|~", 0},
    {"[External] John <x@y>", "x|y|[External] John", 0},
    {"x@[1.2.3.4]", "x|[1.2.3.4]|~", 0},
    {"Group: <a@b>;(comment) c@d", "a|b|~\nc|d|comment", 0},
    {"  John   \"Q.  Public\"  <x@y>", "x|y|John Q. Public", 0},
    {"(nested (comment) here) x@y", "x|y|nested (comment) here", 0},
    {"x@y (a\\)b)", "x|y|a)b", 0},
    {"a\0b@x", "b|x|a", 5}, /* NUL read as a space */
};

START_TEST(test_parse)
{
    const struct parse_row *r = &parse_rows[_i];
    struct mailbox_list l = {0};
    char *got;

    ck_assert_int_eq(mailbox_list_parse(r->in, r->len ? r->len : strlen(r->in), 100, &l), 0);
    got = render(&l);
    ck_assert_msg(strcmp(got, r->want) == 0, "parse(\"%s\"):\ngot  \"%s\"\nwant \"%s\"", r->in, got,
                  r->want);
    ck_assert_int_eq(l.truncated, 0);
    free(got);
    mailbox_list_free(&l);
}
END_TEST

struct env_row {
    const char *in;
    const char *want; /* "local|domain|is_null", NULL as "~" */
};

static const struct env_row env_rows[] = {
    {"<a@b.example>", "a|b.example|0"},
    {"a@b.example", "a|b.example|0"},
    {"<@r1.example,@r2.example:a@b.example>", "a|b.example|0"},
    {"<>", "|~|1"},
    {"", "|~|1"},
    {"< >", "|~|1"},
    {"  <>  ", "|~|1"},
    {"<\"a b\"@x.example>", "\"a b\"|x.example|0"},
    {"<\"x@jk.gov.in\"@gmail.com>", "\"x@jk.gov.in\"|gmail.com|0"},
    {"<\"a>b\"@x.example>", "\"a>b\"|x.example|0"},
    {"<postmaster>", "postmaster|~|0"},
    {"<a@b.example", "a|b.example|0"},
    {"<a@b.example> trailing", "a|b.example|0"},
    {"<Mixed.Case@GMAIL.COM.>", "Mixed.Case|GMAIL.COM.|0"},
    {"<a@b@c.example>", "a@b|c.example|0"},
    {"<@r1.example:>", "|~|0"},
    {"a@b@c.example", "a@b|c.example|0"},             /* no quotes: the last '@' by one scan */
    {"<\"a@b\"@c.example>x>", "\"a@b\"|c.example|0"}, /* quotes: the '>' outside them */
};

START_TEST(test_envelope)
{
    const struct env_row *r = &env_rows[_i];
    struct mailbox m;
    struct sb b = {0};
    int is_null = -1;

    ck_assert_int_eq(envelope_parse(r->in, &m, &is_null), 0);
    sb_str(&b, m.local ? m.local : "~");
    sb_str(&b, "|");
    sb_str(&b, m.domain ? m.domain : "~");
    sb_str(&b, is_null == 1 ? "|1" : is_null == 0 ? "|0" : "|?");
    ck_assert_msg(strcmp(b.p, r->want) == 0, "envelope_parse(\"%s\"): got \"%s\", want \"%s\"",
                  r->in, b.p, r->want);
    ck_assert_ptr_null(m.display);
    free(b.p);
    mailbox_clear(&m);
}
END_TEST

struct norm_row {
    const char *local;
    const char *domain;
    const char *want;
    int ok;
    const char *want_domain; /* when ok */
};

static const struct norm_row norm_rows[] = {
    {"X", "GMAIL.COM.", "x@gmail.com", 1, "gmail.com"},
    {"John.Smith", "Example.COM", "john.smith@example.com", 1, "example.com"},
    {"\"john\"", "x.example", "john@x.example", 1, "x.example"},
    {"\"John.Smith\"", "x.example", "john.smith@x.example", 1, "x.example"},
    {"\"John Smith\"", "x.example", "\"john smith\"@x.example", 1, "x.example"},
    {"\"x@jk.gov.in\"", "gmail.com", "\"x@jk.gov.in\"@gmail.com", 1, "gmail.com"},
    {"\"a..b\"", "x.example", "\"a..b\"@x.example", 1, "x.example"},
    {"\".a\"", "x.example", "\".a\"@x.example", 1, "x.example"},
    {"\"a.\"", "x.example", "\"a.\"@x.example", 1, "x.example"},
    {"\"\"", "x.example", "\"\"@x.example", 1, "x.example"},
    {"\"\\a\\B\"", "x.example", "ab@x.example", 1, "x.example"},
    {"\"a\\\"b\"", "x.example", "\"a\\\"b\"@x.example", 1, "x.example"},
    {"\"a\".B", "x.example", "a.b@x.example", 1, "x.example"},
    {"a.\"B\"", "x.example", "a.b@x.example", 1, "x.example"},
    {"a\"B\"", "x.example", "a\"b\"@x.example", 1, "x.example"},
    {"\"unterminated", "x.example", "\"unterminated@x.example", 1, "x.example"},
    {"M\xC3\xBCller", "M\xC3\xBCNCHEN.de", "m\xC3\xBCller@xn--mnchen-3ya.de", 1,
     "xn--mnchen-3ya.de"},
    {"x", "my_host.JK.gov.in", "x@my_host.jk.gov.in", 1, "my_host.jk.gov.in"},
    {"", "x.example", "@x.example", 1, "x.example"},
    {"X", "x..com", "X@x..com", 0, NULL},
    {"X", "x.com..", "X@x.com..", 0, NULL},
    {"X", "", "X@", 0, NULL},
    {"X", "[1.2.3.4]", "X@[1.2.3.4]", 0, NULL},
    {"\"John Smith\"", "a b.example", "\"John Smith\"@a b.example", 0, NULL},
    {"X", NULL, "X", 0, NULL},
};

START_TEST(test_normalize)
{
    const struct norm_row *r = &norm_rows[_i];
    struct mailbox m = {(char *)r->local, (char *)r->domain, NULL};
    char dom[DOMAIN_MAX] = "untouched";
    int ok = -1;
    char *got = addr_normalize(&m, &ok, dom);

    ck_assert_ptr_nonnull(got);
    ck_assert_msg(strcmp(got, r->want) == 0 && ok == r->ok,
                  "addr_normalize(\"%s\", \"%s\"): got \"%s\" ok=%d, want \"%s\" ok=%d", r->local,
                  r->domain ? r->domain : "NULL", got, ok, r->want, r->ok);
    if (r->ok)
        ck_assert_msg(strcmp(dom, r->want_domain) == 0, "domain: got \"%s\", want \"%s\"", dom,
                      r->want_domain);
    free(got);
    got = addr_normalize(&m, &ok, NULL);
    ck_assert_ptr_nonnull(got);
    ck_assert_str_eq(got, r->want);
    free(got);
}
END_TEST

struct text_row {
    const char *in;
    const char *want; /* NULL: not an address */
};

static const struct text_row text_rows[] = {
    {"Secy-IT@JK.GOV.IN", "secy-it@jk.gov.in"},
    {" a@b.example ", "a@b.example"},
    {"\"A\"@x.example", "a@x.example"},
    {"<a@x.example>", "a@x.example"},
    {"SecyIT.Home@GMAIL.COM.", "secyit.home@gmail.com"},
    {"a", NULL},
    {"@jk.gov.in", NULL},
    {"a@x..example", NULL},
    {"a@", NULL},
    {"", NULL},
    {"<>", NULL},
    {"\"John Smith\"@X.example", "\"john smith\"@x.example"},
    {"\"a\".b@x.example", "a.b@x.example"},
    {"a..b@x.example", NULL},
    {"<<a@x.example", NULL},
    {"a b@x.example", NULL},
    {"\"a\"b@x.example", NULL},
};

START_TEST(test_normalize_text)
{
    const struct text_row *r = &text_rows[_i];
    char *got = addr_normalize_text(r->in);

    ck_assert_msg((got == NULL) == (r->want == NULL) && (got == NULL || strcmp(got, r->want) == 0),
                  "addr_normalize_text(\"%s\"): got %s%s%s, want %s%s%s", r->in, got ? "\"" : "",
                  got ? got : "NULL", got ? "\"" : "", r->want ? "\"" : "",
                  r->want ? r->want : "NULL", r->want ? "\"" : "");
    free(got);
}
END_TEST

/* The cap counts the mailboxes already in the list: it bounds a message. */
START_TEST(test_cap)
{
    struct mailbox_list l = {0};
    const char *three = "a@x.example, b@x.example, c@x.example";

    ck_assert_int_eq(mailbox_list_parse(three, strlen(three), 2, &l), 0);
    ck_assert_msg(l.n == 2 && l.truncated == 1, "got n=%zu truncated=%d, want 2 and 1", l.n,
                  l.truncated);
    ck_assert_str_eq(l.v[1].local, "b");
    mailbox_list_free(&l);

    ck_assert_int_eq(mailbox_list_parse("a@x.example", 11, 3, &l), 0);
    ck_assert_int_eq(mailbox_list_parse("b@x.example, c@x.example", 24, 3, &l), 0);
    ck_assert_msg(l.n == 3 && l.truncated == 0, "got n=%zu truncated=%d, want 3 and 0", l.n,
                  l.truncated);
    ck_assert_int_eq(mailbox_list_parse("d@x.example", 11, 3, &l), 0);
    ck_assert_msg(l.n == 3 && l.truncated == 1, "got n=%zu truncated=%d, want 3 and 1", l.n,
                  l.truncated);
    mailbox_list_free(&l);
    mailbox_list_free(NULL);
    mailbox_clear(NULL);

    ck_assert_int_eq(mailbox_list_parse(three, strlen(three), 0, &l), 0);
    ck_assert_msg(l.n == 0 && l.truncated == 1, "got n=%zu truncated=%d, want 0 and 1", l.n,
                  l.truncated);
    mailbox_list_free(&l);
}
END_TEST

/* A long hostile value parses in linear time and memory. */
START_TEST(test_long)
{
    static const char *const units[] = {"a@b, ", "((((", "\"", "<", "=?utf-8?q?a?= ", "@"};
    size_t u, i, n = 100000;

    for (u = 0; u < sizeof units / sizeof units[0]; u++) {
        size_t k = strlen(units[u]);
        char *in = malloc(n);
        struct mailbox_list l = {0};
        ck_assert_ptr_nonnull(in);
        for (i = 0; i + k <= n; i += k)
            memcpy(in + i, units[u], k);
        ck_assert_int_eq(mailbox_list_parse(in, i, 1000, &l), 0);
        mailbox_list_free(&l);
        free(in);
    }
}
END_TEST

/* slurp - the whole of file PATH (NUL-terminated, *LEN bytes), or NULL. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    struct sb b = {0};
    char chunk[4096];
    size_t k;

    if (f == NULL)
        return NULL;
    sb_str(&b, "");
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
        sb_put(&b, chunk, k);
    fclose(f);
    *len = b.n;
    return b.p;
}

/* hexval - the value of hex digit C, or -1. */
static int hexval(char c)
{
    const char *digits = "0123456789abcdef", *d;

    if (c >= 'A' && c <= 'F')
        c = (char)(c - 'A' + 'a');
    d = c != '\0' ? strchr(digits, c) : NULL;
    return d ? (int)(d - digits) : -1;
}

/* unescape_line - append LINE (N bytes) to B, "\xHH" as the byte HH. */
static void unescape_line(struct sb *b, const char *line, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (line[i] == '\\' && i + 3 < n && line[i + 1] == 'x' && hexval(line[i + 2]) >= 0 &&
            hexval(line[i + 3]) >= 0) {
            char c = (char)(hexval(line[i + 2]) * 16 + hexval(line[i + 3]));
            sb_put(b, &c, 1);
            i += 3;
        } else {
            sb_put(b, line + i, 1);
        }
    }
}

/* golden_record - append to OUT the .ref text of record NAME whose value is V (N bytes). */
static void golden_record(struct sb *out, const char *name, size_t namelen, const char *v, size_t n)
{
    struct mailbox_list l = {0};
    char dom[DOMAIN_MAX];
    size_t i;

    sb_put(out, name, namelen);
    sb_str(out, "\nin: ");
    sb_quoted_n(out, v, n, 1);
    sb_str(out, "\n");
    ck_assert_int_eq(mailbox_list_parse(v, n, GOLDEN_MAX, &l), 0);
    for (i = 0; i < l.n; i++) {
        int ok;
        char *norm = addr_normalize(&l.v[i], &ok, dom);
        ck_assert_ptr_nonnull(norm);
        sb_str(out, "  local=");
        sb_quoted(out, l.v[i].local);
        sb_str(out, " domain=");
        sb_quoted(out, l.v[i].domain);
        sb_str(out, " display=");
        sb_quoted(out, l.v[i].display);
        sb_str(out, "\n    norm=");
        sb_quoted(out, norm);
        sb_str(out, ok ? " (valid domain)\n" : " (invalid domain)\n");
        free(norm);
    }
    if (l.n == 0)
        sb_str(out, "  (no mailbox)\n");
    if (l.truncated)
        sb_str(out, "  (truncated)\n");
    mailbox_list_free(&l);
}

/* golden_render - the .ref text for the .in text IN (N bytes). */
static char *golden_render(const char *in, size_t n)
{
    struct sb out = {0}, v = {0};
    const char *name = NULL, *p = in, *end = in + n;
    size_t namelen = 0;
    int lines = 0;

    sb_str(&out, "");
    sb_str(&v, "");
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (len >= 2 && p[0] == '%' && p[1] == '%') {
            if (name != NULL)
                golden_record(&out, name, namelen, v.p, v.n);
            name = p;
            namelen = len;
            v.n = 0;
            lines = 0;
        } else if (name != NULL) {
            if (lines++ > 0)
                sb_str(&v, "\r\n");
            unescape_line(&v, p, len);
        }
        p += len + (nl != NULL);
    }
    if (name != NULL)
        golden_record(&out, name, namelen, v.p, v.n);
    free(v.p);
    return out.p;
}

/* next_record - the record of .ref text starting at *P (up to the next "%%" line); advances *P. */
static size_t next_record(const char **p, const char *end, const char **rec)
{
    const char *q = *p;

    *rec = q;
    do {
        const char *nl = memchr(q, '\n', (size_t)(end - q));
        q = nl ? nl + 1 : end;
    } while (q < end && !(q[0] == '%' && q + 1 < end && q[1] == '%'));
    *p = q;
    return (size_t)(q - *rec);
}

/* golden_compare - number of records that differ between WANT and GOT, each printed. */
static int golden_compare(const char *want, size_t wn, const char *got, size_t gn)
{
    const char *w = want, *g = got;
    int bad = 0;

    while (w < want + wn || g < got + gn) {
        const char *wr = "", *gr = "";
        size_t wl = w < want + wn ? next_record(&w, want + wn, &wr) : 0;
        size_t gl = g < got + gn ? next_record(&g, got + gn, &gr) : 0;
        if (wl == gl && memcmp(wr, gr, wl) == 0)
            continue;
        bad++;
        fprintf(stderr, "golden mismatch:\n--- want (address.ref)\n%.*s+++ got\n%.*s\n", (int)wl,
                wr, (int)gl, gr);
    }
    return bad;
}

START_TEST(test_golden)
{
    size_t in_len, ref_len, got_len;
    char *in = slurp(GOLDEN_DIR "/address.in", &in_len), *ref, *got;
    const char *update = getenv("OM_GOLDEN_UPDATE");
    int bad;

    ck_assert_msg(in != NULL, "cannot read %s: %s", GOLDEN_DIR "/address.in", strerror(errno));
    got = golden_render(in, in_len);
    got_len = strlen(got);
    if (update != NULL && strcmp(update, "1") == 0) {
        FILE *f = fopen(GOLDEN_DIR "/address.ref", "wb");
        ck_assert_msg(f != NULL, "cannot write %s", GOLDEN_DIR "/address.ref");
        ck_assert(fwrite(got, 1, got_len, f) == got_len && fclose(f) == 0);
        fprintf(stderr, "rewrote %s: review it before committing\n", GOLDEN_DIR "/address.ref");
    }
    ref = slurp(GOLDEN_DIR "/address.ref", &ref_len);
    ck_assert_msg(ref != NULL, "cannot read %s (OM_GOLDEN_UPDATE=1 writes it)",
                  GOLDEN_DIR "/address.ref");
    bad = golden_compare(ref, ref_len, got, got_len);
    ck_assert_msg(bad == 0, "%d golden record(s) differ from address.ref (diff above)", bad);
    free(in);
    free(ref);
    free(got);
}
END_TEST

/* address_suite - all of the above. */
static Suite *address_suite(void)
{
    Suite *s = suite_create("address");
    TCase *tc = tcase_create("core");

    tcase_add_loop_test(tc, test_parse, 0, NROWS(parse_rows));
    tcase_add_loop_test(tc, test_envelope, 0, NROWS(env_rows));
    tcase_add_loop_test(tc, test_normalize, 0, NROWS(norm_rows));
    tcase_add_loop_test(tc, test_normalize_text, 0, NROWS(text_rows));
    tcase_add_test(tc, test_cap);
    tcase_add_test(tc, test_long);
    tcase_add_test(tc, test_golden);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return s;
}

/* main - run the suite; exit status 1 on any failure. */
int main(void)
{
    SRunner *sr = srunner_create(address_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
