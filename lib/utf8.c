/*
 * utf8 - decoding with maximal subparts, encoding.
 */
#include <config.h>

#include "utf8.h"

/* utf8_need - continuation bytes after lead byte C, and the bounds of the first one; -1 if none. */
static int utf8_need(unsigned char c, unsigned char *lo, unsigned char *hi)
{
    *lo = 0x80;
    *hi = 0xBF;
    if (c == 0xE0)
        *lo = 0xA0; /* overlong */
    else if (c == 0xED)
        *hi = 0x9F; /* surrogates */
    else if (c == 0xF0)
        *lo = 0x90; /* overlong */
    else if (c == 0xF4)
        *hi = 0x8F; /* above U+10FFFF */
    if (c >= 0xC2 && c <= 0xDF)
        return 1;
    if (c >= 0xE0 && c <= 0xEF)
        return 2;
    if (c >= 0xF0 && c <= 0xF4)
        return 3;
    return -1; /* NUL, a stray continuation byte, C0, C1, F5..FF */
}

/* utf8_decode - one character, or the length of what is wrong. */
long utf8_decode(const char *s, size_t len, size_t *n)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned char lo, hi;
    long cp;
    int need;
    size_t i;

    *n = len > 0 ? 1 : 0;
    if (len == 0 || u[0] == 0)
        return -1;
    if (u[0] < 0x80)
        return u[0];
    if ((need = utf8_need(u[0], &lo, &hi)) < 0)
        return -1;
    cp = u[0] & (0x3F >> need);
    for (i = 1; i <= (size_t)need && i < len; i++) {
        if (u[i] < (i == 1 ? lo : 0x80) || u[i] > (i == 1 ? hi : 0xBF))
            break;
        cp = (cp << 6) | (u[i] & 0x3F);
    }
    *n = i;
    return i == (size_t)need + 1 ? cp : -1;
}

/* utf8_len - the length of a well-formed character, else 0. */
size_t utf8_len(const char *s, size_t len)
{
    size_t n;

    return utf8_decode(s, len, &n) < 0 ? 0 : n;
}

/* utf8_encode - one, two, three or four bytes. */
size_t utf8_encode(uint32_t cp, char out[4])
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
