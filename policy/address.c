/*
 * address - RFC 5321 envelope paths and RFC 5322 address lists.
 *
 * The header parser is a tokenizer (atoms, quoted strings, comments,
 * domain literals, specials) and a pass that cuts the tokens into
 * mailboxes. It reads what mail clients read rather than rejecting what
 * RFC 5322 forbids, because a header we cannot parse must still be
 * judged, and an address we read differently from the recipient's client
 * is a way around the policy:
 *   - CR and LF are dropped (unfolding), NUL is read as a space;
 *   - unterminated quoted strings, comments and domain literals end at
 *     the end of the value; an unterminated '<' ends at the end of the
 *     value, or at a ',' or ';' outside a source route;
 *   - "a@b <c@d>" and "<a@b> <c@d>": a second '<' after a closed angle
 *     address starts a new mailbox (a missing comma);
 *   - without angle brackets the address is the last run of tokens
 *     holding an '@' (tokens joined by no space, by '@' or by '.'); the
 *     words around it ("Secretary IT x@gmail.com") are read as the
 *     display name, since the reader sees them next to the address;
 *   - with no phrase, every comment of the mailbox is its display name;
 *   - encoded words are decoded in phrases and comments wherever they
 *     appear, quoted strings included.
 * All passes are linear in the length of the value.
 */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "strbuf.h"
#include "text.h"

enum tok_type { TOK_ATOM, TOK_QSTR, TOK_COMMENT, TOK_DLIT, TOK_SPECIAL };

struct tok {
    size_t off;
    size_t len;
    unsigned char type;
    unsigned char space; /* white space or a comment precedes it */
};

struct toks {
    const char *s; /* the unfolded value */
    struct tok *v;
    size_t n;
    int unclosed; /* a quoted string, comment or domain literal runs to the end */
};

/* One mailbox's tokens: [first, end), with '<' at lt and '>' at gt. */
struct seg {
    size_t first;
    size_t end;
    size_t lt;
    size_t gt;
    size_t addr; /* first token of the addr-spec inside the angle (after a route) */
};

#define NONE SIZE_MAX

/* The specials by table, not strchr(): asked for every character of a field. */
static const unsigned char specials[256] = {
    ['('] = 1, [')'] = 1, ['<'] = 1, ['>'] = 1, ['['] = 1, [']'] = 1,
    [':'] = 1, [';'] = 1, ['@'] = 1, [','] = 1, ['"'] = 1};
/* is_special - whether C is a single-character token of its own. */
static int is_special(char c)
{
    return specials[(unsigned char)c];
}

/*
 * scan_delimited - end of the token that starts at S[I] and ends at
 * CLOSE; OPEN, unless NUL, nests (comments). Quoted-pairs are skipped.
 * *UNCLOSED is set when the value ends before the token does.
 */
static size_t scan_delimited(const char *s, size_t n, size_t i, char open, char close,
                             int *unclosed)
{
    size_t depth = 1;

    for (i++; i < n; i++) {
        if (s[i] == '\\') {
            if (++i == n)
                break;
        } else if (s[i] == close) {
            if (--depth == 0)
                return i + 1;
        } else if (s[i] == open && open != '\0') {
            depth++;
        }
    }
    *unclosed = 1;
    return n;
}

/* tok_is - whether token K of T is the special character C. */
static int tok_is(const struct toks *t, size_t k, char c)
{
    return k < t->n && t->v[k].type == TOK_SPECIAL && t->s[t->v[k].off] == c;
}

/* toks_push - append a token; -1 when out of memory. */
static int toks_push(struct toks *t, size_t *cap, int type, size_t off, size_t len, int space)
{
    if (t->n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        struct tok *v = ncap < SIZE_MAX / sizeof *v ? realloc(t->v, ncap * sizeof *v) : NULL;
        if (v == NULL)
            return -1;
        t->v = v;
        *cap = ncap;
    }
    t->v[t->n].off = off;
    t->v[t->n].len = len;
    t->v[t->n].type = (unsigned char)type;
    t->v[t->n].space = (unsigned char)space;
    t->n++;
    return 0;
}

