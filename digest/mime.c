/*
 * digest_mime - headers, encoded words, quoted-printable, boundary.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "mime.h"
#include "domain.h"
#include "timefmt.h"

#define MIME_LINE 78       /* RFC 5322 2.1.1: lines SHOULD stay within 78 characters */
#define MIME_QP_LINE 75    /* RFC 2045 6.7: 76 with the soft break's '=' */
#define MIME_WORD_BYTES 39 /* UTF-8 bytes per encoded word: 52 base64 characters, word 64 */
#define MIME_RAW_WORD 60   /* a longer unbroken word is encoded, so that it can be folded */
#define MIME_RANDOM 16     /* bytes of randomness in a boundary or a Message-ID */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char hex[] = "0123456789ABCDEF";

/* mime_base64 - S (N bytes) in base64 with padding. */
static void mime_base64(struct dbuf *b, const unsigned char *s, size_t n)
{
    char q[4];

    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)s[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)s[i + 1] << 8;
        if (i + 2 < n)
            v |= s[i + 2];
        q[0] = b64[(v >> 18) & 63];
        q[1] = b64[(v >> 12) & 63];
        q[2] = i + 1 < n ? b64[(v >> 6) & 63] : '=';
        q[3] = i + 2 < n ? b64[v & 63] : '=';
        dbuf_addn(b, q, 4);
    }
}

/* mime_needs_encoding - 1 unless VALUE is printable ASCII, short words, no "=?". */
static int mime_needs_encoding(const char *value)
{
    size_t word = 0;

    for (const unsigned char *p = (const unsigned char *)value; *p != '\0'; p++) {
        if (*p < 0x20 || *p > 0x7e)
            return 1;
        word = *p == ' ' ? 0 : word + 1;
        if (word > MIME_RAW_WORD)
            return 1;
    }
    /* "=?" could be read as the start of an encoded word (RFC 2047 5). */
    return strstr(value, "=?") != NULL;
}

/* mime_header_raw - printable ASCII folded at spaces. */
static void mime_header_raw(struct dbuf *b, size_t col, const char *value)
{
    const char *p = value;

    while (*p != '\0') {
        size_t n = strcspn(p, " ");
        if (n > 0 && col + 1 + n > MIME_LINE && col > 0) {
            dbuf_add(b, "\n");
            col = 0;
        }
        dbuf_add(b, " ");
        dbuf_addn(b, p, n);
        col += n + 1;
        p += n;
        if (*p == ' ')
            p++;
    }
}

/* mime_header_encoded - VALUE as base64 encoded words, one per folded line, split between
 * characters. */
static void mime_header_encoded(struct dbuf *b, const char *value)
{
    const unsigned char *p = (const unsigned char *)value;
    size_t left = strlen(value), first = 1;

    while (left > 0 || first) {
        size_t n = left < MIME_WORD_BYTES ? left : MIME_WORD_BYTES;
        /* Never split a UTF-8 sequence: back off continuation bytes (keep at least one byte). */
        while (n < left && n > 1 && (p[n] & 0xc0) == 0x80)
            n--;
        dbuf_add(b, first ? " =?UTF-8?B?" : "\n =?UTF-8?B?");
        mime_base64(b, p, n);
        dbuf_add(b, "?=");
        p += n;
        left -= n;
        first = 0;
    }
}

/* mime_header_text - one unstructured header field. */
void mime_header_text(struct dbuf *b, const char *name, const char *value)
{
    dbuf_printf(b, "%s:", name);
    if (mime_needs_encoding(value))
        mime_header_encoded(b, value);
    else
        mime_header_raw(b, strlen(name) + 1, value);
    dbuf_add(b, "\n");
}

/* mime_qp_special - 1 when byte C at the start of an encoded line must be encoded. */
static int mime_qp_special(const char *line, size_t i, size_t len)
{
    /* A lone "." ends the message for a sendmail without -i; "From " is mangled by mbox. */
    return line[i] == '.' || (line[i] == 'F' && len - i >= 5 && memcmp(line + i, "From ", 5) == 0);
}

