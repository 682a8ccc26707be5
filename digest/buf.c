/*
 * buf - the digests' buffer (a strbuf); safe display of values.
 */
#include <config.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "utf8.h"

#define DBUF_REPLACEMENT 0xfffdu

/* dbuf_init - empty, nothing allocated. */
void dbuf_init(struct dbuf *b)
{
    memset(b, 0, sizeof(*b));
}

/* dbuf_free - release and reset. */
void dbuf_free(struct dbuf *b)
{
    strbuf_free(&b->sb);
}

/* dbuf_failed - the sticky error. */
int dbuf_failed(const struct dbuf *b)
{
    return strbuf_failed(&b->sb);
}

/* dbuf_fail - the sticky error, set from outside. */
void dbuf_fail(struct dbuf *b)
{
    b->sb.oom = 1;
}

/* dbuf_len - bytes so far. */
size_t dbuf_len(const struct dbuf *b)
{
    return b->sb.n;
}

/* dbuf_str - never NULL, so callers can print an empty buffer. */
const char *dbuf_str(const struct dbuf *b)
{
    return b->sb.p != NULL ? b->sb.p : "";
}

/* dbuf_addn - raw bytes. */
void dbuf_addn(struct dbuf *b, const char *s, size_t n)
{
    strbuf_put(&b->sb, s, n);
}

/* dbuf_add - a raw string. */
void dbuf_add(struct dbuf *b, const char *s)
{
    strbuf_put(&b->sb, s, strlen(s));
}

/* dbuf_printf - formatted; measured first so nothing is ever cut. */
void dbuf_printf(struct dbuf *b, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    strbuf_vprintf(&b->sb, fmt, ap);
    va_end(ap);
}

/* dbuf_pad - spaces for column alignment. */
void dbuf_pad(struct dbuf *b, size_t n)
{
    while (n-- > 0)
        dbuf_addn(b, " ", 1);
}

/* dbuf_decode - the code point at P into *CP and its length; ill-formed: U+FFFD for one byte. */
static size_t dbuf_decode(const unsigned char *p, uint32_t *cp)
{
    size_t n;
    long c = utf8_decode((const char *)p, UTF8_NUL_TERMINATED, &n);

    *cp = c < 0 ? DBUF_REPLACEMENT : (uint32_t)c;
    return c < 0 ? 1 : n;
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
            dbuf_addn(b, out, utf8_encode(cp, out));
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
