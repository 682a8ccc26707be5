/*
 * message_file - split a message file into header fields.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "message_file.h"

/* Message files larger than this are refused rather than read. */
#define MESSAGE_FILE_MAX_BYTES (64u * 1024 * 1024)

/* message_file_line_end - length of the line at P (without its LF). */
static size_t message_file_line_end(const char *p, const char *end)
{
    const char *nl = memchr(p, '\n', (size_t)(end - p));

    return nl ? (size_t)(nl - p) : (size_t)(end - p);
}

/* message_file_name_len - length of a field name ending in ':', or 0. */
static size_t message_file_name_len(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == ':')
            return i;
        if (c <= 32 || c >= 127)
            return 0;
    }
    return 0;
}

/* message_file_push - append a field; -1 when out of memory. */
static int message_file_push(struct message_file *mf, size_t *cap, const char *name,
                             const char *value)
{
    if (mf->nfields == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        struct header *nf = realloc(mf->fields, ncap * sizeof(*nf));
        if (nf == NULL)
            return -1;
        mf->fields = nf;
        *cap = ncap;
    }
    mf->fields[mf->nfields++] = (struct header){name, value};
    return 0;
}

/*
 * message_file_parse - fields are cut out of one copy of the header
 * section: each name is NUL-terminated in place of its ':', each value in
 * place of the line break that ends its last continuation line.
 */
int message_file_parse(const char *data, size_t len, struct message_file *out)
{
    size_t cap = 0;
    char *p, *end, *name = NULL, *value = NULL;

    memset(out, 0, sizeof(*out));
    out->text = malloc(len + 1);
    if (out->text == NULL)
        return -1;
    memcpy(out->text, data, len);
    out->text[len] = '\0';
    for (size_t i = 0; i < len; i++)
        if (out->text[i] == '\0')
            out->text[i] = ' ';
    p = out->text;
    end = p + len;
    if (len >= 5 && memcmp(p, "From ", 5) == 0)
        p += message_file_line_end(p, end) + (p + message_file_line_end(p, end) < end);
    while (p < end) {
        size_t n = message_file_line_end(p, end);
        char *next = p + n + (p + n < end);
        size_t body = (n > 0 && p[n - 1] == '\r') ? n - 1 : n;
        if (body > 0 && (p[0] == ' ' || p[0] == '\t') && name != NULL) {
            p = next; /* a continuation: stays inside VALUE, unfolded later */
            continue;
        }
        if (name != NULL) {
            p[-1] = '\0'; /* ends the previous field at its line break */
            if (p - 2 >= value && p[-2] == '\r')
                p[-2] = '\0';
            if (message_file_push(out, &cap, name, value) < 0)
                goto oom;
            name = NULL;
        }
        size_t nl = message_file_name_len(p, body);
        if (body == 0 || nl == 0) {
            /* An empty line ends the header section; a line that is no field starts the body. */
            out->body = body == 0 ? next : p;
            break;
        }
        p[nl] = '\0';
        name = p;
        value = p + nl + 1;
        p = next;
    }
    if (out->body == NULL)
        out->body = end;
    out->body_len = (size_t)(end - out->body);
    if (name != NULL) {
        char *last = end;
        while (last > value && (last[-1] == '\n' || last[-1] == '\r'))
            *--last = '\0';
        if (message_file_push(out, &cap, name, value) < 0)
            goto oom;
    }
    return 0;
oom:
    message_file_free(out);
    return -1;
}

/* message_file_read - slurp FP (bounded) and parse it. */
int message_file_read(FILE *fp, struct message_file *out, char *err, size_t errlen)
{
    size_t len = 0, cap = 65536;
    char *buf = malloc(cap);
    int rc = -1;

    memset(out, 0, sizeof(*out));
    if (buf == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (;;) {
        if (len == cap) {
            char *nb = cap < MESSAGE_FILE_MAX_BYTES ? realloc(buf, cap * 2) : NULL;
            if (nb == NULL) {
                snprintf(err, errlen, "message larger than %u bytes", MESSAGE_FILE_MAX_BYTES);
                goto out;
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + len, 1, cap - len, fp);
        len += got;
        if (got == 0)
            break;
    }
    if (ferror(fp)) {
        snprintf(err, errlen, "%s", strerror(errno ? errno : EIO));
        goto out;
    }
    rc = message_file_parse(buf, len, out);
    if (rc < 0)
        snprintf(err, errlen, "out of memory");
out:
    free(buf);
    return rc;
}

/* message_file_free - free the fields and the text. */
void message_file_free(struct message_file *mf)
{
    free(mf->fields);
    free(mf->text);
    memset(mf, 0, sizeof(*mf));
}
