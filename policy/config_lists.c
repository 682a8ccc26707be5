/*
 * config_lists - the domain and network settings of the configuration:
 * official_domains, the webmail list files, extra_webmail_domains,
 * not_webmail_domains, internal_networks, and the warnings about how
 * they overlap.
 *
 * List files are read with plain read(2) in large chunks and split in
 * place: a 5,000-line list costs one pass and one hash insertion per
 * domain. They are opened non-blocking and must be regular files, so a
 * FIFO or a device named by mistake (or by a fuzzer) cannot hang a load;
 * lines and files have ceilings for the same reason.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_util.h"

#ifndef PKGDATADIR
#define PKGDATADIR "/usr/share/officialmail"
#endif

#define LIST_DEFAULT PKGDATADIR "/webmail-domains.txt"
#define LIST_LINE_MAX 1024        /* a domain is at most 253 bytes; room for a comment */
#define LIST_FILE_MAX (64L << 20) /* far above any real list */
#define LIST_ERRORS_MAX 10        /* per file: a wrong file is not worth 10,000 lines */
#define LIST_CHUNK 65536

/* State of one list file being read. */
struct list_reader {
    const char *file; /* interned path, for messages and origins */
    int lineno;
    unsigned errors;
    size_t len;   /* bytes of the current line in LINE */
    int too_long; /* the current line passed LIST_LINE_MAX */
    char line[LIST_LINE_MAX + 1];
};

/* cfg_intern_path - a copy of NAME kept for the whole load (origins point at it). */
static const char *cfg_intern_path(struct cfg_ctx *c, const char *name)
{
    char *copy;

    for (size_t i = c->npaths; i-- > 0;)
        if (strcmp(c->paths[i], name) == 0)
            return c->paths[i];
    copy = strdup(name);
    if (copy == NULL || cfg_strv_push(&c->paths, &c->npaths, copy) < 0)
        return NULL;
    return copy;
}

/* cfg_add_webmail - add normalised D to the webmail set, remembering where it came from. */
static int cfg_add_webmail(struct cfg_ctx *c, const char *d, const char *file, int line)
{
    int rc;

    if (c->norigins == c->corigins) {
        size_t cap = c->corigins ? c->corigins * 2 : 1024;
        struct cfg_origin *v = realloc(c->origins, cap * sizeof(*v));
        if (v == NULL)
            return -1;
        c->origins = v;
        c->corigins = cap;
    }
    if (c->norigins > (size_t)0x7fffffff)
        return -1;
    rc = domain_set_add(c->p->webmail, d, (int)c->norigins);
    if (rc < 0)
        return -1;
    if (rc == 1) { /* a duplicate keeps its first origin */
        c->origins[c->norigins].file = file;
        c->origins[c->norigins].line = line;
        c->norigins++;
    }
    return 0;
}

/* cfg_is_blank - 1 for the blanks a list line may start or end with. */
static int cfg_is_blank(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' || ch == '\f';
}

/* cfg_list_line - handle one complete line of a list file. 0, or -1 when out of memory. */
static int cfg_list_line(struct cfg_ctx *c, struct list_reader *r, char *text, size_t len)
{
    char dom[DOMAIN_MAX], q[CFG_QUOTE_SIZE];
    char *hash = memchr(text, '#', len);

    if (hash != NULL)
        len = (size_t)(hash - text);
    while (len > 0 && cfg_is_blank(text[len - 1]))
        len--;
    while (len > 0 && cfg_is_blank(*text)) {
        text++;
        len--;
    }
    if (len == 0)
        return 0;
    text[len] = '\0';
    if (memchr(text, '\0', len) != NULL || cfg_domain_text(text, len, dom) < 0) {
        r->errors++;
        cfg_report_at(c, CONFIG_ERROR, r->file, r->lineno, "invalid domain %s",
                      cfg_quote(text, q, sizeof(q)));
        return 0;
    }
    return cfg_add_webmail(c, dom, r->file, r->lineno);
}

/* cfg_list_end_line - the line in R is complete: check it. 0 or -1 (OOM). */
static int cfg_list_end_line(struct cfg_ctx *c, struct list_reader *r)
{
    int rc = 0;

    r->lineno++;
    if (r->too_long) {
        r->errors++;
        cfg_report_at(c, CONFIG_ERROR, r->file, r->lineno, "line longer than %d bytes",
                      LIST_LINE_MAX);
    } else {
        rc = cfg_list_line(c, r, r->line, r->len);
    }
    r->len = 0;
    r->too_long = 0;
    return rc;
}

