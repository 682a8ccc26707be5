/*
 * mailsource - walk mbox files, Maildirs, message files and directories.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mailsource.h"

/* Directories inside directories: deeper is a loop or a mistake. */
#define MAILSOURCE_MAX_DEPTH 16

/* ms_error - report SOURCE as unreadable (WHY) to FN. */
static int ms_error(const char *source, const char *why, mailsource_fn fn, void *arg)
{
    struct mailsource_msg m = {.name = source, .error = why};

    return fn(&m, arg);
}

/* ms_field_line - 1 when the LEN bytes at P start a header field ("Name:"). */
static int ms_field_line(const char *p, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == ':')
            return i > 0;
        if (c <= 32 || c >= 127)
            return 0;
    }
    return 0;
}

/* mailsource_header_len - up to the empty line (or the first line that is no field). */
size_t mailsource_header_len(const char *data, size_t len, int *ended)
{
    size_t pos = 0;

    *ended = 0;
    while (pos < len) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - data) + 1 : len, n = end - pos;
        size_t body = n - (nl != NULL);
        if (body > 0 && data[pos + body - 1] == '\r')
            body--;
        if (body == 0 && nl != NULL) { /* the empty line */
            *ended = 1;
            return end;
        }
        int cont = pos > 0 && (data[pos] == ' ' || data[pos] == '\t');
        if (!cont && !ms_field_line(data + pos, body)) {
            *ended = pos > 0; /* the body starts here, as an MTA takes it */
            return pos;
        }
        pos = end;
    }
    return len;
}

/* ms_from_line - 1 when a "From " separator line starts at DATA + POS. */
static int ms_from_line(const char *data, size_t len, size_t pos)
{
    return len - pos >= 5 && memcmp(data + pos, "From ", 5) == 0 &&
           (pos == 0 || data[pos - 1] == '\n');
}

/* mailsource_mbox - split at "From " lines; each message without its separator line. */
int mailsource_mbox(const char *name, const char *data, size_t len, mailsource_fn fn, void *arg)
{
    size_t pos = 0, line = 1, count = 0;
    char label[4096];

    while (pos < len) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t start = nl ? (size_t)(nl - data) + 1 : len, from_line = line, end = start;
        line++;
        /* The message runs to the next separator; its line breaks are counted on the way. */
        while (end < len && !ms_from_line(data, len, end)) {
            const char *e = memchr(data + end, '\n', len - end);
            end = e ? (size_t)(e - data) + 1 : len;
            line++;
        }
        size_t mlen = end - start;
        /* The empty line a writer puts before the next separator is not the message's. */
        if (end < len && mlen > 0 && data[end - 1] == '\n') {
            mlen--;
            if (mlen > 0 && data[start + mlen - 1] == '\r')
                mlen--;
        }
        count++;
        snprintf(label, sizeof(label), "%s:%zu (line %zu)", name, count, from_line);
        struct mailsource_msg m = {.name = label, .data = data + start, .len = mlen};
        int rc = fn(&m, arg);
        if (rc != 0)
            return rc;
        pos = end;
    }
    return 0;
}

/* ms_file - one regular file: an mbox when it starts with "From ", else one message. */
static int ms_file(const char *path, const struct stat *st, mailsource_fn fn, void *arg)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY), rc;
    void *map = NULL;
    char why[256];

    if (fd < 0) {
        snprintf(why, sizeof(why), "cannot open: %s", strerror(errno));
        return ms_error(path, why, fn, arg);
    }
    if (st->st_size > 0) {
        map = mmap(NULL, (size_t)st->st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map == MAP_FAILED) {
            snprintf(why, sizeof(why), "cannot read: %s", strerror(errno));
            close(fd);
            return ms_error(path, why, fn, arg);
        }
    }
    close(fd);
    const char *data = map ? map : "";
    size_t len = (size_t)st->st_size;
    if (len >= 5 && memcmp(data, "From ", 5) == 0) {
        rc = mailsource_mbox(path, data, len, fn, arg);
    } else {
        struct mailsource_msg m = {.name = path, .data = data, .len = len};
        rc = fn(&m, arg);
    }
    if (map != NULL)
        munmap(map, len);
    return rc;
}

