/*
 * config_include - @include expanded before libconfig parses, with a line map.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_include.h"

/* Where the scanner is: libconfig's start conditions outside @include. */
enum scan_state { SCAN_INITIAL, SCAN_COMMENT, SCAN_STRING };

/* One file being expanded. */
struct scan_file {
    const char *src;
    size_t len;
    unsigned file; /* index into cfg_text.files */
    const char *dir;
    int depth;
};

/* text_put - append byte CH from FILE:LINE to T. */
static void text_put(struct cfg_text *t, char ch, unsigned file, unsigned line)
{
    if (t->oom)
        return;
    if (t->at_bol) {
        if (t->nlines == t->clines) {
            size_t n = t->clines ? 2 * t->clines : 64;
            struct cfg_text_line *l = realloc(t->lines, n * sizeof(*l));
            if (l == NULL) {
                t->oom = 1;
                return;
            }
            t->lines = l, t->clines = n;
        }
        t->lines[t->nlines++] = (struct cfg_text_line){file, line};
    }
    if (t->len + 2 > t->cap) {
        size_t n = t->cap ? 2 * t->cap : 4096;
        char *p = realloc(t->text, n);
        if (p == NULL) {
            t->oom = 1;
            return;
        }
        t->text = p, t->cap = n;
    }
    t->text[t->len++] = ch;
    t->text[t->len] = '\0';
    t->at_bol = ch == '\n';
}

/* text_add_file - keep PATH (given away) as a file name of T; its index, or -1. */
static int text_add_file(struct cfg_text *t, char *path)
{
    if (t->nfiles == t->cfiles) {
        size_t n = t->cfiles ? 2 * t->cfiles : 8;
        char **f = realloc(t->files, n * sizeof(*f));
        if (f == NULL) {
            free(path);
            return -1;
        }
        t->files = f, t->cfiles = n;
    }
    t->files[t->nfiles] = path;
    return (int)t->nfiles++;
}

/* file_name - the name of file IDX of T for messages. */
static const char *file_name(const struct cfg_ctx *c, const struct cfg_text *t, unsigned idx)
{
    return idx < t->nfiles && t->files[idx] != NULL ? t->files[idx] : c->name;
}

/* read_file - the whole of regular file PATH into *BUF (*LEN bytes); 0 or an errno. */
static int read_file(const char *path, char **buf, size_t *len)
{
    /* O_NONBLOCK: a FIFO named by mistake must not hang the load. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK), err = 0;
    struct stat st;
    ssize_t n = 0;

    *buf = NULL;
    if (fd < 0)
        return errno;
    if (fstat(fd, &st) < 0)
        err = errno;
    else if (!S_ISREG(st.st_mode))
        err = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
    else if ((*buf = malloc((size_t)st.st_size + 1)) == NULL)
        err = ENOMEM;
    for (*len = 0; err == 0 && *len < (size_t)st.st_size; *len += (size_t)n) {
        n = read(fd, *buf + *len, (size_t)st.st_size - *len);
        if (n < 0 && errno != EINTR)
            err = errno;
        else if (n <= 0)
            break; /* the file shrank: what was read is what there is */
    }
    close(fd);
    if (err != 0) {
        free(*buf);
        *buf = NULL;
    } else {
        (*buf)[*len] = '\0';
    }
    return err;
}

/*
 * include_match - at S (N bytes, the start of a line outside comments and
 * strings) libconfig's `^[ \t]*@include[ \t]+"` and the name up to the
 * closing quote (\\ and \" unescaped). Returns 1 with the name in *NAME
 * and the bytes used in *USED, 0 when S is not an @include, -1 when the
 * name has no closing quote, -2 when out of memory.
 */
