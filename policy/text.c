/*
 * text - header text helpers: unfolding, RFC 2047 decoding, UTF-8 repair.
 *
 * Decoding is deliberately more liberal than RFC 2047 wherever a mail
 * client is: the decoded text is what markers are matched against, so
 * anything a client would show decoded must be decoded here too.
 *   - an encoded word is recognised wherever it appears, not only between
 *     white space (clients decode "Re:=?utf-8?q?x?=");
 *   - adjacent encoded words of one charset are converted together, so a
 *     multi-byte character split across two words survives;
 *   - B text ignores characters outside the base64 alphabet and missing
 *     padding; Q text keeps an '=' not followed by two hex digits;
 *   - a NUL byte becomes U+FFFD: callers hold C strings, and a NUL would
 *     hide everything after it from the markers.
 * Charset names are restricted to a safe alphabet before they reach
 * iconv_open(3) ('/' would select iconv options such as //TRANSLIT).
 */
#include <config.h>

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "strbuf.h"
#include "text.h"
#include "utf8.h"

#define CHARSET_MAX 64

/* A parsed encoded word "=?charset?enc?text?=". */
struct eword {
    const char *cs; /* charset, RFC 2231 "*lang" suffix removed */
    size_t cslen;
    char enc; /* 'B' or 'Q' */
    const char *text;
    size_t textlen;
    size_t len; /* of the whole word */
};

/* Decoded bytes of adjacent encoded words of one charset, not yet converted. */
struct run {
    struct strbuf raw;
    char cs[CHARSET_MAX + 1];
    int active;
};

/* One cached iconv descriptor: headers rarely mix charsets. */
struct conv {
    iconv_t cd;
    char name[72];
};

static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

/* utf8_repair_into - append S to B with each ill-formed subpart as U+FFFD. */
static void utf8_repair_into(struct strbuf *b, const char *s, size_t len)
{
    size_t i = 0, start = 0;

    while (i < len) {
        size_t k;
        if ((unsigned char)(s[i] - 1) < 0x7F) { /* ASCII but NUL, most of a header: no decoding */
            i++;
            continue;
        }
        if (utf8_decode(s + i, len - i, &k) >= 0) {
            i += k;
            continue;
        }
        strbuf_put(b, s + start, i - start);
        strbuf_put(b, replacement, 3);
        i += k;
        start = i;
    }
    strbuf_put(b, s + start, i - start);
}

/* unfold_into - append S to B without its CR and LF bytes. */
static void unfold_into(struct strbuf *b, const char *s, size_t len)
{
    size_t i = 0, start = 0;

    for (; i < len; i++) {
        if (s[i] == '\r' || s[i] == '\n') {
            strbuf_put(b, s + start, i - start);
            start = i + 1;
        }
    }
    strbuf_put(b, s + start, i - start);
}

/* text_unfold - remove every CR and LF (RFC 5322 2.2.3 unfolding). */
char *text_unfold(const char *s, size_t len)
{
    struct strbuf b = {0};

    if (s != NULL)
        unfold_into(&b, s, len);
    return strbuf_finish(&b);
}

/* text_utf8_repair - copy S, each invalid UTF-8 sequence as U+FFFD. */
char *text_utf8_repair(const char *s, size_t len)
{
    struct strbuf b = {0};

    if (s != NULL)
        utf8_repair_into(&b, s, len);
    return strbuf_finish(&b);
}

/* charset_char - whether C may appear in a charset name we hand to iconv. */
static int charset_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == ':' || c == '+';
}

/* eword_parse - recognise an encoded word at S (LEN bytes); 1 if found. */
static int eword_parse(const char *s, size_t len, struct eword *w)
{
    size_t i = 2, star = 0;

    if (len < 8 || s[0] != '=' || s[1] != '?')
        return 0;
    for (; i < len && s[i] != '?'; i++) {
        if (i - 2 >= CHARSET_MAX)
            return 0;
        if (s[i] == '*') {
            if (star == 0)
                star = i;
        } else if (!charset_char((unsigned char)s[i])) {
            return 0;
        }
    }
    w->cs = s + 2;
    w->cslen = (star ? star : i) - 2;
    if (w->cslen == 0 || i + 3 >= len || s[i + 2] != '?')
        return 0;
    w->enc = (char)(s[i + 1] & ~0x20);
    if (w->enc != 'B' && w->enc != 'Q')
        return 0;
    i += 3;
    w->text = s + i;
    for (; i < len && s[i] != '?'; i++)
        if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7F)
            return 0;
    if (i + 1 >= len || s[i + 1] != '=')
        return 0;
    w->textlen = (size_t)(s + i - w->text);
    w->len = i + 2;
    return 1;
}