/* ms_cmp - name order for qsort. */
static int ms_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ms_list - the names in DIR (not starting with '.'), sorted, into *OUT. -1 with errno. */
static int ms_list(const char *dir, char ***out, size_t *n)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t cap = 0;

    *out = NULL;
    *n = 0;
    if (d == NULL)
        return -1;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (*n == cap) {
            char **nv = realloc(*out, (cap = cap ? cap * 2 : 64) * sizeof(*nv));
            if (nv == NULL)
                goto oom;
            *out = nv;
        }
        if (((*out)[*n] = strdup(e->d_name)) == NULL)
            goto oom;
        (*n)++;
    }
    closedir(d);
    if (*n > 0)
        qsort(*out, *n, sizeof(**out), ms_cmp);
    return 0;
oom:
    closedir(d);
    for (size_t i = 0; i < *n; i++)
        free((*out)[i]);
    free(*out);
    *out = NULL;
    *n = 0;
    errno = ENOMEM;
    return -1;
}

static int ms_walk(const char *path, int depth, int maildir_part, mailsource_fn fn, void *arg);

/* ms_is_maildir - 1 when DIR has cur/ or new/ (a Maildir). */
static int ms_is_maildir(const char *dir)
{
    char p[4096];
    struct stat st;

    for (int i = 0; i < 2; i++) {
        snprintf(p, sizeof(p), "%s/%s", dir, i ? "new" : "cur");
        if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
            return 1;
    }
    return 0;
}

/* ms_dir - a Maildir's cur/ and new/, or every entry of a directory. */
static int ms_dir(const char *dir, int depth, mailsource_fn fn, void *arg)
{
    static const char *const parts[] = {"cur", "new"};
    int maildir = ms_is_maildir(dir), rc = 0;
    char sub[4096], why[256];

    for (int k = 0; k < (maildir ? 2 : 1) && rc == 0; k++) {
        char **names;
        size_t n;
        const char *base = dir;
        if (maildir) {
            snprintf(sub, sizeof(sub), "%s/%s", dir, parts[k]);
            base = sub;
        }
        if (ms_list(base, &names, &n) < 0) {
            if (maildir && errno == ENOENT)
                continue; /* a Maildir with new/ but no cur/ */
            snprintf(why, sizeof(why), "cannot list: %s", strerror(errno));
            rc = ms_error(base, why, fn, arg);
            continue;
        }
        for (size_t i = 0; i < n; i++) {
            char path[4096];
            if (rc == 0 &&
                (size_t)snprintf(path, sizeof(path), "%s/%s", base, names[i]) >= sizeof(path))
                rc = ms_error(names[i], "path too long", fn, arg);
            else if (rc == 0)
                rc = ms_walk(path, depth + 1, maildir, fn, arg);
            free(names[i]);
        }
        free(names);
    }
    return rc;
}

/* ms_walk - a file or a directory; in a Maildir's cur/ and new/ every file is one message. */
static int ms_walk(const char *path, int depth, int maildir_part, mailsource_fn fn, void *arg)
{
    struct stat st;
    char why[256];

    if (stat(path, &st) < 0) {
        snprintf(why, sizeof(why), "cannot read: %s", strerror(errno));
        return ms_error(path, why, fn, arg);
    }
    if (S_ISDIR(st.st_mode)) {
        if (maildir_part)
            return 0; /* a directory inside cur/ is no message */
        if (depth > MAILSOURCE_MAX_DEPTH)
            return ms_error(path, "directories nested too deep", fn, arg);
        return ms_dir(path, depth, fn, arg);
    }
    if (!S_ISREG(st.st_mode))
        return ms_error(path, "not a regular file or a directory", fn, arg);
    return ms_file(path, &st, fn, arg);
}

/* mailsource_walk - SOURCE, whatever kind it is. */
int mailsource_walk(const char *source, mailsource_fn fn, void *arg)
{
    return ms_walk(source, 0, 0, fn, arg);
}