/* cfg_list_chunk - split BUF (N bytes) into lines. 0, 1 to stop (too many errors), -1 OOM. */
static int cfg_list_chunk(struct cfg_ctx *c, struct list_reader *r, const char *buf, size_t n)
{
    while (n > 0) {
        const char *nl = memchr(buf, '\n', n);
        size_t take = nl != NULL ? (size_t)(nl - buf) : n;

        if (!r->too_long && r->len + take <= LIST_LINE_MAX) {
            memcpy(r->line + r->len, buf, take);
            r->len += take;
        } else {
            r->too_long = 1;
        }
        if (nl == NULL)
            return 0;
        if (cfg_list_end_line(c, r) < 0)
            return -1;
        if (r->errors >= LIST_ERRORS_MAX) {
            cfg_report_at(c, CONFIG_ERROR, r->file, r->lineno,
                          "too many errors, rest of the list skipped");
            return 1;
        }
        buf = nl + 1;
        n -= take + 1;
    }
    return 0;
}

/* cfg_list_open - open PATH for reading, refusing anything but a regular file. */
static int cfg_list_open(const char *path, int *err)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);

    if (fd < 0) {
        *err = errno;
        return -1;
    }
    if (fstat(fd, &st) < 0)
        *err = errno;
    else if (!S_ISREG(st.st_mode))
        *err = S_ISDIR(st.st_mode) ? EISDIR : EINVAL; /* EINVAL: "not a regular file" */
    else
        return fd;
    close(fd);
    return -1;
}

/* cfg_list_fail - report that list PATH (named at S, or the default) cannot be read. */
static void cfg_list_fail(struct cfg_ctx *c, const config_setting_t *s, const char *path, int err)
{
    char q[CFG_QUOTE_SIZE], ebuf[128];
    const char *why = err == EINVAL ? "not a regular file" : strerror_r(err, ebuf, sizeof(ebuf));

    if (s != NULL)
        cfg_report(c, CONFIG_ERROR, s, "webmail_domains: cannot read %s: %s",
                   cfg_quote(path, q, sizeof(q)), why);
    else
        cfg_report_at(c, CONFIG_ERROR, c->name, 0,
                      "webmail_domains not set, and the shipped list %s cannot be read: %s",
                      cfg_quote(path, q, sizeof(q)), why);
}

/* cfg_list_read - read all of FD through R. 0, or -1 (reported). */
static int cfg_list_read(struct cfg_ctx *c, const config_setting_t *s, struct list_reader *r,
                         int fd, const char *path)
{
    char *buf = malloc(LIST_CHUNK);
    long long total = 0;
    int rc = -1, st = 0;

    if (buf == NULL)
        return cfg_oom(c, s);
    for (;;) {
        ssize_t n = read(fd, buf, LIST_CHUNK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            cfg_list_fail(c, s, path, errno);
            goto out;
        }
        if (n == 0)
            break;
        total += n;
        if (total > LIST_FILE_MAX) {
            cfg_report_at(c, CONFIG_ERROR, r->file, 0, "larger than %ld bytes", LIST_FILE_MAX);
            goto out;
        }
        st = cfg_list_chunk(c, r, buf, (size_t)n);
        if (st != 0)
            break;
    }
    if (st < 0) {
        cfg_oom(c, s);
        goto out;
    }
    if (st == 0 && (r->len > 0 || r->too_long) && cfg_list_end_line(c, r) < 0) {
        cfg_oom(c, s); /* the last line had no newline */
        goto out;
    }
    rc = 0;
out:
    free(buf);
    return rc;
}

/* cfg_load_list_file - add the domains of list file PATH (named by setting S; NULL: default). */
int cfg_load_list_file(struct cfg_ctx *c, const config_setting_t *s, const char *path)
{
    struct list_reader *r = NULL;
    int fd, err = 0, rc = -1;
    unsigned before = c->errors;

    fd = cfg_list_open(path, &err);
    if (fd < 0) {
        cfg_list_fail(c, s, path, err);
        return -1;
    }
    r = calloc(1, sizeof(*r));
    if (r == NULL || (r->file = cfg_intern_path(c, path)) == NULL) {
        cfg_oom(c, s);
        goto out;
    }
    if (cfg_list_read(c, s, r, fd, path) < 0)
        goto out;
    rc = c->errors == before ? 0 : -1;
out:
    free(r);
    close(fd);
    return rc;
}

/* cfg_load_official - official_domains: required, not empty. */
int cfg_load_official(struct cfg_ctx *c, const config_setting_t *root)
{
    const config_setting_t *s = config_setting_get_member(root, "official_domains");
    struct policy *p = c->p;
    int rc = 0;

    if (s == NULL) {
        cfg_report_at(c, CONFIG_ERROR, c->name, 0, "official_domains is required");
        return -1;
    }
    if (cfg_domains(c, s, &p->official_domains, &p->nofficial) < 0)
        rc = -1;
    if (config_setting_is_aggregate(s) && config_setting_length(s) == 0) {
        cfg_report(c, CONFIG_ERROR, s, "official_domains: must list at least one domain");
        rc = -1;
    }
    for (size_t i = 0; i < p->nofficial && !c->oom; i++)
        if (domain_set_add(p->official, p->official_domains[i], (int)i) < 0)
            return cfg_oom(c, s);
    return rc;
}

