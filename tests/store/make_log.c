/*
 * make_log - write a known violation log for the tests: make_log DB FILE...
 *
 * Each FILE ("-" is standard input) holds one record a line as
 * "field=value|field=value..." with the column names of SPEC 6; fields
 * left out are empty. In values, "\|", "\\", "\n", "\r", "\t" and "\xNN"
 * stand for themselves, so that a subject can hold any byte but NUL.
 * Empty lines and lines starting with '#' are skipped. Each FILE is
 * appended as one batch through store_append(), the milter's own path,
 * so the records are chained exactly as the milter chains them.
 * Exit status: 0 written, 1 on an error, 2 on a bad line.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

/* make_log_field - the index of field NAME (LEN bytes), or -1. */
static int make_log_field(const char *name, size_t len)
{
    for (int i = 0; i < RF_COUNT; i++)
        if (strlen(record_field_names[i]) == len && memcmp(record_field_names[i], name, len) == 0)
            return i;
    return -1;
}

/* make_log_hex - the value of hex digit C, or -1. */
static int make_log_hex(char c)
{
    const char *d = "0123456789abcdef", *p = c ? strchr(d, c | 0x20) : NULL;

    return p != NULL ? (int)(p - d) : -1;
}

/* make_log_value - decode the value at *S up to an unescaped '|' into OUT; advances *S. */
static int make_log_value(const char **s, char *out)
{
    const char *p = *s;
    size_t o = 0;

    while (*p && *p != '|') {
        if (*p != '\\') {
            out[o++] = *p++;
            continue;
        }
        p++;
        switch (*p) {
        case 'n':
            out[o++] = '\n';
            break;
        case 'r':
            out[o++] = '\r';
            break;
        case 't':
            out[o++] = '\t';
            break;
        case '|':
        case '\\':
            out[o++] = *p;
            break;
        case 'x':
            if (make_log_hex(p[1]) < 0 || make_log_hex(p[2]) < 0 ||
                (make_log_hex(p[1]) | make_log_hex(p[2])) == 0)
                return -1;
            out[o++] = (char)(make_log_hex(p[1]) * 16 + make_log_hex(p[2]));
            p += 2;
            break;
        default:
            return -1;
        }
        p++;
    }
    out[o] = '\0';
    *s = *p ? p + 1 : p;
    return 0;
}

/* make_log_line - LINE into record R (every field filled); 0 or -1. */
static int make_log_line(const char *line, struct record *r)
{
    const char *p = line;
    char *buf = malloc(strlen(line) + 1);
    int rc = -1;

    memset(r, 0, sizeof(*r));
    if (buf == NULL)
        return -1;
    while (*p) {
        const char *eq = strchr(p, '=');
        int f = eq ? make_log_field(p, (size_t)(eq - p)) : -1;
        p = eq ? eq + 1 : p;
        if (f < 0 || make_log_value(&p, buf) < 0 || r->f[f] != NULL)
            goto out;
        if ((r->f[f] = strdup(buf)) == NULL)
            goto out;
    }
    for (int i = 0; i < RF_COUNT; i++)
        if (r->f[i] == NULL && (r->f[i] = strdup("")) == NULL)
            goto out;
    rc = 0;
out:
    free(buf);
    if (rc < 0)
        record_clear(r);
    return rc;
}

/* make_log_file - the records of PATH into *RECS (*N of them); 0, -1 I/O, -2 bad line. */
static int make_log_file(const char *path, struct record **recs, size_t *n)
{
    FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    char *line = NULL;
    size_t cap = 0, lineno = 0, room = 0;
    ssize_t len;
    int rc = 0;

    if (fp == NULL) {
        perror(path);
        return -1;
    }
    while (rc == 0 && (len = getline(&line, &cap, fp)) >= 0) {
        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0 || line[0] == '#')
            continue;
        /* Doubling: a realloc per record is quadratic (ASan's realloc always moves). */
        if (*n == room) {
            struct record *nr = realloc(*recs, (room = room ? 2 * room : 64) * sizeof(*nr));
            if (nr == NULL) {
                rc = -1;
                break;
            }
            *recs = nr;
        }
        if (make_log_line(line, &(*recs)[*n]) < 0) {
            fprintf(stderr, "%s:%zu: bad record line\n", path, lineno);
            rc = -2;
        } else {
            (*n)++;
        }
    }
    free(line);
    if (fp != stdin)
        fclose(fp);
    return rc;
}

/* main - one batch per file. */
int main(int argc, char **argv)
{
    char err[512];
    struct store *s;
    int status = 0;

    if (argc < 3) {
        fprintf(stderr, "usage: make_log DB FILE...\n");
        return 2;
    }
    if ((s = store_open(argv[1], STORE_WRITE, 5000, err, sizeof(err))) == NULL) {
        fprintf(stderr, "make_log: %s\n", err);
        return 1;
    }
    for (int i = 2; i < argc && status == 0; i++) {
        struct record *recs = NULL;
        size_t n = 0;
        int rc = make_log_file(argv[i], &recs, &n);
        if (rc < 0)
            status = rc == -2 ? 2 : 1;
        else if (store_append(s, recs, n) < 0) {
            fprintf(stderr, "make_log: %s\n", store_error(s));
            status = 1;
        }
        for (size_t j = 0; j < n; j++)
            record_clear(&recs[j]);
        free(recs);
    }
    store_close(s);
    return status;
}