/* mime_qp_line - one LF-free line of LEN bytes, with soft breaks. */
static void mime_qp_line(struct dbuf *b, const char *line, size_t len)
{
    size_t col = 0;

    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)line[i];
        int last = i + 1 == len;
        int enc = c == '=' || c > 0x7e || (c < 0x20 && c != '\t') ||
                  ((c == ' ' || c == '\t') && last) || (col == 0 && mime_qp_special(line, i, len));
        size_t w = enc ? 3 : 1;

        if (col + w > MIME_QP_LINE) {
            dbuf_add(b, "=\n");
            col = 0;
            /* The new encoded line starts here: its first character may now need encoding. */
            if (!enc && mime_qp_special(line, i, len))
                enc = 1, w = 3;
        }
        if (enc) {
            char t[3] = {'=', hex[c >> 4], hex[c & 15]};
            dbuf_addn(b, t, 3);
        } else {
            dbuf_addn(b, (const char *)&c, 1);
        }
        col += w;
    }
    dbuf_add(b, "\n");
}

/* mime_qp - every line of BODY; a missing final newline is added. */
void mime_qp(struct dbuf *b, const char *body, size_t len)
{
    size_t i = 0;

    while (i < len) {
        const char *nl = memchr(body + i, '\n', len - i);
        size_t n = nl != NULL ? (size_t)(nl - (body + i)) : len - i;
        mime_qp_line(b, body + i, n);
        i += n + (nl != NULL);
    }
}

/* mime_addr_spec - 1 when A is a bare ASCII addr-spec: no space, bracket or separator outside
 * quotes. */
static int mime_addr_spec(const char *a)
{
    const char *at = strrchr(a, '@');
    int quoted = 0;

    if (at == NULL || at == a || at[1] == '\0')
        return 0;
    for (const char *p = a; *p != '\0'; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20 || c > 0x7e)
            return 0;
        if (quoted && c == '\\' && p[1] != '\0')
            p++;
        else if (c == '"' && p < at)
            quoted = !quoted;
        else if (!quoted && strchr(" <>()[],;:\\\"", c) != NULL)
            return 0;
    }
    return !quoted;
}

/* mime_address - as it is when it is ASCII; with an A-label domain when only that is not. */
int mime_address(const char *addr, char *out, size_t len)
{
    const char *at = strrchr(addr, '@');
    char dom[DOMAIN_MAX];
    int n;

    if (at != NULL && domain_normalize(at + 1, strlen(at + 1), dom) == 0) {
        n = snprintf(out, len, "%.*s@%s", (int)(at - addr), addr, dom);
        if (n > 0 && (size_t)n < len && mime_addr_spec(out))
            return 0;
    }
    return -1;
}

/* mime_random_hex - 2*N (N <= MIME_RANDOM) hex digits of kernel randomness into OUT. 0 or -1. */
static int mime_random_hex(char *out, size_t n)
{
    unsigned char r[MIME_RANDOM];

    if (n > sizeof(r) || getrandom(r, n, 0) != (ssize_t)n)
        return -1;
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = (char)(hex[r[i] >> 4] | 0x20); /* lowercase */
        out[2 * i + 1] = (char)(hex[r[i] & 15] | 0x20);
    }
    out[2 * n] = '\0';
    return 0;
}

/* mime_to - the To field, one address after another, folded. */
static int mime_to(struct dbuf *b, const struct digest_mail *m, char *err, size_t errlen)
{
    char a[512];
    size_t col = 3;

    dbuf_add(b, "To:");
    for (size_t i = 0; i < m->nto; i++) {
        if (mime_address(m->to[i], a, sizeof(a)) < 0) {
            snprintf(err, errlen, "recipient %zu cannot be written in a header", i + 1);
            return -1;
        }
        if (i > 0 && col + strlen(a) + 2 > MIME_LINE) {
            dbuf_add(b, ",\n");
            col = 0;
        } else if (i > 0) {
            dbuf_add(b, ",");
            col++;
        }
        dbuf_printf(b, " %s", a);
        col += strlen(a) + 1;
    }
    dbuf_add(b, "\n");
    return 0;
}

