/*
 * json - string escaping for JSON output.
 */
#include <config.h>

#include <stdint.h>
#include <string.h>

#include "json.h"

/* json_utf8_len - length of the valid UTF-8 sequence at S, or 0. */
size_t json_utf8_len(const unsigned char *s)
{
    size_t n;
    uint32_t cp;

    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xc2 && s[0] <= 0xdf)
        n = 2, cp = s[0] & 0x1f;
    else if (s[0] >= 0xe0 && s[0] <= 0xef)
        n = 3, cp = s[0] & 0x0f;
    else if (s[0] >= 0xf0 && s[0] <= 0xf4)
        n = 4, cp = s[0] & 0x07;
    else
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    /* Overlong forms, surrogates and values past U+10FFFF are invalid. */
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

/* json_string - escape S into a JSON string literal. */
void json_string(FILE *fp, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    if (s == NULL) {
        fputs("null", fp);
        return;
    }
    putc('"', fp);
    while (*p) {
        size_t n = json_utf8_len(p);
        if (n == 0) {
            fputs("\\ufffd", fp);
            p++;
        } else if (*p == '"' || *p == '\\') {
            fprintf(fp, "\\%c", *p++);
        } else if (*p == '\n') {
            fputs("\\n", fp), p++;
        } else if (*p == '\r') {
            fputs("\\r", fp), p++;
        } else if (*p == '\t') {
            fputs("\\t", fp), p++;
        } else if (*p < 0x20 || *p == 0x7f) {
            fprintf(fp, "\\u%04x", *p++);
        } else {
            fwrite(p, 1, n, fp);
            p += n;
        }
    }
    putc('"', fp);
}

/* json_key - an object key with its separator. */
void json_key(FILE *fp, const char *key, int first)
{
    if (!first)
        fputs(", ", fp);
    json_string(fp, key);
    fputs(": ", fp);
}