/* b64_value - the 6-bit value of base64 digit C, or -1. */
static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

/* hex_value - the value of hex digit C, or -1. */
static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* eword_decode_into - append the bytes encoded in W (still in its charset). */
static void eword_decode_into(struct strbuf *b, const struct eword *w)
{
    const unsigned char *t = (const unsigned char *)w->text;
    unsigned acc = 0, bits = 0;
    size_t i;

    for (i = 0; i < w->textlen; i++) {
        char c = (char)t[i];
        if (w->enc == 'B') {
            int v = b64_value(t[i]);
            if (t[i] == '=')
                break;
            if (v < 0)
                continue;
            acc = (acc << 6) | (unsigned)v;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                c = (char)((acc >> bits) & 0xFF);
                strbuf_put(b, &c, 1);
            }
            continue;
        }
        if (c == '_')
            c = ' ';
        else if (c == '=' && i + 2 < w->textlen && hex_value(t[i + 1]) >= 0 &&
                 hex_value(t[i + 2]) >= 0) {
            c = (char)(hex_value(t[i + 1]) * 16 + hex_value(t[i + 2]));
            i += 2;
        }
        strbuf_put(b, &c, 1);
    }
}

/* charset_alias - the iconv name for charset CS (a NUL-terminated copy). */
static const char *charset_alias(const char *cs)
{
    /* Labels mail clients accept that glibc spells differently; Latin-1
     * is read as Windows-1252, its superset, as browsers and clients do. */
    static const char *const alias[][2] = {
        {"iso-8859-1", "WINDOWS-1252"}, {"iso-8859-6-i", "ISO-8859-6"},
        {"iso-8859-6-e", "ISO-8859-6"}, {"iso-8859-8-i", "ISO-8859-8"},
        {"iso-8859-8-e", "ISO-8859-8"}, {"ks_c_5601-1987", "CP949"},
        {"gb2312", "GB18030"},          {"x-sjis", "SHIFT_JIS"},
        {"x-mac-roman", "MACINTOSH"},
    };
    size_t i;

    for (i = 0; i < sizeof alias / sizeof alias[0]; i++)
        if (strcasecmp(cs, alias[i][0]) == 0)
            return alias[i][1];
    return cs;
}

/* charset_is_utf8 - whether CS needs no conversion, only repair. */
static int charset_is_utf8(const char *cs)
{
    return strcasecmp(cs, "utf-8") == 0 || strcasecmp(cs, "utf8") == 0 ||
           strcasecmp(cs, "us-ascii") == 0 || strcasecmp(cs, "ascii") == 0;
}

/* conv_get - an iconv descriptor from charset CS to UTF-8, or NULL when unknown. */
static iconv_t conv_get(struct conv *c, const char *cs)
{
    const char *name = charset_alias(cs);

    if (c->cd != (iconv_t)-1 && strcasecmp(c->name, name) == 0) {
        iconv(c->cd, NULL, NULL, NULL, NULL); /* reset shift state */
        return c->cd;
    }
    if (c->cd != (iconv_t)-1)
        iconv_close(c->cd);
    c->cd = iconv_open("UTF-8", name);
    if (c->cd == (iconv_t)-1)
        return NULL;
    strncpy(c->name, name, sizeof c->name - 1);
    c->name[sizeof c->name - 1] = '\0';
    return c->cd;
}

/* charset_known - whether the charset of W can be decoded; fills NAME. */
static int charset_known(struct conv *c, const struct eword *w, char name[CHARSET_MAX + 1])
{
    if (w->cslen > CHARSET_MAX)
        return 0;
    memcpy(name, w->cs, w->cslen);
    name[w->cslen] = '\0';
    return charset_is_utf8(name) || conv_get(c, name) != NULL;
}