static int include_match(const char *s, size_t n, size_t *used, char **name)
{
    size_t i = strspn(s, " \t"), k, o = 0;

    if (i > n || n - i < 9 || memcmp(s + i, "@include", 8) != 0 ||
        (s[i + 8] != ' ' && s[i + 8] != '\t'))
        return 0;
    i += 8 + strspn(s + i + 8, " \t");
    if (i >= n || s[i] != '"')
        return 0;
    for (k = i + 1; k < n && s[k] != '"'; k++)
        if (s[k] == '\\' && k + 1 < n && (s[k + 1] == '\\' || s[k + 1] == '"'))
            k++;
    if (k >= n)
        return -1;
    if ((*name = malloc(k - i)) == NULL)
        return -2;
    for (size_t j = i + 1; j < k; j++) {
        if (s[j] == '\\' && j + 1 < k && (s[j + 1] == '\\' || s[j + 1] == '"'))
            j++;
        (*name)[o++] = s[j];
    }
    (*name)[o] = '\0';
    *used = k + 1;
    return 1;
}

/* path_join - NAME, or DIR/NAME for a relative NAME; a new string or NULL. */
static char *path_join(const char *dir, const char *name)
{
    size_t dl, nl = strlen(name);
    char *p;

    if (name[0] == '/' || dir == NULL)
        return strdup(name);
    dl = strlen(dir);
    if ((p = malloc(dl + nl + 2)) == NULL)
        return NULL;
    memcpy(p, dir, dl);
    p[dl] = '/';
    memcpy(p + dl + 1, name, nl + 1);
    return p;
}

/* path_dir - the directory of PATH (a new string), NULL for none ("x.conf"); *OOM set on failure.
 */
static char *path_dir(const char *path, int *oom)
{
    const char *slash = strrchr(path, '/');
    char *d;

    if (slash == NULL)
        return NULL;
    d = slash == path ? strdup("/") : strndup(path, (size_t)(slash - path));
    *oom = d == NULL;
    return d;
}

static int expand(struct cfg_ctx *c, struct cfg_text *t, const struct scan_file *f);

/* include_splice - the expansion of file NAME, included by F at LINE. 0 or -1 (reported). */
static int include_splice(struct cfg_ctx *c, struct cfg_text *t, const struct scan_file *f,
                          unsigned line, const char *name)
{
    struct scan_file in = {.depth = f->depth + 1};
    char *path = path_join(f->dir, name), *buf = NULL, *dir = NULL, ebuf[128];
    int idx, err, oom = 0, rc = -1;
    size_t len = 0;

    if (path == NULL)
        return cfg_oom(c, NULL);
    if (in.depth > CFG_INCLUDE_DEPTH) {
        cfg_report_at(c, CONFIG_ERROR, file_name(c, t, f->file), (int)line,
                      "@include \"%s\": include file nesting too deep (at most %d)", path,
                      CFG_INCLUDE_DEPTH);
        free(path);
        return -1;
    }
    if ((err = read_file(path, &buf, &len)) != 0) {
        cfg_report_at(c, CONFIG_ERROR, file_name(c, t, f->file), (int)line,
                      "cannot open include file %s: %s", path,
                      err == EINVAL ? "not a regular file" : strerror_r(err, ebuf, sizeof(ebuf)));
        free(path);
        return -1;
    }
    dir = path_dir(path, &oom);
    if (oom || (idx = text_add_file(t, path)) < 0) {
        free(dir);
        free(buf);
        return cfg_oom(c, NULL);
    }
    in.src = buf, in.len = len, in.file = (unsigned)idx, in.dir = dir;
    rc = expand(c, t, &in);
    /* What follows the name on the including line starts a line of its own. */
    if (rc == 0 && !t->at_bol)
        text_put(t, '\n', in.file, 0);
    free(dir);
    free(buf);
    return rc;
}

/* scan_step - copy the construct at F->src[*I] in state *ST; returns the bytes copied. */
static size_t scan_step(struct cfg_text *t, const struct scan_file *f, size_t i,
                        enum scan_state *st, unsigned line)
{
    const char *s = f->src + i;
    size_t n = 1, left = f->len - i;

    switch (*st) {
    case SCAN_INITIAL:
        if (s[0] == '"')
            *st = SCAN_STRING;
        else if (s[0] == '/' && left > 1 && s[1] == '*')
            *st = SCAN_COMMENT, n = 2;
        else if (s[0] == '#' || (s[0] == '/' && left > 1 && s[1] == '/'))
            n = strcspn(s, "\n"); /* a comment to the end of the line */
        break;
    case SCAN_STRING:
        if (s[0] == '\\' && left > 1 && (s[1] == '"' || s[1] == '\\'))
            n = 2;
        else if (s[0] == '"')
            *st = SCAN_INITIAL;
        break;
    case SCAN_COMMENT:
        if (s[0] == '*' && left > 1 && s[1] == '/')
            *st = SCAN_INITIAL, n = 2;
        break;
    }
    for (size_t k = 0; k < n; k++)
        text_put(t, s[k], f->file, line);
    return n;
}

