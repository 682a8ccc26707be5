/*
 * digest_buf - growing buffer with a sticky error; safe display of values.
 */
#include <config.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

#define DBUF_REPLACEMENT 0xfffdu

/* dbuf_init - empty, nothing allocated. */
void dbuf_init(struct dbuf *b)
{
    memset(b, 0, sizeof(*b));
}

/* dbuf_free - release and reset. */
void dbuf_free(struct dbuf *b)
{
    free(b->s);
    dbuf_init(b);
}

/* dbuf_failed - the sticky error. */
int dbuf_failed(const struct dbuf *b)
{
    return b->failed;
}

/* dbuf_str - never NULL, so callers can print an empty buffer. */
const char *dbuf_str(const struct dbuf *b)
{
    return b->s != NULL ? b->s : "";
}

/* dbuf_grow - room for N more bytes and a NUL; 0 or -1 (then sticky). */
static int dbuf_grow(struct dbuf *b, size_t n)
{
    size_t want, cap;
    char *ns;

    if (b->failed)
        return -1;
    if (n > SIZE_MAX / 2 - b->len) {
        b->failed = 1;
        return -1;
    }
    want = b->len + n + 1;
    if (want <= b->cap)
        return 0;
    /* Doubling keeps appends amortised constant: a digest is built byte by byte. */
    for (cap = b->cap ? b->cap : 256; cap < want; cap *= 2)
        ;
    if ((ns = realloc(b->s, cap)) == NULL) {
        b->failed = 1;
        return -1;
    }
    b->s = ns;
    b->cap = cap;
    return 0;
}

/* dbuf_addn - raw bytes. */
void dbuf_addn(struct dbuf *b, const char *s, size_t n)
{
    if (dbuf_grow(b, n) < 0)
        return;
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

/* dbuf_add - a raw string. */
void dbuf_add(struct dbuf *b, const char *s)
{
    dbuf_addn(b, s, strlen(s));
}

/* dbuf_printf - formatted; measured first so nothing is ever cut. */
void dbuf_printf(struct dbuf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = 1;
        return;
    }
    if (dbuf_grow(b, (size_t)n) < 0)
        return;
    va_start(ap, fmt);
    n = vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = 1;
        return;
    }
    b->len += (size_t)n;
}

/* dbuf_pad - spaces for column alignment. */
void dbuf_pad(struct dbuf *b, size_t n)
{
    while (n-- > 0)
        dbuf_addn(b, " ", 1);
}

/*
 * dbuf_decode - the code point at P into *CP and its length in bytes;
 * an invalid sequence is U+FFFD for one byte (so every byte is consumed).
 */
static size_t dbuf_decode(const unsigned char *p, uint32_t *cp)
{
    size_t n;
    uint32_t c;

    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    if (p[0] >= 0xc2 && p[0] <= 0xdf)
        n = 2, c = p[0] & 0x1fu;
    else if (p[0] >= 0xe0 && p[0] <= 0xef)
        n = 3, c = p[0] & 0x0fu;
    else if (p[0] >= 0xf0 && p[0] <= 0xf4)
        n = 4, c = p[0] & 0x07u;
    else
        goto bad;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80)
            goto bad;
        c = (c << 6) | (p[i] & 0x3fu);
    }
    if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
        (c >= 0xd800 && c <= 0xdfff))
        goto bad;
    *cp = c;
    return n;
bad:
    *cp = DBUF_REPLACEMENT;
    return 1;
}

/*
 * dbuf_shown - the code point shown for CP: a tab is a space; controls,
 * separators and bidi overrides (which could start a line or reorder
 * the text a reader sees) are U+FFFD.
 */
static uint32_t dbuf_shown(uint32_t cp)
{
    if (cp == '\t')
        return ' ';
    if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029 ||
        (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e ||
        cp == 0x200f || cp == 0xfeff)
        return DBUF_REPLACEMENT;
    return cp;
}

/* dbuf_encode - CP as UTF-8 into OUT (4 bytes); its length. */
static size_t dbuf_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* dbuf_html_entity - the escape of CP in HTML, or NULL when it stands as it is. */
static const char *dbuf_html_entity(uint32_t cp)
{
    switch (cp) {
    case '&':
        return "&amp;";
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    case '"':
        return "&quot;";
    case '\'':
        return "&#39;";
    }
    return NULL;
}

/* dbuf_safe - the common walk of dbuf_text() and dbuf_html(). */
static size_t dbuf_safe(struct dbuf *b, const char *s, size_t max, int html)
{
    const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");
    size_t chars = 0;
    char out[4];

    while (*p != '\0') {
        uint32_t cp;
        const char *ent;

        if (max > 0 && chars == max) {
            dbuf_add(b, "\xe2\x80\xa6"); /* … */
            return chars + 1;
        }
        p += dbuf_decode(p, &cp);
        cp = dbuf_shown(cp);
        if (html && (ent = dbuf_html_entity(cp)) != NULL)
            dbuf_add(b, ent);
        else
            dbuf_addn(b, out, dbuf_encode(cp, out));
        chars++;
    }
    return chars;
}

/* dbuf_text - a value made safe to show. */
size_t dbuf_text(struct dbuf *b, const char *s, size_t max)
{
    return dbuf_safe(b, s, max, 0);
}

/* dbuf_html - a value made safe to show, HTML-escaped. */
void dbuf_html(struct dbuf *b, const char *s, size_t max)
{
    (void)dbuf_safe(b, s, max, 1);
}

/* dbuf_chars - characters of S once shown (each invalid byte is one U+FFFD). */
size_t dbuf_chars(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0;
    uint32_t cp;

    while (*p != '\0') {
        p += dbuf_decode(p, &cp);
        n++;
    }
    return n;
}