/* cfg_inline_domains - the domains of setting NAME into SET (webmail: with origins). */
static int cfg_inline_domains(struct cfg_ctx *c, const config_setting_t *root, const char *name,
                              int webmail)
{
    const config_setting_t *s = config_setting_get_member(root, name);
    char dom[DOMAIN_MAX], buf[1024];
    int rc = 0, n;

    if (s == NULL)
        return 0;
    if (!cfg_string_list(c, s))
        return -1;
    n = config_setting_length(s);
    for (int i = 0; i < n && !c->oom; i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        const char *file;

        if (cfg_domain(c, e, config_setting_get_string(e), dom) < 0) {
            rc = -1;
            continue;
        }
        if (!webmail) {
            if (domain_set_add(c->p->not_webmail, dom, (int)config_setting_source_line(e)) < 0)
                return cfg_oom(c, e);
            continue;
        }
        file = cfg_intern_path(c, cfg_file(c, config_setting_source_file(e), buf, sizeof(buf)));
        if (file == NULL || cfg_add_webmail(c, dom, file, (int)config_setting_source_line(e)) < 0)
            return cfg_oom(c, e);
    }
    return rc;
}

/* cfg_below_cb - stop when a webmail entry lies below the domain in ARG. */
static int cfg_below_cb(const char *d, int value, void *arg)
{
    (void)value;
    return domain_is_under(d, arg);
}

/* cfg_warn_not_webmail - warn about not_webmail_domains entries that remove nothing. */
static void cfg_warn_not_webmail(struct cfg_ctx *c, const config_setting_t *root)
{
    const config_setting_t *s = config_setting_get_member(root, "not_webmail_domains");
    char dom[DOMAIN_MAX], q[CFG_QUOTE_SIZE];
    int n;

    if (s == NULL || !config_setting_is_aggregate(s))
        return;
    n = config_setting_length(s);
    for (int i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        const char *text = config_setting_get_string(e);

        if (text == NULL || cfg_domain_text(text, strlen(text), dom) < 0)
            continue; /* already reported */
        if (domain_set_match(c->p->webmail, dom, NULL) != NULL ||
            domain_set_foreach(c->p->webmail, cfg_below_cb, dom))
            continue;
        cfg_report(c, CONFIG_WARNING, e,
                   "not_webmail_domains: %s removes nothing: no webmail domain is it, above it "
                   "or below it",
                   cfg_quote(dom, q, sizeof(q)));
    }
}

/* A webmail entry below an official domain: its origin and its text (lent by the set). */
struct cfg_under_entry {
    int origin;
    const char *d;
};

/* Webmail entries below an official domain, collected to be warned about in list order. */
struct cfg_under {
    struct cfg_ctx *c;
    struct cfg_under_entry *v;
    size_t n, cap;
    int oom;
};

/* cfg_under_cb - collect webmail entry D when it is strictly under an official domain. */
static int cfg_under_cb(const char *d, int value, void *arg)
{
    struct cfg_under *u = arg;
    const char *off = domain_set_match(u->c->p->official, d, NULL);

    if (off == NULL || strcmp(off, d) == 0 || domain_set_match(u->c->p->not_webmail, d, NULL))
        return 0; /* equal entries are warned about at official_domains */
    if (u->n == u->cap) {
        size_t cap = u->cap ? u->cap * 2 : 16;
        struct cfg_under_entry *v = realloc(u->v, cap * sizeof(*v));
        if (v == NULL) {
            u->oom = 1;
            return 1;
        }
        u->v = v;
        u->cap = cap;
    }
    u->v[u->n].origin = value;
    u->v[u->n].d = d;
    u->n++;
    return 0;
}

/* cfg_under_cmp - qsort order of collected entries: where they were written. */
static int cfg_under_cmp(const void *a, const void *b)
{
    int x = ((const struct cfg_under_entry *)a)->origin;
    int y = ((const struct cfg_under_entry *)b)->origin;

    return (x > y) - (x < y);
}