/* expand - file F into T, each @include spliced in. 0 or -1 (reported). */
static int expand(struct cfg_ctx *c, struct cfg_text *t, const struct scan_file *f)
{
    enum scan_state st = SCAN_INITIAL;
    unsigned line = 1;
    size_t i = 0, used;
    char *name;

    if (memchr(f->src, '\0', f->len) != NULL) {
        cfg_report_at(c, CONFIG_ERROR, file_name(c, t, f->file), 0, "holds a NUL byte");
        return -1;
    }
    while (i < f->len && !t->oom) {
        if (st == SCAN_INITIAL && (i == 0 || f->src[i - 1] == '\n')) {
            int m = include_match(f->src + i, f->len - i, &used, &name);
            if (m == -2)
                return cfg_oom(c, NULL);
            if (m == -1) {
                cfg_report_at(c, CONFIG_ERROR, file_name(c, t, f->file), (int)line,
                              "@include: the file name has no closing quote");
                return -1;
            }
            if (m > 0) {
                int rc = include_splice(c, t, f, line, name);
                free(name);
                if (rc < 0)
                    return -1;
                i += used;
                continue;
            }
        }
        if (f->src[i] == '\n')
            text_put(t, '\n', f->file, line++), i++;
        else
            i += scan_step(t, f, i, &st, line);
    }
    if (t->oom)
        return cfg_oom(c, NULL);
    /* libconfig would carry the open comment or string on into the including file. */
    if (st != SCAN_INITIAL && f->depth > 0) {
        cfg_report_at(c, CONFIG_ERROR, file_name(c, t, f->file), (int)line,
                      "the included file ends inside a %s",
                      st == SCAN_STRING ? "string" : "comment");
        return -1;
    }
    return 0;
}

/* cfg_include_expand - the main file's text with every @include spliced in. */
int cfg_include_expand(struct cfg_ctx *c, const char *src, size_t len, const char *dir,
                       struct cfg_text *t)
{
    struct scan_file f = {.src = src, .len = len, .file = 0, .dir = dir, .depth = 0};

    memset(t, 0, sizeof(*t));
    t->at_bol = 1;
    if (text_add_file(t, NULL) < 0)
        return cfg_oom(c, NULL);
    if (expand(c, t, &f) < 0)
        return -1;
    if (t->text == NULL)
        text_put(t, '\n', 0, 1); /* an empty file is an empty text, not NULL */
    return t->oom ? cfg_oom(c, NULL) : 0;
}

/* cfg_include_where - the file (NULL: main) and line of expanded line LINE. */
const char *cfg_include_where(const struct cfg_text *t, int line, int *file_line)
{
    if (line < 1 || (size_t)line > t->nlines) {
        *file_line = line;
        return NULL;
    }
    *file_line = (int)t->lines[line - 1].line;
    return t->files[t->lines[line - 1].file];
}

/* cfg_include_fix - every setting's line and file, from the line map. */
void cfg_include_fix(const struct cfg_text *t, config_setting_t *root)
{
    int n = config_setting_length(root), line;

    if (root->line > 0) {
        /* libconfig 1.5's settings hold their origin in public fields. */
        root->file = cfg_include_where(t, (int)root->line, &line);
        root->line = (unsigned)line;
    }
    for (int i = 0; i < n && config_setting_is_aggregate(root); i++)
        cfg_include_fix(t, config_setting_get_elem(root, (unsigned)i));
}

/* cfg_include_free - the text, the line map and the file names. */
void cfg_include_free(struct cfg_text *t)
{
    for (size_t i = 0; i < t->nfiles; i++)
        free(t->files[i]);
    free(t->files);
    free(t->lines);
    free(t->text);
    memset(t, 0, sizeof(*t));
}
