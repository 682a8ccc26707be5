/*
 * quote - names and texts escaped for SMTP replies, headers and reasons.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "quote.h"
#include "text.h"
#include "utf8.h"

#define QUOTE_WORD_MAX 75 /* RFC 2047 2: an encoded word is at most 75 characters */
#define QUOTE_WORD_OPEN "=?UTF-8?Q?"

/* quote_char_len - bytes of the character at S: a UTF-8 sequence, else one byte. */
static size_t quote_char_len(const char *s)
{
    size_t n = utf8_len(s, strnlen(s, 4));

    return n == 0 ? 1 : n;
}

/* quote_smtp_run - bytes at S that stand as themselves: printable ASCII, '%' only outside
   libmilter's replies (MILTER). */
static size_t quote_smtp_run(const char *s, int milter)
{
    size_t n = 0;

    while ((unsigned char)s[n] >= 0x20 && (unsigned char)s[n] < 0x7f && !(milter && s[n] == '%'))
        n++;
    return n;
}

/* quote_smtp - printable ASCII, '?' for each other character, '%' doubled for libmilter. */
const char *quote_smtp(const char *text, int milter, char *out, size_t len)
{
    size_t o = 0;

    for (const char *p = text; *p != '\0';) {
        /* A run that needs nothing copied at once: a refusal's text, every
           refused recipient, is mostly one run. */
        size_t run = quote_smtp_run(p, milter);
        if (run > 0) {
            if (run > len - 1 - o)
                run = len - 1 - o;
            memcpy(out + o, p, run);
            o += run;
            p += run;
            if (o + 1 >= len)
                break;
            continue;
        }
        unsigned char c = (unsigned char)*p;
        size_t n = c < 0x80 ? 1 : quote_char_len(p);
        char put = c < 0x20 || c == 0x7f ? ' ' : c >= 0x80 ? '?' : (char)c;
        size_t need = put == '%' && milter ? 2 : 1;

        if (o + need >= len)
            break;
        out[o++] = put;
        if (need == 2)
            out[o++] = '%';
        p += n;
    }
    out[o] = '\0';
    return out;
}

/* quote_is_plain - 1 when S is printable ASCII without "=?" (no encoded word needed). */
static int quote_is_plain(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
        if (*p < 0x20 || *p > 0x7e)
            return 0;
    return strstr(s, "=?") == NULL;
}

/* quote_q_safe - 1 when byte C stands as itself in a Q encoded word (RFC 2047 5(3)). */
static int quote_q_safe(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           strchr("!*+-/", c) != NULL;
}

/* quote_q_len - characters of the Q encoding of the N bytes at S. */
static size_t quote_q_len(const unsigned char *s, size_t n)
{
    size_t w = 0;

    for (size_t i = 0; i < n; i++)
        w += quote_q_safe(s[i]) || s[i] == ' ' ? 1 : 3;
    return w;
}

/* quote_q_put - the Q encoding of the N bytes at S at OUT + *O (room checked by the caller). */
static void quote_q_put(const unsigned char *s, size_t n, char *out, size_t *o)
{
    static const char hex[] = "0123456789ABCDEF";

    for (size_t i = 0; i < n; i++) {
        if (quote_q_safe(s[i])) {
            out[(*o)++] = (char)s[i];
        } else if (s[i] == ' ') {
            out[(*o)++] = '_';
        } else {
            out[(*o)++] = '=';
            out[(*o)++] = hex[s[i] >> 4];
            out[(*o)++] = hex[s[i] & 15];
        }
    }
}

/*
 * quote_encoded - TEXT as encoded words at OUT + *O, each on a folded
 * line of its own; a word holds whole characters, so that each decodes
 * on its own (RFC 2047 5). -1 when LEN is too small.
 */
static int quote_encoded(const char *text, char *out, size_t len, size_t *o)
{
    const size_t open = strlen(QUOTE_WORD_OPEN);
    size_t word = 0; /* characters of the open word; 0: none open */

    for (const char *p = text; *p != '\0';) {
        size_t n = quote_char_len(p), w = quote_q_len((const unsigned char *)p, n);

        if (word > 0 && word + w + 2 > QUOTE_WORD_MAX) {
            if (*o + 2 >= len)
                return -1;
            memcpy(out + *o, "?=", 2), *o += 2;
            word = 0;
        }
        if (word == 0) {
            if (*o + 2 + open >= len)
                return -1;
            memcpy(out + *o, "\n " QUOTE_WORD_OPEN, 2 + open), *o += 2 + open;
            word = open;
        }
        if (*o + w >= len)
            return -1;
        quote_q_put((const unsigned char *)p, n, out, o);
        word += w;
        p += n;
    }
    if (word > 0) {
        if (*o + 2 >= len)
            return -1;
        memcpy(out + *o, "?=", 2), *o += 2;
    }
    out[*o] = '\0';
    return 0;
}

/* quote_string_into - S as a quoted-string ('"' and '\' escaped) at OUT + *O; -1 when full. */
static int quote_string_into(const char *s, char *out, size_t len, size_t *o)
{
    if (*o + 1 >= len)
        return -1;
    out[(*o)++] = '"';
    for (; *s != '\0'; s++) {
        if (*o + 3 >= len)
            return -1;
        if (*s == '"' || *s == '\\')
            out[(*o)++] = '\\';
        out[(*o)++] = *s;
    }
    out[(*o)++] = '"';
    out[*o] = '\0';
    return 0;
}

/* quote_tag - `RULE; department="DEPT"; address=ADDR`, encoded after "RULE;" when needed. */
int quote_tag(const char *rule, const char *dept, const char *address, char *out, size_t len)
{
    char rest[2048];
    size_t o = 0;
    int n;

    if (len == 0)
        return -1;
    n = snprintf(rest, sizeof(rest), "department=");
    o = (size_t)n;
    if (quote_string_into(dept, rest, sizeof(rest), &o) < 0)
        return -1;
    n = snprintf(rest + o, sizeof(rest) - o, "; address=%s", address);
    if (n < 0 || (size_t)n >= sizeof(rest) - o)
        return -1;
    o = 0;
    n = snprintf(out, len, "%s;", rule);
    if (n < 0 || (size_t)n >= len)
        return -1;
    o = (size_t)n;
    if (!quote_is_plain(rest))
        return quote_encoded(rest, out, len, &o);
    n = snprintf(out + o, len - o, " %s", rest);
    return n < 0 || (size_t)n >= len - o ? -1 : 0;
}

/* quote_reason_name - NAME, or NAME as a quoted-string when it holds ( ) , " or \. */
const char *quote_reason_name(const char *name, char *out, size_t len)
{
    size_t o = 0;

    if (strpbrk(name, "(),\"\\") == NULL) {
        snprintf(out, len, "%s", name);
        return out;
    }
    if (quote_string_into(name, out, len, &o) < 0)
        snprintf(out, len, "\"...\""); /* never a cut quoted-string */
    return out;
}