/* cfg_warn_webmail_under - warn about webmail entries strictly below an official domain. */
static void cfg_warn_webmail_under(struct cfg_ctx *c)
{
    struct cfg_under u = {c, NULL, 0, 0, 0};
    char q[CFG_QUOTE_SIZE], q2[CFG_QUOTE_SIZE];

    domain_set_foreach(c->p->webmail, cfg_under_cb, &u);
    if (u.oom) {
        cfg_oom(c, NULL);
        goto out;
    }
    /* The set's order is a hash order: sort so messages follow the files. */
    if (u.n > 1)
        qsort(u.v, u.n, sizeof(*u.v), cfg_under_cmp);
    for (size_t i = 0; i < u.n; i++) {
        const struct cfg_origin *o = &c->origins[u.v[i].origin];
        const char *off = domain_set_match(c->p->official, u.v[i].d, NULL);

        cfg_report_at(c, CONFIG_WARNING, o->file, o->line,
                      "webmail domain %s is under official domain %s; official wins",
                      cfg_quote(u.v[i].d, q, sizeof(q)), cfg_quote(off, q2, sizeof(q2)));
    }
out:
    free(u.v);
}

/* cfg_warn_official_webmail - warn about official domains that are also webmail. */
static void cfg_warn_official_webmail(struct cfg_ctx *c, const config_setting_t *root)
{
    const config_setting_t *s = config_setting_get_member(root, "official_domains");
    char dom[DOMAIN_MAX], q[CFG_QUOTE_SIZE], q2[CFG_QUOTE_SIZE];
    int n, origin;

    if (s == NULL || !config_setting_is_aggregate(s))
        return;
    n = config_setting_length(s);
    for (int i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        const char *text = config_setting_get_string(e), *w;

        if (text == NULL || cfg_domain_text(text, strlen(text), dom) < 0)
            continue; /* already reported */
        w = domain_set_match(c->p->webmail, dom, &origin);
        if (w == NULL || domain_set_match(c->p->not_webmail, dom, NULL) != NULL)
            continue;
        cfg_report(c, CONFIG_WARNING, e,
                   "official domain %s is also a webmail domain (%s, %s:%d); official wins",
                   cfg_quote(dom, q, sizeof(q)), cfg_quote(w, q2, sizeof(q2)),
                   c->origins[origin].file, c->origins[origin].line);
    }
    cfg_warn_webmail_under(c);
}

/* cfg_load_list_files - read the files of webmail_domains, or the shipped list. */
static int cfg_load_list_files(struct cfg_ctx *c, const config_setting_t *root)
{
    const config_setting_t *s = config_setting_get_member(root, "webmail_domains");
    int rc = 0, n;

    if (s == NULL)
        return cfg_load_list_file(c, NULL, LIST_DEFAULT);
    if (!cfg_string_list(c, s))
        return -1;
    n = config_setting_length(s);
    for (int i = 0; i < n && !c->oom; i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        const char *name = cfg_nonempty(c, e);
        char *path;

        if (name == NULL) {
            rc = -1;
            continue;
        }
        path = cfg_resolve(c, name);
        if (path == NULL)
            return cfg_oom(c, e);
        if (cfg_load_list_file(c, e, path) < 0)
            rc = -1;
        free(path);
    }
    return rc;
}

/* cfg_load_webmail - the webmail and not-webmail sets, and their warnings. */
int cfg_load_webmail(struct cfg_ctx *c, const config_setting_t *root)
{
    int rc = 0;

    if (cfg_load_list_files(c, root) < 0)
        rc = -1;
    if (!c->oom && cfg_inline_domains(c, root, "extra_webmail_domains", 1) < 0)
        rc = -1;
    if (!c->oom && cfg_inline_domains(c, root, "not_webmail_domains", 0) < 0)
        rc = -1;
    if (c->oom)
        return -1;
    cfg_warn_not_webmail(c, root);
    cfg_warn_official_webmail(c, root);
    return rc;
}

/* cfg_load_networks - internal_networks, or the loopback defaults. */
int cfg_load_networks(struct cfg_ctx *c, const config_setting_t *root)
{
    static const char *const defaults[] = {"127.0.0.0/8", "::1/128"};
    const config_setting_t *s = config_setting_get_member(root, "internal_networks");
    char q[CFG_QUOTE_SIZE];
    int rc = 0, n;

    if (s == NULL) {
        /* policy_new() may leave the list empty; the SPEC default is loopback. */
        if (cidr_list_count(c->p->internal) == 0)
            for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
                if (cidr_list_add(c->p->internal, defaults[i]) < 0)
                    return cfg_oom(c, NULL);
        return 0;
    }
    if (!cfg_string_list(c, s))
        return -1;
    cidr_list_free(c->p->internal);
    c->p->internal = cidr_list_new();
    if (c->p->internal == NULL)
        return cfg_oom(c, s);
    n = config_setting_length(s);
    for (int i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        const char *text = config_setting_get_string(e);
        int st = cidr_list_add(c->p->internal, text);

        if (st == -2)
            return cfg_oom(c, e);
        if (st < 0) {
            cfg_report(c, CONFIG_ERROR, e,
                       "internal_networks: invalid network %s (an address, or address/prefix "
                       "with no bits set after the prefix)",
                       cfg_quote(text, q, sizeof(q)));
            rc = -1;
        }
    }
    return rc;
}
