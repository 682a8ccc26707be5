/*
 * json - string escaping for JSON output.
 */
#include <config.h>

#include <string.h>

#include "json.h"
#include "utf8.h"

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
        size_t n;
        if (utf8_decode((const char *)p, UTF8_NUL_TERMINATED, &n) < 0) {
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