/* mime_headers - the top-level header fields. */
static int mime_headers(struct dbuf *b, const struct digest_mail *m, const char *boundary,
                        char *err, size_t errlen)
{
    char date[64], from[512], id[2 * MIME_RANDOM + 1], tag[48], msgid[640];
    size_t t = 0;
    int n;

    if (mime_address(m->from, from, sizeof(from)) < 0) {
        snprintf(err, errlen, "digest_from cannot be written in a header");
        return -1;
    }
    /* 80 random bits beside the period and the department: unique, and short enough to fit. */
    if (mime_random_hex(id, 10) < 0) {
        snprintf(err, errlen, "no random bytes for the Message-ID");
        return -1;
    }
    for (const char *p = m->id_tag; *p != '\0' && t + 1 < sizeof(tag); p++)
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '.')
            tag[t++] = *p;
    tag[t] = '\0';
    timefmt_rfc5322(m->date, date, sizeof(date));
    dbuf_printf(b, "Date: %s\nFrom: officialmail <%s>\n", date, from);
    if (mime_to(b, m, err, errlen) < 0)
        return -1;
    mime_header_text(b, "Subject", m->subject);
    /* A msg-id cannot be folded inside; a long one goes on a line of its own (CFWS before it). */
    n = snprintf(msgid, sizeof(msgid), "<officialmail.%s.%s@%s>", tag, id, strrchr(from, '@') + 1);
    dbuf_printf(b,
                "Message-ID:%s%s\nMIME-Version: 1.0\n"
                "Content-Type: multipart/alternative;\n boundary=\"%s\"\n"
                "Auto-Submitted: auto-generated\n\n"
                "This is a MIME message: the same digest as plain text and as HTML.\n",
                n > 0 && (size_t)n + 12 > MIME_LINE ? "\n " : " ", msgid, boundary);
    return 0;
}

/* mime_part - one body part: its headers, then BODY in quoted-printable. */
static void mime_part(struct dbuf *b, const char *boundary, const char *type, const struct dbuf *qp)
{
    dbuf_printf(b,
                "\n--%s\nContent-Type: %s; charset=UTF-8\n"
                "Content-Transfer-Encoding: quoted-printable\n\n",
                boundary, type);
    dbuf_addn(b, dbuf_str(qp), dbuf_len(qp));
}

/* digest_mime_build - encode the bodies, pick a boundary absent from them, assemble. */
int digest_mime_build(struct dbuf *out, const struct digest_mail *m, char *err, size_t errlen)
{
    struct dbuf text, html;
    char boundary[8 + 2 * MIME_RANDOM], rnd[2 * MIME_RANDOM + 1];
    int rc = -1;

    dbuf_init(&text);
    dbuf_init(&html);
    mime_qp(&text, m->text, strlen(m->text));
    mime_qp(&html, m->html, strlen(m->html));
    if (mime_random_hex(rnd, MIME_RANDOM) < 0) {
        snprintf(err, errlen, "no random bytes for the MIME boundary");
        goto out;
    }
    snprintf(boundary, sizeof(boundary), "=_om_%s", rnd);
    /* Quoted-printable never writes "=_", so this cannot match; checked all the same. */
    if (strstr(dbuf_str(&text), boundary) != NULL || strstr(dbuf_str(&html), boundary) != NULL) {
        snprintf(err, errlen, "the MIME boundary occurs in the content");
        goto out;
    }
    if (mime_headers(out, m, boundary, err, errlen) < 0)
        goto out;
    mime_part(out, boundary, "text/plain", &text);
    mime_part(out, boundary, "text/html", &html);
    dbuf_printf(out, "\n--%s--\n", boundary);
    if (dbuf_failed(out) || dbuf_failed(&text) || dbuf_failed(&html)) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    rc = 0;
out:
    dbuf_free(&text);
    dbuf_free(&html);
    return rc;
}