/* tokenize - cut the unfolded value T->s (N bytes) into tokens. */
static int tokenize(struct toks *t, size_t n)
{
    const char *s = t->s;
    size_t i = 0, cap = 0, last = NONE; /* last non-comment token */
    int space = 0;

    while (i < n) {
        size_t end = i + 1;
        int type = TOK_SPECIAL;
        if (s[i] == ' ' || s[i] == '\t') {
            space = 1;
            i++;
            continue;
        }
        if (s[i] == '"') {
            type = TOK_QSTR;
            end = scan_delimited(s, n, i, '\0', '"', &t->unclosed);
        } else if (s[i] == '(') {
            type = TOK_COMMENT;
            end = scan_delimited(s, n, i, '(', ')', &t->unclosed);
        } else if (s[i] == '[' && last != NONE && tok_is(t, last, '@')) {
            type = TOK_DLIT;
            end = scan_delimited(s, n, i, '\0', ']', &t->unclosed);
        } else if (!is_special(s[i])) {
            type = TOK_ATOM;
            while (end < n && !is_special(s[end]) && s[end] != ' ' && s[end] != '\t')
                end++;
        }
        if (toks_push(t, &cap, type, i, end - i, space) < 0)
            return -1;
        if (type != TOK_COMMENT) {
            last = t->n - 1;
            space = 0;
        } else {
            space = 1;
        }
        i = end;
    }
    return 0;
}

/* route_follows - whether the angle address opened at token LT starts with a source route. */
static int route_follows(const struct toks *t, size_t lt)
{
    size_t k = lt + 1;

    while (k < t->n && t->v[k].type == TOK_COMMENT)
        k++;
    return tok_is(t, k, '@') || tok_is(t, k, ',');
}

/*
 * seg_next - the mailbox starting at token I: fills G and returns the
 * index where the next one starts. A group's name and its ':' are
 * skipped, so that the name never becomes a display name.
 */
static size_t seg_next(const struct toks *t, size_t i, struct seg *g)
{
    int in_angle = 0, in_route = 0, seen_at = 0;

    g->first = i;
    g->lt = g->gt = g->addr = NONE;
    for (; i < t->n; i++) {
        char c = t->v[i].type == TOK_SPECIAL ? t->s[t->v[i].off] : '\0';
        if (c == '<' && g->lt == NONE) {
            g->lt = i;
            g->addr = i + 1;
            in_angle = 1;
            in_route = route_follows(t, i);
        } else if (c == '<' && !in_angle) {
            break; /* another angle address: a comma was missing */
        } else if (c == '>' && in_angle) {
            g->gt = i;
            in_angle = 0;
        } else if ((c == ',' && !(in_angle && in_route)) || c == ';') {
            g->end = i;
            return i + 1;
        } else if (c == ':' && in_angle && in_route) {
            in_route = 0;
            g->addr = i + 1;
        } else if (c == ':' && g->lt == NONE && !seen_at) {
            g->first = i + 1;
        } else if (c == '@') {
            seen_at = 1;
        }
    }
    g->end = i;
    return i;
}

/* tok_skipped - whether token K takes no part in addresses and phrases. */
static int tok_skipped(const struct toks *t, size_t k)
{
    return t->v[k].type == TOK_COMMENT || tok_is(t, k, '<') || tok_is(t, k, '>');
}

/* joins - whether token K continues the run that token P (the one before) is in. */
static int joins(const struct toks *t, size_t p, size_t k)
{
    const struct tok *a = &t->v[p], *b = &t->v[k];

    return !b->space || tok_is(t, p, '@') || tok_is(t, k, '@') ||
           (a->type == TOK_ATOM && t->s[a->off + a->len - 1] == '.') ||
           (b->type == TOK_ATOM && t->s[b->off] == '.');
}

/*
 * addr_run - among tokens [FROM, TO), the run that is the addr-spec: the
 * last one holding an '@' (the domain follows the last '@'), else the
 * last one. [*R0, *R1) is empty (NONE) when there is no token.
 */
static void addr_run(const struct toks *t, size_t from, size_t to, size_t *r0, size_t *r1)
{
    size_t k, prev = NONE, start = NONE;
    int best_at = 0, cur_at = 0;

    *r0 = *r1 = NONE;
    for (k = from; k <= to; k++) {
        if (k < to && tok_skipped(t, k))
            continue;
        if (k == to || prev == NONE || !joins(t, prev, k)) {
            if (start != NONE && (cur_at || !best_at)) {
                *r0 = start;
                *r1 = prev + 1;
                best_at = cur_at;
            }
            start = k;
            cur_at = 0;
        }
        if (k < to) {
            cur_at |= tok_is(t, k, '@');
            prev = k;
        }
    }
}

