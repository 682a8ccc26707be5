/*
 * dkim_sign - sign a message for the tests with libopendkim's signer.
 *
 * Usage: dkim_sign -d DOMAIN -s SELECTOR -k KEYFILE [-c relaxed|simple] [FILE]
 *
 * Reads the message (LF or CRLF line ends) from FILE or standard input
 * and writes it to standard output, unchanged, after one DKIM-Signature
 * field (rsa-sha256, the canonicalization given for header and body,
 * every header field signed). opendkim-testmsg would do, but 2.11.0's
 * writes rsa-sha1 signatures whose b= tag ends twice. Folded fields are
 * handed over with CRLF (libopendkim's FIXCRLF cuts them short), and the
 * signature is printed with LF line ends, as the rest of the file.
 *
 * A test program, not part of officialmail: it includes libopendkim's
 * header because signing is all it does.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include <opendkim/dkim.h>

/* read_all - the whole of FP, NUL-terminated; NULL on error. */
static char *read_all(FILE *fp, size_t *len)
{
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap + 1);

    while (buf != NULL) {
        size_t got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (got == 0)
            break;
        if (n == cap) {
            char *nb = realloc(buf, 2 * cap + 1);
            if (nb == NULL)
                break;
            buf = nb;
            cap *= 2;
        }
    }
    if (buf == NULL || ferror(fp) || n == cap) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* feed_headers - each field (with its continuation lines) to DKIM; returns the body start. */
static const char *feed_headers(DKIM *dkim, const char *msg)
{
    const char *p = msg;

    while (*p != '\0' && *p != '\n' && !(p[0] == '\r' && p[1] == '\n')) {
        const char *end = p;
        for (;;) { /* a field ends at a line break not followed by blanks */
            const char *nl = strchr(end, '\n');
            if (nl == NULL) {
                end += strlen(end);
                break;
            }
            end = nl + 1;
            if (*end != ' ' && *end != '\t')
                break;
        }
        size_t len = (size_t)(end - p), o = 0;
        while (len > 0 && (p[len - 1] == '\n' || p[len - 1] == '\r'))
            len--;
        char *field = malloc(2 * len + 1); /* CRLF folding, as DKIM hashes it */
        for (size_t i = 0; field != NULL && i < len; i++) {
            if (p[i] == '\n' && (i == 0 || p[i - 1] != '\r'))
                field[o++] = '\r';
            field[o++] = p[i];
        }
        if (field == NULL || (o > 0 && dkim_header(dkim, (u_char *)field, o) != DKIM_STAT_OK))
            fprintf(stderr, "dkim_sign: field refused: %.*s\n", (int)len, p);
        free(field);
        p = end;
    }
    return *p == '\r' ? p + 2 : *p == '\n' ? p + 1 : p;
}

/* sign - the DKIM-Signature field for MSG, printed with MSG after it. */
static int sign(DKIM *dkim, const char *msg)
{
    const char *body = feed_headers(dkim, msg);
    u_char *sig = NULL;
    size_t siglen = 0;

    if (dkim_eoh(dkim) != DKIM_STAT_OK)
        return -1;
    for (const char *p = body; *p != '\0';) { /* the body with CRLF line ends */
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len > 0 && p[len - 1] == '\r')
            len--;
        if (dkim_body(dkim, (u_char *)p, len) != DKIM_STAT_OK ||
            (nl != NULL && dkim_body(dkim, (u_char *)"\r\n", 2) != DKIM_STAT_OK))
            return -1;
        p = nl ? nl + 1 : p + len;
    }
    if (dkim_eom(dkim, NULL) != DKIM_STAT_OK ||
        dkim_getsighdr_d(dkim, strlen("DKIM-Signature: "), &sig, &siglen) != DKIM_STAT_OK)
        return -1;
    fputs("DKIM-Signature: ", stdout);
    for (const u_char *q = sig; *q != '\0'; q++)
        if (*q != '\r')
            putchar(*q);
    printf("\n%s", msg);
    return fflush(stdout) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    const char *domain = NULL, *selector = NULL, *keyfile = NULL, *canon = "relaxed";
    char *key = NULL, *msg = NULL;
    size_t klen, mlen;
    DKIM_LIB *lib = NULL;
    DKIM *dkim = NULL;
    DKIM_STAT st;
    int c, rc = 1;

    while ((c = getopt(argc, argv, "d:s:k:c:")) != -1) {
        if (c == 'd')
            domain = optarg;
        else if (c == 's')
            selector = optarg;
        else if (c == 'k')
            keyfile = optarg;
        else if (c == 'c')
            canon = optarg;
        else
            goto usage;
    }
    FILE *kf = keyfile ? fopen(keyfile, "r") : NULL;
    FILE *in = optind < argc ? fopen(argv[optind], "rb") : stdin;
    if (domain == NULL || selector == NULL || kf == NULL || in == NULL)
        goto usage;
    key = read_all(kf, &klen);
    msg = read_all(in, &mlen);
    fclose(kf);
    if (in != stdin)
        fclose(in);
    dkim_canon_t cn = strcmp(canon, "simple") == 0 ? DKIM_CANON_SIMPLE : DKIM_CANON_RELAXED;
    if (key == NULL || msg == NULL || (lib = dkim_init(NULL, NULL)) == NULL)
        goto out;
    dkim = dkim_sign(lib, (u_char *)"test", NULL, (u_char *)key, (u_char *)selector,
                     (u_char *)domain, cn, cn, DKIM_SIGN_RSASHA256, -1, &st);
    if (dkim == NULL || st != DKIM_STAT_OK || sign(dkim, msg) < 0)
        fprintf(stderr, "dkim_sign: %s\n", dkim ? dkim_geterror(dkim) : dkim_getresultstr(st));
    else
        rc = 0;
out:
    if (dkim != NULL)
        dkim_free(dkim);
    if (lib != NULL)
        dkim_close(lib);
    free(key);
    free(msg);
    return rc;
usage:
    fprintf(stderr,
            "usage: dkim_sign -d DOMAIN -s SELECTOR -k KEYFILE [-c relaxed|simple] [FILE]\n");
    return 2;
}