/* iconv_into - append to B the UTF-8 conversion of S, bad input as U+FFFD. */
static void iconv_into(struct strbuf *b, iconv_t cd, const char *s, size_t len)
{
    char chunk[512], *in = (char *)s;
    size_t left = len;
    int flushing = 0;

    while (!b->oom) {
        char *out = chunk;
        size_t room = sizeof chunk;
        size_t r =
            flushing ? iconv(cd, NULL, NULL, &out, &room) : iconv(cd, &in, &left, &out, &room);
        int err = r == (size_t)-1 ? errno : 0;

        utf8_repair_into(b, chunk, (size_t)(out - chunk));
        if (err == E2BIG)
            continue;
        if (err == EILSEQ && !flushing && left > 0) {
            strbuf_put(b, replacement, 3);
            in++;
            left--;
            continue;
        }
        if (err == EINVAL && !flushing) {
            strbuf_put(b, replacement, 3); /* truncated sequence at the end */
            left = 0;
        } else if (err != 0 || flushing) {
            return;
        }
        flushing = left == 0;
    }
}

/* run_flush - convert the pending run R, if any, onto OUT. */
static void run_flush(struct strbuf *out, struct run *r, struct conv *c)
{
    iconv_t cd;

    if (!r->active)
        return;
    r->active = 0;
    strbuf_put(&r->raw, "", 0); /* an empty run still has a buffer */
    if (r->raw.oom) {
        out->oom = 1;
    } else if (charset_is_utf8(r->cs)) {
        utf8_repair_into(out, r->raw.p, r->raw.n);
    } else if ((cd = conv_get(c, r->cs)) != NULL) {
        iconv_into(out, cd, r->raw.p, r->raw.n);
    } else {
        strbuf_put(out, replacement, 3); /* iconv failed since charset_known() */
    }
    r->raw.n = 0;
}

/* all_wsp - whether S (LEN bytes) is nothing but spaces and tabs. */
static int all_wsp(const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return 0;
    return 1;
}

/*
 * decode_word - take encoded word W, preceded by literal GAP since the
 * last word, into the pending run or OUT. Returns 0, changing nothing
 * but the pending run's conversion, when W's charset is unknown.
 */
static int decode_word(struct strbuf *out, struct run *r, struct conv *c, const struct eword *w,
                       const char *gap, size_t gaplen)
{
    char name[CHARSET_MAX + 1];
    int adjacent = r->active && all_wsp(gap, gaplen);

    if (adjacent && w->cslen == strlen(r->cs) && strncasecmp(r->cs, w->cs, w->cslen) == 0) {
        eword_decode_into(&r->raw, w);
        return 1;
    }
    run_flush(out, r, c);
    if (!charset_known(c, w, name))
        return 0;
    if (!adjacent)
        utf8_repair_into(out, gap, gaplen);
    memcpy(r->cs, name, sizeof r->cs);
    r->active = 1;
    eword_decode_into(&r->raw, w);
    return 1;
}

/*
 * text_decode_unstructured - unfold S and decode its RFC 2047 encoded
 * words to UTF-8, repairing invalid UTF-8.
 */
char *text_decode_unstructured(const char *s, size_t len)
{
    struct strbuf in = {0}, out = {0};
    struct run r = {{0}, "", 0};
    struct conv c = {(iconv_t)-1, ""};
    size_t i = 0, lit = 0, n = s != NULL ? len : 0;
    const char *p = s != NULL ? s : "";

    /* A value that is not folded is read where it is, not copied. */
    if (memchr(p, '\r', n) != NULL || memchr(p, '\n', n) != NULL) {
        unfold_into(&in, p, n);
        strbuf_put(&in, "", 0);
        p = in.p;
        n = in.n;
    }
    strbuf_reserve(&out, n); /* the decoded text is rarely longer */
    strbuf_put(&out, "", 0);
    while (!in.oom && !out.oom && i < n) {
        struct eword w;
        if (p[i] != '=' || !eword_parse(p + i, n - i, &w) ||
            !decode_word(&out, &r, &c, &w, p + lit, i - lit)) {
            i++;
            continue;
        }
        i += w.len;
        lit = i;
    }
    run_flush(&out, &r, &c);
    if (!in.oom)
        utf8_repair_into(&out, p + lit, n - lit);
    if (in.oom)
        out.oom = 1;
    free(in.p);
    free(r.raw.p);
    if (c.cd != (iconv_t)-1)
        iconv_close(c.cd);
    return strbuf_finish(&out);
}