/* unquote_into - append the content of the quoted string or comment at S, quoted-pairs undone. */
static void unquote_into(struct strbuf *b, const char *s, size_t len)
{
    char open = s[0], close = open == '(' ? ')' : '"';
    size_t i, start = 1, depth = 1;

    for (i = 1; i < len; i++) {
        if (s[i] == '\\' && i + 1 < len) {
            strbuf_put(b, s + start, i - start);
            start = ++i;
        } else if (s[i] == close && --depth == 0) {
            break;
        } else if (s[i] == open && open != close) {
            depth++;
        }
    }
    strbuf_put(b, s + start, i - start);
}

/* raw_into - append the tokens of [FROM, TO) (not comments) as written, without white space. */
static void raw_into(struct strbuf *b, const struct toks *t, size_t from, size_t to)
{
    for (size_t k = from; k < to; k++)
        if (!tok_skipped(t, k))
            strbuf_put(b, t->s + t->v[k].off, t->v[k].len);
}

/*
 * phrase_into - append the words of tokens [FROM, TO) (not comments) to
 * B, quoted strings unquoted, one space where the value had white space
 * or where the phrase resumes after an address.
 */
static void phrase_into(struct strbuf *b, const struct toks *t, size_t from, size_t to)
{
    size_t k;
    int first = 1;

    for (k = from; k < to; k++) {
        const struct tok *w = &t->v[k];
        if (tok_skipped(t, k))
            continue;
        if (b->n > 0 && (w->space || first))
            strbuf_put(b, " ", 1);
        first = 0;
        if (w->type == TOK_QSTR)
            unquote_into(b, t->s + w->off, w->len);
        else
            strbuf_put(b, t->s + w->off, w->len);
    }
}

/* comments_into - append the content of every comment in [FROM, TO), space-separated. */
static void comments_into(struct strbuf *b, const struct toks *t, size_t from, size_t to)
{
    for (size_t k = from; k < to; k++) {
        if (t->v[k].type != TOK_COMMENT)
            continue;
        if (b->n > 0)
            strbuf_put(b, " ", 1);
        unquote_into(b, t->s + t->v[k].off, t->v[k].len);
    }
}

/* is_space - white space for collapsing display names. */
static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/*
 * display_make - *OUT = RAW (LEN bytes) decoded, white space collapsed
 * and trimmed, or NULL when that leaves nothing. -1 when out of memory.
 */
static int display_make(const char *raw, size_t len, char **out)
{
    char *d = text_decode_unstructured(raw, len);
    size_t i, j = 0;

    *out = NULL;
    if (d == NULL)
        return -1;
    for (i = 0; d[i] != '\0'; i++) {
        if (!is_space(d[i]))
            d[j++] = d[i];
        else if (j > 0 && d[j - 1] != ' ')
            d[j++] = ' ';
    }
    if (j > 0 && d[j - 1] == ' ')
        j--;
    d[j] = '\0';
    if (j == 0)
        free(d);
    else
        *out = d;
    return 0;
}

/* last_at - the last '@' token in [FROM, TO), or NONE. */
static size_t last_at(const struct toks *t, size_t from, size_t to)
{
    size_t k, at = NONE;

    for (k = from; k < to; k++)
        if (tok_is(t, k, '@'))
            at = k;
    return at;
}

/*
 * seg_display - the display name of mailbox G whose addr-spec is tokens
 * [R0, R1): its phrase (the words outside the address), else its comments.
 */
static int seg_display(const struct toks *t, const struct seg *g, size_t r0, size_t r1, char **out)
{
    struct strbuf b = {0};
    int rc;

    if (g->lt != NONE) {
        phrase_into(&b, t, g->first, g->lt);
        if (g->gt != NONE)
            phrase_into(&b, t, g->gt + 1, g->end);
    } else {
        phrase_into(&b, t, g->first, r0);
        phrase_into(&b, t, r1, g->end);
    }
    rc = b.oom ? -1 : display_make(b.p, b.n, out);
    if (rc == 0 && *out == NULL) {
        b.n = 0;
        comments_into(&b, t, g->first, g->end);
        rc = b.oom ? -1 : display_make(b.p, b.n, out);
    }
    free(b.p);
    return rc;
}

