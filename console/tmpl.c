/*
 * tmpl - HTML with values escaped by default (tmpl.h).
 */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"
#include "tmpl.h"

/* tmpl_url - percent-encode all but the unreserved characters of RFC 3986. */
void tmpl_url(struct dbuf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";

    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~", *p) != NULL) {
            dbuf_addn(b, (const char *)p, 1);
        } else {
            char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            dbuf_addn(b, e, 3);
        }
    }
}

/* tmpl_put - the directives of tmpl.h. */
void tmpl_put(struct dbuf *b, const char *fmt, ...)
{
    va_list ap;
    const char *p = fmt;

    va_start(ap, fmt);
    while (*p != '\0') {
        size_t n = strcspn(p, "%");
        dbuf_addn(b, p, n);
        p += n;
        if (*p == '\0')
            break;
        switch (p[1]) {
        case 's':
            dbuf_html(b, va_arg(ap, const char *), 0);
            break;
        case 'u':
            tmpl_url(b, va_arg(ap, const char *));
            break;
        case 'd':
            dbuf_printf(b, "%d", va_arg(ap, int));
            break;
        case 'L':
            dbuf_printf(b, "%lld", va_arg(ap, long long));
            break;
        case 'M': {
            const char *m = va_arg(ap, const char *);
            dbuf_add(b, m ? m : "");
            break;
        }
        case '%':
            dbuf_addn(b, "%", 1);
            break;
        default:
            dbuf_fail(b);
            va_end(ap);
            return;
        }
        p += 2;
    }
    va_end(ap);
}

/* tmpl_utf8_ok - valid UTF-8, no control characters but TAB. */
int tmpl_utf8_ok(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    while (*p != '\0') {
        size_t n = utf8_len((const char *)p, UTF8_NUL_TERMINATED);
        if (n == 0 || (*p < 0x20 && *p != '\t') || *p == 0x7f)
            return 0;
        p += n;
    }
    return 1;
}