/* list_push - append mailbox M to L, taking its strings; -1 when out of memory. */
static int list_push(struct mailbox_list *l, struct mailbox *m)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 4;
        struct mailbox *v = cap < SIZE_MAX / sizeof *v ? realloc(l->v, cap * sizeof *v) : NULL;
        if (v == NULL)
            return -1;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = *m;
    memset(m, 0, sizeof *m);
    return 0;
}

/* seg_emit - add the mailbox of G to OUT unless it is empty or over MAX. */
static int seg_emit(const struct toks *t, const struct seg *g, size_t max, struct mailbox_list *out)
{
    struct mailbox m = {0};
    struct strbuf lb = {0}, db = {0};
    size_t r0, r1, at;
    int rc = -1;

    if (g->lt != NONE)
        addr_run(t, g->addr, g->gt != NONE ? g->gt : g->end, &r0, &r1);
    else
        addr_run(t, g->first, g->end, &r0, &r1);
    if (r0 == NONE)
        return 0; /* nothing but comments, or an empty member */
    at = last_at(t, r0, r1);
    raw_into(&lb, t, r0, at != NONE ? at : r1);
    if (at != NONE)
        raw_into(&db, t, at + 1, r1);
    m.local = strbuf_finish(&lb);
    m.domain = at != NONE ? strbuf_finish(&db) : NULL;
    if (m.local == NULL || (at != NONE && m.domain == NULL))
        goto out;
    rc = 0;
    if (m.local[0] == '\0' && (m.domain == NULL || m.domain[0] == '\0'))
        goto out;
    if (out->n >= max) {
        out->truncated = 1;
        goto out;
    }
    rc = -1;
    if (seg_display(t, g, r0, r1, &m.display) == 0 && list_push(out, &m) == 0)
        rc = 0;
out:
    mailbox_clear(&m);
    return rc;
}

/*
 * unfold_copy - the value with CR and LF dropped (unfolding) and NUL read
 * as a space, so that the rest can rely on NUL termination; *N its length.
 */
static char *unfold_copy(const char *value, size_t len, size_t *n)
{
    char *s = malloc(len + 1);
    size_t i, j = 0;

    if (s == NULL)
        return NULL;
    for (i = 0; i < len; i++) {
        if (value[i] == '\r' || value[i] == '\n')
            continue;
        s[j++] = value[i] == '\0' ? ' ' : value[i];
    }
    s[j] = '\0';
    *n = j;
    return s;
}

/* is_local_char - a character of a local part found by scan_tokens. */
static int is_local_char(unsigned char c)
{
    return c == '.' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c >= 0x80 || (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/* is_domain_char - a character of a domain found by scan_tokens. */
static int is_domain_char(unsigned char c)
{
    return c == '.' || c == '-' || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c >= 0x80;
}

/* list_has - whether L holds, from index FIRST on, local part LOCAL (LLEN) at DOMAIN (DLEN). */
static int list_has(const struct mailbox_list *l, size_t first, const char *local, size_t llen,
                    const char *domain, size_t dlen)
{
    for (size_t i = first; i < l->n; i++) {
        const struct mailbox *m = &l->v[i];
        if (m->domain != NULL && strlen(m->local) == llen && strlen(m->domain) == dlen &&
            memcmp(m->local, local, llen) == 0 && memcmp(m->domain, domain, dlen) == 0)
            return 1;
    }
    return 0;
}

/*
 * scan_tokens - every local@domain token of S (N bytes) not yet in OUT
 * from index FIRST on (at most MAX in all): what a field that does not
 * parse still says. A token's local part and domain are runs of the
 * characters an address may hold, on either side of an '@'.
 */
static int scan_tokens(const char *s, size_t n, size_t first, size_t max, struct mailbox_list *out)
{
    for (size_t i = 0; i < n; i++) {
        size_t b = i, e = i + 1;
        if (s[i] != '@')
            continue;
        while (b > 0 && is_local_char((unsigned char)s[b - 1]))
            b--;
        while (e < n && is_domain_char((unsigned char)s[e]))
            e++;
        while (e > i + 1 && s[e - 1] == '.')
            e--;
        if (b == i || e == i + 1 || list_has(out, first, s + b, i - b, s + i + 1, e - i - 1))
            continue;
        if (out->n >= max) {
            out->truncated = 1;
            return 0;
        }
        struct mailbox m = {strndup(s + b, i - b), strndup(s + i + 1, e - i - 1), NULL};
        if (m.local == NULL || m.domain == NULL || list_push(out, &m) < 0) {
            mailbox_clear(&m);
            return -1;
        }
    }
    return 0;
}

/* mailbox_list_parse - append to OUT the mailboxes of header value VALUE. */
int mailbox_list_parse(const char *value, size_t len, size_t max, struct mailbox_list *out)
{
    struct toks t = {0};
    size_t n, i = 0, first = out->n;
    char *s;
    int rc = -1;

    if ((s = unfold_copy(value, len, &n)) == NULL)
        return -1;
    t.s = s;
    if (tokenize(&t, n) < 0)
        goto out;
    while (i < t.n) {
        struct seg g;
        i = seg_next(&t, i, &g);
        if (seg_emit(&t, &g, max, out) < 0)
            goto out;
        if (out->truncated && out->n >= max)
            break; /* full: the rest cannot be kept */
    }
    rc = 0;
    /* What it parses into is a guess: every address it holds counts too. */
    if (t.unclosed) {
        out->unparsed = 1;
        rc = scan_tokens(s, n, first, max, out);
    }
out:
    free(t.v);
    free(s);
    return rc;
}

/* mailbox_clear - free the strings of M and zero it; NULL ok. */
void mailbox_clear(struct mailbox *m)
{
    if (m == NULL)
        return;
    free(m->local);
    free(m->domain);
    free(m->display);
    memset(m, 0, sizeof *m);
}

/* mailbox_list_free - free the entries and array of L (not L); NULL ok. */
void mailbox_list_free(struct mailbox_list *l)
{
    size_t i;

    if (l == NULL)
        return;
    for (i = 0; i < l->n; i++)
        mailbox_clear(&l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* find_unquoted - the first (or, with LAST, the last) C in S[FROM, N) outside quotes, or NONE. */
static size_t find_unquoted(const char *s, size_t from, size_t n, char c, int last)
{
    size_t i, hit = NONE;
    int quoted = 0;

    if (memchr(s + from, '"', n - from) == NULL) { /* no quotes (the common case): one scan */
        const char *p = last ? memrchr(s + from, c, n - from) : memchr(s + from, c, n - from);
        return p != NULL ? (size_t)(p - s) : NONE;
    }
    for (i = from; i < n; i++) {
        if (quoted && s[i] == '\\') {
            i++;
        } else if (s[i] == '"') {
            quoted = !quoted;
        } else if (!quoted && s[i] == c) {
            hit = i;
            if (!last)
                break;
        }
    }
    return hit;
}

/* trim - move [*B, *E) of S inward past white space. */
static void trim(const char *s, size_t *b, size_t *e)
{
    while (*b < *e && is_space(s[*b]))
        (*b)++;
    while (*e > *b && is_space(s[*e - 1]))
        (*e)--;
}

/* envelope_parse - parse RFC 5321 path ARG into OUT; *IS_NULL for "<>" or "". */
int envelope_parse(const char *arg, struct mailbox *out, int *is_null)
{
    size_t b = 0, e, at;

    memset(out, 0, sizeof *out);
    if (arg == NULL)
        arg = "";
    e = strlen(arg);
    trim(arg, &b, &e);
    if (b < e && arg[b] == '<') {
        size_t gt = find_unquoted(arg, b + 1, e, '>', 0);
        b++;
        if (gt != NONE)
            e = gt; /* anything after '>' is not the path */
        trim(arg, &b, &e);
    }
    *is_null = b == e;
    if (b < e && arg[b] == '@') {
        size_t colon = find_unquoted(arg, b, e, ':', 0);
        if (colon != NONE)
            b = colon + 1; /* RFC 5321 4.1.2: the source route is ignored */
    }
    at = find_unquoted(arg, b, e, '@', 1);
    out->local = strndup(arg + b, (at != NONE ? at : e) - b);
    if (at != NONE)
        out->domain = strndup(arg + at + 1, e - at - 1);
    if (out->local == NULL || (at != NONE && out->domain == NULL)) {
        mailbox_clear(out);
        return -1;
    }
    return 0;
}

/* is_atext - RFC 5321 atext, with the UTF-8 of RFC 6531. */
static int is_atext(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c >= 0x80 || (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/* dot_string - whether S (LEN bytes) is an RFC 5321 Dot-string. */
static int dot_string(const char *s, size_t len)
{
    size_t i;
    int after_dot = 1;

    for (i = 0; i < len; i++) {
        if (s[i] == '.') {
            if (after_dot)
                return 0;
            after_dot = 1;
        } else if (is_atext((unsigned char)s[i])) {
            after_dot = 0;
        } else {
            return 0;
        }
    }
    return len > 0 && !after_dot;
}

/*
 * local_unquoted - into B, local part L (LEN bytes) with its quoted
 * strings unquoted; 1 when L is words separated by dots and holds at
 * least one terminated quoted string, else 0 (then B is meaningless).
 */
static int local_unquoted(struct strbuf *b, const char *l, size_t len)
{
    size_t i = 0, end;
    int quoted = 0;

    while (i < len) {
        if (l[i] == '"') {
            for (end = i + 1; end < len && l[end] != '"'; end++)
                if (l[end] == '\\')
                    end++;
            if (end >= len || (i > 0 && l[i - 1] != '.') || (end + 1 < len && l[end + 1] != '.'))
                return 0;
            unquote_into(b, l + i, end + 1 - i);
            quoted = 1;
            i = end + 1;
        } else {
            strbuf_put(b, l + i, 1);
            i++;
        }
    }
    return quoted;
}

/* local_normalize - into empty B, local part L lowercased, quotes removed where RFC 5321 needs
 * none. */
static void local_normalize(struct strbuf *b, const char *l)
{
    size_t i, len = strlen(l);

    /* Without a quote there is nothing to unquote: the common case, in one copy. */
    if (memchr(l, '"', len) == NULL || !local_unquoted(b, l, len) || b->oom ||
        !dot_string(b->p, b->n)) {
        b->n = 0;
        b->oom = 0;
        strbuf_put(b, l, len);
    }
    for (i = 0; !b->oom && i < b->n; i++)
        if (b->p[i] >= 'A' && b->p[i] <= 'Z')
            b->p[i] = (char)(b->p[i] - 'A' + 'a');
}

/* addr_normalize - the normalised address of M (SPEC 5a), built in one buffer of its size. */
char *addr_normalize(const struct mailbox *m, int *domain_ok, char *domain)
{
    char dom[DOMAIN_MAX], *r;
    const char *l = m->local ? m->local : "";
    struct strbuf b = {0};
    size_t ll = strlen(l), dl;

    *domain_ok = 0;
    if (m->domain == NULL)
        return strdup(l);
    if (domain_normalize(m->domain, strlen(m->domain), dom) < 0) {
        strbuf_reserve(&b, ll + 1 + strlen(m->domain));
        strbuf_put(&b, l, ll);
        strbuf_put(&b, "@", 1);
        strbuf_put(&b, m->domain, strlen(m->domain));
        return strbuf_finish(&b);
    }
    dl = strlen(dom);
    strbuf_reserve(&b, ll + 1 + dl); /* unquoting never lengthens the local part */
    local_normalize(&b, l);
    strbuf_put(&b, "@", 1);
    strbuf_put(&b, dom, dl);
    if ((r = strbuf_finish(&b)) == NULL)
        return NULL;
    *domain_ok = 1;
    if (domain != NULL)
        memcpy(domain, dom, dl + 1);
    return r;
}

/* quoted_string - whether S (LEN bytes) is an RFC 5321 Quoted-string. */
static int quoted_string(const char *s, size_t len)
{
    size_t i;

    if (len < 2 || s[0] != '"' || s[len - 1] != '"')
        return 0;
    for (i = 1; i < len - 1; i++) {
        if (s[i] == '\\') {
            if (++i >= len - 1)
                return 0;
        } else if (s[i] == '"') {
            return 0;
        }
    }
    return 1;
}

/*
 * addr_normalize_text - the normalised form of "local@domain" TEXT from
 * the configuration; NULL when it is not an RFC 5321 address (no '@',
 * an empty or malformed local part, an invalid domain), or when out of
 * memory. What it returns normalises to itself.
 */
char *addr_normalize_text(const char *text)
{
    struct mailbox m;
    int is_null, ok = 0;
    char *r = NULL;

    if (envelope_parse(text, &m, &is_null) < 0)
        return NULL;
    if (!is_null && m.domain != NULL && m.local[0] != '\0')
        r = addr_normalize(&m, &ok, NULL);
    if (r != NULL) {
        size_t at = find_unquoted(r, 0, strlen(r), '@', 1);
        if (!ok || at == NONE || !(dot_string(r, at) || quoted_string(r, at))) {
            free(r);
            r = NULL;
        }
    }
    mailbox_clear(&m);
    return r;
}
